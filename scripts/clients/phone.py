"""The phone the client checks use: RFC 6238 codes (SHA-1, 6 digits, 30 s) from a Base32
secret, and a time at least a few seconds from a step's end, so that a code handed out is
still current when the endpoint checks it."""
import base64, hashlib, hmac, struct, time


def totp(secret, t):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    h = hmac.new(key, struct.pack(">Q", int(t) // 30), hashlib.sha1).digest()
    o = h[-1] & 15
    return "%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


def safe_now(margin=3):
    """Now, once it is at least `margin` seconds before the end of the current step."""
    while time.time() % 30 > 30 - margin:
        time.sleep(0.5)
    return time.time()
