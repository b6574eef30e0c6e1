// The phone for these tests: what an authenticator app would show. Two ways, both real:
// reading the QR code the page shows (decoded from its image, as a phone's camera does,
// then `mfaspec code` for the code), and mfaspec serve's /_mfaspec/phone route (a code the
// endpoint accepts now and never accepted: no waiting for a 30-second step, no replay).
import { execFileSync } from 'node:child_process';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The otpauth:// URI of the QR code in `img` (a data: URL image). */
export async function readQr(img) {
  const src = await img.getAttribute('src');
  if (!src?.startsWith('data:image/png;base64,')) {
    throw new Error(`the QR code is not a PNG data URL: ${String(src).slice(0, 30)}`);
  }
  const png = PNG.sync.read(Buffer.from(src.slice('data:image/png;base64,'.length), 'base64'));
  const qr = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!qr) throw new Error('the QR code on the page could not be decoded');
  return qr.data;
}

/** The current code of an otpauth:// URI, from `mfaspec code` (the URI on stdin, never argv). */
export function codeOf(uri) {
  return execFileSync(process.env.MFASPEC, ['code', '-'], { input: uri }).toString().trim();
}

/** A code for `username` that mfaspec serve accepts now and never accepted. */
export async function phoneCode(username) {
  const url = `${process.env.SERVE_URL}/_mfaspec/phone?pool_id=${process.env.POOL_ID}&username=${username}`;
  const answer = await fetch(url);
  const body = await answer.json();
  if (!answer.ok) throw new Error(`the phone route answered ${answer.status}: ${body.message}`);
  return body.code;
}

/** A code that is not `code` (each digit moved by one). */
export function wrongCode(code) {
  return [...code].map((d) => String((Number(d) + 1) % 10)).join('');
}
