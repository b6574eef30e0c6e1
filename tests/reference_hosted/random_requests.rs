//! Random requests at the hosted UI: whatever the path, query, cookies and form, the
//! answer is a page, a redirect or an OAuth error — never a 500 or a panic.

use std::sync::{Arc, Mutex, OnceLock};

use mfaspec::reference::hosted::{HostedRequest, PATHS};
use mfaspec::reference::{Endpoint, Options, RequestMeta};
use proptest::prelude::*;
use serde_json::{Value, json};

struct World {
    endpoint: Arc<Endpoint>,
    client: String,
}

fn call(endpoint: &Endpoint, target: &str, body: Value) -> Value {
    let target = format!("AWSCognitoIdentityProviderService.{target}");
    let meta = RequestMeta {
        target: Some(&target),
        content_type: Some("application/x-amz-json-1.1"),
        authorization: Some("AWS4-HMAC-SHA256 Credential=x"),
        host: Some("127.0.0.1:1"),
    };
    let (status, answer) = endpoint.handle(meta, body.to_string().as_bytes());
    assert_eq!(status, 200, "{target}: {answer}");
    answer
}

fn world() -> &'static Mutex<World> {
    static WORLD: OnceLock<Mutex<World>> = OnceLock::new();
    WORLD.get_or_init(|| {
        let endpoint = Endpoint::new(&Options::default()).expect("the endpoint starts");
        let pool = call(&endpoint, "CreateUserPool", json!({ "PoolName": "fuzz" }));
        let pool = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
        call(&endpoint, "SetUserPoolMfaConfig", json!({ "UserPoolId": pool, "MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": { "Enabled": true } }));
        call(&endpoint, "CreateUserPoolDomain", json!({ "UserPoolId": pool, "Domain": "fuzz" }));
        let client = call(&endpoint, "CreateUserPoolClient", json!({ "UserPoolId": pool, "ClientName": "c",
            "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"],
            "CallbackURLs": [super::CALLBACK], "SupportedIdentityProviders": ["COGNITO"] }));
        let client = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
        call(&endpoint, "AdminCreateUser", json!({ "UserPoolId": pool, "Username": "u" }));
        call(&endpoint, "AdminSetUserPassword", json!({ "UserPoolId": pool, "Username": "u", "Password": super::PASSWORD, "Permanent": true }));
        Mutex::new(World { endpoint, client })
    })
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("response_type=code".to_owned()),
        Just("client_id=$CLIENT".to_owned()),
        Just(format!(
            "redirect_uri={}",
            "http%3A%2F%2Flocalhost%3A8080%2Fcallback"
        )),
        Just("scope=openid".to_owned()),
        Just("code_challenge_method=S256".to_owned()),
        Just("grant_type=authorization_code".to_owned()),
        Just("grant_type=refresh_token".to_owned()),
        Just("username=u".to_owned()),
        Just(format!("password={}", super::PASSWORD)),
        Just("totpCode=123456".to_owned()),
        Just("logout_uri=x".to_owned()),
        "[a-z_]{1,12}=[ -~]{0,40}",
        "[%&=+a-zA-Z0-9]{0,30}",
        any::<String>(),
    ]
}

fn form() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..8).prop_map(|p| p.join("&"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_hosted_requests_never_fail_the_server(
        method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]),
        path in prop::sample::select(PATHS.iter().copied().chain(["/nope", "/oauth2"]).collect::<Vec<_>>()),
        query in form(),
        body in form(),
        cookie in prop::option::of(prop_oneof![Just("XSRF-TOKEN=$CSRF".to_owned()), "[ -~]{0,60}"]),
        host in prop::sample::select(vec!["fuzz.auth.us-east-1.localhost:1", "other.auth.us-east-1.localhost:1", "127.0.0.1:1", ""]),
        authorization in prop::option::of(prop_oneof![Just("Basic Og==".to_owned()), Just("Bearer eyJ.x.y".to_owned()), "[ -~]{0,30}"]),
        content_type in prop::option::of(prop::sample::select(vec!["application/x-www-form-urlencoded", "text/plain"])),
    ) {
        let guard = world().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let sub = |s: &str| s.replace("$CLIENT", &guard.client);
        // A live CSRF token, from a sign-in page of this run.
        let page = guard.endpoint.hosted(&HostedRequest {
            method: "GET", path: "/login", host: "fuzz.auth.us-east-1.localhost:1",
            query: &format!("response_type=code&client_id={}&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback", guard.client),
            ..HostedRequest::default()
        });
        let csrf = page.cookies.first().and_then(|c| c.split(';').next()).and_then(|c| c.split_once('=')).map(|(_, v)| v.to_owned()).unwrap_or_default();
        let cookie = cookie.map(|c| c.replace("$CSRF", &csrf));
        let query = sub(&query);
        let body = sub(&body).replace("$CSRF", &csrf);
        let answer = guard.endpoint.hosted(&HostedRequest {
            method,
            path,
            query: &query,
            host,
            cookie: cookie.as_deref(),
            authorization: authorization.as_deref(),
            content_type,
            body: body.as_bytes(),
        });
        prop_assert!([200, 302, 400, 401, 404, 405].contains(&answer.status), "{} {} {}: {}", method, path, answer.status, answer.body);
        prop_assert_eq!(answer.status == 302, answer.location.is_some());
        if answer.content_type.starts_with("application/json") {
            let v: Value = serde_json::from_str(&answer.body).unwrap();
            prop_assert!(answer.status == 200 || v["error"].is_string(), "{}", answer.body);
        } else {
            prop_assert!(answer.status == 302 || answer.body.starts_with("<!DOCTYPE html>"), "{}", answer.body);
        }
    }
}
