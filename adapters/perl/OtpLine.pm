package OtpLine;

# otp-line/1 request loop shared by the Perl adapters (see adapters/README.md).
#
# An adapter calls OtpLine::serve(make => ..., generate => ..., verify => ..., reuse => 0|1,
# library => "name") with code references:
#   make->($kind, $algorithm, $digits, $period, $t0, $encoding, $key) -> generator object
#     $kind is "totp" or "hotp"; $period and $t0 are undef for hotp. The numbers are Perl
#     integers (IV); the key is the rest of the line as a byte string, exactly as sent.
#     die OtpLine::Unsupported->new("...") for a parameter the library's API cannot express.
#   generate->($kind, $obj, $value) -> code
#     $value is the Unix time in seconds (totp: a Perl IV, -2^63 .. 2^63-1) or the counter
#     (hotp: 0 .. 2^64-1, a Perl IV or UV: exact, Perl's integers are 64 bits here).
#   verify->($obj, $time, $window, $code) -> 1 | 0   (optional)
#     $window is an integer >= 0 (steps accepted on either side) or undef for `default`;
#     $code is the candidate's UTF-8 bytes exactly as sent (checked to be UTF-8).
#     Without verify, `verify` requests are answered `unsupported verify (<library> has no
#     verifier)`.
#   reuse: 0 for a library with only a functional API (`mode reuse` is then answered
#     `unsupported no instance to reuse`).
# Numbers that Perl cannot carry as a 64-bit integer (a time, digits, period or t0 outside
# -2^63 .. 2^63-1, a window above 2^64-1) are answered `unsupported` (Perl would turn them into
# a double, silently losing digits); a counter outside 0 .. 2^64-1 is a malformed request.
# `mode reuse` caches make's result per (kind, algorithm, digits, period, t0, encoding, key); a
# `verify` request shares the entry of the `totp` request with the same parameters. A die
# becomes `reject <message>` (an object: `reject <Class>: <message>`), newlines made spaces.

use strict;
use warnings;

use Encode ();
use Math::BigInt;

package OtpLine::Unsupported {
    sub new { my ($class, $what) = @_; return bless { what => $what }, $class }
    sub what { return $_[0]{what} }
}

package OtpLine::Malformed {
    sub new { return bless {}, shift }
}

package OtpLine;

my %FIELDS = (totp => 8, hotp => 6, verify => 10);
my %ALGORITHMS = map { $_ => 1 } qw(SHA1 SHA256 SHA512);
my %ENCODINGS = map { $_ => 1 } qw(hex base32);
my $IV_MIN = Math::BigInt->new('-9223372036854775808');
my $IV_MAX = Math::BigInt->new('9223372036854775807');
my $UV_MAX = Math::BigInt->new('18446744073709551615');

sub malformed { die OtpLine::Malformed->new }

sub one_line {
    my ($text) = @_;
    $text = '' unless defined $text;
    $text = join ' ', split /\r\n|\r|\n/, "$text";
    $text =~ s/^\s+|\s+$//g;
    return $text;
}

sub describe {
    my ($e) = @_;
    my $class = ref $e;
    return one_line($e) if !$class;
    my $message = one_line(eval { $e->can('message') ? $e->message : "$e" } // "$e");
    return $message eq '' ? $class : "$class: $message";
}

# A decimal integer field -> a Perl integer; $what names it for `unsupported`.
sub integer {
    my ($text, $what, $max) = @_;
    malformed() unless defined $text && $text =~ /\A-?[0-9]+\z/;
    my $big = Math::BigInt->new($text);
    $max //= $IV_MAX;
    die OtpLine::Unsupported->new("$what $text (outside Perl's 64-bit integers)")
        if $big < $IV_MIN || $big > $max;
    return 0 + $big->bstr;    # exact: within IV (or UV) range
}

sub candidate {
    my ($hex) = @_;
    malformed() unless $hex =~ /\A(?:[0-9a-fA-F]{2})*\z/;
    my $bytes = pack 'H*', $hex;
    my $copy = $bytes;
    malformed() unless eval { Encode::decode('UTF-8', $copy, Encode::FB_CROAK); 1 };
    return $bytes;
}

sub parse {
    my ($line) = @_;
    my ($head) = split / /, $line, 2;
    $head //= '';
    if ($head eq 'mode') {
        my @parts = split / /, $line, -1;
        malformed() unless @parts == 2 && ($parts[1] eq 'reuse' || $parts[1] eq 'construct');
        return { mode => $parts[1] };
    }
    my $n = $FIELDS{$head} or malformed();
    my @parts = split / /, $line, $n;    # the last field is the rest of the line
    push @parts, '' if @parts == $n - 1;  # an empty key written without its separating space
    malformed() unless @parts == $n;
    my %req;
    if ($head eq 'totp') {
        my (undef, $alg, $digits, $period, $t0, $time, $enc, $key) = @parts;
        %req = (kind => 'totp', algorithm => $alg, encoding => $enc, key => $key,
            digits => $digits, period => $period, t0 => $t0, value => $time);
    }
    elsif ($head eq 'verify') {
        my (undef, $alg, $digits, $period, $t0, $time, $window, $code_hex, $enc, $key) = @parts;
        malformed() unless $window eq 'default' || $window =~ /\A[0-9]+\z/;
        %req = (kind => 'verify', algorithm => $alg, encoding => $enc, key => $key,
            digits => $digits, period => $period, t0 => $t0, value => $time,
            window => $window, code => candidate($code_hex));
    }
    else {
        my (undef, $alg, $digits, $counter, $enc, $key) = @parts;
        malformed() unless $counter =~ /\A-?[0-9]+\z/;
        my $c = Math::BigInt->new($counter);
        malformed() if $c < 0 || $c > $UV_MAX;
        %req = (kind => 'hotp', algorithm => $alg, encoding => $enc, key => $key,
            digits => $digits, period => undef, t0 => undef, value => $counter);
    }
    for my $f (qw(digits period t0 value)) {
        next unless defined $req{$f};
        malformed() unless $req{$f} =~ /\A-?[0-9]+\z/;
    }
    malformed() unless $ALGORITHMS{ $req{algorithm} } && $ENCODINGS{ $req{encoding} };
    # Only well-formed requests reach the range checks (which answer `unsupported`).
    $req{digits} = integer($req{digits}, 'digits');
    $req{period} = integer($req{period}, 'period') if defined $req{period};
    $req{t0} = integer($req{t0}, 't0') if defined $req{t0};
    $req{value} = $head eq 'hotp'
        ? integer($req{value}, 'counter', $UV_MAX)
        : integer($req{value}, 'time');
    if (defined $req{window}) {
        $req{window} = $req{window} eq 'default' ? undef : integer($req{window}, 'window', $UV_MAX);
    }
    return \%req;
}

sub serve {
    my %args = @_;
    my ($make, $generate, $verify) = @args{qw(make generate verify)};
    my $reuse_supported = $args{reuse} // 1;
    my $library = $args{library} // 'the library';
    my ($reuse, %cache) = (0);
    binmode STDIN;
    binmode STDOUT;
    STDOUT->autoflush(1);
    while (defined(my $line = <STDIN>)) {
        $. = 0;    # so that a library's die message does not end in ", <STDIN> line N."
        $line =~ s/\n\z//;
        $line =~ s/\r\z//;
        my $answer;
        my $ok = eval {
            my $req = parse($line);
            if (defined $req->{mode}) {
                if ($req->{mode} eq 'reuse' && !$reuse_supported) {
                    $answer = 'unsupported no instance to reuse';
                }
                else {
                    $reuse = $req->{mode} eq 'reuse' ? 1 : 0;
                    $answer = 'ok';
                }
            }
            elsif ($req->{kind} eq 'verify' && !$verify) {
                $answer = "unsupported verify ($library has no verifier)";
            }
            else {
                my $kind = $req->{kind} eq 'verify' ? 'totp' : $req->{kind};
                my @params = ($kind, @{$req}{qw(algorithm digits period t0 encoding key)});
                my $id = join "\0", map { defined $_ ? $_ : '' } @params;
                my $obj;
                if ($reuse && exists $cache{$id}) {
                    $obj = $cache{$id};
                }
                else {
                    $obj = $make->(@params);
                    $cache{$id} = $obj if $reuse;
                }
                if ($req->{kind} eq 'verify') {
                    my $verdict = $verify->($obj, $req->{value}, $req->{window}, $req->{code});
                    $answer = $verdict ? 'ok accept' : 'ok refuse';
                }
                else {
                    $answer = 'ok ' . one_line($generate->($req->{kind}, $obj, $req->{value}));
                }
            }
            1;
        };
        if (!$ok) {
            my $e = $@;
            if (ref $e && ref $e eq 'OtpLine::Malformed') {
                $answer = 'reject malformed request';
            }
            elsif (ref $e && ref $e eq 'OtpLine::Unsupported') {
                $answer = 'unsupported ' . one_line($e->what);
            }
            else {
                $answer = 'reject ' . describe($e);
            }
        }
        print STDOUT "$answer\n";
    }
    return;
}

1;
