#!/usr/bin/env bash
# otp-line/1 PER-CALL adapter for oathtool (OATH Toolkit; Debian's `oathtool` package, 2.6.7 on
# Debian 12; installed by `scripts/adapters.sh install` with apt-get when missing).
#
#   adapters/oathtool/oathtool.sh <request fields as separate arguments>
#   e.g. adapters/oathtool/oathtool.sh totp SHA256 8 30 0 59 hex 3132...
#        adapters/oathtool/oathtool.sh verify SHA1 8 30 0 59 1 3934323837303832 hex 3132...
#
# Prints ONE answer line (otp-line/1 grammar, see adapters/README.md) and exits 0, also when
# oathtool refuses (`reject <oathtool's stderr on one line>`). A Base32 key with spaces may
# arrive as several trailing arguments: they are joined with single spaces. No key argument at
# all means the empty key.
#
# - TOTP: LC_ALL=C oathtool --totp=<alg> -d <digits> -s <period>s -S "<t0 as UTC date>"
#         -N "<time as UTC date>" [-b] -- <key>
#   The dates are written by GNU date: `date -u -d @<seconds> '+%Y-%m-%d %H:%M:%S UTC'`
#   (oathtool parses -S/-N with gnulib's parse_datetime, so `@<seconds>` would give the same).
# - VERIFY: LC_ALL=C oathtool --totp=<alg> -d <digits> -s <period>s -S "<t0 as UTC date>"
#         -N "<time as UTC date>" [-w <window>] [-b] -- <key> <candidate>
#   oathtool's own validation (liboath's oath_totp_validate4): exit 0 (it prints the matching
#   position, |steps| from now, without a sign) is `ok accept`; exit 2 with `password "…" not
#   found in range …` is `ok refuse`; any other failure is `reject <stderr>`.
#   Window: -w N is SYMMETRIC for TOTP, steps now-N .. now+N are tried (checked by hand; the
#   "range a .. b" in its refusal message is computed as now ± N/2 and is misleading). Window
#   `default` passes no -w: oathtool's default window is 0, the exact step only. A negative
#   window is `unsupported` (-w takes a count), and so is one above 2147483647: -w is a C int
#   read with strtol, and oathtool turns 2^31 into -2147483648, 2^32 into 0 and anything from
#   2^63 up into -1 (a huge size_t). The window is passed as plain decimal with leading zeros
#   dropped (strtol base 0 would read 010 as octal 8; -d has the same quirk).
#   Candidate: decoded from hex by this adapter (bash printf \xHH escapes; no xxd needed) and
#   passed as ONE argument, untouched; a candidate holding a NUL byte cannot be an argument:
#   `unsupported`. oathtool requires strlen(candidate) == -d in BYTES (else exit 1 "given
#   one-time password has bad length D != L": `reject`), does not trim (" 081804" is refused by
#   length), then strcmp()s it against each step's code. It does not stop at step 0: at step 0
#   with -w 1 it also accepts the code of counter 2^64-1 (the counter wraps around).
#   As for the key, oathtool's syntax applies to the candidate too: `-` reads stdin (here
#   /dev/null: `reject oathtool: read file for KEY/OTP`) and `@FILE` reads FILE's first line.
# - HOTP: LC_ALL=C oathtool --hotp -c <counter> -d <digits> [-b] -- <key>. oathtool's HOTP mode
#   has no algorithm option: HOTP with SHA256/SHA512 is answered `unsupported`.
# - Keys: `hex` is passed as hex (oathtool's default input); `base32` is passed with -b, exactly
#   as given (oathtool's own decoder). Key `-` would make oathtool read stdin (given /dev/null)
#   and `@FILE` read a file: that is oathtool's syntax, not changed here.
# - `mode reuse`: `unsupported no instance to reuse` (each call is a new process); `mode construct`: ok.
# - oathtool prints a string; leading zeros are kept.
set -u
export LC_ALL=C

one_line() { tr '\r\n' '  ' | sed -e 's/  */ /g' -e 's/^ //' -e 's/ $//'; }
answer() { printf '%s\n' "$*"; exit 0; }
malformed() { answer "reject malformed request"; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
is_int() { [[ $1 =~ ^-?[0-9]+$ ]]; }

utc_date() {
  date -u -d "@$1" '+%Y-%m-%d %H:%M:%S UTC' 2>/dev/null
}

# run_oathtool ARGS...: prints the answer for one oathtool call.
run_oathtool() {
  local out err rc errfile
  errfile=$(mktemp)
  out=$(oathtool "$@" </dev/null 2>"$errfile")
  rc=$?
  err=$(one_line <"$errfile")
  rm -f "$errfile"
  if [ "$rc" -eq 0 ]; then
    answer "ok $(printf '%s' "$out" | one_line)"
  elif [ "$rc" -gt 128 ]; then
    answer "reject oathtool died with signal $((rc - 128))${err:+: $err}"
  else
    answer "reject ${err:-oathtool exited with status $rc}"
  fi
}

# run_oathtool_verify ARGS...: prints the answer for one oathtool validation call.
run_oathtool_verify() {
  local err rc errfile
  errfile=$(mktemp)
  oathtool "$@" </dev/null >/dev/null 2>"$errfile"
  rc=$?
  err=$(one_line <"$errfile")
  rm -f "$errfile"
  if [ "$rc" -eq 0 ]; then
    answer "ok accept"
  elif [ "$rc" -eq 2 ] && [[ $err == *'" not found in range '* ]]; then
    answer "ok refuse"
  elif [ "$rc" -gt 128 ]; then
    answer "reject oathtool died with signal $((rc - 128))${err:+: $err}"
  else
    answer "reject ${err:-oathtool exited with status $rc}"
  fi
}

# decode_candidate HEX: sets $candidate to the bytes HEX encodes (malformed when not hex).
decode_candidate() {
  local hex=$1 esc="" i pair
  [[ $hex =~ ^([0-9a-fA-F][0-9a-fA-F])*$ ]] || malformed
  for ((i = 0; i < ${#hex}; i += 2)); do
    pair=${hex:i:2}
    [ "$pair" != 00 ] || answer "unsupported candidate with a NUL byte (cannot be a command-line argument)"
    esc+="\\x$pair"
  done
  printf -v candidate '%b' "$esc"
}

command -v oathtool >/dev/null 2>&1 || answer "reject oathtool is not installed"

kind=${1:-}
case "$kind" in
  mode)
    [ $# -eq 2 ] || malformed
    case "$2" in
      reuse) answer "unsupported no instance to reuse" ;;
      construct) answer "ok" ;;
      *) malformed ;;
    esac
    ;;
  totp)
    [ $# -ge 7 ] || malformed
    alg=$2 digits=$3 period=$4 t0=$5 time=$6 enc=$7
    shift 7
    ;;
  verify)
    [ $# -ge 9 ] || malformed
    alg=$2 digits=$3 period=$4 t0=$5 time=$6 window=$7 code_hex=$8 enc=$9
    shift 9
    ;;
  hotp)
    [ $# -ge 5 ] || malformed
    alg=$2 digits=$3 counter=$4 enc=$5
    shift 5
    ;;
  *) malformed ;;
esac
key="$*"

case "$alg" in SHA1 | SHA256 | SHA512) ;; *) malformed ;; esac
case "$enc" in hex) b=() ;; base32) b=(-b) ;; *) malformed ;; esac
is_uint "$digits" || is_int "$digits" || malformed

if [ "$kind" = totp ] || [ "$kind" = verify ]; then
  is_int "$period" && is_int "$t0" && is_int "$time" || malformed
  if [ "$kind" = verify ]; then
    case "$window" in
      default) w=() ;;
      *)
        is_int "$window" || malformed
        is_uint "$window" || answer "unsupported negative window (-w takes a count of steps)"
        [[ $window =~ ^0*([0-9]+)$ ]] # oathtool reads 010 as octal: pass plain decimal
        window=${BASH_REMATCH[1]}
        if [ ${#window} -gt 10 ] || [ "$window" -gt 2147483647 ]; then
          answer "unsupported window above 2147483647 (oathtool's -w is a C int: larger values wrap)"
        fi
        w=(-w "$window")
        ;;
    esac
    decode_candidate "$code_hex"
  fi
  start=$(utc_date "$t0") || answer "reject adapter: GNU date cannot write t0 $t0 as a date"
  now=$(utc_date "$time") || answer "reject adapter: GNU date cannot write time $time as a date"
  if [ "$kind" = verify ]; then
    run_oathtool_verify "--totp=$alg" -d "$digits" -s "${period}s" -S "$start" -N "$now" "${w[@]}" "${b[@]}" -- "$key" "$candidate"
  fi
  run_oathtool "--totp=$alg" -d "$digits" -s "${period}s" -S "$start" -N "$now" "${b[@]}" -- "$key"
else
  is_uint "$counter" || malformed
  [ "$alg" = SHA1 ] || answer "unsupported HOTP with $alg (oathtool's --hotp has no algorithm option)"
  run_oathtool --hotp -c "$counter" -d "$digits" "${b[@]}" -- "$key"
fi
