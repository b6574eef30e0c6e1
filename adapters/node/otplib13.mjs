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
//   Number.MAX_SAFE_INTEGER. The code is returned as a string.
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
    return kind === "totp" ? new TOTP({ ...options, period, t0 }) : new HOTP(options);
  },
  generate(kind, obj, value) {
    if (kind === "totp") return obj.generate({ epoch: Number(value) });
    const n = Number(value);
    return obj.generate(Number.isSafeInteger(n) ? n : value);
  },
});
