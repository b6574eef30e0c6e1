/* otp-line/1 adapter for liboath, the OATH Toolkit's library (Debian's liboath-dev / liboath0
 * 2.6.7-3.1+deb12u1 on Debian 12; oathtool, which has its own adapter, is built on it), built by
 * `scripts/adapters.sh install`:
 *
 *   gcc -O2 -Wall -Wextra -o target/peers/adapters/c/liboath adapters/c/liboath.c \
 *       adapters/c/otp_line.c $(pkg-config --cflags --libs liboath)
 *
 * Started as: target/peers/adapters/c/liboath
 *
 *   - oath_init() once at start (the documented first call), oath_done() at the end.
 *   - TOTP: oath_totp_generate2(secret, secret_length, (time_t)time, (unsigned)period,
 *     (time_t)t0, (unsigned)digits, flags, buf) with flags 0 (HMAC-SHA1),
 *     OATH_TOTP_HMAC_SHA256 or OATH_TOTP_HMAC_SHA512. Times in seconds (time_t, 64-bit). liboath
 *     itself replaces a period of 0 by 30 (OATH_TOTP_DEFAULT_TIME_STEP_SIZE), computes the
 *     counter as (now - start_offset) / time_step_size in signed time_t arithmetic (truncation
 *     toward zero) stored into a uint64_t (time -31 is counter 2^64-1), and accepts digits 6..8
 *     only (OATH_INVALID_DIGITS). A negative period or digits, or one beyond an unsigned int,
 *     cannot be put in its `unsigned` parameters: `unsupported`.
 *   - HOTP: oath_hotp_generate(secret, secret_length, counter (uint64_t), (unsigned)digits,
 *     false, OATH_HOTP_DYNAMIC_TRUNCATION, buf). It has no algorithm parameter (HMAC-SHA1 only;
 *     the flags-taking _oath_hotp_generate2 is internal): SHA256/SHA512 HOTP is `unsupported`.
 *   - Keys: liboath takes raw key bytes (secret, secret_length). A `hex` key goes in as its raw
 *     bytes (decoded by this adapter; liboath's oath_hex2bin is not used, so that the hex cases
 *     test nothing but the raw key). A `base32` key goes through the library's own
 *     oath_base32_decode(key, strlen-as-sent, &out, &outlen) exactly as given (it drops spaces,
 *     uppercases, adds missing `=` padding, then gnulib's base32_decode_alloc), and the decoded
 *     bytes are passed on.
 *   - A library error is `reject <function>: <oath_strerror_name>: <oath_strerror>`.
 *   - VERIFY: oath_totp_validate4(secret, secret_length, (time_t)time, (unsigned)period,
 *     (time_t)t0, (size_t)window, &otp_pos, &otp_counter, flags, candidate) — the library's own
 *     validator. It returns the absolute position in the window (>= 0: `ok accept`),
 *     OATH_INVALID_OTP (`ok refuse`) or another error (`reject ...`). It has NO digits
 *     parameter: liboath uses strlen(candidate) as the number of digits (so the request's
 *     digits field is not passed; a candidate of 6 characters is checked as a 6-digit code even
 *     when the request says 8, and a length outside 6..8 is OATH_INVALID_DIGITS). The candidate
 *     goes in untouched as a C string (one holding a NUL byte is `unsupported`) and is compared
 *     with strcmp. The window is liboath's `window` (size_t): it tries the current step, then
 *     +1, -1, +2, -2, ... up to window steps on either side, with the step counter in uint64_t
 *     (at step 0 the previous step is counter 2^64-1). A window beyond 2^64-1: `unsupported`.
 *     `default`: every liboath validate function takes a window and oath.h defines no default
 *     window (it does define OATH_TOTP_DEFAULT_TIME_STEP_SIZE and OATH_TOTP_DEFAULT_START_TIME),
 *     so there is no window-less call to make: `unsupported default window`. (oathtool's `-w`
 *     defaults to 0; pam_oath's window= to 5: those are the applications' choices, not the
 *     library's.)
 *   - Functional API only: `mode reuse` is answered `unsupported no instance to reuse`.
 *   - The code is liboath's NUL-terminated output buffer.
 */
#define _GNU_SOURCE
#include <liboath/oath.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "otp_line.h"

static char *oath_error(const char *function, int rc) {
  const char *name = oath_strerror_name(rc);
  const char *message = oath_strerror(rc);
  return otp_answer("reject %s: %s: %s", function, name ? name : "?", message ? message : "?");
}

static int flags_of(enum otp_algorithm a) {
  switch (a) {
    case OTP_SHA1: return 0;
    case OTP_SHA256: return OATH_TOTP_HMAC_SHA256;
    case OTP_SHA512: return OATH_TOTP_HMAC_SHA512;
  }
  return 0;
}

static bool fits_unsigned(struct otp_int v) { return !v.big && v.v >= 0 && (uint64_t)v.v <= UINT_MAX; }

/* The raw key (malloc'ed, *len bytes), or NULL with *answer set. */
static char *secret_of(const struct otp_request *req, size_t *len, char **answer) {
  if (req->encoding == OTP_HEX) {
    unsigned char *raw;
    if (!otp_hex_decode(req->key, req->key_len, &raw, len)) {
      *answer = otp_answer("reject adapter: bad hex key");
      return NULL;
    }
    return (char *)raw;
  }
  char *out = NULL;
  size_t out_len = 0;
  int rc = oath_base32_decode(req->key, req->key_len, &out, &out_len);
  if (rc != OATH_OK) {
    *answer = oath_error("oath_base32_decode", rc);
    return NULL;
  }
  *len = out_len;
  return out;
}

static char *handle(const struct otp_request *req) {
  char *answer = NULL;
  char otp[64];
  size_t secret_len = 0;
  char *secret;
  int rc;

  if (req->kind == OTP_HOTP) {
    if (req->algorithm != OTP_SHA1)
      return otp_answer("unsupported HOTP with %s (oath_hotp_generate is HMAC-SHA1 only)",
                        req->algorithm_name);
    if (!fits_unsigned(req->digits))
      return otp_answer("unsupported digits outside an unsigned int (liboath's digits is unsigned)");
    secret = secret_of(req, &secret_len, &answer);
    if (secret == NULL) return answer;
    memset(otp, 0, sizeof otp);
    rc = oath_hotp_generate(secret, secret_len, req->counter, (unsigned)req->digits.v, false,
                            OATH_HOTP_DYNAMIC_TRUNCATION, otp);
    free(secret);
    if (rc != OATH_OK) return oath_error("oath_hotp_generate", rc);
    return otp_answer("ok %s", otp);
  }

  /* totp, verify */
  if (!fits_unsigned(req->period))
    return otp_answer("unsupported period outside an unsigned int (liboath's time_step_size is unsigned)");
  if (req->t0.big) return otp_answer("unsupported t0 beyond a time_t");
  if (req->time.big) return otp_answer("unsupported time beyond a time_t");
  int flags = flags_of(req->algorithm);

  if (req->kind == OTP_TOTP) {
    if (!fits_unsigned(req->digits))
      return otp_answer("unsupported digits outside an unsigned int (liboath's digits is unsigned)");
    secret = secret_of(req, &secret_len, &answer);
    if (secret == NULL) return answer;
    memset(otp, 0, sizeof otp);
    rc = oath_totp_generate2(secret, secret_len, (time_t)req->time.v, (unsigned)req->period.v,
                             (time_t)req->t0.v, (unsigned)req->digits.v, flags, otp);
    free(secret);
    if (rc != OATH_OK) return oath_error("oath_totp_generate2", rc);
    return otp_answer("ok %s", otp);
  }

  /* verify: the digits field is not passed (oath_totp_validate4 has no digits parameter) */
  if (req->window_default)
    return otp_answer("unsupported default window (liboath's validate functions all take a "
                      "window; oath.h defines no default window)");
  if (req->window_big || req->window > SIZE_MAX)
    return otp_answer("unsupported window beyond a size_t");
  if (memchr(req->code, '\0', req->code_len) != NULL)
    return otp_answer("unsupported candidate with a NUL byte (oath_totp_validate4 takes a C string)");
  secret = secret_of(req, &secret_len, &answer);
  if (secret == NULL) return answer;
  int otp_pos = 0;
  uint64_t otp_counter = 0;
  rc = oath_totp_validate4(secret, secret_len, (time_t)req->time.v, (unsigned)req->period.v,
                           (time_t)req->t0.v, (size_t)req->window, &otp_pos, &otp_counter,
                           flags, req->code);
  free(secret);
  if (rc >= 0) return otp_answer("ok accept");
  if (rc == OATH_INVALID_OTP) return otp_answer("ok refuse");
  return oath_error("oath_totp_validate4", rc);
}

int main(void) {
  int rc = oath_init();
  if (rc != OATH_OK) {
    fprintf(stderr, "liboath adapter: oath_init: %s\n", oath_strerror(rc));
    return 1;
  }
  int status = otp_serve(handle);
  oath_done();
  return status;
}
