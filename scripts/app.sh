#!/usr/bin/env bash
# A real app nobody here wrote, in a real browser: apps/authenticator (Amplify JS v6 and
# @aws-amplify/ui-react's Authenticator, bundled with esbuild) against `mfaspec serve`
# (seeded, with the phone route, the hosted UI over HTTPS), driven by Playwright in headless
# Debian Chromium. Installed under target/peers/authenticator (nothing global).
#
#   scripts/app.sh            the checks must pass
#   scripts/app.sh --break    the same with CORS off (--cors-origins none): they must fail,
#                             and say that the browser refused serve's answers (CORS)
#
# Environment: MFASPEC (default target/debug/mfaspec), MFASPEC_PEERS_DIR (default
# target/peers), APP_SCREENSHOTS (a folder: the docs' screenshots are taken there),
# CHROMIUM (default /usr/bin/chromium).
# Exit status: 0 when the checks did what was asked; 1 when not; 2 when something could not
# be installed or started.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PEERS="${MFASPEC_PEERS_DIR:-$ROOT/target/peers}"
MFASPEC="${MFASPEC:-$ROOT/target/debug/mfaspec}"
APP="$PEERS/authenticator"
mode="${1:-}"
log() { echo "app: $*" >&2; }

# The app's files beside its node_modules (ESM resolves packages from the file's folder).
mkdir -p "$APP"
cp -r apps/authenticator/src apps/authenticator/tests apps/authenticator/index.html \
  apps/authenticator/package.json apps/authenticator/package-lock.json \
  apps/authenticator/playwright.config.mjs "$APP/"
if ! cmp -s "$APP/package-lock.json" "$APP/node_modules/.mfaspec-lock" 2>/dev/null; then
  log "installing the app's packages (npm ci) into $APP"
  (cd "$APP" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund) \
    || { log "npm ci failed"; exit 2; }
  cp "$APP/package-lock.json" "$APP/node_modules/.mfaspec-lock"
fi
(cd "$APP" && npm run --silent build) || { log "the app does not build"; exit 2; }
cp "$APP/index.html" "$APP/dist/"
[ -x "$MFASPEC" ] || cargo build --quiet

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api=$(free_port); tls=$(free_port); web=$(free_port)
origin="http://localhost:$web"
# A self-signed certificate for the hosted UI's HTTPS (the browser is told to accept it).
mkdir -p "$APP/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,DNS:*.auth.us-east-1.localhost,IP:127.0.0.1" \
  -keyout "$APP/tls/key.pem" -out "$APP/tls/cert.pem" 2>/dev/null \
  || { log "openssl could not make a certificate"; exit 2; }
# dave's TOTP secret: fresh each run, never printed.
secret=$(python3 -c 'import base64,os; print(base64.b32encode(os.urandom(20)).decode())')
sed -e "s#APP_ORIGIN#$origin#g" -e "s#APP_DAVE_SECRET#$secret#g" apps/authenticator/seed.yaml >"$APP/seed.yaml"
cors=loopback
[ "$mode" = "--break" ] && cors=none

serve_log="$APP/serve.log"
"$MFASPEC" serve --addr "127.0.0.1:$api" --tls-addr "127.0.0.1:$tls" \
  --tls-cert "$APP/tls/cert.pem" --tls-key "$APP/tls/key.pem" \
  --seed "$APP/seed.yaml" --phone --cors-origins "$cors" 2>"$serve_log" &
serve_pid=$!
python3 -m http.server "$web" --bind 127.0.0.1 --directory "$APP/dist" >/dev/null 2>&1 &
web_pid=$!
trap 'kill "$serve_pid" "$web_pid" 2>/dev/null || true; rm -f "$APP/seed.yaml"' EXIT
for _ in $(seq 100); do
  grep -q "seeded" "$serve_log" 2>/dev/null && break
  sleep 0.1
done
grep -q "seeded" "$serve_log" || { log "mfaspec serve did not start: $(cat "$serve_log")"; exit 2; }
cat >"$APP/dist/config.js" <<JS
window.APP_CONFIG = {
  userPoolId: 'us-east-1_AppE2e001',
  userPoolClientId: 'appe2eclient00000000000001',
  userPoolEndpoint: 'http://127.0.0.1:$api',
  oauthDomain: 'app-e2e.auth.us-east-1.localhost:$tls',
};
JS

set +e
(cd "$APP" && APP_ORIGIN="$origin" SERVE_URL="http://127.0.0.1:$api" POOL_ID=us-east-1_AppE2e001 \
  MFASPEC="$MFASPEC" APP_REPORT="$APP/report/junit.xml" npx playwright test) >"$APP/playwright.log" 2>&1
status=$?
set -e
if [ "$mode" = "--break" ]; then
  if [ "$status" -ne 0 ] && grep -q "CORS" "$APP/playwright.log"; then
    grep -m1 "the browser refused" "$APP/playwright.log" | sed 's/^/app (CORS off, as it must): /'
    echo "app: with CORS off the checks fail, saying why: 1 passed, 0 failed"
    exit 0
  fi
  cat "$APP/playwright.log"
  log "with CORS off the checks did not fail naming CORS"
  exit 1
fi
cat "$APP/playwright.log"
[ "$status" -eq 0 ] || { log "the app's checks failed (serve's log: $serve_log)"; exit 1; }
