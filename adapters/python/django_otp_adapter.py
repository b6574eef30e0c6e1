#!/usr/bin/env python3
"""otp-line/1 adapter for django-otp's OATH module, django_otp.oath (django-otp pinned 1.7.5 by
scripts/adapters.sh; it pulls Django, which django_otp.oath itself does not use).

Started as: target/peers/adapters/py/bin/python adapters/python/django_otp_adapter.py

- No Django settings are configured: importing django_otp.oath (the package's __init__ imports
  django.contrib.auth.signals and django.db) reads no setting, and the module computes with
  hashlib/hmac/struct only. The device models (TOTPDevice, HOTPDevice), which need a database,
  are not used.
- TOTP: django_otp.oath.TOTP(key, step=period, t0=t0, digits=digits), then `.time = time` (the
  documented way to compute at a given time: an int, Unix seconds) and `.token()`. The step is
  ((int(time) - t0) // step) + drift: Python FLOOR division (time -1 is step -1), and hotp()
  packs the counter with struct.pack(">Q"), which refuses a negative one (struct.error).
- HOTP: django_otp.oath.hotp(key, counter, digits=digits).
- SHA1 only: hotp() hard-codes hashlib.sha1 (and hs[19] as the offset byte): SHA256/SHA512 are
  `unsupported`.
- Keys: django-otp takes raw key bytes (its devices store them as hex). A `hex` key goes in as
  bytes.fromhex(key); `base32` keys are `unsupported` (django-otp has no Base32 decoder; it only
  ENCODES the key for the otpauth:// URL).
- The library returns the code as an INT (`bin_code % pow(10, digits)`), leaving its writing to
  the caller: the adapter writes it as a caller shows it to a user, zero-padded to `digits`
  (f"{token:0{digits}d}"). Printed as str(int) it would lose leading zeros ("81804" for
  081804), which says more about the int than about the code.
- verify: TOTP.verify(token, tolerance=window), or TOTP.verify(token) for `default` (its
  default tolerance=0: the current step only), after setting `.time`. TOTP.verify takes an int
  token (`:param int token:`) and compares `self.token() == token`, so a str candidate could
  never match. The candidate is therefore converted exactly as django-otp's own device verifier
  does before calling it (plugins/otp_totp/models.py, TOTPDevice.verify_token:
  `try: token = int(token) except Exception: verified = False`): int(candidate), and a candidate
  int() refuses is `ok refuse`. That int() is django-otp's leniency, reproduced here on
  purpose: it accepts surrounding white space, a sign, `_` between digits, a lost or extra
  leading zero and non-ASCII decimal digits (full-width "０８１８０４"). TOTPDevice's own
  defaults (tolerance=1, replay protection min_t=last_t+1, throttling) are device-model
  settings, not used. The window goes in as `tolerance` (steps on both sides, offsets
  -tolerance..+tolerance in order); steps before 0 raise struct.error (`reject`).
- TOTP.verify UPDATES the object's `drift` when it matched at an offset ("Iff this returns
  True, self.drift will be updated"): under `mode reuse` a later token() of the same object is
  shifted by that many steps (a living object; `mode construct` builds a new TOTP each time).
- `mode reuse` keeps one TOTP per parameter set; HOTP is a function (the cached "object" is
  just the key and digits).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django_otp.oath import TOTP, hotp  # noqa: E402

from otp_line import Unsupported, serve  # noqa: E402


def make(kind, alg, digits, period, t0, enc, key):
    if alg != "SHA1":
        raise Unsupported(f"{alg} (django_otp.oath is HMAC-SHA1 only)")
    if enc != "hex":
        raise Unsupported("base32 keys (django-otp takes raw key bytes; it has no Base32 decoder)")
    raw = bytes.fromhex(key)
    if kind == "totp":
        return TOTP(raw, step=period, t0=t0, digits=digits)
    return (raw, digits)


def generate(kind, obj, value):
    if kind == "totp":
        obj.time = value
        return f"{obj.token():0{obj.digits}d}"
    raw, digits = obj
    return f"{hotp(raw, value, digits=digits):0{digits}d}"


def verify(obj, time, window, code):
    try:
        token = int(code)  # what TOTPDevice.verify_token does before TOTP.verify
    except Exception:  # noqa: BLE001 - verify_token's own `except Exception`
        return False
    obj.time = time
    if window is None:
        return obj.verify(token)
    return obj.verify(token, tolerance=window)


if __name__ == "__main__":
    serve(make, generate, verify=verify, library="django-otp")
