"""The client checks' harness: `@check("what")` registers a check, `run("client")` runs them
all, prints "<client>: ok/FAIL <what>" for each and "<client>: N passed, M failed", and exits
non-zero on any failure."""
import sys
import traceback

_checks = []


def check(name):
    def wrap(f):
        _checks.append((name, f))
        return f
    return wrap


def run(client):
    passed = failed = 0
    for name, f in _checks:
        try:
            f()
            passed += 1
            print(f"{client}: ok    {name}")
        except Exception:
            failed += 1
            print(f"{client}: FAIL  {name}\n{traceback.format_exc()}")
    print(f"{client}: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
