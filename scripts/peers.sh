#!/usr/bin/env bash
# Cognito emulators as peers: installed locally under target/peers/ (nothing global), started
# on free loopback ports, run through the conformance suite, stopped, and compared.
#
#   scripts/peers.sh [run] [TARGET...]  install what is missing, then for the reference
#                                       endpoint and each emulator (default: moto cognito-local
#                                       ministack fakecloud localemu cognitox): start it, `mfaspec run --target T` against
#                                       it, stop it; then each emulator's reproductions
#                                       (scripts of AWS CLI calls) against it and mfaspec
#                                       serve, the strictness checks, the compatibility matrix
#                                       (REPORT_DIR/matrix.{md,html}) and the results history
#                                       (docs/results/, a file per target and version)
#   scripts/peers.sh install            install whatever is missing
#   scripts/peers.sh start TARGET       start one emulator in the foreground (for debugging)
#   scripts/peers.sh paths              print where each emulator's start command lives
#
# Environment: MFASPEC (the binary; default target/debug/mfaspec, built if missing),
# MFASPEC_PEERS_DIR (default target/peers), REPORT_DIR (default target/mfaspec-report/peers),
# TAGS (a tag expression passed to every run, e.g. 'not @slow'),
# UPDATE_README=1 (write the fresh matrix into docs/emulators.md and record this run in docs/results/
# instead of checking them).
#
# Exit status: 0 when every run was conformant to its expectations file and
# docs/emulators.md's matrix and docs/results/ are current; 1 on any unexpected outcome (fail, xpass, stale
# entry, a strictness check that did not fail, a reproduction that did not show its deviation, a stale
# docs/emulators.md matrix or docs/results/ file); 2 when an emulator cannot be installed
# or does not start; 130/143 when interrupted (the emulators are stopped first).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PEERS="${MFASPEC_PEERS_DIR:-$ROOT/target/peers}"
REPORT_DIR="${REPORT_DIR:-$ROOT/target/mfaspec-report/peers}"
MOTO_VERSION="5.2.6"
# The reproductions' checks run their scripts with the AWS CLI v1 (as scripts/clients.sh pins it).
AWSCLI_VERSION="1.46.2"
COGNITO_LOCAL_VERSION="5.3.0"
MINISTACK_VERSION="1.5.33"
LOCALEMU_VERSION="1.3.2"
# fakecloud's version is pinned in emulators/fakecloud/Cargo.toml and its Cargo.lock.
FAKECLOUD_BIN="$PEERS/fakecloud/build/release/fakecloud-cognito-host"
# cognitox's version is pinned in emulators/cognitox/Cargo.toml and its Cargo.lock.
COGNITOX_BIN="$PEERS/cognitox/build/release/cognitox-host"
EMULATORS=(moto cognito-local ministack fakecloud localemu cognitox)

log() { echo "peers: $*" >&2; }

# install_venv NAME REQUIREMENT BINARY: a venv under $PEERS/NAME holding REQUIREMENT.
install_venv() {
  local name=$1 requirement=$2 binary=$3
  if [ -x "$PEERS/$name/bin/$binary" ]; then return; fi
  log "installing $requirement into $PEERS/$name"
  python3 -m venv "$PEERS/$name"
  "$PEERS/$name/bin/pip" install --quiet --disable-pip-version-check "$requirement"
}

install_cognito_local() {
  if [ -f "$PEERS/cognito-local/node_modules/cognito-local/lib/bin/start.js" ]; then return; fi
  log "installing cognito-local $COGNITO_LOCAL_VERSION into $PEERS/cognito-local"
  mkdir -p "$PEERS/cognito-local"
  npm install --silent --no-audit --no-fund --prefix "$PEERS/cognito-local" "cognito-local@$COGNITO_LOCAL_VERSION"
}

# LocalEmu's metadata says Python >= 3.10, but modules it loads beside Cognito need 3.13
# (`type` statements, warnings.deprecated): its CloudTrail recorder forwards every API call to
# EventBridge 60 s later, and on an older Python each forward fails (SyntaxError / ImportError
# in its log) and those threads keep it from stopping on SIGTERM (stop_all then kills it).
# Cognito itself answers the same on 3.11. LOCALEMU_PYTHON overrides the choice.
localemu_python() {
  if [ -n "${LOCALEMU_PYTHON:-}" ]; then echo "$LOCALEMU_PYTHON"; return; fi
  local p
  for p in python3.13 python3.14 "$(pyenv root 2>/dev/null)"/versions/3.1[34]*/bin/python3; do
    if "$p" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo python3
}

install_localemu() {
  if [ -x "$PEERS/localemu/bin/localemu" ]; then return; fi
  local python
  python=$(localemu_python)
  log "installing localemu $LOCALEMU_VERSION into $PEERS/localemu ($("$python" --version 2>&1))"
  "$python" -m venv "$PEERS/localemu"
  "$PEERS/localemu/bin/pip" install --quiet --disable-pip-version-check "localemu==$LOCALEMU_VERSION"
}

# fakecloud's Cognito service behind the host of emulators/fakecloud/ (AGPL code, downloaded
# and built here, never linked into mfaspec): rebuilt when its sources are newer than the
# binary. About 4 minutes on two cores (opt-level 1; the big-integer crates at 3).
# build_host NAME BINARY: the loopback host of emulators/NAME/, built when its sources (or
# those of emulators/loopback/, which every host shares) are newer than BINARY.
build_host() {
  local name=$1 bin=$2 dir="$ROOT/emulators/$1"
  if [ -x "$bin" ] && [ "$bin" -nt "$dir/src/main.rs" ] &&
    [ "$bin" -nt "$dir/Cargo.lock" ] && [ "$bin" -nt "$dir/Cargo.toml" ] &&
    [ "$bin" -nt "$ROOT/emulators/loopback/src/lib.rs" ]; then
    return
  fi
  log "building $name's loopback host (emulators/$name) into $PEERS/$name"
  cargo build --quiet --release --locked --manifest-path "$dir/Cargo.toml" \
    --target-dir "$PEERS/$name/build"
}

install_fakecloud() { build_host fakecloud "$FAKECLOUD_BIN"; }

# cognitox 0.1.2's router from its library on 127.0.0.1 (its own binary binds 0.0.0.0): about
# 2 minutes on two cores.
install_cognitox() { build_host cognitox "$COGNITOX_BIN"; }

install() {
  mkdir -p "$PEERS"
  local t
  for t in "$@"; do
    case "$t" in
      moto) install_venv moto "moto[cognitoidp,server]==$MOTO_VERSION" moto_server ;;
      cognito-local) install_cognito_local ;;
      ministack) install_venv ministack "ministack==$MINISTACK_VERSION" ministack ;;
      localemu) install_localemu ;;
      fakecloud) install_fakecloud ;;
      cognitox) install_cognitox ;;
      reference) ;;
      *) log "unknown target \`$t\` (expected: reference ${EMULATORS[*]})"; exit 2 ;;
    esac
  done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# exec's the emulator $1 on port $2 (in the current process: callers fork first).
exec_emulator() {
  local target=$1 port=$2
  case "$target" in
    moto)
      MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true exec "$PEERS/moto/bin/moto_server" -H 127.0.0.1 -p "$port"
      ;;
    cognito-local)
      # Its state lives in ./.cognito of the working directory: a fresh folder per start.
      local data="$PEERS/cognito-local/data-$port"
      rm -rf "$data" && mkdir -p "$data/.cognito"
      echo '{"UserPoolDefaults":{"UsernameAttributes":[]}}' >"$data/.cognito/config.json"
      cd "$data"
      HOST=127.0.0.1 PORT="$port" exec node "$PEERS/cognito-local/node_modules/cognito-local/lib/bin/start.js"
      ;;
    ministack)
      GATEWAY_PORT="$port" BIND_HOST=127.0.0.1 exec "$PEERS/ministack/bin/ministack"
      ;;
    fakecloud)
      # 127.0.0.1 only; no state on disk: a fresh process per run is a fresh emulator.
      # (Run in a fresh bash that knows only PEERS: the path is spelled out.)
      exec "$PEERS/fakecloud/build/release/fakecloud-cognito-host" --port "$port"
      ;;
    cognitox)
      # 127.0.0.1 only, in-memory storage: a fresh process per run is a fresh emulator.
      exec "$PEERS/cognitox/build/release/cognitox-host" --port "$port"
      ;;
    localemu)
      # Its default server (twisted) ignores --host for IPv4 and listens on 0.0.0.0; hypercorn
      # binds what GATEWAY_LISTEN says, which `localemu start` only defaults (so an inherited
      # one would win): set here. Its files go to a fresh FILESYSTEM_ROOT per start, not into
      # the venv's site-packages/.filesystem. Ready when it prints "Ready." (2-6 s). SIGTERM
      # stops it in 2-3 s, but its hypercorn shutdown now and then hangs: stop_all's SIGKILL
      # after 5 s ends it. Never `localemu stop`: it pkills every LocalEmu on the machine by
      # command-line pattern.
      local data="$PEERS/localemu/data-$port"
      rm -rf "$data" && mkdir -p "$data"
      GATEWAY_SERVER=hypercorn GATEWAY_LISTEN="127.0.0.1:$port" FILESYSTEM_ROOT="$data" \
        exec "$PEERS/localemu/bin/localemu" start --host 127.0.0.1 --port "$port"
      ;;
  esac
}

# Process groups of the emulators started by this script, stopped on any exit.
GROUPS_STARTED=()
stop_all() {
  local pgid
  for pgid in "${GROUPS_STARTED[@]}"; do
    kill -TERM -- "-$pgid" 2>/dev/null || true
  done
  for pgid in "${GROUPS_STARTED[@]}"; do
    for _ in $(seq 50); do
      kill -0 -- "-$pgid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$pgid" 2>/dev/null || true
  done
  GROUPS_STARTED=()
}
trap stop_all EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM

# Starts emulator $1 in its own process group; sets URL and PGID. Waits until it answers.
start_emulator() {
  local target=$1 port
  port=$(free_port)
  mkdir -p "$PEERS/logs"
  setsid bash -c "$(declare -f exec_emulator); PEERS='$PEERS'; exec_emulator '$target' '$port'" \
    >"$PEERS/logs/$target.log" 2>&1 &
  PGID=$!
  # Out of the job table: an emulator that stop_all has to kill is not reported as "Killed".
  disown "$PGID"
  GROUPS_STARTED+=("$PGID")
  URL="http://127.0.0.1:$port"
  local i
  for i in $(seq 600); do
    # Any HTTP answer means it is up.
    if curl -s -o /dev/null --max-time 1 "$URL/"; then
      log "$target is up at $URL (after $((i / 10)).$((i % 10)) s)"
      return 0
    fi
    if ! kill -0 "$PGID" 2>/dev/null; then
      log "$target exited before answering; its log ($PEERS/logs/$target.log):"
      tail -n 20 "$PEERS/logs/$target.log" >&2
      exit 2
    fi
    sleep 0.1
  done
  log "$target did not answer within 60 s; its log ($PEERS/logs/$target.log):"
  tail -n 20 "$PEERS/logs/$target.log" >&2
  exit 2
}

mfaspec_bin() {
  MFASPEC="${MFASPEC:-$ROOT/target/debug/mfaspec}"
  if [ ! -x "$MFASPEC" ]; then
    log "building $MFASPEC"
    cargo build --quiet --bin mfaspec
  fi
}

UNEXPECTED=()

# mfaspec run against target $1 (URL in $2, empty for the embedded endpoint); extra args after.
# Prints mfaspec's summary; the whole console output goes to the log. Returns mfaspec's code.
run_suite() {
  local target=$1 url=$2
  shift 2
  local args=(run --target "$target" --report-dir "$REPORT_DIR")
  [ -n "$url" ] && args+=(--endpoint "$url")
  [ -n "${TAGS:-}" ] && args+=(--tags "$TAGS")
  local out="$PEERS/logs/$target.run.log" code=0
  "$MFASPEC" "${args[@]}" "$@" >"$out" 2>&1 || code=$?
  # mfaspec's own summary: from its first line to the end.
  sed -n '/^mfaspec: /,$p' "$out" >&2
  return "$code"
}

run_target() {
  local target=$1 code=0 started=$SECONDS
  if [ "$target" = reference ]; then
    run_suite reference "" || code=$?
  else
    start_emulator "$target"
    run_suite "$target" "$URL" || code=$?
    stop_all
  fi
  log "$target: exit $code in $((SECONDS - started)) s"
  if [ "$code" != 0 ]; then
    UNEXPECTED+=("$target: mfaspec run exited $code (see above; full output in $PEERS/logs/$target.run.log)")
  fi
}

# Both kinds of strictness, proven against a real emulator (moto): a deviation that its
# expectations file does not list fails the run, and a listed entry for a scenario that
# passes fails the run.
strictness_checks() {
  local expectations="$ROOT/fixtures/expectations/moto.yaml" scratch="$PEERS/strictness"
  local outcomes="$REPORT_DIR/moto/outcomes.json"
  [ -f "$outcomes" ] || { log "strictness checks skipped: no moto run"; return; }
  mkdir -p "$scratch"
  local xfail pass
  xfail=$(python3 -c 'import json,sys; print(next(s["id"].split("[")[0] for s in json.load(open(sys.argv[1]))["scenarios"] if s["outcome"]=="xfail"))' "$outcomes")
  pass=$(python3 -c 'import json,sys; print(next(s["id"].split("[")[0] for s in json.load(open(sys.argv[1]))["scenarios"] if s["outcome"]=="pass"))' "$outcomes")
  # 1. The same expectations without the entry for $xfail.
  python3 - "$expectations" "$xfail" >"$scratch/unlisted.yaml" <<'PY'
import sys
lines, drop, out, skipping = open(sys.argv[1]).read().splitlines(), sys.argv[2], [], False
for line in lines:
    if line.startswith("  - id: "):
        skipping = line[len("  - id: "):].strip() == drop
    if not skipping:
        out.append(line)
print("\n".join(out))
PY
  # 2. The same expectations plus an entry for $pass.
  { cat "$expectations"; printf '  - id: %s\n    reason: "strictness check: listed although moto passes it"\n' "$pass"; } >"$scratch/stale.yaml"
  start_emulator moto
  local code
  code=0
  TAGS="" REPORT_DIR="$scratch/report" run_suite moto "$URL" --tags "@id:$xfail" --expectations "$scratch/unlisted.yaml" || code=$?
  if [ "$code" = 1 ]; then
    log "strictness: an unlisted moto deviation ($xfail) fails the run (exit 1) ✔"
  else
    UNEXPECTED+=("strictness: an unlisted deviation ($xfail) exited $code, not 1")
  fi
  code=0
  TAGS="" REPORT_DIR="$scratch/report" run_suite moto "$URL" --tags "@id:$pass" --expectations "$scratch/stale.yaml" || code=$?
  if [ "$code" = 1 ] && grep -q '"outcome": "xpass"' "$scratch/report/moto/outcomes.json"; then
    log "strictness: a listed entry that passes ($pass) fails the run as xpass (exit 1) ✔"
  else
    UNEXPECTED+=("strictness: a listed entry that passes ($pass) exited $code, not 1 with xpass")
  fi
  stop_all
}

# The reproductions `mfaspec run` left in repro/, proven against each emulator: each of these
# scripts, run as a user runs it (the AWS CLI, codes from `mfaspec code`), stops at the
# emulator's deviation (exit 1, both answers and the source printed) and runs clean against
# `mfaspec serve` (exit 0). Those with `wrong_code` or `before_association` compute TOTP
# codes or set up TOTP as they run.
REPRO_moto=(
  tokens.associate_software_token.not_a_token
  mfa_preference.set_user_mfa_preference.before_association
  codes.respond_to_auth_challenge.wrong_code
  feature_plans.create_user_pool.threat_protection_on_essentials
)
REPRO_cognito_local=(
  auth_flows.initiate_auth.flow_not_enabled
  email_mfa.set_user_pool_mfa_config.no_placeholder
  feature_plans.create_user_pool.threat_protection_on_essentials
  codes.respond_to_auth_challenge.wrong_code
)
REPRO_ministack=(
  auth_flows.initiate_auth.flow_not_enabled
  auth_flows.admin_initiate_auth.flow_not_enabled
  mfa_preference.set_user_mfa_preference.before_association
  email_mfa.set_user_pool_mfa_config.no_placeholder
)
REPRO_fakecloud=(
  auth_flows.initiate_auth.flow_not_enabled
  feature_plans.create_user_pool.threat_protection_on_essentials
  mfa_preference.set_user_mfa_preference.before_association
  email_mfa.set_user_pool_mfa_config.no_placeholder
)
REPRO_localemu=(
  auth_flows.admin_initiate_auth.flow_not_enabled
  email_mfa.set_user_pool_mfa_config.no_placeholder
  auth_flows.initiate_auth.secret_hash_missing
  codes.respond_to_auth_challenge.wrong_code
)
REPRO_cognitox=(
  auth_flows.initiate_auth.flow_not_enabled
  auth_flows.admin_initiate_auth.flow_not_enabled
  mfa_preference.set_user_mfa_preference.before_association
  codes.respond_to_auth_challenge.wrong_code
)
# repro_checks TARGET...: each target's scripts against it and against one `mfaspec serve`.
repro_checks() {
  local target id code out port serve_pid ids
  install_venv awscli "awscli==$AWSCLI_VERSION" aws
  local path="$PEERS/awscli/bin:$(dirname "$MFASPEC"):$PATH"
  port=$(free_port)
  "$MFASPEC" serve --addr "127.0.0.1:$port" >"$PEERS/logs/repro-serve.log" 2>&1 &
  serve_pid=$!
  local i
  for i in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  for target in "$@"; do
    local dir="$REPORT_DIR/$target/repro"
    local -n ids="REPRO_${target//-/_}"
    if [ ! -d "$dir" ]; then
      UNEXPECTED+=("repro: $target's run left no $dir")
      continue
    fi
    start_emulator "$target"
    for id in "${ids[@]}"; do
      if [ ! -f "$dir/$id.sh" ]; then
        UNEXPECTED+=("repro: no script for $id in $dir")
        continue
      fi
      code=0
      out=$(PATH="$path" bash "$dir/$id.sh" "$URL" 2>&1) || code=$?
      if [ "$code" = 1 ] && grep -q "differs from what AWS documents" <<<"$out" && grep -q "source: " <<<"$out"; then
        log "repro: $target: $id stops at the deviation (exit 1): $(grep -m1 'differs from' <<<"$out") ✔"
      else
        UNEXPECTED+=("repro: $id against $target exited $code, not 1 at a deviation: $out")
      fi
      code=0
      out=$(PATH="$path" bash "$dir/$id.sh" "http://127.0.0.1:$port" 2>&1) || code=$?
      if [ "$code" = 0 ]; then
        log "repro: $target: $id runs clean against mfaspec serve (exit 0) ✔"
      else
        UNEXPECTED+=("repro: $target's $id against mfaspec serve exited $code, not 0: $out")
      fi
    done
    stop_all
  done
  kill "$serve_pid" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
}

# The matrix in docs/emulators.md and the results history in docs/results/ (a file per
# target and version): checked, or with UPDATE_README=1 rewritten and recorded.
matrix() {
  "$MFASPEC" matrix "$REPORT_DIR"
  if [ "${UPDATE_README:-0}" = 1 ]; then
    "$MFASPEC" matrix "$REPORT_DIR" --readme "$ROOT/docs/emulators.md" --results "$ROOT/docs/results" --write
    log "docs/emulators.md: matrix updated; docs/results: this run recorded"
  elif ! "$MFASPEC" matrix "$REPORT_DIR" --readme "$ROOT/docs/emulators.md" --results "$ROOT/docs/results" --check; then
    UNEXPECTED+=("docs/emulators.md's compatibility matrix or docs/results/ is not what this run produced: UPDATE_README=1 scripts/peers.sh")
  fi
}

cmd_run() {
  local targets=("$@") started=$SECONDS
  [ ${#targets[@]} -gt 0 ] || targets=(reference "${EMULATORS[@]}")
  install "${targets[@]}"
  mfaspec_bin
  rm -rf "$REPORT_DIR"
  mkdir -p "$REPORT_DIR" "$PEERS/logs"
  local t
  for t in "${targets[@]}"; do
    run_target "$t"
  done
  local emulators=()
  for t in "${targets[@]}"; do
    [ "$t" = reference ] || emulators+=("$t")
  done
  [ ${#emulators[@]} -eq 0 ] || repro_checks "${emulators[@]}"
  if [[ " ${targets[*]} " == *" moto "* ]]; then
    strictness_checks
  fi
  # docs/emulators.md's matrix holds the full suite on the default targets; a partial run only
  # writes its own.
  if [ -z "${TAGS:-}" ] && [ "${targets[*]}" = "reference ${EMULATORS[*]}" ]; then
    matrix
  else
    "$MFASPEC" matrix "$REPORT_DIR"
  fi
  log "wall time: $((SECONDS - started)) s"
  if [ ${#UNEXPECTED[@]} -gt 0 ]; then
    log "unexpected outcomes:"
    printf '  %s\n' "${UNEXPECTED[@]}" >&2
    exit 1
  fi
  log "every target behaved as its expectations file says"
}

case "${1:-run}" in
  install)
    shift
    [ $# -gt 0 ] || set -- "${EMULATORS[@]}"
    install "$@"
    ;;
  paths)
    echo "moto_server=$PEERS/moto/bin/moto_server"
    echo "cognito_local=$PEERS/cognito-local/node_modules/cognito-local/lib/bin/start.js"
    echo "ministack=$PEERS/ministack/bin/ministack"
    echo "localemu=$PEERS/localemu/bin/localemu"
    echo "fakecloud=$FAKECLOUD_BIN"
    echo "cognitox=$COGNITOX_BIN"
    ;;
  start)
    [ $# -eq 2 ] || { echo "usage: scripts/peers.sh start TARGET" >&2; exit 2; }
    install "$2"
    start_emulator "$2"
    echo "$URL"
    log "Ctrl-C stops it"
    # Not `wait`: the emulator's group is disowned, so `wait` would return at once and the
    # EXIT trap would stop it.
    while kill -0 "$PGID" 2>/dev/null; do sleep 1; done
    ;;
  run)
    [ $# -eq 0 ] || shift
    cmd_run "$@"
    ;;
  reference | moto | cognito-local | ministack | fakecloud | localemu | cognitox)
    cmd_run "$@"
    ;;
  *)
    echo "usage: scripts/peers.sh [run] [TARGET...] | install [TARGET...] | start TARGET | paths" >&2
    exit 2
    ;;
esac
