/* otp-line/1 adapter for libcotp (Debian's libcotp-dev / libcotp12 1.2.8-1 on Debian 12; its
 * Base32 decoding is libbaseencode's, Debian libbaseencode1 1.0.15-1), built by
 * `scripts/adapters.sh install`:
 *
 *   gcc -O2 -Wall -Wextra -o target/peers/adapters/c/cotp adapters/c/cotp.c adapters/c/otp_line.c \
 *       -Wl,--export-dynamic-symbol=time $(pkg-config --cflags --libs cotp)
 *
 * Started as: target/peers/adapters/c/cotp
 *
 *   - TOTP: get_totp_at(base32_secret, (long)time, digits, period, SHA1|SHA256|SHA512, &err).
 *     Time in seconds, a long. libcotp checks digits 3..10 and period 1..120 (INVALID_DIGITS,
 *     INVALID_PERIOD) and computes the counter as `time / period` in C long arithmetic
 *     (truncation toward zero: time -1 is counter 0). No T0 parameter: t0 != 0 is answered
 *     `unsupported`. digits and period beyond a C int: `unsupported`.
 *   - HOTP: get_hotp(base32_secret, (long)counter, digits, algo, &err). The counter is a signed
 *     long: counters above 2^63-1 are answered `unsupported` (never passed as a wrapped value).
 *   - Keys: libcotp takes Base32 text only. A `base32` key is passed exactly as given (libcotp
 *     removes spaces, uppercases a-z, then libbaseencode's base32_decode checks the alphabet
 *     and `=`, ignoring the trailing bits). A `hex` key is CONVERTED by this adapter: hex-decoded,
 *     then RFC 4648 Base32 WITHOUT `=` padding (libcotp sizes the HMAC key as
 *     (strlen(secret) + 0.6) / 1.6 bytes of the text as given, spaces and `=` included; unpadded
 *     Base32 gives exactly the key length). A key holding a NUL byte cannot be passed as a C
 *     string: `unsupported`.
 *   - A NULL result is `reject <function>: <cotp_error_t name> (<number>)`. libcotp prints a
 *     few errors with printf(); the shared loop has pointed the process's stdout at stderr.
 *   - VERIFY: totp_verify(base32_secret, candidate, digits, period, algo) — the library's own
 *     verifier: it calls get_totp(), i.e. get_totp_at(time(NULL), ...), and strcmp()s the result
 *     with the candidate. It takes NO time argument: it always checks the CURRENT time. To ask
 *     it about the request's time this adapter defines `time()` itself (exported from the
 *     executable, so libcotp's call binds to it; the same thing faketime does) and, only while
 *     totp_verify runs, makes it return the request's time; otherwise it is the real clock.
 *     Nothing else is changed: the candidate (NUL-terminated; one holding a NUL byte is
 *     `unsupported`) goes in untouched. totp_verify has no window: window `default` and window
 *     0 call it (the current step only); a window >= 1 is `unsupported`. Its result: VALID (0)
 *     is `ok accept`, INVALID_OTP (4) `ok refuse`, any other cotp_error_t (a bad key, digits,
 *     period) `reject totp_verify: <name> (<number>)`.
 *   - Functional API only: `mode reuse` is answered `unsupported no instance to reuse`.
 *   - The code is returned as libcotp's string (zero-padded to `digits` by its "%.<digits>d").
 */
#define _GNU_SOURCE
#include <cotp.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "otp_line.h"

/* The clock libcotp's totp_verify reads (see the header comment). */
static bool fake_clock = false;
static time_t fake_now = 0;

time_t time(time_t *tloc) {
  time_t now;
  if (fake_clock) {
    now = fake_now;
  } else {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    now = ts.tv_sec;
  }
  if (tloc != NULL) *tloc = now;
  return now;
}

static const char *error_name(int err) {
  switch (err) {
    case VALID: return "VALID";
    case GCRYPT_VERSION_MISMATCH: return "GCRYPT_VERSION_MISMATCH";
    case INVALID_B32_INPUT: return "INVALID_B32_INPUT";
    case INVALID_ALGO: return "INVALID_ALGO";
    case INVALID_OTP: return "INVALID_OTP";
    case INVALID_DIGITS: return "INVALID_DIGITS";
    case INVALID_PERIOD: return "INVALID_PERIOD";
  }
  return "unknown cotp_error_t";
}

static int algo_of(enum otp_algorithm a) {
  switch (a) {
    case OTP_SHA1: return SHA1;
    case OTP_SHA256: return SHA256;
    case OTP_SHA512: return SHA512;
  }
  return SHA1;
}

static bool fits_int(struct otp_int v) { return !v.big && v.v >= INT_MIN && v.v <= INT_MAX; }

/* The Base32 secret to hand to libcotp (malloc'ed), or NULL with *answer set. */
static char *secret_of(const struct otp_request *req, char **answer) {
  if (req->encoding == OTP_HEX) {
    unsigned char *raw;
    size_t raw_len;
    if (!otp_hex_decode(req->key, req->key_len, &raw, &raw_len)) {
      *answer = otp_answer("reject adapter: bad hex key");
      return NULL;
    }
    char *b32 = otp_base32_encode_unpadded(raw, raw_len);
    free(raw);
    return b32;
  }
  if (memchr(req->key, '\0', req->key_len) != NULL) {
    *answer = otp_answer("unsupported key with a NUL byte (libcotp takes a C string)");
    return NULL;
  }
  char *s = strdup(req->key);
  if (s == NULL) abort();
  return s;
}

static char *handle(const struct otp_request *req) {
  char *answer = NULL;
  cotp_error_t err = VALID;
  if (!fits_int(req->digits))
    return otp_answer("unsupported digits beyond a C int (libcotp's digits is an int)");
  int digits = (int)req->digits.v;
  int algo = algo_of(req->algorithm);

  if (req->kind == OTP_HOTP) {
    if (req->counter > (uint64_t)LONG_MAX)
      return otp_answer("unsupported counter above 2^63-1 (get_hotp's counter is a long)");
    char *secret = secret_of(req, &answer);
    if (secret == NULL) return answer;
    char *code = get_hotp(secret, (long)req->counter, digits, algo, &err);
    free(secret);
    if (code == NULL) return otp_answer("reject get_hotp: %s (%d)", error_name(err), (int)err);
    answer = otp_answer("ok %s", code);
    free(code);
    return answer;
  }

  /* totp, verify */
  if (req->t0.big || req->t0.v != 0) return otp_answer("unsupported t0 (libcotp has no T0 parameter)");
  if (!fits_int(req->period))
    return otp_answer("unsupported period beyond a C int (libcotp's period is an int)");
  if (req->time.big) return otp_answer("unsupported time beyond a long");
  int period = (int)req->period.v;
  long now = (long)req->time.v;

  if (req->kind == OTP_TOTP) {
    char *secret = secret_of(req, &answer);
    if (secret == NULL) return answer;
    char *code = get_totp_at(secret, now, digits, period, algo, &err);
    free(secret);
    if (code == NULL) return otp_answer("reject get_totp_at: %s (%d)", error_name(err), (int)err);
    answer = otp_answer("ok %s", code);
    free(code);
    return answer;
  }

  /* verify */
  if (!req->window_default && (req->window_big || req->window != 0))
    return otp_answer("unsupported window (libcotp's totp_verify checks the current step only)");
  if (memchr(req->code, '\0', req->code_len) != NULL)
    return otp_answer("unsupported candidate with a NUL byte (totp_verify takes a C string)");
  char *secret = secret_of(req, &answer);
  if (secret == NULL) return answer;
  fake_now = (time_t)now;
  fake_clock = true;
  int rc = totp_verify(secret, req->code, digits, period, algo);
  fake_clock = false;
  free(secret);
  if (rc == VALID) return otp_answer("ok accept");
  if (rc == INVALID_OTP) return otp_answer("ok refuse");
  return otp_answer("reject totp_verify: %s (%d)", error_name(rc), rc);
}

int main(void) { return otp_serve(handle); }
