// otp-line/1 adapter for otplib v12 (npm otplib 12.0.1, installed under the alias `otplib12`
// — `otplib12@npm:otplib@12.0.1` — so that it sits beside otplib v13; pinned by
// scripts/adapters.sh). Started as: node target/peers/adapters/node/otplib12.mjs
//
// Uses the preset objects `totp`, `hotp`, `authenticator` of otplib 12 (@otplib/preset-default:
// node crypto digests, thirty-two Base32), each `.clone({...})`d per parameter set:
// - totp + hex key:    totp.clone({encoding: "hex", algorithm, digits, step}).generate(hexKey)
//   (the TOTP class takes the key as a string in `encoding`; its default is "ascii").
// - totp + base32 key: authenticator.clone({algorithm, digits, step}).generate(base32Key)
//   (authenticator decodes the Base32 text with its keyDecoder, thirty-two, into hex).
// - hotp + hex key:    hotp.clone({encoding: "hex", algorithm, digits}).generate(hexKey, counter)
// - hotp + base32 key: v12's hotp has no Base32 input, so the key goes through the library's own
//   decoder first: authenticator.decode(base32Key) (→ hex), then hotp with encoding "hex".
// - Time: v12's `epoch` option is the CURRENT time in MILLISECONDS: epoch = time * 1000 (a
//   Number), set per request with `instance.options = {epoch}`. There is no T0 option:
//   t0 != 0 is answered `unsupported`. step 0 / negative times are passed through as they are.
// - Counter: a JS Number; counters above Number.MAX_SAFE_INTEGER cannot be passed exactly and are
//   answered `unsupported`.
// - Note: v12's TOTP/authenticator (not HOTP) pad a short key by repeating it up to the digest's
//   block-ish size (20/32/64 "bytes") — compared against the key STRING's length (hex chars).
// - verify: `instance.check(code, secret)` (TOTP.check / Authenticator.check: typeof
//   checkDelta(...) === "number") with `options.window` = the window in steps, set per request
//   beside epoch (ms) after `instance.resetOptions()` (so that a `default` request does not
//   inherit an earlier request's window on a reused instance); `default` sets no window: v12's
//   default is window 0 (the current step only). The token is the candidate string untouched;
//   v12 returns false (no throw) unless /^(\d+)$/ matches it (ASCII digits), then compares with
//   `===` against the generated code: no trimming, no parseInt, the length must match.
//   The window's past epochs are epoch - i*step*1000 and are not clamped: at step 0 the
//   previous step is counter -1, which hotpCounter writes as the hex string "-1" padded to
//   "00000000000000-1" (Buffer.from(..., "hex") stops at the "-": a 7-byte counter).
//   v12 keeps no state between checks: no replay protection.
// - `mode reuse` keeps one cloned instance per parameter set (the time is set on it per request).
// The code is returned as a string.
import otplib12 from "otplib12";
import { serve, Unsupported } from "./otp_line.mjs";

const { totp, hotp, authenticator } = otplib12;

serve({
  make(kind, algorithm, digits, period, t0, encoding, key) {
    const common = { algorithm: algorithm.toLowerCase(), digits };
    if (kind === "totp") {
      if (t0 !== 0) throw new Unsupported("t0 (otplib v12 has no T0 option)");
      if (encoding === "hex") return { instance: totp.clone({ ...common, encoding: "hex", step: period }), secret: key };
      return { instance: authenticator.clone({ ...common, step: period }), secret: key };
    }
    const secret = encoding === "hex" ? key : authenticator.decode(key);
    return { instance: hotp.clone({ ...common, encoding: "hex" }), secret };
  },
  generate(kind, obj, value) {
    const n = Number(value);
    if (kind === "totp") {
      obj.instance.options = { epoch: n * 1000 };
      return obj.instance.generate(obj.secret);
    }
    if (!Number.isSafeInteger(n)) throw new Unsupported("counter above 2^53-1 (otplib v12 takes a JS Number)");
    return obj.instance.generate(obj.secret, n);
  },
  verify(obj, time, window, code) {
    obj.instance.resetOptions();
    obj.instance.options = window === null ? { epoch: Number(time) * 1000 } : { epoch: Number(time) * 1000, window };
    return obj.instance.check(code, obj.secret);
  },
  library: "otplib v12",
});
