#!/usr/bin/env python3
"""otp-line/1 adapter for pyca/cryptography's twofactor HOTP/TOTP (pinned 50.0.2 by
scripts/adapters.sh).

Started as: target/peers/adapters/py/bin/python adapters/python/cryptography_adapter.py

- Keys are raw bytes (`hex`: bytes.fromhex). cryptography has no Base32 decoder, so `base32`
  keys are answered `unsupported`: decoding them with Python's base64 module would test the
  standard library, not cryptography.
- The library's defaults are used: enforce_key_length=True (keys shorter than 16 bytes are
  refused with ValueError) and lengths 6..8 only.
- TOTP: TOTP(key, digits, hashes.<alg>(), period).generate(time), time as a Python int in seconds
  (the counter is int(time / time_step): truncation toward zero). No T0 option: t0 != 0 is
  answered `unsupported`.
- HOTP: HOTP(key, digits, hashes.<alg>()).generate(counter).
- generate() returns BYTES (b"94287082"); the adapter prints them decoded as ASCII.
- verify: TOTP(...).verify(candidate, time), which returns None or raises
  cryptography.hazmat.primitives.twofactor.InvalidToken (answered `ok refuse`; any other
  exception is a `reject`). verify takes BYTES: the adapter passes the candidate's UTF-8 encoding
  (exactly the bytes of the request's code-hex), nothing trimmed or normalised. The library
  compares generate(time) with them by constant_time.bytes_eq: byte for byte, so a leading
  space, a lost leading zero or full-width digits are refused. It checks only the exact time
  step and has no window argument: windows 0 and `default` call it, a window >= 1 is
  answered `unsupported`. Replays are not refused (the object keeps no state).
- `mode reuse` keeps one TOTP/HOTP object per parameter set; a verify uses the TOTP object of
  the same parameters.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.twofactor import InvalidToken  # noqa: E402
from cryptography.hazmat.primitives.twofactor.hotp import HOTP  # noqa: E402
from cryptography.hazmat.primitives.twofactor.totp import TOTP  # noqa: E402

from otp_line import Unsupported, serve  # noqa: E402

ALGORITHMS = {"SHA1": hashes.SHA1, "SHA256": hashes.SHA256, "SHA512": hashes.SHA512}


def make(kind, alg, digits, period, t0, enc, key):
    if enc != "hex":
        raise Unsupported("Base32 keys (cryptography takes raw bytes and has no Base32 decoder)")
    raw = bytes.fromhex(key)
    if kind == "totp":
        if t0 != 0:
            raise Unsupported("t0 (cryptography's TOTP has no T0 option)")
        return TOTP(raw, digits, ALGORITHMS[alg](), period)
    return HOTP(raw, digits, ALGORITHMS[alg]())


def generate(kind, obj, value):
    return obj.generate(value).decode("ascii")


def verify(obj, time, window, code):
    if window not in (None, 0):
        raise Unsupported("window >= 1 (cryptography's TOTP.verify checks only the exact time step)")
    try:
        obj.verify(code.encode("utf-8"), time)
    except InvalidToken:
        return False
    return True


if __name__ == "__main__":
    serve(make, generate, verify=verify, library="cryptography")
