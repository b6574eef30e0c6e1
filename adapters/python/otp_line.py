"""otp-line/1 request loop shared by the Python adapters (see adapters/README.md).

An adapter module defines two functions and calls `serve(make, generate)`:

    make(kind, algorithm, digits, period, t0, encoding, key) -> generator object
        kind is "totp" or "hotp"; period and t0 are None for hotp.
        Raise Unsupported("...") for a parameter the library's API cannot express.
    generate(kind, obj, value) -> str
        value is the Unix time in seconds (totp) or the counter (hotp), a Python int.

`mode reuse` caches make()'s result per (kind, algorithm, digits, period, t0, encoding, key);
`mode construct` (the default) calls make() for every request. A make() that raised is not cached.
Any exception becomes `reject <Type>: <message>`; Unsupported becomes `unsupported <message>`.
"""

import sys

ALGORITHMS = ("SHA1", "SHA256", "SHA512")
ENCODINGS = ("hex", "base32")


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
    """Returns (kind, algorithm, digits, period, t0, encoding, key, value) or ('mode', m)."""
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
        else:
            _, alg, digits, counter, enc, key = parts
            digits, value, period, t0 = int(digits), int(counter), None, None
            if not 0 <= value < 2**64:
                raise Malformed()
    except ValueError:
        raise Malformed() from None
    if alg not in ALGORITHMS or enc not in ENCODINGS:
        raise Malformed()
    return (head, alg, digits, period, t0, enc, key, value)


def serve(make, generate, reuse_supported=True):
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
            else:
                kind, alg, digits, period, t0, enc, key, value = req
                params = (kind, alg, digits, period, t0, enc, key)
                if reuse and params in cache:
                    obj = cache[params]
                else:
                    obj = make(*params)
                    if reuse:
                        cache[params] = obj
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
