/* otp-line/1 request loop shared by the C adapters: see otp_line.h and adapters/README.md. */
#define _GNU_SOURCE
#include "otp_line.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *otp_answer(const char *fmt, ...) {
  va_list ap;
  char *s = NULL;
  va_start(ap, fmt);
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  if (n < 0 || s == NULL) {
    fputs("otp_line: out of memory\n", stderr);
    abort();
  }
  return s;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool otp_hex_decode(const char *hex, size_t len, unsigned char **out, size_t *out_len) {
  if (len % 2 != 0) return false;
  unsigned char *buf = malloc(len / 2 + 1);
  if (buf == NULL) abort();
  for (size_t i = 0; i < len; i += 2) {
    int hi = hex_value(hex[i]), lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      free(buf);
      return false;
    }
    buf[i / 2] = (unsigned char)(hi << 4 | lo);
  }
  buf[len / 2] = '\0';
  *out = buf;
  *out_len = len / 2;
  return true;
}

char *otp_base32_encode_unpadded(const unsigned char *data, size_t len) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  char *out = malloc((len * 8 + 4) / 5 + 1);
  if (out == NULL) abort();
  size_t j = 0;
  unsigned buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < len; i++) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 5) {
      out[j++] = alphabet[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1u << bits) - 1;
  }
  if (bits > 0) out[j++] = alphabet[(buffer << (5 - bits)) & 31];
  out[j] = '\0';
  return out;
}

/* A field of the request line: [p, p + len). */
struct field {
  const char *p;
  size_t len;
};

static bool field_is(struct field f, const char *s) {
  return f.len == strlen(s) && memcmp(f.p, s, f.len) == 0;
}

/* -?[0-9]+ into *out; false when malformed. Out of int64: out->big. */
static bool parse_int(struct field f, struct otp_int *out) {
  size_t i = 0;
  bool negative = false;
  if (f.len > 0 && f.p[0] == '-') {
    negative = true;
    i = 1;
  }
  if (i == f.len) return false;
  uint64_t magnitude = 0;
  bool big = false;
  for (; i < f.len; i++) {
    if (f.p[i] < '0' || f.p[i] > '9') return false;
    unsigned d = (unsigned)(f.p[i] - '0');
    if (magnitude > (UINT64_MAX - d) / 10) big = true;
    else magnitude = magnitude * 10 + d;
  }
  out->big = false;
  if (big) {
    out->big = true;
    out->v = 0;
  } else if (negative) {
    if (magnitude > (uint64_t)INT64_MAX + 1) {
      out->big = true;
      out->v = 0;
    } else {
      out->v = magnitude == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)magnitude;
    }
  } else if (magnitude > (uint64_t)INT64_MAX) {
    out->big = true;
    out->v = 0;
  } else {
    out->v = (int64_t)magnitude;
  }
  return true;
}

/* [0-9]+ into *out; false when malformed. Beyond 2^64-1: *big. */
static bool parse_uint(struct field f, uint64_t *out, bool *big) {
  if (f.len == 0) return false;
  uint64_t v = 0;
  *big = false;
  for (size_t i = 0; i < f.len; i++) {
    if (f.p[i] < '0' || f.p[i] > '9') return false;
    unsigned d = (unsigned)(f.p[i] - '0');
    if (v > (UINT64_MAX - d) / 10) *big = true;
    else v = v * 10 + d;
  }
  *out = *big ? 0 : v;
  return true;
}

static bool parse_algorithm(struct field f, struct otp_request *req) {
  if (field_is(f, "SHA1")) {
    req->algorithm = OTP_SHA1;
    req->algorithm_name = "SHA1";
  } else if (field_is(f, "SHA256")) {
    req->algorithm = OTP_SHA256;
    req->algorithm_name = "SHA256";
  } else if (field_is(f, "SHA512")) {
    req->algorithm = OTP_SHA512;
    req->algorithm_name = "SHA512";
  } else {
    return false;
  }
  return true;
}

static bool parse_encoding(struct field f, struct otp_request *req) {
  if (field_is(f, "hex")) req->encoding = OTP_HEX;
  else if (field_is(f, "base32")) req->encoding = OTP_BASE32;
  else return false;
  return true;
}

/* Splits line[0, len) into n fields at the first n-1 spaces; the last is the rest of the line.
   A line with only n-2 spaces gets an empty last field (a key written without its separator). */
static bool split(char *line, size_t len, struct field *fields, size_t n) {
  size_t start = 0, k = 0;
  for (size_t i = 0; i < len && k < n - 1; i++) {
    if (line[i] == ' ') {
      fields[k].p = line + start;
      fields[k].len = i - start;
      k++;
      start = i + 1;
    }
  }
  if (k == n - 1) {
    fields[k].p = line + start;
    fields[k].len = len - start;
    return true;
  }
  if (k == n - 2) {
    fields[k].p = line + start;
    fields[k].len = len - start;
    fields[n - 1].p = line + len; /* the NUL terminator: an empty key */
    fields[n - 1].len = 0;
    return true;
  }
  return false;
}

/* Returns the answer (malloc'ed) or NULL for a malformed request. *code is set to the decoded
   candidate (to be freed by the caller). */
static char *handle(char *line, size_t len, otp_handler handler, unsigned char **code) {
  struct field f[10];
  struct otp_request req;
  memset(&req, 0, sizeof req);
  size_t head_len = 0;
  while (head_len < len && line[head_len] != ' ') head_len++;
  struct field head = {line, head_len};

  if (field_is(head, "mode")) {
    if (len == strlen("mode reuse") && memcmp(line, "mode reuse", len) == 0)
      return otp_answer("unsupported no instance to reuse");
    if (len == strlen("mode construct") && memcmp(line, "mode construct", len) == 0)
      return otp_answer("ok");
    return NULL;
  }
  if (field_is(head, "totp")) {
    if (!split(line, len, f, 8)) return NULL;
    req.kind = OTP_TOTP;
    if (!parse_algorithm(f[1], &req) || !parse_int(f[2], &req.digits) ||
        !parse_int(f[3], &req.period) || !parse_int(f[4], &req.t0) ||
        !parse_int(f[5], &req.time) || !parse_encoding(f[6], &req))
      return NULL;
    req.key = f[7].p;
    req.key_len = f[7].len;
  } else if (field_is(head, "hotp")) {
    if (!split(line, len, f, 6)) return NULL;
    req.kind = OTP_HOTP;
    bool big;
    if (!parse_algorithm(f[1], &req) || !parse_int(f[2], &req.digits) ||
        !parse_uint(f[3], &req.counter, &big) || big || !parse_encoding(f[4], &req))
      return NULL;
    req.key = f[5].p;
    req.key_len = f[5].len;
  } else if (field_is(head, "verify")) {
    if (!split(line, len, f, 10)) return NULL;
    req.kind = OTP_VERIFY;
    if (!parse_algorithm(f[1], &req) || !parse_int(f[2], &req.digits) ||
        !parse_int(f[3], &req.period) || !parse_int(f[4], &req.t0) ||
        !parse_int(f[5], &req.time) || !parse_encoding(f[8], &req))
      return NULL;
    if (field_is(f[6], "default")) {
      req.window_default = true;
    } else if (!parse_uint(f[6], &req.window, &req.window_big)) {
      return NULL;
    }
    size_t code_len;
    if (!otp_hex_decode(f[7].p, f[7].len, code, &code_len)) return NULL;
    req.code = (const char *)*code;
    req.code_len = code_len;
    req.key = f[9].p;
    req.key_len = f[9].len;
  } else {
    return NULL;
  }
  return handler(&req);
}

int otp_serve(otp_handler handler) {
  /* Answers go to the original stdout; fd 1 (and so the C library's stdout) to stderr. */
  int answer_fd = dup(STDOUT_FILENO);
  if (answer_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    perror("otp_line: dup");
    return 1;
  }
  FILE *answers = fdopen(answer_fd, "w");
  if (answers == NULL) {
    perror("otp_line: fdopen");
    return 1;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, stdin)) >= 0) {
    size_t len = (size_t)n;
    if (len > 0 && line[len - 1] == '\n') {
      line[--len] = '\0';
      if (len > 0 && line[len - 1] == '\r') line[--len] = '\0';
    }
    unsigned char *code = NULL;
    char *answer = handle(line, len, handler, &code);
    free(code);
    if (answer == NULL) answer = otp_answer("reject malformed request");
    for (char *p = answer; *p; p++)
      if (*p == '\n' || *p == '\r') *p = ' ';
    fputs(answer, answers);
    fputc('\n', answers);
    free(answer);
    if (fflush(answers) != 0) break;
  }
  free(line);
  fclose(answers);
  return 0;
}
