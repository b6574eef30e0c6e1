# frozen_string_literal: true

# otp-line/1 adapter for rotp 6.2.0 (Debian `ruby-rotp`, installed by scripts/adapters.sh).
# Started as: ruby adapters/ruby/rotp.rb
#
# - rotp takes Base32 text only (OTP#byte_secret is ROTP::Base32.decode(@secret), private; there
#   is no raw-key input). A `base32` key is passed exactly as given: rotp's decoder removes every
#   `=` (tr('=', '')), upcases, and raises ROTP::Base32::Base32Error for any other character
#   outside A-Z2-7 (a space included); trailing bits that do not make a byte are dropped, without
#   a check that they are zero. A `hex` key is CONVERTED by this adapter to unpadded RFC 4648
#   Base32 (its own few lines below, not ROTP::Base32.encode, which fails on an empty key), then
#   passed to rotp.
# - TOTP: ROTP::TOTP.new(b32, digits: d, digest: "sha1"|"sha256"|"sha512", interval: period)
#   .at(time), time an Integer in SECONDS (TOTP#timeint: an Integer is taken as it is, to_i; a
#   Time object would be converted to UTC: no local time zone either way). The counter is
#   `time / interval`, Ruby's FLOORED Integer division: time -1 is step -1, which
#   OTP#int_to_bytestring refuses (ArgumentError "#int_to_bytestring requires a positive
#   number"); interval 0 raises ZeroDivisionError. rotp has no T0 option: t0 != 0 is answered
#   `unsupported`. `digits: 0` is kept (`options[:digits] || 6`: 0 is true in Ruby): the code is
#   `code % 10**0`, "0". digest is OpenSSL::Digest.new(digest) in OpenSSL::HMAC.digest.
# - HOTP: ROTP::HOTP.new(b32, digits: d, digest: ...).at(counter), the counter an Integer
#   (unbounded: 2^64-1 is written as 8 bytes exactly).
# - The code: (code % 10**digits).to_s.rjust(digits, "0"), a String (leading zeros kept).
# - verify: ROTP::TOTP#verify(code, drift_behind: w * period, drift_ahead: w * period, at: time),
#   or verify(code, at: time) for `default` (drift_behind: 0, drift_ahead: 0: the current step
#   only). rotp's drift is in SECONDS: it checks the steps timecode(at - drift_behind) ..
#   timecode(at + drift_ahead), and floor((t - w*p) / p) is exactly step(t) - w, so w * period
#   seconds is w steps on each side. It returns the matching step's start time (an Integer, 0 for
#   step 0) or nil: accept when it is not nil. The candidate String is passed untouched; rotp
#   raises ArgumentError unless it is a String, then time_constant_compare: false when either is
#   empty or the BYTE sizes differ, else a byte-for-byte compare (no trimming, no to_i, no
#   Unicode normalisation). It generates EVERY step of the range (no early exit), and a step
#   below 0 raises ArgumentError (int_to_bytestring): a window reaching before step 0 makes the
#   whole verify a `reject`, even for the current step's code. The range is built as an Array
#   ((start..end).step(1).to_a): a huge window allocates that many Integers and the process dies
#   of it, so windows above MAX_WINDOW (1000000) are answered `unsupported`. `after:` (rotp's
#   own replay guard, "last login timestamp") is not passed: the object keeps no state, so a
#   replay is accepted again.
# - `mode reuse` keeps one ROTP::TOTP/HOTP object per parameter set (the objects hold no time or
#   counter); a verify uses the TOTP object of the same parameters.
require 'rotp'
require_relative 'otp_line'

BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
# rotp's TOTP#verify materialises its step range ((start..end).step(1).to_a): a window of 2^32
# would allocate 8.6e9 Integers and kill the process ("[FATAL] failed to allocate memory", which
# no rescue catches). Windows above this are answered `unsupported` instead.
MAX_WINDOW = 1_000_000

# Raw bytes (a hex string) -> unpadded RFC 4648 Base32.
def unpadded_base32(hex)
  raise ArgumentError, 'adapter: the hex key is not hex pairs' unless /\A(?:[0-9a-fA-F]{2})*\z/.match?(hex)

  bits = [hex].pack('H*').unpack1('B*')
  bits += '0' * ((5 - bits.length % 5) % 5)
  bits.scan(/.{5}/).map { |b| BASE32_ALPHABET[b.to_i(2)] }.join
end

OtpLine.serve(
  make: lambda do |kind, alg, digits, period, t0, enc, key|
    secret = enc == 'hex' ? unpadded_base32(key) : key
    digest = alg.downcase
    if kind == 'totp'
      raise OtpLine::Unsupported, 't0 (rotp has no T0 option)' if t0 != 0

      ROTP::TOTP.new(secret, digits: digits, digest: digest, interval: period)
    else
      ROTP::HOTP.new(secret, digits: digits, digest: digest)
    end
  end,
  generate: ->(_kind, obj, value) { obj.at(value) },
  verify: lambda do |totp, time, window, code|
    if window && window > MAX_WINDOW
      raise OtpLine::Unsupported,
            "window #{window} (rotp builds the 2w+1 steps as an Array: above #{MAX_WINDOW} the process would run out of memory)"
    end

    result = if window.nil?
               totp.verify(code, at: time)
             else
               drift = window * totp.interval
               totp.verify(code, drift_behind: drift, drift_ahead: drift, at: time)
             end
    !result.nil?
  end,
  library: 'rotp'
)
