"""The walk-through through boto3, unchanged, against a running `mfaspec serve`.

Usage: python scripts/boto3_walkthrough.py http://127.0.0.1:PORT
Covers NEW_PASSWORD_REQUIRED -> MFA_SETUP (Session chain) -> SOFTWARE_TOKEN_MFA with
FRIENDLY_DEVICE_NAME, a reused code refused with ExpiredCodeException, the next step accepted.
Exits non-zero on any deviation.
"""
import base64, hashlib, hmac, struct, sys, time

import boto3

c = boto3.client("cognito-idp", endpoint_url=sys.argv[1], region_name="us-east-1",
                 aws_access_key_id="x", aws_secret_access_key="y")
pool = c.create_user_pool(PoolName="boto")["UserPool"]["Id"]
c.set_user_pool_mfa_config(UserPoolId=pool, MfaConfiguration="ON", SoftwareTokenMfaConfiguration={"Enabled": True})
cid = c.create_user_pool_client(UserPoolId=pool, ClientName="a", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])["UserPoolClient"]["ClientId"]
c.admin_create_user(UserPoolId=pool, Username="bob", TemporaryPassword="Temp-Pass-1", MessageAction="SUPPRESS")
r = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "bob", "PASSWORD": "Temp-Pass-1"})
assert r["ChallengeName"] == "NEW_PASSWORD_REQUIRED", r
r = c.respond_to_auth_challenge(ClientId=cid, ChallengeName="NEW_PASSWORD_REQUIRED", Session=r["Session"], ChallengeResponses={"USERNAME": "bob", "NEW_PASSWORD": "Correct-Horse-9"})
assert r["ChallengeName"] == "MFA_SETUP", r
a = c.associate_software_token(Session=r["Session"])
def totp(secret, t):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    h = hmac.new(key, struct.pack(">Q", int(t) // 30), hashlib.sha1).digest()
    o = h[-1] & 15
    return "%06d" % ((struct.unpack(">I", h[o:o+4])[0] & 0x7fffffff) % 1000000)
v = c.verify_software_token(Session=a["Session"], UserCode=totp(a["SecretCode"], time.time()), FriendlyDeviceName="BotoPhone")
assert v["Status"] == "SUCCESS"
done = c.respond_to_auth_challenge(ClientId=cid, ChallengeName="MFA_SETUP", Session=v["Session"], ChallengeResponses={"USERNAME": "bob"})
assert "AccessToken" in done["AuthenticationResult"]
r = c.initiate_auth(ClientId=cid, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "bob", "PASSWORD": "Correct-Horse-9"})
assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA" and r["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "BotoPhone", r
try:
    c.respond_to_auth_challenge(ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=r["Session"], ChallengeResponses={"USERNAME": "bob", "SOFTWARE_TOKEN_MFA_CODE": totp(a["SecretCode"], time.time())})
    raise SystemExit("reused code accepted")
except c.exceptions.ExpiredCodeException as e:
    print("boto3: reused code ->", e.response["Error"])
ok = c.respond_to_auth_challenge(ClientId=cid, ChallengeName="SOFTWARE_TOKEN_MFA", Session=r["Session"], ChallengeResponses={"USERNAME": "bob", "SOFTWARE_TOKEN_MFA_CODE": totp(a["SecretCode"], time.time() + 30)})
print("boto3: walk-through OK; token type", ok["AuthenticationResult"]["TokenType"])
