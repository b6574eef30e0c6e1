#!/usr/bin/env bash
# Cognito emulators as peers, installed locally under target/peers/ (nothing global).
#   scripts/peers.sh install      install whatever is missing (moto in a venv, cognito-local via npm)
#   scripts/peers.sh paths        print where each emulator's start command lives
# The benchmark `cargo bench --bench endpoint` starts them on loopback; issue 5 adds the
# conformance runs and the compatibility matrix here.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS="${MFASPEC_PEERS_DIR:-$PWD/target/peers}"
MOTO_VERSION="5.2.5"
COGNITO_LOCAL_VERSION="5.3.0"

install_moto() {
  if [ -x "$PEERS/moto/bin/moto_server" ]; then return; fi
  echo "peers: installing moto $MOTO_VERSION into $PEERS/moto" >&2
  python3 -m venv "$PEERS/moto"
  "$PEERS/moto/bin/pip" install --quiet --disable-pip-version-check "moto[cognitoidp,server]==$MOTO_VERSION"
}

install_cognito_local() {
  if [ -f "$PEERS/cognito-local/node_modules/cognito-local/lib/bin/start.js" ]; then return; fi
  echo "peers: installing cognito-local $COGNITO_LOCAL_VERSION into $PEERS/cognito-local" >&2
  mkdir -p "$PEERS/cognito-local"
  npm install --silent --no-audit --no-fund --prefix "$PEERS/cognito-local" "cognito-local@$COGNITO_LOCAL_VERSION"
}

case "${1:-}" in
  install)
    mkdir -p "$PEERS"
    install_moto
    install_cognito_local
    ;;
  paths)
    echo "moto_server=$PEERS/moto/bin/moto_server"
    echo "cognito_local=$PEERS/cognito-local/node_modules/cognito-local/lib/bin/start.js"
    ;;
  *)
    echo "usage: scripts/peers.sh install|paths" >&2
    exit 2
    ;;
esac
