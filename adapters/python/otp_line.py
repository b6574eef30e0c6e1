"""otp-line/1 request loop shared by the Python adapters (see adapters/README.md).

An adapter module defines two or three functions and calls
`serve(make, generate, verify=verify, library="name")`:

    make(kind, algorithm, digits, period, t0, encoding, key) -> generator object
        kind is "totp" or "hotp"; period and t0 are None for hotp.
        Raise Unsupported("...") for a parameter the library's API cannot express.
    generate(kind, obj, value) -> str
        value is the Unix time in seconds (totp) or the counter (hotp), a Python int.
    verify(obj, time, window, code) -> bool   (optional)
        obj is make("totp", ...)'s object for the request's parameters; time is the Unix time in
        seconds (a Python int); window is the number of steps accepted on either side (an int
        >= 0) or None for `default` (call the library's verifier without a window argument);
        code is the candidate exactly as sent (a str decoded from the request's UTF-8 hex: it
        may hold spaces or non-ASCII digits on purpose, and must reach the library untouched).
        Return True (the library accepted it) or False (it refused it); an exception the library
        raises becomes `reject ...`, and Unsupported("...") a window the API cannot express.
        Without a verify function, `verify` requests are answered
        `unsupported verify (<library> has no verifier)`.

`mode reuse` caches make()'s result per (kind, algorithm, digits, period, t0, encoding, key);
a `verify` request shares the cache entry of the `totp` request with the same parameters.
`mode construct` (the default) calls make() for every request. A make() that raised is not cached.
Any exception becomes `reject <Type>: <message>`; Unsupported becomes `unsupported <message>`.
"""

import re
import sys

ALGORITHMS = ("SHA1", "SHA256", "SHA512")
ENCODINGS = ("hex", "base32")
WINDOW = re.compile(r"[0-9]+")
CODE_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")


class Unsupported(Exception):
    """The parameter cannot be expressed with the library's API."""


class Malformed(Exception):
    pass


def one_line(text):
    return " ".join(str(text).splitlines()).strip()


def describe(exc):
    message = one_line(exc)
    cls = type(exc)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    return f"{name}: {message}" if message else name


def parse(line):
    """Returns (kind, algorithm, digits, period, t0, encoding, key, value) or ('mode', m).

    For `verify`, value is (time, window, code): window an int or None (`default`), code a str.
    """
    head = line.split(" ", 1)[0]
    if head == "mode":
        parts = line.split(" ")
        if len(parts) != 2 or parts[1] not in ("reuse", "construct"):
            raise Malformed()
        return ("mode", parts[1])
    if head == "totp":
        n = 8
    elif head == "hotp":
        n = 6
    elif head == "verify":
        n = 10
    else:
        raise Malformed()
    parts = line.split(" ", n - 1)
    if len(parts) == n - 1:  # an empty key written without its separating space
        parts.append("")
    if len(parts) != n:
        raise Malformed()
    try:
        if head == "totp":
            _, alg, digits, period, t0, time, enc, key = parts
            digits, period, t0, value = int(digits), int(period), int(t0), int(time)
        elif head == "verify":
            _, alg, digits, period, t0, time, window, code_hex, enc, key = parts
            digits, period, t0, time = int(digits), int(period), int(t0), int(time)
            if window == "default":
                window = None
            elif WINDOW.fullmatch(window):
                window = int(window)
            else:
                raise Malformed()
            if not CODE_HEX.fullmatch(code_hex):
                raise Malformed()
            value = (time, window, bytes.fromhex(code_hex).decode("utf-8"))
        else:
            _, alg, digits, counter, enc, key = parts
            digits, value, period, t0 = int(digits), int(counter), None, None
            if not 0 <= value < 2**64:
                raise Malformed()
    except ValueError:  # UnicodeDecodeError (a code that is not UTF-8) included
        raise Malformed() from None
    if alg not in ALGORITHMS or enc not in ENCODINGS:
        raise Malformed()
    return (head, alg, digits, period, t0, enc, key, value)


def serve(make, generate, reuse_supported=True, verify=None, library="the library"):
    reuse = False
    cache = {}
    stdin = sys.stdin
    stdin.reconfigure(encoding="utf-8", errors="surrogateescape")
    sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")
    while True:
        line = stdin.readline()
        if not line:
            break
        if line.endswith("\n"):
            line = line[:-1]
            if line.endswith("\r"):
                line = line[:-1]
        try:
            req = parse(line)
            if req[0] == "mode":
                if req[1] == "reuse" and not reuse_supported:
                    answer = "unsupported no instance to reuse"
                else:
                    reuse = req[1] == "reuse"
                    answer = "ok"
            elif req[0] == "verify" and verify is None:
                answer = f"unsupported verify ({library} has no verifier)"
            else:
                kind, alg, digits, period, t0, enc, key, value = req
                params = ("totp" if kind == "verify" else kind, alg, digits, period, t0, enc, key)
                if reuse and params in cache:
                    obj = cache[params]
                else:
                    obj = make(*params)
                    if reuse:
                        cache[params] = obj
                if kind == "verify":
                    verdict = verify(obj, *value)
                    if verdict is True:
                        answer = "ok accept"
                    elif verdict is False:
                        answer = "ok refuse"
                    else:
                        raise TypeError(f"adapter: verify returned {verdict!r}, not a bool")
                else:
                    answer = "ok " + one_line(generate(kind, obj, value))
        except Malformed:
            answer = "reject malformed request"
        except Unsupported as exc:
            answer = "unsupported " + one_line(exc)
        except BaseException as exc:  # noqa: BLE001 - never die on a request
            if isinstance(exc, KeyboardInterrupt):
                raise
            answer = "reject " + describe(exc)
        sys.stdout.write(answer + "\n")
        sys.stdout.flush()
