#!/usr/bin/perl
# otp-line/1 adapter for Pass::OTP 1.5 (Debian `libpass-otp-perl`, installed by
# scripts/adapters.sh). Started as: perl adapters/perl/pass_otp.pl
#
# - Functional API only: Pass::OTP::otp(%options), the wrapper its SYNOPSIS and its example
#   oathtool script call, with type => "totp" | "hotp" (it then calls Pass::OTP::totp / hotp with
#   the same options; no issuer is given, so its Steam special case never applies). The option
#   names are those the module reads (and the example oathtool script sets): secret, base32,
#   algorithm, digits, counter, period, "start-time", now. There is no object to keep: `mode
#   reuse` is answered `unsupported no instance to reuse`.
# - algorithm: "sha1" | "sha256" | "sha512" (lower case, as oathtool's --totp=sha256 writes it;
#   the module reads it with /sha(\d+)/ and calls Digest::SHA->new(<the digits>): an upper-case
#   "SHA256", as an otpauth:// URI writes it, would not match and silently give SHA-1). The HMAC
#   is Digest::HMAC->new($key, $digest_object) with Digest::HMAC's default 64-byte block, also
#   for SHA-512 (whose block is 128 bytes): its HMAC-SHA-512 is not RFC 2104's.
# - Keys: a `hex` key is passed as the hex text it is (the module's default: pack('H*', secret));
#   a `base32` key is passed as given with base32 => 1: the module removes the spaces
#   (s/ //gr) and calls Convert::Base32::decode_base32, which accepts either case, refuses any
#   other character (`=` padding included: "Data contains non-base32 characters"), an
#   impossible length, and non-zero trailing bits.
# - TOTP: now => time, period => period, "start-time" => t0 (Unix seconds, Perl integers). The
#   counter is Math::BigInt->new(int((now - start-time) / period)): a FLOATING-POINT division
#   truncated toward zero (time -1 is step 0; values past 2^53 lose digits); period 0 dies
#   ("Illegal division by zero"). A negative counter's as_hex ("-0x1") does not match /^0x(.*)/:
#   the counter written is then sixteen "0"s (counter 0), with a warning on stderr.
# - HOTP: counter => the counter (a Perl integer, exact up to 2^64-1; the module puts it into a
#   Math::BigInt and writes 16 hex digits).
# - digits: Math::BigInt remainder modulo 10**digits, left-padded with "0" to digits characters
#   (digits 0 gives "0"; no refusal for any digits).
# - No verifier: `verify` is answered `unsupported verify (Pass::OTP has no verifier)`.
use strict;
use warnings;

use FindBin;
use lib $FindBin::Bin;

use OtpLine;
use Pass::OTP qw(otp);

OtpLine::serve(
    reuse => 0,
    make => sub {
        my ($kind, $alg, $digits, $period, $t0, $enc, $key) = @_;
        my %options = (type => $kind, secret => $key, algorithm => lc $alg, digits => $digits);
        $options{base32} = 1 if $enc eq 'base32';
        if ($kind eq 'totp') {
            $options{period} = $period;
            $options{'start-time'} = $t0;
        }
        return \%options;
    },
    generate => sub {
        my ($kind, $options, $value) = @_;
        return otp(%$options, ($kind eq 'totp' ? 'now' : 'counter') => $value);
    },
    library => 'Pass::OTP',
);
