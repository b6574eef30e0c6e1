<?php
// otp-line/1 adapter for christianriesen/otp 1.4.3 (Debian `php-christianriesen-otp`, with its
// dependency christianriesen/base32, Debian `php-christianriesen-base32`; installed by
// scripts/adapters.sh). Started as: php adapters/php/christianriesen_otp.php
//
// - The library: \Otp\Otp, loaded through Debian's autoloader 'ChristianRiesen/Otp/autoload.php'
//   (on PHP's include path, /usr/share/php; it loads 'ChristianRiesen/Base32/autoload.php' too).
//   $otp = (new \Otp\Otp())->setDigits($d)->setPeriod($period); then $otp->totp($secret),
//   $otp->hotp($secret, $counter) and $otp->checkTotp($secret, $code[, $timedrift]).
// - THE TIME: Otp has no time argument for TOTP. totp($secret, $timecounter = null) takes a STEP
//   (counter), not a time, and without one it (like checkTotp, which has no time parameter at
//   all) reads the clock in its protected getTimecounter(): floor(time() / $this->period). That
//   `time()` is an unqualified call inside namespace Otp, which PHP resolves to a function
//   \Otp\time() when one is defined, and to the global time() otherwise. This adapter defines
//   \Otp\time() returning the request's time (the technique of Symfony's ClockMock): the library
//   code runs unchanged and converts the time to its step itself (float division, floor: time -1
//   is step -1; period 0 throws DivisionByZeroError). totp is called WITHOUT a timecounter.
// - Algorithm: SHA1 only. The class has allowedAlgorithms sha1/sha256/sha512, but its
//   setAlgorithm() is commented out in the source ("does not bring the expected results
//   according to the RFC test vectors"): SHA256 / SHA512 are answered `unsupported`.
// - digits: setDigits() throws InvalidArgumentException "Digits must be 6 or 8" for any other
//   value (a `reject`). period: setPeriod() wants a PHP int (any, 0 and negative included).
//   No T0: t0 != 0 is answered `unsupported`.
// - Keys: raw bytes. A `hex` key is passed as hex2bin(key) (a key that is not hex pairs is
//   refused by the adapter first: hex2bin would return false, which PHP makes ""). A `base32`
//   key is decoded with \Base32\Base32::decode($key), the decoder of the library's own
//   dependency that its README uses (`$otp->checkTotp(Base32::decode($secret), $key)`): it
//   upper-cases and then REMOVES every character outside A-Z2-7 (`=`, spaces, 0, 1, 8, 9 ...)
//   without an error.
// - The counter: getBinaryCounter() is pack('N*', 0) . pack('N*', $counter): four zero bytes and
//   the LOW 32 BITS of the counter ("NOT 2038 proof", says its header). Counter 2^32 is counter 0;
//   a negative step -1 is written 00000000ffffffff. HOTP counters are PHP ints: above 2^63-1
//   `unsupported` (PHP would turn the numeric string into a float, then 0).
// - The code: truncate() (offset from byte 19, i.e. SHA-1's last) % pow(10, digits), str_pad'ed
//   with "0" to digits, a string.
// - verify: $otp->checkTotp($secret, $code, $window), or checkTotp($secret, $code) for `default`:
//   its default $timedrift is 1 (the previous and the next step are accepted too). $timedrift
//   must be is_numeric and >= 0 (else InvalidArgumentException). It tries the current step,
//   then (when timedrift != 0) every step from now - timedrift to now + timedrift, none clamped:
//   at step 0 the previous step is -1, written as counter 0x00000000ffffffff (NOT 2^64-1). The
//   candidate string goes in untouched; safeCompare() compares sha1($generated) with
//   sha1($candidate) hex digit by hex digit: byte-for-byte equality (no trimming, no int cast,
//   no normalisation). The object keeps no state: no replay protection. No early exit and no
//   cap: a wrong code with a huge window costs 2w+1 HMACs (the runner's timeout shows it).
//   Windows above 2^63-1 cannot be a PHP int: `unsupported`.
// - `mode reuse` keeps one \Otp\Otp object per parameter set (it holds digits and period; the
//   key is an argument of each call, and the clock is the adapter's \Otp\time()).

namespace Otp {
    /** The clock the library reads (see the header): the current request's Unix time. */
    function time(): int
    {
        return \OtpLineClock::$now;
    }
}

namespace {
    final class OtpLineClock
    {
        public static int $now = 0;
    }

    require_once 'ChristianRiesen/Otp/autoload.php';
    require_once __DIR__ . '/otp_line.php';

    use Base32\Base32;
    use OtpLine\Unsupported;
    use Otp\Otp;

    function christianriesen_secret(string $encoding, string $key): string
    {
        if ($encoding === 'base32') {
            return Base32::decode($key);
        }
        if (preg_match('/\A(?:[0-9a-fA-F]{2})*\z/', $key) !== 1) {
            throw new \InvalidArgumentException('adapter: the hex key is not hex pairs');
        }
        return hex2bin($key);
    }

    OtpLine\serve(
        function (string $kind, string $alg, int $digits, ?int $period, ?int $t0, string $enc, string $key) {
            if ($alg !== 'SHA1') {
                throw new Unsupported("algorithm $alg (christianriesen/otp has setAlgorithm disabled: SHA1 only)");
            }
            if ($kind === 'totp' && $t0 !== 0) {
                throw new Unsupported('t0 (christianriesen/otp has no T0 option)');
            }
            $otp = (new Otp())->setDigits($digits);
            if ($kind === 'totp') {
                $otp->setPeriod($period);
            }
            return ['otp' => $otp, 'secret' => christianriesen_secret($enc, $key)];
        },
        function (string $kind, array $obj, int $value) {
            if ($kind === 'totp') {
                OtpLineClock::$now = $value;
                return $obj['otp']->totp($obj['secret']);
            }
            return $obj['otp']->hotp($obj['secret'], $value);
        },
        function (array $obj, int $time, ?int $window, string $code) {
            OtpLineClock::$now = $time;
            if ($window === null) {
                return $obj['otp']->checkTotp($obj['secret'], $code);
            }
            return $obj['otp']->checkTotp($obj['secret'], $code, $window);
        },
        true,
        'christianriesen/otp'
    );
}
