// otp-line/1 adapter for otplib v13 (npm otplib 13.5.0, pinned by scripts/adapters.sh).
// Started as: node target/peers/adapters/node/otplib13.mjs (install copies this file there so
// that `otplib` resolves from target/peers/adapters/node/node_modules).
//
// - v13 needs no extra plugin package: `otplib` depends on and defaults to
//   @otplib/plugin-crypto-noble (HMAC via @noble/hashes) and @otplib/plugin-base32-scure.
//   This adapter passes exactly those defaults (new NobleCryptoPlugin(), new ScureBase32Plugin()).
// - API: the class API of otplib v13 in both modes: `new TOTP({secret, algorithm, digits,
//   period, t0, crypto, base32}).generate({epoch})` and
//   `new HOTP({secret, algorithm, digits, crypto, base32}).generate(counter)`; `mode construct`
//   builds a new object per request, `mode reuse` keeps one per parameter set.
//   (The functional `generate()` the README recommends calls the same @otplib/totp and
//   @otplib/hotp generate functions with the same defaults.)
// - Keys: `hex` → raw bytes as a Uint8Array (the library takes raw bytes); `base32` → the text as
//   given, decoded by the library's scure plugin (it uppercases and pads, nothing else).
// - Time: `epoch` is in SECONDS (a Number); t0 is supported (`t0`, seconds).
// - Counter: passed as a Number when it is a safe integer, else as a BigInt (the typings say
//   number; the runtime's validateCounter/counterToBytes accept a bigint).
// - Default guardrails are kept: secrets of 16..64 bytes, period 1..3600, counter <=
//   Number.MAX_SAFE_INTEGER, MAX_WINDOW 99. The code is returned as a string.
// - verify: the class's `totp.verify(code, {epoch, epochTolerance})` (async; it calls
//   @otplib/totp's functional verify, the same code as verifySync) and `.valid` of its result.
//   v13's tolerance is `epochTolerance` in SECONDS, not steps: a window of w steps is passed as
//   epochTolerance = w * period (checks [epoch - w*period, epoch + w*period], i.e. exactly the
//   counters current-w .. current+w; counters below 0 are skipped: minCounter = max(0, ...)).
//   `default` passes no epochTolerance: v13's default is 0 (the current step only). The
//   tolerance guardrail refuses 2*w*period > (MAX_WINDOW - 1) * period, i.e. windows above 49.
//   The token is the candidate string untouched; v13 first runs validateToken(token, digits):
//   token.length must equal digits and /^\d+$/ must match (ASCII digits: no `u` flag), else it
//   THROWS (TokenLengthError / TokenFormatError: answered `reject`), so " 081804", "81804"
//   and full-width digits are rejected, not refused; then constantTimeEqual of the strings.
//   No replay protection unless `afterTimeStep` is passed (it is not).
import { TOTP, HOTP, NobleCryptoPlugin, ScureBase32Plugin } from "otplib";
import { serve } from "./otp_line.mjs";

const crypto = new NobleCryptoPlugin();
const base32 = new ScureBase32Plugin();

function secretOf(encoding, key) {
  if (encoding === "hex") {
    if (!/^([0-9a-fA-F]{2})*$/.test(key)) throw new Error("adapter: bad hex key");
    return Uint8Array.from(Buffer.from(key, "hex"));
  }
  return key;
}

serve({
  make(kind, algorithm, digits, period, t0, encoding, key) {
    const options = { secret: secretOf(encoding, key), algorithm: algorithm.toLowerCase(), digits, crypto, base32 };
    return kind === "totp" ? { instance: new TOTP({ ...options, period, t0 }), period } : { instance: new HOTP(options) };
  },
  generate(kind, obj, value) {
    if (kind === "totp") return obj.instance.generate({ epoch: Number(value) });
    const n = Number(value);
    return obj.instance.generate(Number.isSafeInteger(n) ? n : value);
  },
  async verify(obj, time, window, code) {
    const options = { epoch: Number(time) };
    if (window !== null) options.epochTolerance = window * obj.period;
    const result = await obj.instance.verify(code, options);
    return result.valid;
  },
  library: "otplib v13",
});
