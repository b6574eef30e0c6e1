"""The walk-through's own AWS CLI commands (AWS Knowledge Center, "How do I enable TOTP as a
multi-factor authentication for Amazon Cognito user pools?"; docs/behaviour.md §5), run with
the AWS CLI v1 from PyPI against a running `mfaspec serve`. Each command is the article's, with
`--endpoint-url` added; the pool, app client and user it assumes are made first. Prints
"aws cli: N passed, M failed" and exits non-zero on any deviation.

Usage: python scripts/clients/awscli_walkthrough.py AWS_BINARY http://127.0.0.1:PORT
"""
import json, os, subprocess, sys

from phone import safe_now, totp

AWS, URL = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="y", AWS_DEFAULT_REGION="us-east-1",
           AWS_CONFIG_FILE="/nonexistent/mfaspec/config", AWS_SHARED_CREDENTIALS_FILE="/nonexistent/mfaspec/credentials",
           AWS_PAGER="")
passed = failed = 0


def aws(*args):
    out = subprocess.run([AWS, "cognito-idp", *args, "--endpoint-url", URL, "--output", "json"],
                         env=ENV, capture_output=True, text=True)
    if out.returncode != 0:
        raise AssertionError(f"aws cognito-idp {args[0]} exited {out.returncode}: {out.stderr.strip()}")
    return json.loads(out.stdout) if out.stdout.strip() else {}


def step(name, ok):
    global passed, failed
    if ok:
        passed += 1
        print(f"aws cli: ok    {name}")
    else:
        failed += 1
        print(f"aws cli: FAIL  {name}")






try:
    # What the article assumes: a pool with MFA (step 0), an app client, a signed-in user.
    pool = aws("create-user-pool", "--pool-name", "walkthrough")["UserPool"]["Id"]
    aws("set-user-pool-mfa-config", "--user-pool-id", pool, "--mfa-configuration", "OPTIONAL",
        "--software-token-mfa-configuration", "Enabled=true")
    client = aws("create-user-pool-client", "--user-pool-id", pool, "--client-name", "app",
                 "--explicit-auth-flows", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")["UserPoolClient"]["ClientId"]
    aws("admin-create-user", "--user-pool-id", pool, "--username", "ExampleName", "--message-action", "SUPPRESS")
    aws("admin-set-user-password", "--user-pool-id", pool, "--username", "ExampleName",
        "--password", "Correct-Horse-9", "--permanent")
    signed_in = aws("admin-initiate-auth", "--user-pool-id", pool, "--client-id", client,
                    "--auth-flow", "ADMIN_USER_PASSWORD_AUTH", "--auth-parameters", "USERNAME=ExampleName,PASSWORD=Correct-Horse-9")
    access = signed_in["AuthenticationResult"]["AccessToken"]
    step("setup: the pool, app client and user the article assumes, signed in", bool(access))

    # Step 1.
    secret = aws("associate-software-token", "--access-token", access).get("SecretCode", "")
    step("step 1: associate-software-token --access-token … gives a SecretCode", len(secret) >= 16)
    # Steps 2-6 are on the phone; step 7.
    now = safe_now(margin=5)
    verified = aws("verify-software-token", "--access-token", access, "--user-code", totp(secret, now),
                   "--friendly-device-name", "BobPhone")
    step("step 7: verify-software-token --user-code … --friendly-device-name BobPhone is SUCCESS",
         verified.get("Status") == "SUCCESS")
    # Step 8, by the user and by an administrator.
    aws("set-user-mfa-preference", "--software-token-mfa-settings", "Enabled=true,PreferredMfa=true", "--access-token", access)
    aws("admin-set-user-mfa-preference", "--software-token-mfa-settings", "Enabled=true,PreferredMfa=true",
        "--username", "ExampleName", "--user-pool-id", pool)
    user = aws("admin-get-user", "--user-pool-id", pool, "--username", "ExampleName")
    step("step 8: set-user-mfa-preference and admin-set-user-mfa-preference make TOTP preferred",
         user.get("PreferredMfaSetting") == "SOFTWARE_TOKEN_MFA")
    # Step 9, as the article prints it.
    challenge = aws("admin-initiate-auth", "--user-pool-id", pool, "--client-id", client,
                    "--auth-flow", "ADMIN_USER_PASSWORD_AUTH", "--auth-parameters", "USERNAME=ExampleName,PASSWORD=Correct-Horse-9")
    step("step 9: admin-initiate-auth answers SOFTWARE_TOKEN_MFA with FRIENDLY_DEVICE_NAME and USER_ID_FOR_SRP",
         challenge.get("ChallengeName") == "SOFTWARE_TOKEN_MFA"
         and challenge["ChallengeParameters"].get("FRIENDLY_DEVICE_NAME") == "BobPhone"
         and challenge["ChallengeParameters"].get("USER_ID_FOR_SRP") == "ExampleName"
         and bool(challenge.get("Session")))
    # The step-7 code must not be used again (B2): the next step's is inside the window.
    done = aws("admin-respond-to-auth-challenge", "--user-pool-id", pool, "--client-id", client,
               "--challenge-name", "SOFTWARE_TOKEN_MFA",
               "--challenge-responses", f"USERNAME=ExampleName,SOFTWARE_TOKEN_MFA_CODE={totp(secret, now + 30)}",
               "--session", challenge["Session"])
    result = done.get("AuthenticationResult", {})
    step("step 9: admin-respond-to-auth-challenge gives access, ID and refresh tokens",
         all(result.get(k) for k in ("AccessToken", "IdToken", "RefreshToken")))
    aws("delete-user-pool", "--user-pool-id", pool)
except AssertionError as e:
    failed += 1
    print(f"aws cli: FAIL  {e}")
print(f"aws cli: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
