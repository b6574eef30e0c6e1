//! Random requests at the reference endpoint: whatever the target, media type and body,
//! the answer is 200 or a Cognito-shaped 400 (`{"__type","message"}`), never a 500 or a
//! panic. Stateful: a pool, app clients, a signed-in user, tokens and an MFA_SETUP session
//! exist (`mfaspec::reference::fixture`), and bodies mix real member names with random
//! values and those real ids, so that requests get past the lookups into the operations.

use std::sync::{Arc, Mutex, OnceLock};

use mfaspec::reference::fixture::State;
use mfaspec::reference::{Endpoint, Options, RequestMeta};
use mfaspec::vocabulary::Operation;
use proptest::prelude::*;
use serde_json::{Map, Value};

fn world() -> &'static Mutex<(Arc<Endpoint>, State)> {
    static WORLD: OnceLock<Mutex<(Arc<Endpoint>, State)>> = OnceLock::new();
    WORLD.get_or_init(|| {
        let endpoint = Endpoint::new(&Options::default()).expect("the endpoint starts");
        let state = State::create(&endpoint);
        Mutex::new((endpoint, state))
    })
}

const MEMBERS: &[&str] = &[
    "UserPoolId",
    "ClientId",
    "Username",
    "Password",
    "PoolName",
    "ClientName",
    "AccessToken",
    "Session",
    "UserCode",
    "AuthFlow",
    "AuthParameters",
    "ChallengeName",
    "ChallengeResponses",
    "MfaConfiguration",
    "SoftwareTokenMfaConfiguration",
    "SoftwareTokenMfaSettings",
    "ExplicitAuthFlows",
    "AuthSessionValidity",
    "MaxResults",
    "Limit",
    "Filter",
    "Permanent",
    "TemporaryPassword",
    "UserAttributes",
    "GenerateSecret",
    "FriendlyDeviceName",
    "AccessTokenValidity",
    "IdTokenValidity",
    "RefreshTokenValidity",
    "TokenValidityUnits",
    "AccessToken",
    "IdToken",
    "RefreshToken",
    "PreventUserExistenceErrors",
    "NextToken",
    "PaginationToken",
    "SmsMfaConfiguration",
    "SMSMfaSettings",
    "USERNAME",
    "PASSWORD",
    "SECRET_HASH",
    "SOFTWARE_TOKEN_MFA_CODE",
    "NEW_PASSWORD",
    "ANSWER",
    "REFRESH_TOKEN",
    "SRP_A",
    "PASSWORD_CLAIM_SECRET_BLOCK",
    "PASSWORD_CLAIM_SIGNATURE",
    "TIMESTAMP",
    "DEVICE_KEY",
    "DeviceKey",
    "DeviceName",
    "DeviceSecretVerifierConfig",
    "PasswordVerifier",
    "Salt",
    "DeviceRememberedStatus",
    "DeviceConfiguration",
    "ChallengeRequiredOnNewDevice",
    "DeviceOnlyRememberedOnUserPrompt",
    "Domain",
    "ManagedLoginVersion",
    "CustomDomainConfig",
    "Bogus",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "[ -~]{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "OFF",
            "ON",
            "OPTIONAL",
            "USER_PASSWORD_AUTH",
            "ADMIN_USER_PASSWORD_AUTH",
            "REFRESH_TOKEN_AUTH",
            "USER_SRP_AUTH",
            "PASSWORD_VERIFIER",
            "DEVICE_SRP_AUTH",
            "DEVICE_PASSWORD_VERIFIER",
            "remembered",
            "not_remembered",
            "0",
            "ffffffffffffffffc90fdaa2",
            "Tue Dec 1 07:14:16 UTC 2026",
            "SOFTWARE_TOKEN_MFA",
            "MFA_SETUP",
            "SELECT_MFA_TYPE",
            "123456",
            "us-east-1_x",
            "seconds",
            "minutes",
            "hours",
            "days",
        ])
        .prop_map(|s| Value::String(s.to_owned())),
        // The fixture's ids and tokens, twice as likely as any one word above.
        prop::sample::select(State::PLACEHOLDERS).prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(MEMBERS), inner), 0..4).prop_map(|kv| {
                Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec((prop::sample::select(MEMBERS), json_value()), 0..6)
            .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect::<Map<_, _>>()).to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
        1 => json_value().prop_map(|v| v.to_string().into_bytes()),
    ]
}

fn target() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        6 => prop::sample::select(Operation::ALL).prop_map(|op| Some(format!("AWSCognitoIdentityProviderService.{}", op.name()))),
        1 => "[ -~]{0,40}".prop_map(Some),
        1 => Just(None),
    ]
}

/// The fixture exists: the placeholders stand for real things.
#[test]
fn the_fixture_is_real() {
    let guard = world()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let (_, state) = &*guard;
    assert!(state.pool.starts_with("us-east-1_"));
    assert!(state.access.starts_with("eyJ"));
    assert!(!state.session.is_empty() && !state.refresh.is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]


    #[test]
    fn random_requests_get_cognito_shaped_answers(
        target in target(),
        content_type in prop::sample::select(vec![Some("application/x-amz-json-1.1"), Some("application/x-amz-json-1.1"), Some("text/plain"), None]),
        signed in any::<bool>(),
        body in body(),
    ) {
        let mut guard = world().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (endpoint, state) = &mut *guard;
        state.refresh_if_gone(endpoint);
        let body = match std::str::from_utf8(&body) {
            Ok(text) => state.substitute(text).into_bytes(),
            Err(_) => body,
        };
        let meta = RequestMeta {
            target: target.as_deref(),
            content_type,
            authorization: signed.then_some("AWS4-HMAC-SHA256 Credential=x"),
            host: Some("127.0.0.1:1"),
        };
        let (status, answer) = endpoint.handle(meta, &body);
        prop_assert!(status == 200 || status == 400, "status {} for {:?}: {}", status, target, answer);
        if status == 400 {
            prop_assert!(answer["__type"].as_str().is_some_and(|t| t.ends_with("Exception")), "{}", answer);
            prop_assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()), "{}", answer);
        } else {
            prop_assert!(answer.is_object(), "{}", answer);
        }
    }
}
