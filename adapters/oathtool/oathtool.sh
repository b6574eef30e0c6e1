#!/usr/bin/env bash
# otp-line/1 PER-CALL adapter for oathtool (OATH Toolkit; Debian's `oathtool` package, 2.6.7 on
# Debian 12; installed by `scripts/adapters.sh install` with apt-get when missing).
#
#   adapters/oathtool/oathtool.sh <request fields as separate arguments>
#   e.g. adapters/oathtool/oathtool.sh totp SHA256 8 30 0 59 hex 3132...
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

if [ "$kind" = totp ]; then
  is_int "$period" && is_int "$t0" && is_int "$time" || malformed
  start=$(utc_date "$t0") || answer "reject adapter: GNU date cannot write t0 $t0 as a date"
  now=$(utc_date "$time") || answer "reject adapter: GNU date cannot write time $time as a date"
  run_oathtool "--totp=$alg" -d "$digits" -s "${period}s" -S "$start" -N "$now" "${b[@]}" -- "$key"
else
  is_uint "$counter" || malformed
  [ "$alg" = SHA1 ] || answer "unsupported HOTP with $alg (oathtool's --hotp has no algorithm option)"
  run_oathtool --hotp -c "$counter" -d "$digits" "${b[@]}" -- "$key"
fi
