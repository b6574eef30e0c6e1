// otp-line/1 adapter for speakeasy 2.0.0 (npm, pinned by scripts/adapters.sh).
// Started as: node target/peers/adapters/node/speakeasy.mjs
//
// - Functional API only: speakeasy.totp({secret, encoding, time, step, epoch, digits, algorithm})
//   and speakeasy.hotp({secret, encoding, counter, digits, algorithm}). There is no object to
//   keep, so `mode reuse` is answered `unsupported no instance to reuse`.
// - Keys: `encoding: "hex"` (raw bytes, decoded by Node's Buffer) or `encoding: "base32"`
//   (the text as given, decoded by the base32.js package speakeasy uses).
// - Time: `time` and `epoch` (= T0) are in SECONDS (Numbers); speakeasy multiplies by 1000 itself.
// - algorithm: "sha1" | "sha256" | "sha512" (lower case).
// - Counter: a JS Number; counters above Number.MAX_SAFE_INTEGER cannot be passed exactly and are
//   answered `unsupported`.
// - speakeasy silently replaces digits 0 and step 0 by its defaults (6, 30): `|| 6`, `|| 30`.
// The code is returned as a string.
import speakeasy from "speakeasy";
import { serve, Unsupported } from "./otp_line.mjs";

serve({
  reuse: false,
  make(kind, algorithm, digits, period, t0, encoding, key) {
    const options = { secret: key, encoding, digits, algorithm: algorithm.toLowerCase() };
    return kind === "totp" ? { ...options, step: period, epoch: t0 } : options;
  },
  generate(kind, options, value) {
    const n = Number(value);
    if (kind === "totp") return speakeasy.totp({ ...options, time: n });
    if (!Number.isSafeInteger(n)) throw new Unsupported("counter above 2^53-1 (speakeasy takes a JS Number)");
    return speakeasy.hotp({ ...options, counter: n });
  },
});
