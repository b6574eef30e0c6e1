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
// - verify: speakeasy.totp.verify({secret, encoding, token, time, step, epoch, digits,
//   algorithm, window}) (true/false), `window` omitted for `default`: speakeasy's default is
//   `parseInt(options.window, 10) || 0` (the current step only). totp.verifyDelta turns the
//   two-sided window into hotp.verifyDelta from counter - window over 2*window + 1 counters,
//   NOT clamped at 0: at step 0 the previous step is counter -1, which speakeasy's digest
//   writes as eight 0xff bytes (`tmp & 0xff`, `tmp >> 8`): counter 2^64-1.
//   The token: String(token) (a Number would do too), its .length must equal digits, then
//   token = parseInt(token, 10) and each generated code is parseInt'ed too and compared as
//   integers. So parseInt's leniency shows when the length is right: leading whitespace and a
//   sign are skipped and trailing garbage is ignored (" 81804", "+81804", "81804z" all
//   match "081804" at 6 digits); full-width digits are NaN (refused). The adapter passes
//   the candidate string untouched. No state: no replay protection.
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
  verify(options, time, window, code) {
    const request = { ...options, token: code, time: Number(time) };
    if (window !== null) request.window = window;
    return speakeasy.totp.verify(request);
  },
  library: "speakeasy",
});
