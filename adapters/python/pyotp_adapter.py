#!/usr/bin/env python3
"""otp-line/1 adapter for pyotp (pinned 2.12.0 by scripts/adapters.sh).

Started as: target/peers/adapters/py/bin/python adapters/python/pyotp_adapter.py

- pyotp takes Base32 text only. A `base32` key is passed exactly as given (pyotp itself adds the
  missing `=` padding and decodes with base64.b32decode(casefold=True), then refuses keys shorter
  than 112 bits). A `hex` key is CONVERTED by this adapter: bytes.fromhex, then
  base64.b32encode with the `=` padding stripped (unpadded Base32), then passed to pyotp.
- TOTP: pyotp.TOTP(b32, digits=d, digest=hashlib.<alg>, interval=period).at(time), time as a
  Python int in seconds. pyotp has no T0 option: t0 != 0 is answered `unsupported`.
  `at` refuses times before 0 and from year 10000 on (ValueError); the counter is
  int(int(time) / interval), a float division.
- HOTP: pyotp.HOTP(b32, digits=d, digest=hashlib.<alg>).at(counter).
- pyotp returns the code as a str (leading zeros kept).
- verify: pyotp.TOTP(...).verify(code, for_time=time, valid_window=window), or without
  valid_window for `default` (pyotp's default is valid_window=0: the current step only). The
  candidate str is passed untouched. What pyotp does with it (pyotp 2.12 TOTP.verify):
  str(otp), then utils.strings_equal, which applies unicodedata.normalize("NFKC", ...) to both
  sides before compare_digest, so full-width digits "０８１８０４" are ACCEPTED as "081804";
  no trimming (" 081804" is refused), no int() (a leading zero matters). With a window it
  generates the codes of timecode-window .. timecode+window in order, and generate_otp refuses a
  negative counter (ValueError "input must be positive integer"): a window reaching before
  step 0 makes the whole verify raise, even when the code is that of a later step.
  Replays are not refused (the object keeps no state).
- `mode reuse` keeps one TOTP/HOTP object per parameter set (the object holds no time); a verify
  uses the TOTP object of the same parameters.
"""

import base64
import hashlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pyotp  # noqa: E402

from otp_line import Unsupported, serve  # noqa: E402

DIGESTS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}


def make(kind, alg, digits, period, t0, enc, key):
    if enc == "hex":
        secret = base64.b32encode(bytes.fromhex(key)).decode("ascii").rstrip("=")
    else:
        secret = key
    if kind == "totp":
        if t0 != 0:
            raise Unsupported("t0 (pyotp has no T0 option)")
        return pyotp.TOTP(secret, digits=digits, digest=DIGESTS[alg], interval=period)
    return pyotp.HOTP(secret, digits=digits, digest=DIGESTS[alg])


def generate(kind, obj, value):
    return obj.at(value)


def verify(obj, time, window, code):
    if window is None:
        return obj.verify(code, for_time=time)
    return obj.verify(code, for_time=time, valid_window=window)


if __name__ == "__main__":
    serve(make, generate, verify=verify, library="pyotp")
