import base64, hashlib, hmac, struct, sys

ALGORITHMS = {"SHA1": hashlib.sha1, "SHA256": hashlib.sha256, "SHA512": hashlib.sha512}

def code(key, counter, digits, alg):
    if not 6 <= digits <= 10: raise ValueError(f"{digits} digits")
    mac = hmac.new(key, struct.pack(">Q", counter), ALGORITHMS[alg]).digest()
    snum = int.from_bytes(mac[mac[-1] & 15:][:4], "big") & 0x7FFFFFFF
    return str(snum % 10 ** digits).zfill(digits)

for line in sys.stdin:  # one request per line, one answer per line (adapters/README.md)
    if line.startswith("verify "): print("unsupported verify (example has no verifier)", flush=True); continue
    try:
        kind, alg, digits, *rest = line.rstrip("\n").split(" ", 7 if line.startswith("totp") else 5)
        *params, encoding, key = rest
        key = bytes.fromhex(key) if encoding == "hex" else base64.b32decode(key + "=" * (-len(key) % 8))
        counter = int(params[0]) if kind == "hotp" else (int(params[2]) - int(params[1])) // int(params[0])
        answer = "ok " + code(key, counter, int(digits), alg)
    except Exception as e: answer = f"reject {type(e).__name__}: {e}"
    print(answer, flush=True)
