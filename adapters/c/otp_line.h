/* otp-line/1 request loop shared by the C adapters (see adapters/README.md).
 *
 * An adapter defines one handler and calls otp_serve(handler):
 *
 *     char *handler(const struct otp_request *req);
 *
 * The handler gets a parsed `totp`, `hotp` or `verify` request and returns the whole answer
 * line, malloc'ed (built with otp_answer(), which never returns NULL): "ok <code>",
 * "ok accept", "ok refuse", "reject <what>: <message>" or "unsupported <what>". The loop
 * writes it (newlines and carriage returns made spaces) and frees it.
 *
 * The loop itself answers:
 *   - `mode construct` with `ok`, `mode reuse` with `unsupported no instance to reuse` (the C
 *     libraries here have functional APIs only);
 *   - a malformed request with `reject malformed request`: wrong number of fields, a number
 *     that is not `-?[0-9]+` (counter and window: `[0-9]+`), an unknown algorithm or encoding,
 *     a counter outside 0..2^64-1, a window neither `[0-9]+` nor `default`, a code-hex that is
 *     not hex pairs. (Unlike the Python and Node loops it does not check that the candidate is
 *     UTF-8: the bytes are handed on as they are, like the Go loops do.)
 * Numbers that are integers but do not fit the loop's types (int64 for digits, period, t0 and
 * time; uint64 for the window) are flagged `.big`, not refused: the adapter answers
 * `unsupported` for them, as for any value its library's types cannot carry.
 *
 * Protocol answers go to the process's ORIGINAL standard output; before serving, file
 * descriptor 1 is pointed at standard error, so whatever a library prints with printf() (libcotp
 * does, on some errors) ends up on stderr and cannot corrupt the answer stream.
 */
#ifndef OTP_LINE_H
#define OTP_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum otp_kind { OTP_TOTP, OTP_HOTP, OTP_VERIFY };
enum otp_algorithm { OTP_SHA1, OTP_SHA256, OTP_SHA512 };
enum otp_encoding { OTP_HEX, OTP_BASE32 };

/* A signed decimal field: v is its value when big is false; big means it is outside int64. */
struct otp_int {
  int64_t v;
  bool big;
};

struct otp_request {
  enum otp_kind kind;
  enum otp_algorithm algorithm;
  const char *algorithm_name;       /* "SHA1", "SHA256" or "SHA512" */
  struct otp_int digits;
  struct otp_int period;            /* totp, verify */
  struct otp_int t0;                /* totp, verify */
  struct otp_int time;              /* totp, verify: Unix seconds */
  uint64_t counter;                 /* hotp */
  bool window_default;              /* verify: `default` */
  uint64_t window;                  /* verify, unless window_default */
  bool window_big;                  /* verify: a window beyond 2^64-1 */
  const char *code;                 /* verify: the decoded candidate bytes, NUL-terminated */
  size_t code_len;                  /* its length in bytes (it may hold a NUL byte) */
  enum otp_encoding encoding;
  const char *key;                  /* the key text exactly as sent, NUL-terminated */
  size_t key_len;                   /* its length in bytes (it may hold a NUL byte) */
};

typedef char *(*otp_handler)(const struct otp_request *req);

/* printf into a new malloc'ed string (aborts on memory exhaustion). */
char *otp_answer(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Decodes hex (either case, even length) into a new malloc'ed buffer; false if not hex. */
bool otp_hex_decode(const char *hex, size_t len, unsigned char **out, size_t *out_len);

/* RFC 4648 Base32 of the bytes, WITHOUT `=` padding, as a new malloc'ed string. */
char *otp_base32_encode_unpadded(const unsigned char *data, size_t len);

/* Reads requests from stdin until EOF; returns the process exit status. */
int otp_serve(otp_handler handler);

#endif
