#!/usr/bin/env bash
# mfa_bypass.initiate_auth.totp_enabled_not_preferred: TOTP enabled without being preferred: every sign-in still asks for it
# Scenario: features/mfa_bypass.feature:22
# Documented in: docs/behaviour.md §1. Wire protocol
# Source: API-SUMP, API reference: SetUserMFAPreference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html
# Made by mfaspec from a run against cognitox (0.1.2): xfail.
# There it differs at step 10 of 10 (InitiateAuth).
#
# Usage: mfa_bypass.initiate_auth.totp_enabled_not_preferred.sh [ENDPOINT]   (default: http://127.0.0.1:9229)
# Needs the AWS CLI, and mfaspec or oathtool for the TOTP codes. Exit: 0 when every
# answer is as AWS documents, 1 at the first that is not, 2 when it cannot run.

ENDPOINT="${1:-http://127.0.0.1:9229}"
DOCUMENTED='  see docs/behaviour.md §1. Wire protocol
  source: API-SUMP, API reference: SetUserMFAPreference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html'
set -u
command -v aws >/dev/null 2>&1 || { echo "repro: the AWS CLI (aws) is not on PATH" >&2; exit 2; }
if ! command -v mfaspec >/dev/null 2>&1 && ! command -v oathtool >/dev/null 2>&1; then
  echo "repro: TOTP codes need mfaspec or oathtool on PATH" >&2; exit 2
fi
# Any credentials do for an emulator; a real pool's come from the environment.
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-test}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}" AWS_MAX_ATTEMPTS=1 AWS_PAGER=""
WORK="$(mktemp -d)" && chmod 700 "$WORK" || exit 2
RUN="mfaspec-r$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')" && RUN_ID="${RUN#mfaspec-}"
SECRETS=() POOL_IDS=() CLIENT_IDS=() DOMAINS=() LAST_STEP=-1
cleanup() {
  local d
  for d in ${DOMAINS[@]+"${DOMAINS[@]}"}; do
    aws cognito-idp delete-user-pool-domain --endpoint-url "$ENDPOINT" --user-pool-id "${d%% *}" --domain "${d#* }" >/dev/null 2>&1
  done
  for d in ${POOL_IDS[@]+"${POOL_IDS[@]}"}; do
    aws cognito-idp delete-user-pool --endpoint-url "$ENDPOINT" --user-pool-id "$d" >/dev/null 2>&1
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Text as it may be shown: the run's secrets and anything token-shaped replaced.
shown() {
  local s="$1" v
  for v in ${SECRETS[@]+"${SECRETS[@]}"}; do s="${s//"$v"/<redacted>}"; done
  printf '%s' "$s" | sed -E -e 's/eyJ[A-Za-z0-9._=+/-]{17,}/<redacted>/g' -e 's/[A-Za-z0-9._=+/-]{40,}/<redacted>/g'
}
# A message as the reference states it: ids, names and times as placeholders.
normalised() {
  local s v
  s="$(shown "$1")"
  for v in ${POOL_IDS[@]+"${POOL_IDS[@]}"}; do s="${s//"$v"/<pool-id>}"; done
  for v in ${CLIENT_IDS[@]+"${CLIENT_IDS[@]}"}; do s="${s//"$v"/<client-id>}"; done
  printf '%s' "$s" | sed -E -e "s/${RUN}[A-Za-z0-9_-]*-user-[A-Za-z0-9_-]*/<username>/g" \
    -e "s/${RUN}[A-Za-z0-9_-]*/<name>/g" -e 's/[a-z]{2}(-[a-z]+)+-[0-9]_[A-Za-z0-9]+/<pool-id>/g' \
    -e 's/[0-9]{9,}/<time>/g'
}
secret() { [ -n "$1" ] && [ "$1" != None ] && SECRETS+=("$1"); }
totp() { # KEY UNIX_TIME
  if command -v mfaspec >/dev/null 2>&1; then printf '%s' "$1" | mfaspec code --at "$2" -
  else printf '%s' "$1" | oathtool --totp -b -N "@$2" -; fi
}
safe_now() { # now, away from a step's last seconds
  local now; now=$(date +%s)
  if (( now % 30 > 26 )); then sleep $(( 30 - now % 30 )); now=$(date +%s); fi
  printf '%s' "$now"
}
# The code helpers set the variable named first (a command substitution could not keep
# LAST_STEP), and note the code as a secret.
fresh_code() { # VAR KEY: the code of a step no code of this script has used yet
  local now; now=$(safe_now)
  while (( now / 30 <= LAST_STEP )); do sleep $(( 30 - now % 30 )); now=$(safe_now); done
  LAST_STEP=$(( now / 30 ))
  printf -v "$1" '%s' "$(totp "$2" "$now")"; secret "${!1}"
}
offset_code() { # VAR KEY STEPS: the code STEPS steps from now (-1: the previous step's)
  local now; now=$(safe_now)
  printf -v "$1" '%s' "$(totp "$2" $(( now + 30 * $3 )))"; secret "${!1}"
}
wrong_code() { # VAR KEY: a code of no step within three of now
  local now near=" " c n; now=$(safe_now)
  for n in -3 -2 -1 0 1 2 3; do near+="$(totp "$2" $(( now + 30 * n ))) "; done
  c=$(totp "$2" "$now")
  while :; do
    c=$(printf '%06d' $(( (10#$c + 500009) % 1000000 )))
    [[ "$near" == *" $c "* ]] || break
  done
  printf -v "$1" '%s' "$c"
}
password() { printf 'Rp%s-9x' "$(od -An -N9 -tx1 /dev/urandom | tr -d ' \n')"; }
secret_hash() { # USERNAME CLIENT_ID CLIENT_SECRET
  printf '%s%s' "$1" "$2" | openssl dgst -sha256 -hmac "$3" -binary | base64
}
# call N COMMAND QUERY: the request in $WORK/in.json; the answer's fields (a JMESPath list)
# in OUT, or the error in ERR_TYPE and ERR_MESSAGE.
call() {
  local out err
  OUT=() ERR_TYPE="" ERR_MESSAGE=""
  if out="$(aws cognito-idp "$2" --endpoint-url "$ENDPOINT" --cli-input-json "file://$WORK/in.json" \
      --query "$3" --output text 2>"$WORK/err")"; then
    STATUS=ok
    IFS=$'\t' read -r -a OUT <<< "$out"
  else
    STATUS=error
    err="$(tr '\n' ' ' < "$WORK/err" | sed -E 's/^ +//; s/ +$//')"
    ERR_TYPE="$(sed -n -E 's/.*An error occurred \(([^)]*)\).*/\1/p' <<< "$err")"
    ERR_MESSAGE="$(sed -n -E 's/.*An error occurred \([^)]*\) when calling the [^ ]+ operation[^:]*: (.*[^ ]) *$/\1/p' <<< "$err")"
    if [ -z "$ERR_TYPE" ]; then
      # Not an answer of the endpoint: the AWS CLI refused to send the request (its own
      # parameter checks) or could not reach the endpoint. Nothing was compared.
      printf '\nstep %s: the AWS CLI did not get an answer: %s\n' "$1" "$(shown "$err")" >&2
      exit 2
    fi
  fi
  rm -f "$WORK/in.json"
}
answered() {
  if [ "$STATUS" = ok ]; then printf 'success'; else printf '%s: %s' "$ERR_TYPE" "$(shown "$ERR_MESSAGE")"; fi
}
differs() { # N OPERATION WHAT DOCUMENTED OBSERVED
  printf '\nstep %s, %s: %s differs from what AWS documents\n' "$1" "$2" "$3"
  printf '  AWS documents:  %s\n' "$4"
  printf '  this endpoint:  %s\n' "$(shown "$5")"
  printf '%s\n' "$DOCUMENTED"
  exit 1
}
expect_success() { [ "$STATUS" = ok ] || differs "$1" "$2" "the answer" "the call succeeds" "$(answered)"; }
expect_error() { # N OPERATION TYPE [MESSAGE]
  if [ "$STATUS" != error ] || [ "$ERR_TYPE" != "$3" ]; then
    differs "$1" "$2" "the answer" "$3${4:+: $4}" "$(answered)"
  fi
  if [ $# -ge 4 ] && [ "$(normalised "$ERR_MESSAGE")" != "$4" ]; then
    differs "$1" "$2" "the message" "$3: $4" "$ERR_TYPE: $(normalised "$ERR_MESSAGE")"
  fi
}
expect_value() { # N OPERATION PATH DOCUMENTED OBSERVED
  [ "$5" = "$4" ] && return
  if [ "$5" = None ]; then differs "$1" "$2" "$3" "$4" "(absent)"; else differs "$1" "$2" "$3" "$4" "$5"; fi
}
expect_present() { # N OPERATION PATH OBSERVED (True when the answer has it)
  [ "$4" = True ] || differs "$1" "$2" "$3" "present" "(absent)"
}

# 1. CreateUserPool
cat > "$WORK/in.json" <<JSON
{
  "PoolName": "${RUN}-pool-1",
  "UserPoolTags": {
    "mfaspec:run": "${RUN_ID}"
  }
}
JSON
call 1 create-user-pool '[UserPool.Id]'
expect_success 1 CreateUserPool
POOL_ID_1="${OUT[0]:-}"; POOL_IDS+=("$POOL_ID_1")

# 2. SetUserPoolMfaConfig
cat > "$WORK/in.json" <<JSON
{
  "MfaConfiguration": "OPTIONAL",
  "SoftwareTokenMfaConfiguration": {
    "Enabled": true
  },
  "UserPoolId": "${POOL_ID_1}"
}
JSON
call 2 set-user-pool-mfa-config '`null`'
expect_success 2 SetUserPoolMfaConfig

# 3. CreateUserPoolClient
cat > "$WORK/in.json" <<JSON
{
  "ClientName": "${RUN}-client-1",
  "ExplicitAuthFlows": [
    "ALLOW_USER_PASSWORD_AUTH"
  ],
  "GenerateSecret": false,
  "UserPoolId": "${POOL_ID_1}"
}
JSON
call 3 create-user-pool-client '[UserPoolClient.ClientId]'
expect_success 3 CreateUserPoolClient
CLIENT_ID_3="${OUT[0]:-}"; CLIENT_IDS+=("$CLIENT_ID_3")

# 4. AdminCreateUser
cat > "$WORK/in.json" <<JSON
{
  "MessageAction": "SUPPRESS",
  "UserAttributes": [],
  "UserPoolId": "${POOL_ID_1}",
  "Username": "${RUN}-user-1"
}
JSON
call 4 admin-create-user '`null`'
expect_success 4 AdminCreateUser

# 5. AdminSetUserPassword
PASSWORD_1="$(password)"; secret "$PASSWORD_1"
cat > "$WORK/in.json" <<JSON
{
  "Password": "${PASSWORD_1}",
  "Permanent": true,
  "UserPoolId": "${POOL_ID_1}",
  "Username": "${RUN}-user-1"
}
JSON
call 5 admin-set-user-password '`null`'
expect_success 5 AdminSetUserPassword

# 6. InitiateAuth
cat > "$WORK/in.json" <<JSON
{
  "AuthFlow": "USER_PASSWORD_AUTH",
  "AuthParameters": {
    "PASSWORD": "${PASSWORD_1}",
    "USERNAME": "${RUN}-user-1"
  },
  "ClientId": "${CLIENT_ID_3}"
}
JSON
call 6 initiate-auth '[AuthenticationResult.AccessToken]'
expect_success 6 InitiateAuth
ACCESS_TOKEN_6="${OUT[0]:-}"; secret "$ACCESS_TOKEN_6"

# 7. AssociateSoftwareToken
cat > "$WORK/in.json" <<JSON
{
  "AccessToken": "${ACCESS_TOKEN_6}"
}
JSON
call 7 associate-software-token '[SecretCode]'
expect_success 7 AssociateSoftwareToken
SECRET_CODE_7="${OUT[0]:-}"; secret "$SECRET_CODE_7"

# 8. VerifySoftwareToken
fresh_code CODE_8 "$SECRET_CODE_7"
cat > "$WORK/in.json" <<JSON
{
  "AccessToken": "${ACCESS_TOKEN_6}",
  "FriendlyDeviceName": "BobPhone",
  "UserCode": "${CODE_8}"
}
JSON
call 8 verify-software-token '`null`'
expect_success 8 VerifySoftwareToken

# 9. SetUserMFAPreference
cat > "$WORK/in.json" <<JSON
{
  "AccessToken": "${ACCESS_TOKEN_6}",
  "SoftwareTokenMfaSettings": {
    "Enabled": true,
    "PreferredMfa": false
  }
}
JSON
call 9 set-user-mfa-preference '`null`'
expect_success 9 SetUserMFAPreference

# 10. InitiateAuth
cat > "$WORK/in.json" <<JSON
{
  "AuthFlow": "USER_PASSWORD_AUTH",
  "AuthParameters": {
    "PASSWORD": "${PASSWORD_1}",
    "USERNAME": "${RUN}-user-1"
  },
  "ClientId": "${CLIENT_ID_3}"
}
JSON
call 10 initiate-auth '[ChallengeName, ChallengeParameters.FRIENDLY_DEVICE_NAME != `null`, ChallengeParameters.USER_ID_FOR_SRP != `null`, Session != `null`]'
expect_success 10 InitiateAuth
expect_value 10 InitiateAuth 'ChallengeName' 'SOFTWARE_TOKEN_MFA' "${OUT[0]:-}"
expect_present 10 InitiateAuth 'ChallengeParameters.FRIENDLY_DEVICE_NAME' "${OUT[1]:-}"
expect_present 10 InitiateAuth 'ChallengeParameters.USER_ID_FOR_SRP' "${OUT[2]:-}"
expect_present 10 InitiateAuth 'Session' "${OUT[3]:-}"

echo "every answer was as AWS documents (10 steps)"
exit 0
