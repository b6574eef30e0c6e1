"""boto3 (botocore's own service model) against a running `mfaspec serve`, as raw calls: the
choice-based sign-in exchange (USER_AUTH → SELECT_CHALLENGE → PASSWORD → SOFTWARE_TOKEN_MFA),
its admin variant with a preferred challenge, SELECT_MFA_TYPE between TOTP and email with the
emailed code read from the endpoint's outbox, GetUserAuthFactors, and feature plans. botocore
parses every answer against the model, so a member the model does not know fails here.
Prints "boto3: N passed, M failed" and exits non-zero on any failure.

Usage: python scripts/clients/boto3_modern_check.py http://127.0.0.1:PORT
"""
import json, re, sys, urllib.parse, urllib.request

import boto3
from botocore.exceptions import ClientError

from checklist import check, run
from phone import safe_now, totp

URL = sys.argv[1]
KW = {"endpoint_url": URL, "aws_access_key_id": "x", "aws_secret_access_key": "y"}
idp = boto3.client("cognito-idp", region_name="us-east-1", **KW)
PASSWORD = "Correct-Horse-9"
state = {}


def pool(mode="OPTIONAL"):
    pool_id = idp.create_user_pool(PoolName="boto3")["UserPool"]["Id"]
    idp.set_user_pool_mfa_config(
        UserPoolId=pool_id, MfaConfiguration=mode,
        SoftwareTokenMfaConfiguration={"Enabled": True},
        EmailMfaConfiguration={"Message": "Your code is {####}", "Subject": "Your code"})
    client = idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_AUTH", "ALLOW_USER_PASSWORD_AUTH",
                           "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
    return pool_id, client["UserPoolClient"]["ClientId"]


def user(pool_id, name):
    idp.admin_create_user(UserPoolId=pool_id, Username=name, MessageAction="SUPPRESS",
                          UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}])
    idp.admin_set_user_password(UserPoolId=pool_id, Username=name, Password=PASSWORD, Permanent=True)


def emailed_code(address):
    with urllib.request.urlopen(f"{URL}/_mfaspec/outbox?to={urllib.parse.quote(address)}") as r:
        messages = json.load(r)["messages"]
    assert messages, f"no email to {address}"
    return re.findall(r"\d{4,10}", messages[-1]["body"])[-1]


def enrol(pool_id, client_id, name, preferred):
    """TOTP set up for `name`, enabled (preferred or not); returns (secret, the step used)."""
    tokens = idp.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                               AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD})
    access = tokens["AuthenticationResult"]["AccessToken"]
    secret = idp.associate_software_token(AccessToken=access)["SecretCode"]
    now = safe_now()
    idp.verify_software_token(AccessToken=access, UserCode=totp(secret, now))
    idp.set_user_mfa_preference(AccessToken=access,
                                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": preferred})
    return secret, now, access


@check("USER_AUTH: SELECT_CHALLENGE with AvailableChallenges, PASSWORD in the same answer, then SOFTWARE_TOKEN_MFA")
def _():
    p, c = pool()
    user(p, "hana")
    secret, setup, _ = enrol(p, c, "hana", preferred=True)
    state["hana"] = (p, c, secret, setup)
    r = idp.initiate_auth(ClientId=c, AuthFlow="USER_AUTH", AuthParameters={"USERNAME": "hana"})
    assert r["ChallengeName"] == "SELECT_CHALLENGE", r
    assert {"PASSWORD", "PASSWORD_SRP"} <= set(r["AvailableChallenges"]), r["AvailableChallenges"]
    r = idp.respond_to_auth_challenge(
        ClientId=c, ChallengeName="SELECT_CHALLENGE", Session=r["Session"],
        ChallengeResponses={"USERNAME": "hana", "ANSWER": "PASSWORD", "PASSWORD": PASSWORD})
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA", f"USER_AUTH skipped MFA: {r.get('ChallengeName')}"
    r = idp.respond_to_auth_challenge(
        ClientId=c, ChallengeName="SOFTWARE_TOKEN_MFA", Session=r["Session"],
        ChallengeResponses={"USERNAME": "hana", "SOFTWARE_TOKEN_MFA_CODE": totp(secret, setup + 30)})
    assert r["AuthenticationResult"]["TokenType"] == "Bearer"


@check("AdminInitiateAuth USER_AUTH with PREFERRED_CHALLENGE PASSWORD: SOFTWARE_TOKEN_MFA, a wrong code refused")
def _():
    p, c, secret, setup = state["hana"]
    r = idp.admin_initiate_auth(UserPoolId=p, ClientId=c, AuthFlow="USER_AUTH",
                                AuthParameters={"USERNAME": "hana", "PREFERRED_CHALLENGE": "PASSWORD",
                                                "PASSWORD": PASSWORD})
    assert r["ChallengeName"] == "SOFTWARE_TOKEN_MFA", r.get("ChallengeName")
    right = totp(secret, setup - 30)
    try:
        idp.admin_respond_to_auth_challenge(
            UserPoolId=p, ClientId=c, ChallengeName="SOFTWARE_TOKEN_MFA", Session=r["Session"],
            ChallengeResponses={"USERNAME": "hana",
                                "SOFTWARE_TOKEN_MFA_CODE": "111111" if right == "000000" else "000000"})
        raise AssertionError("a wrong code was accepted")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "CodeMismatchException", e.response["Error"]
    r = idp.admin_respond_to_auth_challenge(
        UserPoolId=p, ClientId=c, ChallengeName="SOFTWARE_TOKEN_MFA", Session=r["Session"],
        ChallengeResponses={"USERNAME": "hana", "SOFTWARE_TOKEN_MFA_CODE": right})
    assert "AccessToken" in r["AuthenticationResult"]


@check("SELECT_MFA_TYPE between TOTP and email, answered EMAIL_OTP; EMAIL_OTP_CODE from the outbox")
def _():
    p, c = pool()
    user(p, "ivan")
    _, _, access = enrol(p, c, "ivan", preferred=False)
    idp.set_user_mfa_preference(AccessToken=access, EmailMfaSettings={"Enabled": True, "PreferredMfa": False})
    factors = idp.get_user_auth_factors(AccessToken=access)
    assert set(factors["UserMFASettingList"]) == {"SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}, factors
    assert "PASSWORD" in factors["ConfiguredUserAuthFactors"], factors
    r = idp.initiate_auth(ClientId=c, AuthFlow="USER_PASSWORD_AUTH",
                          AuthParameters={"USERNAME": "ivan", "PASSWORD": PASSWORD})
    assert r["ChallengeName"] == "SELECT_MFA_TYPE", r.get("ChallengeName")
    offered = json.loads(r["ChallengeParameters"]["MFAS_CAN_CHOOSE"])
    assert set(offered) == {"SOFTWARE_TOKEN_MFA", "EMAIL_OTP"}, offered
    r = idp.respond_to_auth_challenge(ClientId=c, ChallengeName="SELECT_MFA_TYPE", Session=r["Session"],
                                      ChallengeResponses={"USERNAME": "ivan", "ANSWER": "EMAIL_OTP"})
    assert r["ChallengeName"] == "EMAIL_OTP", r.get("ChallengeName")
    assert r["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"] == "EMAIL"
    r = idp.respond_to_auth_challenge(
        ClientId=c, ChallengeName="EMAIL_OTP", Session=r["Session"],
        ChallengeResponses={"USERNAME": "ivan", "EMAIL_OTP_CODE": emailed_code("ivan@example.com")})
    assert "AccessToken" in r["AuthenticationResult"]


@check("feature plans: Essentials by default, UpdateUserPool to Plus, threat protection refused below it")
def _():
    pool_id = idp.create_user_pool(PoolName="plans")["UserPool"]["Id"]
    assert idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]["UserPoolTier"] == "ESSENTIALS"
    try:
        idp.update_user_pool(UserPoolId=pool_id, UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})
        raise AssertionError("threat protection was accepted on Essentials")
    except ClientError as e:
        assert e.response["Error"]["Code"] == "FeatureUnavailableInTierException", e.response["Error"]
    idp.update_user_pool(UserPoolId=pool_id, UserPoolTier="PLUS",
                         UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})
    described = idp.describe_user_pool(UserPoolId=pool_id)["UserPool"]
    assert described["UserPoolTier"] == "PLUS", described["UserPoolTier"]


run("boto3")
