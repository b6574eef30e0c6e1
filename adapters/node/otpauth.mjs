// otp-line/1 adapter for otpauth 9.5.2 (npm, pinned by scripts/adapters.sh).
// Started as: node target/peers/adapters/node/otpauth.mjs
//
// - TOTP: new OTPAuth.TOTP({secret, algorithm, digits, period}).generate({timestamp}) with
//   timestamp in MILLISECONDS (= time * 1000, a Number). otpauth has no T0 option: t0 != 0 is
//   answered `unsupported`.
// - HOTP: new OTPAuth.HOTP({secret, algorithm, digits}).generate({counter}).
// - Keys: OTPAuth.Secret.fromHex(key) for `hex` (raw bytes), OTPAuth.Secret.fromBase32(key) for
//   `base32` (the text as given; otpauth's decoder removes spaces, uppercases, drops `=`).
// - algorithm: "SHA1" | "SHA256" | "SHA512" as given.
// - Counter: a JS Number; counters above Number.MAX_SAFE_INTEGER cannot be passed exactly and are
//   answered `unsupported`.
// - `mode reuse` keeps one TOTP/HOTP object per parameter set (generate({counter}) with an
//   explicit counter does not touch the object's own counter).
// The code is returned as a string.
// - verify: totp.validate({token, timestamp, window}) (timestamp = time * 1000 ms), which returns
//   the matching delta or null: accept when it is a number. `default` passes no window:
//   otpauth's default is window 1 (HOTP.defaults.window: the previous and the next step are
//   accepted too). It checks counter, then counter-1, counter+1, ..., unclamped: at step 0 the
//   previous step is counter -1, which otpauth encodes as 2^64-1 (as for negative times).
//   The token is the candidate string untouched: `token.length !== digits` -> null (refused),
//   then crypto.timingSafeEqual(Buffer.from(token), Buffer.from(generated)), which THROWS
//   (RangeError, answered `reject`) when the UTF-8 byte lengths differ although the string
//   lengths match (full-width digits: 6 chars, 18 bytes). No trimming, no parseInt; a Number
//   token would have no .length and be refused. The object keeps no state: no replay protection.
import * as OTPAuth from "otpauth";
import { serve, Unsupported } from "./otp_line.mjs";

serve({
  make(kind, algorithm, digits, period, t0, encoding, key) {
    const secret = encoding === "hex" ? OTPAuth.Secret.fromHex(key) : OTPAuth.Secret.fromBase32(key);
    if (kind === "totp") {
      if (t0 !== 0) throw new Unsupported("t0 (otpauth has no T0 option)");
      return new OTPAuth.TOTP({ secret, algorithm, digits, period });
    }
    return new OTPAuth.HOTP({ secret, algorithm, digits });
  },
  generate(kind, obj, value) {
    const n = Number(value);
    if (kind === "totp") return obj.generate({ timestamp: n * 1000 });
    if (!Number.isSafeInteger(n)) throw new Unsupported("counter above 2^53-1 (otpauth takes a JS Number)");
    return obj.generate({ counter: n });
  },
  verify(obj, time, window, code) {
    const options = { token: code, timestamp: Number(time) * 1000 };
    if (window !== null) options.window = window;
    return obj.validate(options) !== null;
  },
  library: "otpauth",
});
