<?php
// otp-line/1 request loop for PHP adapters (see adapters/README.md).
//
// An adapter calls \OtpLine\serve($make, $generate, $verify, $reuse, $library) with callables:
//   $make($kind, $algorithm, $digits, $period, $t0, $encoding, $key) -> generator object
//     $kind is "totp" or "hotp"; $period and $t0 are null for hotp; the numbers are PHP ints
//     (64-bit signed); the key is the rest of the line as a byte string, exactly as sent.
//     throw new \OtpLine\Unsupported("...") for a parameter the library's API cannot express.
//   $generate($kind, $obj, $value) -> string
//     $value is an int: the Unix time in seconds (totp) or the counter (hotp).
//   $verify($obj, $time, $window, $code) -> bool   (optional: null)
//     $window is an int >= 0 (steps accepted on either side) or null for `default` (call the
//     library's verifier without a window); $code is the candidate's UTF-8 bytes exactly as sent
//     (checked to be UTF-8). Without it, `verify` requests are answered
//     `unsupported verify (<library> has no verifier)`.
//   $reuse: false for a library with only a functional API (`mode reuse` is then answered
//     `unsupported no instance to reuse`).
// PHP integers are 64-bit signed: a time, digits, period, t0, window or counter outside
// -2^63 .. 2^63-1 is answered `unsupported` (PHP would clamp or turn it into a float silently);
// a counter outside 0 .. 2^64-1 is a malformed request.
// `mode reuse` caches $make's result per (kind, algorithm, digits, period, t0, encoding, key); a
// `verify` request shares the entry of the `totp` request with the same parameters. Any
// \Throwable becomes `reject <Class>: <message>`. PHP's warnings go to stderr, never stdout.

namespace OtpLine;

class Unsupported extends \Exception {}
class Malformed extends \Exception {}

const FIELDS = ['totp' => 8, 'hotp' => 6, 'verify' => 10];
const ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'];
const ENCODINGS = ['hex', 'base32'];

function one_line(string $text): string
{
    return trim(implode(' ', preg_split('/\r\n|\r|\n/', $text)));
}

function describe(\Throwable $e): string
{
    $message = one_line($e->getMessage());
    return $message === '' ? get_class($e) : get_class($e) . ': ' . $message;
}

function decimal(string $text): bool
{
    return preg_match('/\A-?[0-9]+\z/', $text) === 1;
}

// Does a decimal integer fit in a PHP int? (string compare: PHP's own conversion would clamp)
function fits(string $text): bool
{
    $negative = $text[0] === '-';
    $digits = ltrim($negative ? substr($text, 1) : $text, '0');
    $limit = $negative ? '9223372036854775808' : '9223372036854775807';
    return strlen($digits) < 19 || (strlen($digits) === 19 && strcmp($digits, $limit) <= 0);
}

// A decimal field -> a PHP int, or `unsupported` when PHP cannot carry it.
function integer(string $text, string $what): int
{
    if (!fits($text)) {
        throw new Unsupported("$what $text (outside PHP's 64-bit signed integers)");
    }
    return intval($text, 10);
}

function candidate(string $hex): string
{
    if (preg_match('/\A(?:[0-9a-fA-F]{2})*\z/', $hex) !== 1) {
        throw new Malformed();
    }
    $code = hex2bin($hex);
    if ($code === false || preg_match('//u', $code) !== 1) {
        throw new Malformed();
    }
    return $code;
}

function parse(string $line): array
{
    $head = explode(' ', $line, 2)[0];
    if ($head === 'mode') {
        $parts = explode(' ', $line);
        if (count($parts) !== 2 || !in_array($parts[1], ['reuse', 'construct'], true)) {
            throw new Malformed();
        }
        return ['mode' => $parts[1]];
    }
    if (!isset(FIELDS[$head])) {
        throw new Malformed();
    }
    $n = FIELDS[$head];
    $parts = explode(' ', $line, $n); // the last field is the rest of the line
    if (count($parts) === $n - 1) {
        $parts[] = ''; // an empty key written without its separating space
    }
    if (count($parts) !== $n) {
        throw new Malformed();
    }
    $window = null;
    $code = null;
    if ($head === 'totp') {
        [, $alg, $digits, $period, $t0, $value, $enc, $key] = $parts;
    } elseif ($head === 'verify') {
        [, $alg, $digits, $period, $t0, $value, $window, $codeHex, $enc, $key] = $parts;
        if ($window !== 'default' && preg_match('/\A[0-9]+\z/', $window) !== 1) {
            throw new Malformed();
        }
        $code = candidate($codeHex);
    } else {
        [, $alg, $digits, $value, $enc, $key] = $parts;
        $period = $t0 = null;
        if (!decimal($value) || $value[0] === '-' && ltrim(substr($value, 1), '0') !== ''
            || strlen(ltrim($value, '0')) > 20
            || strlen(ltrim($value, '0')) === 20 && strcmp(ltrim($value, '0'), '18446744073709551615') > 0) {
            throw new Malformed();
        }
    }
    foreach ([$digits, $period, $t0, $value] as $field) {
        if ($field !== null && !decimal($field)) {
            throw new Malformed();
        }
    }
    if (!in_array($alg, ALGORITHMS, true) || !in_array($enc, ENCODINGS, true)) {
        throw new Malformed();
    }
    // Only well-formed requests reach the range checks (which answer `unsupported`).
    $kind = $head;
    return [
        'kind' => $kind,
        'algorithm' => $alg,
        'digits' => integer($digits, 'digits'),
        'period' => $period === null ? null : integer($period, 'period'),
        't0' => $t0 === null ? null : integer($t0, 't0'),
        'encoding' => $enc,
        'key' => $key,
        'value' => integer($value, $kind === 'hotp' ? 'counter' : 'time'),
        'window' => $window === null || $window === 'default' ? null : integer($window, 'window'),
        'code' => $code,
    ];
}

function serve(callable $make, callable $generate, ?callable $verify, bool $reuseSupported, string $library): void
{
    ini_set('display_errors', 'stderr');
    $reuse = false;
    $cache = [];
    while (($line = fgets(STDIN)) !== false) {
        if (substr($line, -1) === "\n") {
            $line = substr($line, 0, -1);
            if (substr($line, -1) === "\r") {
                $line = substr($line, 0, -1);
            }
        }
        try {
            $req = parse($line);
            if (isset($req['mode'])) {
                if ($req['mode'] === 'reuse' && !$reuseSupported) {
                    $answer = 'unsupported no instance to reuse';
                } else {
                    $reuse = $req['mode'] === 'reuse';
                    $answer = 'ok';
                }
            } elseif ($req['kind'] === 'verify' && $verify === null) {
                $answer = "unsupported verify ($library has no verifier)";
            } else {
                $kind = $req['kind'] === 'verify' ? 'totp' : $req['kind'];
                $params = [$kind, $req['algorithm'], $req['digits'], $req['period'], $req['t0'],
                    $req['encoding'], $req['key']];
                $id = serialize($params);
                if ($reuse && array_key_exists($id, $cache)) {
                    $obj = $cache[$id];
                } else {
                    $obj = $make(...$params);
                    if ($reuse) {
                        $cache[$id] = $obj;
                    }
                }
                if ($req['kind'] === 'verify') {
                    $verdict = $verify($obj, $req['value'], $req['window'], $req['code']);
                    if ($verdict === true) {
                        $answer = 'ok accept';
                    } elseif ($verdict === false) {
                        $answer = 'ok refuse';
                    } else {
                        throw new \TypeError('adapter: verify returned ' . var_export($verdict, true) . ', not a bool');
                    }
                } else {
                    $answer = 'ok ' . one_line((string) $generate($req['kind'], $obj, $req['value']));
                }
            }
        } catch (Malformed $e) {
            $answer = 'reject malformed request';
        } catch (Unsupported $e) {
            $answer = 'unsupported ' . one_line($e->getMessage());
        } catch (\Throwable $e) {
            $answer = 'reject ' . describe($e);
        }
        fwrite(STDOUT, $answer . "\n");
        fflush(STDOUT);
    }
}
