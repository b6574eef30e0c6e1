#!/usr/bin/perl
# otp-line/1 adapter for Authen::OATH 2.0.1 (Debian `libauthen-oath-perl`, installed by
# scripts/adapters.sh). Started as: perl adapters/perl/authen_oath.pl
#
# - The object: Authen::OATH->new(digits => $d, digest => $class, timestep => $period), a Moo
#   object whose digits and timestep are Types::Standard Int (any integer passes the type).
#   Then $oath->totp($secret, $time) and $oath->hotp($secret, $counter), as its POD shows.
# - digest is the NAME of a Digest class, which Authen::OATH hands to Digest::HMAC->new($secret,
#   $class) (Digest::HMAC calls $class->new with no argument, with its default block size of 64
#   bytes). SHA1 is the default 'Digest::SHA' (Digest::SHA->new without an algorithm is SHA-1).
#   The POD says digests other than SHA1 may be given this way ("digest => 'Digest::MD6'"), but no
#   installed class makes SHA-256 or SHA-512 from a bare new(); so for SHA256 / SHA512 the adapter
#   defines the two-line classes a user would write, AuthenOathAdapter::SHA256 / ::SHA512, whose
#   new() returns Digest::SHA->new(256 | 512) (and nothing else). The HMAC is still the
#   library's: Digest::HMAC with Authen::OATH's arguments, i.e. a 64-byte block also for
#   SHA-512, whose block is 128 bytes: its HMAC-SHA-512 is not RFC 2104's.
# - Keys: raw bytes (the POD: decode a Base32 secret yourself "*before* passing it"). A `hex` key
#   is passed as its raw bytes (pack "H*"). Authen::OATH itself then TREATS ANY SECRET MATCHING
#   /^[a-fA-F0-9]{32,}$/ AS HEX and decodes it: a raw key of 32 or more ASCII hex digits (such as
#   RFC 6238's 32- and 64-byte seeds "1234...") is hex-decoded to half its length. Authen::OATH
#   has no Base32 decoder (its POD sends users to Convert::Base32): `base32` keys are answered
#   `unsupported` (decoding them with another module would test that module).
# - TOTP: my $time = $manual_time || time(): TIME 0 IS REPLACED BY THE CURRENT TIME (the time is
#   passed as a Perl integer, 0 included). The counter is Math::BigInt->new(int($time /
#   $timestep)): a FLOATING-POINT division truncated toward zero (time -1 is step 0; times past
#   2^53 lose digits); timestep 0 dies ("Illegal division by zero"). A negative counter's as_hex
#   ("-0x1") is not reformatted and is packed as garbage. Authen::OATH has no T0 option: t0 != 0
#   is answered `unsupported`.
# - HOTP: $oath->hotp($secret, $counter), counter a Perl integer (exact up to 2^64-1; the library
#   puts it into a Math::BigInt and writes 16 hex digits).
# - digits: "Must request at least 6 digits" dies below 6 (checked after the time is read);
#   below 10 the code is sprintf("%0Nd"); from 10 on it is the Math::BigInt remainder itself,
#   WITHOUT leading zeros (the adapter prints it as Perl stringifies it).
# - No verifier: `verify` is answered `unsupported verify (Authen::OATH has no verifier)`.
# - `mode reuse` keeps one Authen::OATH object per parameter set (it holds digits, digest and
#   timestep; the key is an argument of each call).
use strict;
use warnings;

use FindBin;
use lib $FindBin::Bin;

use Authen::OATH;
use Digest::SHA ();
use OtpLine;

package AuthenOathAdapter::SHA256 { sub new { return Digest::SHA->new(256) } }
package AuthenOathAdapter::SHA512 { sub new { return Digest::SHA->new(512) } }

package main;

my %DIGEST = (
    SHA1   => 'Digest::SHA',
    SHA256 => 'AuthenOathAdapter::SHA256',
    SHA512 => 'AuthenOathAdapter::SHA512',
);

OtpLine::serve(
    make => sub {
        my ($kind, $alg, $digits, $period, $t0, $enc, $key) = @_;
        die OtpLine::Unsupported->new('base32 key (Authen::OATH has no Base32 decoder)')
            if $enc eq 'base32';
        die OtpLine::Unsupported->new('t0 (Authen::OATH has no T0 option)')
            if $kind eq 'totp' && $t0 != 0;
        my %options = (digits => $digits, digest => $DIGEST{$alg});
        $options{timestep} = $period if $kind eq 'totp';
        die "adapter: the hex key is not hex pairs\n" unless $key =~ /\A(?:[0-9a-fA-F]{2})*\z/;
        return { oath => Authen::OATH->new(%options), secret => pack('H*', $key) };
    },
    generate => sub {
        my ($kind, $obj, $value) = @_;
        return $kind eq 'totp'
            ? $obj->{oath}->totp($obj->{secret}, $value)
            : $obj->{oath}->hotp($obj->{secret}, $value);
    },
    library => 'Authen::OATH',
);
