"""pycognito (PyPI, SRP as NabuCasa ships it) against a running `mfaspec serve`, unchanged:
USER_SRP_AUTH with no Session on PASSWORD_VERIFIER, the software-token challenge, tokens
verified against the pool's JWKS, NEW_PASSWORD_REQUIRED, a client secret, refresh, and the
refusals. Prints "pycognito: N passed, M failed" and exits non-zero on any failure.

Usage: python scripts/clients/pycognito_check.py http://127.0.0.1:PORT
"""
import sys, time

import boto3
from botocore.exceptions import ClientError
from pycognito import Cognito
from pycognito.aws_srp import AWSSRP, generate_hash_device
from pycognito.exceptions import SoftwareTokenMFAChallengeException

from checklist import check, run
from phone import safe_now, totp

URL = sys.argv[1]
KW = {"endpoint_url": URL, "aws_access_key_id": "x", "aws_secret_access_key": "y"}
admin = boto3.client("cognito-idp", region_name="us-east-1", **KW)
PASSWORD = "Correct-Horse-9"






def pool(mode="OPTIONAL", secret=False):
    pool_id = admin.create_user_pool(PoolName="pycognito")["UserPool"]["Id"]
    if mode != "OFF":
        admin.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration=mode,
                                       SoftwareTokenMfaConfiguration={"Enabled": True})
    c = admin.create_user_pool_client(UserPoolId=pool_id, ClientName="app", GenerateSecret=secret,
                                      ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    return pool_id, c["UserPoolClient"]["ClientId"], c["UserPoolClient"].get("ClientSecret")


def user(pool_id, name, permanent=True, password=PASSWORD, attributes=()):
    admin.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS",
                            TemporaryPassword=password, UserAttributes=list(attributes))
    if permanent:
        admin.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=password, Permanent=True)


def cognito(pool_id, client_id, name, secret=None):
    return Cognito(pool_id, client_id, username=name, client_secret=secret,
                   boto3_client_kwargs=dict(KW))




@check("authenticate (USER_SRP_AUTH) gives tokens that verify against the pool's JWKS")
def _():
    p, c, _ = pool()
    user(p, "alice")
    u = cognito(p, c, "alice")
    u.authenticate(password=PASSWORD)
    u.verify_tokens()
    assert u.id_claims["cognito:username"] == "alice", u.id_claims
    assert u.access_claims["token_use"] == "access"


@check("TOTP setup, then authenticate raises the software-token challenge, answered with a code")
def _():
    p, c, _ = pool()
    # pycognito's set_user_mfa_preference always sends SMSMfaSettings, even {Enabled: false},
    # which AWS refuses for a user without a phone_number (docs/behaviour.md §2.5): so bob has one.
    user(p, "bob", attributes=[{"Name": "phone_number", "Value": "+15555550100"}])
    u = cognito(p, c, "bob")
    u.authenticate(password=PASSWORD)
    secret = u.associate_software_token()
    now = safe_now()
    assert u.verify_software_token(totp(secret, now), "BobPhone"), "verify_software_token"
    u.set_user_mfa_preference(sms_mfa=False, software_token_mfa=True, preferred="SOFTWARE_TOKEN")
    again = cognito(p, c, "bob")
    try:
        again.authenticate(password=PASSWORD)
        raise AssertionError("no software-token challenge")
    except SoftwareTokenMFAChallengeException as e:
        tokens = e.get_tokens()
        assert tokens["ChallengeName"] == "SOFTWARE_TOKEN_MFA", tokens
        assert tokens["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"] == "BobPhone", tokens
    # The setup used this step's code: the next step's is fresh (and inside the window).
    again.respond_to_software_token_mfa_challenge(totp(secret, now + 30))
    again.verify_tokens()
    assert again.access_claims["username"] == "bob"


@check("a wrong password is NotAuthorizedException 'Incorrect username or password.'")
def _():
    p, c, _ = pool()
    user(p, "carol")
    try:
        cognito(p, c, "carol").authenticate(password="Wrong-Pa55word!")
        raise AssertionError("a wrong password signed in")
    except ClientError as e:
        err = e.response["Error"]
        assert (err["Code"], err["Message"]) == ("NotAuthorizedException", "Incorrect username or password."), err


@check("an unknown user is UserNotFoundException")
def _():
    p, c, _ = pool()
    try:
        cognito(p, c, "nobody").authenticate(password=PASSWORD)
        raise AssertionError("an unknown user signed in")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "UserNotFoundException", e.response["Error"]


@check("a temporary password: new_password_challenge through SRP, then SRP with the new one")
def _():
    p, c, _ = pool(mode="OFF")
    user(p, "dave", permanent=False, password="Temp-Pa55word!")
    u = cognito(p, c, "dave")
    u.new_password_challenge(password="Temp-Pa55word!", new_password=PASSWORD)
    u2 = cognito(p, c, "dave")
    u2.authenticate(password=PASSWORD)
    u2.verify_tokens()


@check("an app client with a secret: SECRET_HASH on both legs")
def _():
    p, c, secret = pool(secret=True)
    user(p, "erin")
    u = cognito(p, c, "erin", secret=secret)
    u.authenticate(password=PASSWORD)
    u.verify_tokens()


@check("renew_access_token (REFRESH_TOKEN_AUTH) gives a new access token that verifies")
def _():
    p, c, _ = pool()
    user(p, "fay")
    u = cognito(p, c, "fay")
    u.authenticate(password=PASSWORD)
    first = u.access_token
    time.sleep(1.1)
    u.renew_access_token()
    assert u.access_token != first
    u.verify_token(u.access_token, "access_token", "access")


@check("a remembered device (generate_hash_device + ConfirmDevice) signs in through DEVICE_SRP_AUTH, with no TOTP challenge")
def _():
    # pycognito's own confirm_device posts to a hard-coded AWS URL: its generate_hash_device
    # makes the verifier, boto3 sends it.
    pool_id = admin.create_user_pool(PoolName="devices", DeviceConfiguration={
        "ChallengeRequiredOnNewDevice": True, "DeviceOnlyRememberedOnUserPrompt": False})["UserPool"]["Id"]
    admin.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                   SoftwareTokenMfaConfiguration={"Enabled": True})
    c = admin.create_user_pool_client(UserPoolId=pool_id, ClientName="app",
                                      ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    client_id = c["UserPoolClient"]["ClientId"]
    user(pool_id, "gus")
    u = cognito(pool_id, client_id, "gus")
    u.authenticate(password=PASSWORD)
    secret = u.associate_software_token()
    now = safe_now()
    assert u.verify_software_token(totp(secret, now), "GusPhone")
    u.client.set_user_mfa_preference(AccessToken=u.access_token,
                                     SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    idp = boto3.client("cognito-idp", region_name="us-east-1", **KW)
    try:
        AWSSRP("gus", PASSWORD, pool_id, client_id, client=idp).authenticate_user()
        raise AssertionError("no software-token challenge")
    except SoftwareTokenMFAChallengeException as e:
        session = e.get_tokens()["Session"]
    done = idp.respond_to_auth_challenge(ClientId=client_id, ChallengeName="SOFTWARE_TOKEN_MFA", Session=session,
                                         ChallengeResponses={"USERNAME": "gus", "SOFTWARE_TOKEN_MFA_CODE": totp(secret, now + 30)})
    metadata = done["AuthenticationResult"]["NewDeviceMetadata"]
    key, group = metadata["DeviceKey"], metadata["DeviceGroupKey"]
    device_password, config = generate_hash_device(group, key)
    confirmed = idp.confirm_device(AccessToken=done["AuthenticationResult"]["AccessToken"], DeviceKey=key,
                                   DeviceSecretVerifierConfig=config, DeviceName="pycognito")
    assert confirmed["UserConfirmationNecessary"] is False, confirmed
    tokens = AWSSRP("gus", PASSWORD, pool_id, client_id, client=idp, device_key=key, device_group_key=group,
                    device_password=device_password).authenticate_user()
    result = tokens["AuthenticationResult"]
    assert result["AccessToken"] and "NewDeviceMetadata" not in result, list(result)
    listed = idp.list_devices(AccessToken=result["AccessToken"])["Devices"]
    assert [d["DeviceKey"] for d in listed] == [key], listed


run("pycognito")
