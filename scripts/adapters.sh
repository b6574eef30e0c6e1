#!/usr/bin/env bash
# Non-Rust TOTP/HOTP libraries as otp-line/1 adapters (see adapters/README.md), installed
# locally under target/peers/adapters/ (nothing global except Debian packages).
#
#   scripts/adapters.sh install   install whatever is missing, pinned: a Python venv (py/, with
#                                 django-otp too), an npm prefix (node/, with the adapters' .mjs
#                                 files copied in), Debian's oathtool and Go + pquerna/otp and
#                                 xlzd/gotp (apt-get, sudo when not root), the Go adapter binaries
#                                 (go/pquerna, go/gotp), the C adapters (c/cotp, c/liboath: gcc
#                                 against Debian's libcotp-dev and liboath-dev); Debian's ruby-rotp,
#                                 libauthen-oath-perl, libpass-otp-perl and
#                                 php-christianriesen-otp with ruby and php-cli (their adapters
#                                 run in place from adapters/). Idempotent.
#   scripts/adapters.sh list      one line per installed adapter:
#                                   <name> <version> <line|per-call> <command line>
#                                 the command line (the rest of the line) is relative to the
#                                 repository root; missing adapters are named on stderr.
#                                 Also refreshes the copied .mjs files when their source changed.
#   scripts/adapters.sh smoke     sends the smoke requests to every listed adapter under TZ=UTC
#                                 and prints the answers beside the expected ones; then again
#                                 under TZ=America/New_York and names any answer that changed.
#                                 Exit 1 when one of the first three answers is not the expected
#                                 one (or an adapter died, or the time zone changed an answer).
#
# Environment: MFASPEC_ADAPTERS_DIR (default target/peers/adapters).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${MFASPEC_ADAPTERS_DIR:-target/peers/adapters}"
PYOTP_VERSION="2.12.0"
CRYPTOGRAPHY_VERSION="50.0.2"
OTPLIB13_VERSION="13.5.0"
OTPLIB12_VERSION="12.0.1"
SPEAKEASY_VERSION="2.0.0"
OTPAUTH_VERSION="9.5.2"
DJANGO_OTP_VERSION="1.7.5"
NODE_ADAPTERS=(otplib13 otplib12 speakeasy otpauth)
NODE_FILES=(otp_line.mjs otplib13.mjs otplib12.mjs speakeasy.mjs otpauth.mjs)

log() { echo "adapters: $*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  log "apt-get install $*"
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2; then
    log "apt-get install failed; running apt-get update and trying again"
    as_root apt-get update -q >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
  fi
}

deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || true; }

python_ok() {
  [ -x "$DIR/py/bin/python" ] && "$DIR/py/bin/python" - "$PYOTP_VERSION" "$CRYPTOGRAPHY_VERSION" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if (version("pyotp"), version("cryptography")) == tuple(sys.argv[1:3]) else 1)
EOF
}

# django-otp (its django_otp.oath module) has an entry of its own in `list`: its own check.
django_otp_ok() {
  [ -x "$DIR/py/bin/python" ] && "$DIR/py/bin/python" - "$DJANGO_OTP_VERSION" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
sys.exit(0 if version("django-otp") == sys.argv[1] else 1)
EOF
}

install_python() {
  if ! python_ok; then
    log "installing pyotp $PYOTP_VERSION and cryptography $CRYPTOGRAPHY_VERSION into $DIR/py"
    [ -x "$DIR/py/bin/python" ] || python3 -m venv "$DIR/py"
    "$DIR/py/bin/pip" install --quiet --disable-pip-version-check \
      "pyotp==$PYOTP_VERSION" "cryptography==$CRYPTOGRAPHY_VERSION"
  fi
  if ! django_otp_ok; then
    log "installing django-otp $DJANGO_OTP_VERSION (and the Django it requires) into $DIR/py"
    "$DIR/py/bin/pip" install --quiet --disable-pip-version-check "django-otp==$DJANGO_OTP_VERSION"
  fi
}

# node_version PACKAGE-FOLDER: the version in $DIR/node/node_modules/PACKAGE-FOLDER/package.json.
node_version() {
  local f="$DIR/node/node_modules/$1/package.json"
  [ -f "$f" ] && node -e 'console.log(require(process.argv[1]).version)' "$PWD/$f" 2>/dev/null || true
}

node_ok() {
  [ "$(node_version otplib)" = "$OTPLIB13_VERSION" ] &&
    [ "$(node_version otplib12)" = "$OTPLIB12_VERSION" ] &&
    [ "$(node_version speakeasy)" = "$SPEAKEASY_VERSION" ] &&
    [ "$(node_version otpauth)" = "$OTPAUTH_VERSION" ]
}

install_node() {
  if ! node_ok; then
    log "installing otplib $OTPLIB13_VERSION, otplib $OTPLIB12_VERSION (as otplib12), speakeasy" \
      "$SPEAKEASY_VERSION, otpauth $OTPAUTH_VERSION into $DIR/node"
    mkdir -p "$DIR/node"
    npm install --silent --no-audit --no-fund --save-exact --prefix "$DIR/node" \
      "otplib@$OTPLIB13_VERSION" "otplib12@npm:otplib@$OTPLIB12_VERSION" \
      "speakeasy@$SPEAKEASY_VERSION" "otpauth@$OTPAUTH_VERSION"
  fi
  sync_node_files
}

# The .mjs adapters must sit beside node_modules so that node resolves their imports: copy them.
sync_node_files() {
  [ -d "$DIR/node" ] || return 0
  local f
  for f in "${NODE_FILES[@]}"; do
    if ! cmp -s "adapters/node/$f" "$DIR/node/$f"; then cp "adapters/node/$f" "$DIR/node/$f"; fi
  done
}

install_oathtool() {
  command -v oathtool >/dev/null 2>&1 || apt_install oathtool
}

# install_go_adapter NAME IMPORT_PATH DEB: the Go adapter adapters/go/NAME, built offline
# (GOPATH=/usr/share/gocode, GO111MODULE=off) against the library Debian's DEB puts at
# IMPORT_PATH.
install_go_adapter() {
  local name=$1 import=$2 deb=$3
  if ! command -v go >/dev/null 2>&1 || [ ! -d "/usr/share/gocode/src/$import" ]; then
    apt_install golang-go "$deb" || {
      log "cannot install Go or $import: the $name adapter is left out"
      return 0
    }
  fi
  local bin="$DIR/go/$name"
  if [ -x "$bin" ] && [ "$bin" -nt "adapters/go/$name/main.go" ]; then return; fi
  log "building $bin (GOPATH=/usr/share/gocode GO111MODULE=off, offline)"
  mkdir -p "$DIR/go"
  GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE="$PWD/$DIR/go/cache" \
    go build -o "$bin" "./adapters/go/$name" || {
    log "go build failed: the $name adapter is left out"
    rm -f "$bin"
  }
}

# The C libraries libcotp and liboath (Debian's libcotp-dev and liboath-dev): one small binary
# each, c/cotp and c/liboath, linked with gcc against the shared loop adapters/c/otp_line.c.
# cotp exports its own time() (see adapters/c/cotp.c: libcotp's totp_verify reads the clock).
build_c() { # build_c SOURCE-NAME PKG-CONFIG-NAME [EXTRA-FLAGS...]
  local name=$1 pkg=$2 src="adapters/c/$1.c" bin="$DIR/c/$1" f
  shift 2
  local -a flags
  read -ra flags <<<"$(pkg-config --cflags --libs "$pkg")"
  for f in "$src" adapters/c/otp_line.c adapters/c/otp_line.h; do
    [ -x "$bin" ] && [ "$bin" -nt "$f" ] || {
      log "building $bin (gcc, $pkg)"
      mkdir -p "$DIR/c"
      gcc -O2 -Wall -Wextra -o "$bin" "$src" adapters/c/otp_line.c "$@" "${flags[@]}" || {
        log "gcc failed: the $name adapter is left out"
        rm -f "$bin"
      }
      return 0
    }
  done
}

install_c() {
  if ! command -v gcc >/dev/null 2>&1 || ! command -v pkg-config >/dev/null 2>&1 ||
    [ ! -f /usr/include/cotp.h ] || [ ! -f /usr/include/liboath/oath.h ]; then
    apt_install gcc pkg-config libcotp-dev liboath-dev || {
      log "cannot install gcc, libcotp-dev or liboath-dev: the libcotp and liboath adapters are left out"
      return 0
    }
  fi
  build_c cotp cotp -Wl,--export-dynamic-symbol=time
  build_c liboath liboath
}

# The Rust crates (totp-rs, totp-lite, libreauth): one binary of adapters/rust, pinned by its
# Cargo.lock, built apart from mfaspec's own dependency tree.
RUST_BIN="$DIR/rust/release/rust-otp-adapter"
RUST_CRATES=(totp-rs totp-lite libreauth)
crate_version() {
  awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' adapters/rust/Cargo.lock
}

install_rust() {
  if [ -x "$RUST_BIN" ] && [ "$RUST_BIN" -nt adapters/rust/src/main.rs ] && [ "$RUST_BIN" -nt adapters/rust/Cargo.lock ]; then return; fi
  log "building the Rust crates' adapter into $DIR/rust"
  cargo build --quiet --release --locked --manifest-path adapters/rust/Cargo.toml --target-dir "$DIR/rust"
}

# Ruby, Perl and PHP libraries from Debian's packages, run in place from adapters/ (no build):
# <adapter name>:<library package>:<interpreter package>:<command line>.
DEB_ADAPTERS=(
  "rotp:ruby-rotp:ruby:ruby adapters/ruby/rotp.rb"
  "authen-oath:libauthen-oath-perl:perl:perl adapters/perl/authen_oath.pl"
  "pass-otp:libpass-otp-perl:perl:perl adapters/perl/pass_otp.pl"
  "christianriesen-otp:php-christianriesen-otp:php-cli:php adapters/php/christianriesen_otp.php"
)

deb_installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }

install_debian_libs() {
  local entry name pkg interp rest need=()
  for entry in "${DEB_ADAPTERS[@]}"; do
    IFS=: read -r name pkg interp rest <<<"$entry"
    deb_installed "$pkg" || need+=("$pkg")
    deb_installed "$interp" || need+=("$interp")
  done
  [ ${#need[@]} -gt 0 ] || return 0
  apt_install "${need[@]}" || log "cannot install ${need[*]}: their adapters are left out"
}

install() {
  mkdir -p "$DIR"
  install_python
  install_node
  install_oathtool
  install_go_adapter pquerna github.com/pquerna/otp golang-github-pquerna-otp-dev
  install_go_adapter gotp github.com/xlzd/gotp golang-github-xlzd-gotp-dev
  install_c
  install_rust
  install_debian_libs
}

list() {
  sync_node_files
  local missing=()
  if python_ok; then
    echo "pyotp $PYOTP_VERSION line $DIR/py/bin/python adapters/python/pyotp_adapter.py"
    echo "cryptography $CRYPTOGRAPHY_VERSION line $DIR/py/bin/python adapters/python/cryptography_adapter.py"
  else
    missing+=(pyotp cryptography)
  fi
  if django_otp_ok; then
    echo "django-otp $DJANGO_OTP_VERSION line $DIR/py/bin/python adapters/python/django_otp_adapter.py"
  else
    missing+=(django-otp)
  fi
  local name version
  for name in "${NODE_ADAPTERS[@]}"; do
    case "$name" in
      otplib13) version=$OTPLIB13_VERSION; [ "$(node_version otplib)" = "$version" ] || version= ;;
      otplib12) version=$OTPLIB12_VERSION; [ "$(node_version otplib12)" = "$version" ] || version= ;;
      speakeasy) version=$SPEAKEASY_VERSION; [ "$(node_version speakeasy)" = "$version" ] || version= ;;
      otpauth) version=$OTPAUTH_VERSION; [ "$(node_version otpauth)" = "$version" ] || version= ;;
    esac
    if [ -n "$version" ] && [ -f "$DIR/node/$name.mjs" ]; then
      echo "$name $version line node $DIR/node/$name.mjs"
    else
      missing+=("$name")
    fi
  done
  if command -v oathtool >/dev/null 2>&1; then
    echo "oathtool $(deb_version oathtool) per-call adapters/oathtool/oathtool.sh"
  else
    missing+=(oathtool)
  fi
  if [ -x "$DIR/go/pquerna" ]; then
    echo "pquerna $(deb_version golang-github-pquerna-otp-dev) line $DIR/go/pquerna"
  else
    missing+=(pquerna)
  fi
  if [ -x "$DIR/go/gotp" ]; then
    echo "gotp $(deb_version golang-github-xlzd-gotp-dev) line $DIR/go/gotp"
  else
    missing+=(gotp)
  fi
  if [ -x "$DIR/c/cotp" ]; then
    echo "libcotp $(deb_version libcotp12) line $DIR/c/cotp"
  else
    missing+=(libcotp)
  fi
  if [ -x "$DIR/c/liboath" ]; then
    echo "liboath $(deb_version liboath0) line $DIR/c/liboath"
  else
    missing+=(liboath)
  fi
  local crate
  for crate in "${RUST_CRATES[@]}"; do
    if [ -x "$RUST_BIN" ]; then
      echo "$crate $(crate_version "$crate") line $RUST_BIN $crate"
    else
      missing+=("$crate")
    fi
  done
  local entry pkg interp cmd
  for entry in "${DEB_ADAPTERS[@]}"; do
    IFS=: read -r name pkg interp cmd <<<"$entry"
    if deb_installed "$pkg" && deb_installed "$interp"; then
      echo "$name $(deb_version "$pkg") line $cmd"
    else
      missing+=("$name")
    fi
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "not installed: ${missing[*]} (run scripts/adapters.sh install)"
  fi
}

RFC_KEY=3132333435363738393031323334353637383930
SMOKE_REQUESTS=(
  "totp SHA1 8 30 0 59 hex $RFC_KEY"
  "totp SHA1 8 30 0 59 base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
  "hotp SHA1 6 0 hex $RFC_KEY"
  "totp SHA256 8 30 0 59 hex $RFC_KEY"
  "totp SHA1 6 30 0 -1 hex $RFC_KEY"
  "totp SHA1 6 30 15 44 hex $RFC_KEY"
  "mode reuse"
)
SMOKE_EXPECTED=(
  "ok 94287082"
  "ok 94287082"
  "ok 755224"
  "ok 32247374"
  "(informative)"
  "(informative)"
  "(informative)"
)

# answers FORM COMMAND: prints one answer line per smoke request (a missing one as `<no answer>`).
answers() {
  local form=$1 cmd=$2 out
  local -a argv
  read -ra argv <<<"$cmd"
  if [ "$form" = line ]; then
    out=$(printf '%s\n' "${SMOKE_REQUESTS[@]}" | timeout 120 "${argv[@]}" 2>/dev/null) || true
  else
    out=""
    local req
    local -a fields
    for req in "${SMOKE_REQUESTS[@]}"; do
      read -ra fields <<<"$req"
      out+="$(timeout 30 "${argv[@]}" "${fields[@]}" </dev/null 2>/dev/null | head -n 1 || true)"$'\n'
    done
  fi
  local -a lines=()
  mapfile -t lines <<<"$out"
  local i
  for i in "${!SMOKE_REQUESTS[@]}"; do
    echo "${lines[$i]:-<no answer>}"
  done
}

smoke() {
  local adapters failed=0 name version form cmd i
  adapters=$(list)
  if [ -z "$adapters" ]; then
    log "no adapter is installed (run scripts/adapters.sh install)"
    return 1
  fi
  printf '%-13s %-62s %-38s %s\n' ADAPTER REQUEST ANSWER EXPECTED
  while read -r name version form cmd; do
    local -a utc=() ny=()
    mapfile -t utc < <(TZ=UTC answers "$form" "$cmd")
    mapfile -t ny < <(TZ=America/New_York answers "$form" "$cmd")
    for i in "${!SMOKE_REQUESTS[@]}"; do
      local mark=""
      if [ "$i" -lt 3 ]; then
        if [ "${utc[$i]}" = "${SMOKE_EXPECTED[$i]}" ] ||
          { [ "$i" -ge 1 ] && [[ ${utc[$i]} == unsupported* ]]; }; then
          mark=""
        else
          mark="  <-- DIFFERS"
          failed=1
        fi
      elif [ "${utc[$i]}" = "<no answer>" ]; then
        mark="  <-- NO ANSWER"
        failed=1
      fi
      if [ "${utc[$i]}" != "${ny[$i]}" ]; then
        mark+="  <-- TZ=America/New_York: ${ny[$i]}"
        failed=1
      fi
      printf '%-13s %-62s %-38s %s%s\n' "$name" "${SMOKE_REQUESTS[$i]/$RFC_KEY/3132...30}" \
        "${utc[$i]}" "${SMOKE_EXPECTED[$i]}" "$mark"
    done
  done <<<"$adapters"
  if [ "$failed" -ne 0 ]; then
    log "smoke: FAILED"
    return 1
  fi
  log "smoke: every adapter answered the first three requests as expected"
}

case "${1:-}" in
  install) install ;;
  list) list ;;
  smoke) smoke ;;
  *)
    echo "usage: scripts/adapters.sh install|list|smoke" >&2
    exit 2
    ;;
esac
