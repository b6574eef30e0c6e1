// otp-line/1 request loop shared by the Node adapters (see adapters/README.md).
//
// An adapter calls serve({ make, generate, verify, reuse, library }):
//   make(kind, algorithm, digits, period, t0, encoding, key) -> generator object
//     kind is "totp" or "hotp"; period and t0 are null for hotp; digits, period, t0 are Numbers.
//     Throw new Unsupported("...") for a parameter the library's API cannot express.
//   generate(kind, obj, value) -> string (or a Promise of one)
//     value is a BigInt: the Unix time in seconds (totp) or the counter (hotp); the adapter
//     converts it to what the library takes (and says so in its header).
//   verify(obj, time, window, code) -> boolean (or a Promise of one); optional
//     obj is make("totp", ...)'s object for the request's parameters; time is a BigInt (Unix
//     seconds, converted by the adapter as for generate); window is a Number >= 0 (steps accepted
//     on either side) or null for `default` (call the library's verifier without a window);
//     code is the candidate string exactly as sent (decoded from the request's UTF-8 hex: it may
//     hold spaces or non-ASCII digits on purpose and must reach the library untouched).
//     true -> `ok accept`, false -> `ok refuse`; a throw -> `reject ...` (Unsupported: a window
//     the API cannot express). Without verify, `verify` requests are answered
//     `unsupported verify (<library> has no verifier)`.
//   reuse: false for a library with only a functional API (`mode reuse` is then answered
//     `unsupported no instance to reuse`).
//   library: the library's name, for that message.
// `mode reuse` caches make()'s result per parameter set (a `verify` request shares the entry of
// the `totp` request with the same parameters); `mode construct` (the default) calls make() for
// every request. Requests are answered strictly in order, one line each.
import { createInterface } from "node:readline";

export class Unsupported extends Error {}
class Malformed extends Error {}

const ALGORITHMS = new Set(["SHA1", "SHA256", "SHA512"]);
const ENCODINGS = new Set(["hex", "base32"]);
const INTEGER = /^-?[0-9]+$/;
const WINDOW = /^[0-9]+$/;
const CODE_HEX = /^(?:[0-9a-fA-F]{2})*$/;
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export const oneLine = (text) => String(text).split(/\r?\n|\r/).join(" ").trim();

function describe(e) {
  if (e instanceof Error) {
    const message = oneLine(e.message);
    return message ? `${e.name}: ${message}` : e.name;
  }
  return `thrown ${typeof e}: ${oneLine(e)}`;
}

function int(text) {
  if (!INTEGER.test(text)) throw new Malformed();
  return BigInt(text);
}

// The candidate of a verify request: its UTF-8 bytes as hex -> a string (not UTF-8: malformed).
function candidate(hex) {
  if (!CODE_HEX.test(hex)) throw new Malformed();
  try {
    return UTF8.decode(Buffer.from(hex, "hex"));
  } catch {
    throw new Malformed();
  }
}

function parse(line) {
  const head = line.split(" ", 1)[0];
  if (head === "mode") {
    const parts = line.split(" ");
    if (parts.length !== 2 || !["reuse", "construct"].includes(parts[1])) throw new Malformed();
    return { mode: parts[1] };
  }
  let n;
  if (head === "totp") n = 8;
  else if (head === "hotp") n = 6;
  else if (head === "verify") n = 10;
  else throw new Malformed();
  const parts = [];
  let rest = line;
  for (let i = 0; i < n - 1; i++) {
    const at = rest.indexOf(" ");
    if (at < 0) {
      parts.push(rest);
      rest = null;
      break;
    }
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  if (rest !== null) parts.push(rest);
  else if (parts.length === n - 1) parts.push(""); // an empty key written without its space
  if (parts.length !== n) throw new Malformed();
  let req;
  if (head === "totp") {
    const [, algorithm, digits, period, t0, time, encoding, key] = parts;
    req = {
      kind: "totp", algorithm, digits: Number(int(digits)), period: Number(int(period)),
      t0: Number(int(t0)), encoding, key, value: int(time),
    };
  } else if (head === "verify") {
    const [, algorithm, digits, period, t0, time, window, codeHex, encoding, key] = parts;
    if (window !== "default" && !WINDOW.test(window)) throw new Malformed();
    req = {
      kind: "verify", algorithm, digits: Number(int(digits)), period: Number(int(period)),
      t0: Number(int(t0)), encoding, key, value: int(time),
      window: window === "default" ? null : Number(window), code: candidate(codeHex),
    };
  } else {
    const [, algorithm, digits, counter, encoding, key] = parts;
    req = {
      kind: "hotp", algorithm, digits: Number(int(digits)), period: null, t0: null,
      encoding, key, value: int(counter),
    };
    if (req.value < 0n || req.value >= 2n ** 64n) throw new Malformed();
  }
  if (!ALGORITHMS.has(req.algorithm) || !ENCODINGS.has(req.encoding)) throw new Malformed();
  return req;
}

export async function serve({ make, generate, verify, reuse: reuseSupported = true, library = "the library" }) {
  let reuse = false;
  const cache = new Map();
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    let answer;
    try {
      const req = parse(line);
      if (req.mode) {
        if (req.mode === "reuse" && !reuseSupported) {
          answer = "unsupported no instance to reuse";
        } else {
          reuse = req.mode === "reuse";
          answer = "ok";
        }
      } else if (req.kind === "verify" && !verify) {
        answer = `unsupported verify (${library} has no verifier)`;
      } else {
        const kind = req.kind === "verify" ? "totp" : req.kind;
        const params = [kind, req.algorithm, req.digits, req.period, req.t0, req.encoding, req.key];
        const id = JSON.stringify(params);
        let obj;
        if (reuse && cache.has(id)) {
          obj = cache.get(id);
        } else {
          obj = make(...params);
          if (reuse) cache.set(id, obj);
        }
        if (req.kind === "verify") {
          if (req.window !== null && !Number.isSafeInteger(req.window)) {
            throw new Unsupported("window above 2^53-1 (a JS Number)");
          }
          const verdict = await verify(obj, req.value, req.window, req.code);
          if (verdict === true) answer = "ok accept";
          else if (verdict === false) answer = "ok refuse";
          else throw new TypeError(`adapter: verify returned ${String(verdict)}, not a boolean`);
        } else {
          answer = "ok " + oneLine(await generate(req.kind, obj, req.value));
        }
      }
    } catch (e) {
      if (e instanceof Malformed) answer = "reject malformed request";
      else if (e instanceof Unsupported) answer = "unsupported " + oneLine(e.message);
      else answer = "reject " + describe(e);
    }
    process.stdout.write(answer + "\n");
  }
}
