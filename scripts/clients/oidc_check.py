"""Authlib (PyPI, the OAuth 2.0 / OpenID Connect client library) against the hosted UI of a
running `mfaspec serve`, unchanged: the pool's discovery document, the authorization code
flow with PKCE and a nonce built by authlib, the sign-in and TOTP forms submitted as a browser
submits them, the code exchanged by authlib (a public client; a client with a secret by HTTP
Basic and in the body), the ID token validated by authlib's OpenID Connect rules against the
JWKS, refresh, userInfo, and the refusals. Prints "authlib: N passed, M failed" and exits
non-zero on any failure.

Usage: python scripts/clients/oidc_check.py http://127.0.0.1:PORT
"""
import html.parser
import socket
import sys
import urllib.parse
import warnings

import boto3
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
warnings.filterwarnings("ignore", message="authlib.jose module is deprecated")
from authlib.jose import JsonWebKey, jwt  # noqa: E402
from authlib.oidc.core import CodeIDToken

from checklist import check, run
from phone import safe_now, totp

URL = sys.argv[1]
PORT = urllib.parse.urlsplit(URL).port
KW = {"endpoint_url": URL, "aws_access_key_id": "x", "aws_secret_access_key": "y"}
admin = boto3.client("cognito-idp", region_name="us-east-1", **KW)
PASSWORD = "Correct-Horse-9"
CALLBACK = "http://localhost:8400/callback"

# The hosted UI is at http://<prefix>.auth.<region>.localhost:<port>/: browsers send *.localhost
# to loopback; give this process the same resolution.
_getaddrinfo = socket.getaddrinfo


def _loopback_localhost(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith(".localhost"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_localhost


class Forms(html.parser.HTMLParser):
    """The forms of a page: action and fields (hidden ones with their values)."""

    def __init__(self, text):
        super().__init__()
        self.forms = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["fields"][a["name"]] = a.get("value") or ""


USED = set()


def fresh_code(key):
    """A code of a step the endpoint has not seen from this key: the current one, else a
    neighbour (the endpoint accepts one step either side)."""
    now = safe_now()
    for offset in (0, 30, -30):
        step = (key, int(now + offset) // 30)
        if step not in USED:
            USED.add(step)
            return totp(key, now + offset)
    raise AssertionError("no fresh step left in this window")


def fixture(totp_user=True, secret=False, prefix="authlib"):
    pool_id = admin.create_user_pool(PoolName="authlib")["UserPool"]["Id"]
    admin.set_user_pool_mfa_config(UserPoolId=pool_id, MfaConfiguration="OPTIONAL",
                                   SoftwareTokenMfaConfiguration={"Enabled": True})
    admin.create_user_pool_domain(UserPoolId=pool_id, Domain=prefix)
    c = admin.create_user_pool_client(
        UserPoolId=pool_id, ClientName="web", GenerateSecret=secret,
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        AllowedOAuthFlowsUserPoolClient=True, AllowedOAuthFlows=["code"],
        AllowedOAuthScopes=["openid", "email"], CallbackURLs=[CALLBACK],
        SupportedIdentityProviders=["COGNITO"])["UserPoolClient"]
    admin.admin_create_user(UserPoolId=pool_id, Username="ada", MessageAction="SUPPRESS",
                            TemporaryPassword=PASSWORD,
                            UserAttributes=[{"Name": "email", "Value": "ada@example.com"}])
    admin.admin_set_user_password(UserPoolId=pool_id, Username="ada", Password=PASSWORD, Permanent=True)
    key = None
    if totp_user:
        tokens = admin.admin_initiate_auth(UserPoolId=pool_id, ClientId=c["ClientId"],
                                           AuthFlow="ADMIN_USER_PASSWORD_AUTH",
                                           AuthParameters={"USERNAME": "ada", "PASSWORD": PASSWORD})
        access = tokens["AuthenticationResult"]["AccessToken"]
        key = admin.associate_software_token(AccessToken=access)["SecretCode"]
        admin.verify_software_token(AccessToken=access, UserCode=fresh_code(key))
        admin.set_user_mfa_preference(AccessToken=access,
                                      SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True})
    discovery = requests.get(f"{URL}/{pool_id}/.well-known/openid-configuration").json()
    return pool_id, c, key, discovery


def sign_in(discovery, client_id, key, secret=None, auth_method="none"):
    """Authlib builds the authorization URL (state, PKCE S256, nonce); the forms are posted as
    a browser posts them; returns (session, callback URL, verifier, nonce)."""
    oauth = OAuth2Session(client_id, client_secret=secret, scope="openid email", redirect_uri=CALLBACK,
                          code_challenge_method="S256", token_endpoint_auth_method=auth_method)
    verifier, nonce = generate_token(48), generate_token(16)
    uri, state = oauth.create_authorization_url(discovery["authorization_endpoint"],
                                                code_verifier=verifier, nonce=nonce)
    browser = requests.Session()
    page = browser.get(uri)
    assert page.status_code == 200 and "cognitoSignInForm" in page.text, page.text[:300]
    form = Forms(page.text).forms[0]
    fields = dict(form["fields"], username="ada", password=PASSWORD)
    page = browser.post(urllib.parse.urljoin(page.url, form["action"]), data=fields, allow_redirects=False)
    if key is not None:
        assert page.status_code == 302, page.status_code
        page = browser.get(urllib.parse.urljoin(uri, page.headers["Location"]))
        form = Forms(page.text).forms[0]
        code = fresh_code(key)
        page = browser.post(urllib.parse.urljoin(page.url, form["action"]),
                            data=dict(form["fields"], totpCode=code), allow_redirects=False)
    assert page.status_code == 302, (page.status_code, page.text[:300])
    back = page.headers["Location"]
    assert back.startswith(CALLBACK), back
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)["state"] == [state]
    return oauth, back, verifier, nonce


def validate_id_token(token, discovery, client_id, nonce):
    jwks = JsonWebKey.import_key_set(requests.get(discovery["jwks_uri"]).json())
    claims = jwt.decode(token["id_token"], jwks, claims_cls=CodeIDToken,
                        claims_options={"iss": {"values": [discovery["issuer"]]}},
                        claims_params={"nonce": nonce, "client_id": client_id})
    claims.validate()
    return claims




@check("the discovery document names the hosted UI's endpoints, S256 and the JWKS")
def discovery_document():
    _, _, _, d = fixture(prefix="authlib-discovery")
    for key in ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "issuer"]:
        assert d.get(key), (key, d)
    assert "S256" in d["code_challenge_methods_supported"], d
    assert d["authorization_endpoint"].endswith(f".localhost:{PORT}/oauth2/authorize"), d


@check("a TOTP user: authlib's PKCE code flow, the ID token valid by OIDC's rules, userInfo, refresh")
def code_flow_with_totp():
    pool_id, c, key, d = fixture(prefix="authlib-totp")
    oauth, back, verifier, nonce = sign_in(d, c["ClientId"], key)
    token = oauth.fetch_token(d["token_endpoint"], authorization_response=back, code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token.get("refresh_token"), list(token)
    claims = validate_id_token(token, d, c["ClientId"], nonce)
    assert claims["cognito:username"] == "ada", dict(claims)
    info = oauth.get(d["userinfo_endpoint"]).json()
    assert info["username"] == "ada" and info["email"] == "ada@example.com", info
    refreshed = oauth.refresh_token(d["token_endpoint"], refresh_token=token["refresh_token"])
    assert refreshed["access_token"] != token["access_token"], "refresh gave the same token"


@check("a wrong PKCE verifier and a code used twice are invalid_grant")
def refusals():
    pool_id, c, key, d = fixture(prefix="authlib-refusals")
    oauth, back, verifier, _ = sign_in(d, c["ClientId"], key)
    try:
        oauth.fetch_token(d["token_endpoint"], authorization_response=back, code_verifier=verifier[:-1] + "x")
        raise AssertionError("a wrong verifier was accepted")
    except OAuthError as e:
        assert e.error == "invalid_grant", e.error
    oauth, back, verifier, _ = sign_in(d, c["ClientId"], key)
    oauth.fetch_token(d["token_endpoint"], authorization_response=back, code_verifier=verifier)
    try:
        oauth.fetch_token(d["token_endpoint"], authorization_response=back, code_verifier=verifier)
        raise AssertionError("a code was accepted twice")
    except OAuthError as e:
        assert e.error == "invalid_grant", e.error


@check("a client with a secret: client_secret_basic and client_secret_post")
def confidential_client():
    # A user without MFA: the code comes straight after the password.
    pool_id, c, _, d = fixture(totp_user=False, secret=True, prefix="authlib-secret")
    for method in ["client_secret_basic", "client_secret_post"]:
        oauth, back, verifier, nonce = sign_in(d, c["ClientId"], None, c["ClientSecret"], method)
        token = oauth.fetch_token(d["token_endpoint"], authorization_response=back, code_verifier=verifier)
        validate_id_token(token, d, c["ClientId"], nonce)
    wrong = OAuth2Session(c["ClientId"], client_secret="wrong", redirect_uri=CALLBACK,
                          token_endpoint_auth_method="client_secret_basic")
    oauth, back, verifier, _ = sign_in(d, c["ClientId"], None, c["ClientSecret"], "client_secret_basic")
    try:
        wrong.fetch_token(d["token_endpoint"], authorization_response=back, code_verifier=verifier)
        raise AssertionError("a wrong client secret was accepted")
    except OAuthError as e:
        assert e.error == "invalid_client", e.error


run("authlib")
