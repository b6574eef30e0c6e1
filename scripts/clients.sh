#!/usr/bin/env bash
# Real Cognito clients against `mfaspec serve`, unchanged: pycognito (SRP from PyPI), the AWS
# CLI v1 replaying the walk-through's own commands, Amplify JS v6 in Node (SRP, TOTP setup,
# the TOTP challenge, USER_AUTH, email MFA beside TOTP), boto3's raw USER_AUTH and
# SELECT_MFA_TYPE exchanges, and Authlib, an OAuth 2.0 / OpenID Connect client, through the
# hosted UI. Installed locally under target/peers/ (nothing global); each prints
# "<client>: N passed, M failed".
#
#   scripts/clients.sh            install what is missing, start `serve`, run the five, stop it
#
# Environment: MFASPEC (the binary; default target/debug/mfaspec, built if missing),
# MFASPEC_PEERS_DIR (default target/peers).
# Exit status: 0 when every check passed; 1 when any failed; 2 when a client cannot be
# installed or the endpoint does not start.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PEERS="${MFASPEC_PEERS_DIR:-$ROOT/target/peers}"
MFASPEC="${MFASPEC:-$ROOT/target/debug/mfaspec}"
PYCOGNITO_VERSION="2024.5.1"
AWSCLI_VERSION="1.46.2"
AMPLIFY_VERSION="6.22.1"
AUTHLIB_VERSION="1.9.6"

log() { echo "clients: $*" >&2; }

install() {
  local py="$PEERS/clients-py"
  if ! "$py/bin/python" -c 'import pycognito, awscli, authlib' 2>/dev/null; then
    log "installing pycognito $PYCOGNITO_VERSION, awscli $AWSCLI_VERSION and authlib $AUTHLIB_VERSION into $py"
    python3 -m venv "$py"
    "$py/bin/pip" install --quiet --disable-pip-version-check \
      "pycognito==$PYCOGNITO_VERSION" "awscli==$AWSCLI_VERSION" "authlib==$AUTHLIB_VERSION" boto3 requests \
      || { log "pip install failed"; exit 2; }
  fi
  if [ ! -f "$PEERS/amplify/node_modules/aws-amplify/package.json" ]; then
    log "installing aws-amplify $AMPLIFY_VERSION into $PEERS/amplify"
    mkdir -p "$PEERS/amplify"
    npm install --silent --no-audit --no-fund --prefix "$PEERS/amplify" "aws-amplify@$AMPLIFY_VERSION" \
      || { log "npm install failed"; exit 2; }
  fi
}

install
[ -x "$MFASPEC" ] || cargo build --quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
serve_log="$PEERS/clients-serve.log"
"$MFASPEC" serve --addr "127.0.0.1:$port" 2>"$serve_log" &
serve_pid=$!
trap 'kill "$serve_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q listening "$serve_log" 2>/dev/null && break
  sleep 0.1
done
grep -q listening "$serve_log" || { log "mfaspec serve did not start: $(cat "$serve_log")"; exit 2; }
url="http://127.0.0.1:$port"

status=0
"$PEERS/clients-py/bin/python" scripts/clients/pycognito_check.py "$url" || status=1
"$PEERS/clients-py/bin/python" scripts/clients/oidc_check.py "$url" || status=1
"$PEERS/clients-py/bin/python" scripts/clients/boto3_modern_check.py "$url" || status=1
"$PEERS/clients-py/bin/python" scripts/clients/awscli_walkthrough.py "$PEERS/clients-py/bin/aws" "$url" || status=1
# Node resolves packages from the script's folder: run a copy beside node_modules.
cp scripts/clients/amplify_check.mjs "$PEERS/amplify/check.mjs"
node "$PEERS/amplify/check.mjs" "$url" 2> >(grep -v 'custom Amazon Amazon Cognito User Pool endpoint' >&2) || status=1

kill -INT "$serve_pid"
wait "$serve_pid" || true
trap - EXIT
exit "$status"
