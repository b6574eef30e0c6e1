//! The reference endpoint over raw AWS JSON 1.1: malformed requests, and each documented
//! behaviour and error case of spec §2–§4 with its exception and message. The endpoint runs
//! in-process on loopback with clock control, so minutes pass in milliseconds.

use std::sync::Arc;

use mfaspec::cognito::{Client, Ledger, RetryPolicy};
use mfaspec::reference::{Options, Running, secret_hash};
use mfaspec::totp::{Secret, Totp};
use mfaspec::vocabulary::{Operation, message};
use serde_json::{Value, json};

pub(crate) const PASSWORD: &str = "Correct-Horse-9";

/// The endpoint and the harness's own client to it (`mfaspec::cognito::Client`), retries
/// off: every answer is the endpoint's first.
pub struct Wire {
    client: Client,
    pub running: Running,
}

/// An error answer: (status, __type, message).
type Failure = (u16, String, String);

impl Wire {
    pub async fn start() -> Wire {
        Wire::with(Options {
            clock_control: true,
            ..Options::default()
        })
        .await
    }

    /// An endpoint on loopback; with clock control its clock is frozen 10 s into a step, as
    /// the runner freezes it, so no test meets a step boundary by chance.
    pub async fn with(options: Options) -> Wire {
        let running = Running::start("127.0.0.1:0".parse().unwrap(), &options)
            .await
            .unwrap();
        if let Some(clock) = running.endpoint.clock_control() {
            use mfaspec::clock::Clock as _;
            clock.freeze_at(mfaspec::clock::inside_step_millis(
                mfaspec::clock::SystemClock.now_secs(),
            ));
        }
        let client = Client::new(&running.url())
            .with_retry(RetryPolicy {
                max_attempts: 1,
                ..RetryPolicy::default()
            })
            .with_ledger(std::sync::Arc::new(Ledger::unguarded()));
        Wire { client, running }
    }

    /// Posts `body` with exactly `headers`.
    pub async fn raw(&self, headers: &[(&str, &str)], body: Vec<u8>) -> (u16, Value) {
        let answer = self.client.raw(headers, body).await.unwrap();
        (answer.status, answer.body)
    }

    /// Calls `op` as an SDK would (signed where the operation is).
    pub async fn call(&self, op: Operation, body: Value) -> Result<Value, Failure> {
        self.client
            .call(op, &body)
            .await
            .map_err(|e| (e.http_status, e.kind.name().to_owned(), e.message))
    }

    pub async fn ok(&self, op: Operation, body: Value) -> Value {
        match self.call(op, body).await {
            Ok(v) => v,
            Err(e) => panic!("{} failed: {e:?}", op.name()),
        }
    }

    /// Expects `exception` (and `message`, when given).
    pub async fn fails(
        &self,
        op: Operation,
        body: Value,
        exception: &str,
        message: Option<&str>,
    ) -> String {
        match self.call(op, body).await {
            Ok(v) => panic!("{} succeeded, expected {exception}: {v}", op.name()),
            Err((status, kind, text)) => {
                assert_eq!(status, 400, "{kind}: {text}");
                assert_eq!(kind, exception, "{text}");
                if let Some(m) = message {
                    assert_eq!(text, m);
                }
                text
            }
        }
    }

    pub fn now_s(&self) -> u64 {
        use mfaspec::clock::Clock;
        self.running.endpoint.clock_control().unwrap().now_secs()
    }

    pub fn advance_s(&self, secs: i64) {
        self.running
            .endpoint
            .clock_control()
            .unwrap()
            .advance_millis(secs * 1000);
    }
}

/// A pool with TOTP in `mode` and a client; returns (pool id, client id).
pub(crate) async fn pool(w: &Wire, mode: &str, client: Value) -> (String, String) {
    let pool = w
        .ok(Operation::CreateUserPool, json!({ "PoolName": "p" }))
        .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    if mode != "OFF" {
        w.ok(
            Operation::SetUserPoolMfaConfig,
            json!({ "UserPoolId": pool_id, "MfaConfiguration": mode, "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
        )
        .await;
    }
    let mut request = json!({ "UserPoolId": pool_id, "ClientName": "app",
        "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
    for (k, v) in client.as_object().unwrap() {
        request[k] = v.clone();
    }
    let c = w.ok(Operation::CreateUserPoolClient, request).await;
    (
        pool_id,
        c["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned(),
    )
}

pub(crate) async fn user(w: &Wire, pool_id: &str, username: &str, attributes: Value) {
    w.ok(
        Operation::AdminCreateUser,
        json!({ "UserPoolId": pool_id, "Username": username, "UserAttributes": attributes }),
    )
    .await;
    w.ok(
        Operation::AdminSetUserPassword,
        json!({ "UserPoolId": pool_id, "Username": username, "Password": PASSWORD, "Permanent": true }),
    )
    .await;
}

fn admin_sign_in(pool_id: &str, client_id: &str, username: &str) -> Value {
    json!({ "UserPoolId": pool_id, "ClientId": client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
            "AuthParameters": { "USERNAME": username, "PASSWORD": PASSWORD } })
}

/// Signs in without MFA and returns the access token.
async fn access_token(w: &Wire, pool_id: &str, client_id: &str, username: &str) -> String {
    let r = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(pool_id, client_id, username),
        )
        .await;
    r["AuthenticationResult"]["AccessToken"]
        .as_str()
        .expect("tokens, not a challenge")
        .to_owned()
}

pub(crate) fn code(totp: &Totp, step: u64) -> String {
    totp.code_for_step(step).to_string()
}

/// A user with a verified, enabled and preferred TOTP token, set up at the current step;
/// returns (pool, client, generator). The setup used the current step's code.
pub(crate) async fn enrolled(w: &Wire, mode: &str) -> (String, String, Totp) {
    let (pool_id, client_id) = pool(w, mode, json!({})).await;
    user(w, &pool_id, "bob", json!([])).await;
    let access = access_token(w, &pool_id, &client_id, "bob").await;
    let secret = w
        .ok(
            Operation::AssociateSoftwareToken,
            json!({ "AccessToken": access }),
        )
        .await;
    let totp = Totp::cognito(&Secret::from_base32(secret["SecretCode"].as_str().unwrap()).unwrap());
    let step = w.now_s() / 30;
    w.ok(Operation::VerifySoftwareToken, json!({ "AccessToken": access, "UserCode": code(&totp, step), "FriendlyDeviceName": "BobPhone" })).await;
    w.ok(
        Operation::SetUserMFAPreference,
        json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true } }),
    )
    .await;
    (pool_id, client_id, totp)
}

fn answer(pool_id: &str, client_id: &str, session: &Value, code: &str) -> Value {
    json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": session,
            "ChallengeResponses": { "USERNAME": "bob", "SOFTWARE_TOKEN_MFA_CODE": code } })
}

// ---- the wire (spec §1) ----

#[tokio::test]
async fn malformed_requests_get_cognito_shaped_errors() {
    let w = Wire::start().await;
    let target = (
        "x-amz-target",
        "AWSCognitoIdentityProviderService.ListUserPools",
    );
    let json11 = ("content-type", "application/x-amz-json-1.1");
    let signed = ("authorization", "AWS4-HMAC-SHA256 Credential=x");
    // (headers, body, expected __type)
    type Case<'a> = (Vec<(&'a str, &'a str)>, Vec<u8>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec![target, json11, signed],
            b"{".to_vec(),
            "SerializationException",
        ),
        (
            vec![target, json11, signed],
            b"[1]".to_vec(),
            "SerializationException",
        ),
        (
            vec![target, json11, signed],
            br#"{"MaxResults":"ten"}"#.to_vec(),
            "SerializationException",
        ),
        (
            vec![target, json11, signed],
            br#"{"MaxResults":10,"Bogus":1}"#.to_vec(),
            "SerializationException",
        ),
        (
            vec![target, ("content-type", "text/plain"), signed],
            b"{}".to_vec(),
            "SerializationException",
        ),
        (
            vec![
                (
                    "x-amz-target",
                    "AWSCognitoIdentityProviderService.Frobnicate",
                ),
                json11,
            ],
            b"{}".to_vec(),
            "UnknownOperationException",
        ),
        (vec![json11], b"{}".to_vec(), "UnknownOperationException"),
        (
            vec![target, json11],
            br#"{"MaxResults":10}"#.to_vec(),
            "MissingAuthenticationTokenException",
        ),
        (
            vec![target, json11, signed],
            vec![b' '; 2 * 1024 * 1024],
            "SerializationException",
        ),
    ];
    for (headers, body, expected) in cases {
        let (status, answer) = w.raw(&headers, body).await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["__type"], expected, "{answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{answer}"
        );
    }
}

#[tokio::test]
async fn missing_members_are_validation_errors() {
    let w = Wire::start().await;
    w.fails(
        Operation::DescribeUserPool,
        json!({}),
        "InvalidParameterException",
        Some("1 validation error detected: Value null at 'userPoolId' failed to satisfy constraint: Member must not be null"),
    )
    .await;
    w.fails(
        Operation::DescribeUserPool,
        json!({ "UserPoolId": "us-east-1_nope" }),
        "ResourceNotFoundException",
        Some("User pool us-east-1_nope does not exist."),
    )
    .await;
}

#[tokio::test]
async fn token_operations_need_no_signature_and_routes_are_json() {
    let w = Wire::start().await;
    // Unsigned GetUser gets past the signature check to the token check.
    w.fails(
        Operation::GetUser,
        json!({ "AccessToken": "garbage" }),
        "NotAuthorizedException",
        Some(message::ACCESS_TOKEN_INVALID),
    )
    .await;
    let r = reqwest::get(format!("{}/nowhere", w.running.url()))
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert!(r.text().await.unwrap().contains("__type"));
    let plain = Wire::with(Options::default()).await;
    let r = reqwest::get(format!(
        "{}{}",
        plain.running.url(),
        mfaspec::control::CLOCK_PATH
    ))
    .await
    .unwrap();
    assert_eq!(
        r.status().as_u16(),
        404,
        "no clock control without the flag"
    );
}

// ---- pool MFA configuration (spec §2.1, §2.3) ----

#[tokio::test]
async fn pool_mfa_configuration_validation() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OFF", json!({})).await;
    w.fails(
        Operation::SetUserPoolMfaConfig,
        json!({ "UserPoolId": pool_id, "MfaConfiguration": "ON" }),
        "InvalidParameterException",
        Some(message::MFA_CONFIG_NO_FACTOR),
    )
    .await;
    w.fails(
        Operation::SetUserPoolMfaConfig,
        json!({ "UserPoolId": pool_id, "MfaConfiguration": "OFF", "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
        "InvalidParameterException",
        Some(message::MFA_CONFIG_OFF_WITH_FACTOR),
    )
    .await;
    let off = w
        .ok(
            Operation::SetUserPoolMfaConfig,
            json!({ "UserPoolId": pool_id, "MfaConfiguration": "OFF" }),
        )
        .await;
    assert_eq!(off["MfaConfiguration"], "OFF");
    // TOTP not enabled in the pool.
    user(&w, &pool_id, "bob", json!([])).await;
    let access = access_token(&w, &pool_id, &client_id, "bob").await;
    w.fails(
        Operation::AssociateSoftwareToken,
        json!({ "AccessToken": access }),
        "SoftwareTokenMFANotFoundException",
        Some(message::TOTP_NOT_ENABLED_BY_POOL),
    )
    .await;
    let on = w
        .ok(
            Operation::SetUserPoolMfaConfig,
            json!({ "UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
        )
        .await;
    assert_eq!(on["SoftwareTokenMfaConfiguration"]["Enabled"], true);
    let got = w
        .ok(
            Operation::GetUserPoolMfaConfig,
            json!({ "UserPoolId": pool_id }),
        )
        .await;
    assert_eq!(got["MfaConfiguration"], "OPTIONAL");
}

// ---- codes (spec §4 B1–B4) ----

#[tokio::test]
async fn wrong_setup_code_then_right_one_and_malformed_codes() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OPTIONAL", json!({})).await;
    user(&w, &pool_id, "bob", json!([])).await;
    let access = access_token(&w, &pool_id, &client_id, "bob").await;
    let secret = w
        .ok(
            Operation::AssociateSoftwareToken,
            json!({ "AccessToken": access }),
        )
        .await;
    let totp = Totp::cognito(&Secret::from_base32(secret["SecretCode"].as_str().unwrap()).unwrap());
    let step = w.now_s() / 30;
    let wrong = (0..)
        .map(|n| format!("{n:06}"))
        .find(|c| (step - 1..=step + 1).all(|s| code(&totp, s) != *c))
        .unwrap();
    w.fails(
        Operation::VerifySoftwareToken,
        json!({ "AccessToken": access, "UserCode": wrong }),
        "EnableSoftwareTokenMFAException",
        Some(message::ENABLE_TOTP_MISMATCH),
    )
    .await;
    w.fails(
        Operation::VerifySoftwareToken,
        json!({ "AccessToken": access, "UserCode": "Aaaa" }),
        "InvalidParameterException",
        Some("2 validation errors detected: Value 'Aaaa' at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]+; Value 'Aaaa' at 'userCode' failed to satisfy constraint: Member must have length greater than or equal to 6"),
    )
    .await;
    w.fails(
        Operation::VerifySoftwareToken,
        json!({ "AccessToken": access, "UserCode": "12345" }),
        "InvalidParameterException",
        None,
    )
    .await;
    let ok = w
        .ok(
            Operation::VerifySoftwareToken,
            json!({ "AccessToken": access, "UserCode": code(&totp, step) }),
        )
        .await;
    assert_eq!(ok["Status"], "SUCCESS");
}

#[tokio::test]
async fn sign_in_codes_window_replay_and_mismatch() {
    let w = Wire::start().await;
    let (pool_id, client_id, totp) = enrolled(&w, "OPTIONAL").await;
    let step = w.now_s() / 30;
    let challenge = || admin_sign_in(&pool_id, &client_id, "bob");

    // The setup code is refused at sign-in: already used once (B2).
    let c = w.ok(Operation::AdminInitiateAuth, challenge()).await;
    assert_eq!(c["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    w.fails(
        Operation::AdminRespondToAuthChallenge,
        answer(&pool_id, &client_id, &c["Session"], &code(&totp, step)),
        "ExpiredCodeException",
        Some(message::CODE_ALREADY_USED),
    )
    .await;
    // Three steps old: a mismatch, and the session stays usable (spec §9 Q1 choice).
    w.fails(
        Operation::AdminRespondToAuthChallenge,
        answer(&pool_id, &client_id, &c["Session"], &code(&totp, step - 3)),
        "CodeMismatchException",
        Some(message::CODE_MISMATCH),
    )
    .await;
    // The previous step is accepted (B1).
    let tokens = w
        .ok(
            Operation::AdminRespondToAuthChallenge,
            answer(&pool_id, &client_id, &c["Session"], &code(&totp, step - 1)),
        )
        .await;
    assert!(tokens["AuthenticationResult"]["AccessToken"].is_string());
    // …and the next step too, on a new sign-in.
    let c = w.ok(Operation::AdminInitiateAuth, challenge()).await;
    w.ok(
        Operation::AdminRespondToAuthChallenge,
        answer(&pool_id, &client_id, &c["Session"], &code(&totp, step + 1)),
    )
    .await;
    // Two minutes later the same step+1 code is still in the window, but used.
    w.advance_s(30);
    let c = w.ok(Operation::AdminInitiateAuth, challenge()).await;
    w.fails(
        Operation::AdminRespondToAuthChallenge,
        answer(&pool_id, &client_id, &c["Session"], &code(&totp, step + 1)),
        "ExpiredCodeException",
        None,
    )
    .await;
    // Letters in the code: a mismatch.
    w.fails(
        Operation::AdminRespondToAuthChallenge,
        answer(&pool_id, &client_id, &c["Session"], "12a456"),
        "CodeMismatchException",
        None,
    )
    .await;
}

// ---- sessions (spec §4 B5, B6) ----

#[tokio::test]
async fn sessions_expire_are_single_use_and_belong_to_their_step() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "ON", json!({ "AuthSessionValidity": 5 })).await;
    user(&w, &pool_id, "bob", json!([])).await;
    let setup = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(&pool_id, &client_id, "bob"),
        )
        .await;
    assert_eq!(setup["ChallengeName"], "MFA_SETUP");
    assert_eq!(
        setup["ChallengeParameters"]["MFAS_CAN_SETUP"],
        r#"["SOFTWARE_TOKEN_MFA"]"#
    );
    // Session₁ at VerifySoftwareToken: a session from another step.
    w.fails(
        Operation::VerifySoftwareToken,
        json!({ "Session": setup["Session"], "UserCode": "123456" }),
        "NotAuthorizedException",
        Some(message::SESSION_INVALID),
    )
    .await;
    // Four minutes: inside AuthSessionValidity = 5.
    w.advance_s(4 * 60);
    let associated = w
        .ok(
            Operation::AssociateSoftwareToken,
            json!({ "Session": setup["Session"] }),
        )
        .await;
    w.fails(
        Operation::AssociateSoftwareToken,
        json!({ "Session": setup["Session"] }),
        "NotAuthorizedException",
        Some(message::SESSION_USED),
    )
    .await;
    // Session₂ expires after five minutes.
    w.advance_s(5 * 60);
    w.fails(
        Operation::VerifySoftwareToken,
        json!({ "Session": associated["Session"], "UserCode": "123456" }),
        "NotAuthorizedException",
        Some(message::SESSION_EXPIRED),
    )
    .await;
    w.fails(
        Operation::VerifySoftwareToken,
        json!({ "Session": "x".repeat(40), "UserCode": "123456" }),
        "NotAuthorizedException",
        Some(message::SESSION_INVALID),
    )
    .await;
    w.fails(
        Operation::AdminRespondToAuthChallenge,
        json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "MFA_SETUP", "ChallengeResponses": { "USERNAME": "bob" } }),
        "InvalidParameterException",
        Some(&message::missing_parameter("Session")),
    )
    .await;
}

#[tokio::test]
async fn default_session_lasts_three_minutes() {
    let w = Wire::start().await;
    let (pool_id, client_id, _) = enrolled(&w, "OPTIONAL").await;
    let c = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(&pool_id, &client_id, "bob"),
        )
        .await;
    w.advance_s(3 * 60);
    w.fails(
        Operation::AdminRespondToAuthChallenge,
        answer(&pool_id, &client_id, &c["Session"], "000000"),
        "NotAuthorizedException",
        Some(message::SESSION_EXPIRED),
    )
    .await;
}

// ---- preferences (spec §2.5, §2.6, §2.8) ----

#[tokio::test]
async fn preferences_before_association_and_verification() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OPTIONAL", json!({})).await;
    user(&w, &pool_id, "bob", json!([])).await;
    let access = access_token(&w, &pool_id, &client_id, "bob").await;
    let totp_on = json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true } });
    w.fails(
        Operation::SetUserMFAPreference,
        totp_on.clone(),
        "InvalidParameterException",
        Some(message::TOTP_NOT_SET_UP),
    )
    .await;
    let admin_on = json!({ "UserPoolId": pool_id, "Username": "bob", "SoftwareTokenMfaSettings": { "Enabled": true } });
    w.fails(
        Operation::AdminSetUserMFAPreference,
        admin_on,
        "InvalidParameterException",
        Some(message::TOTP_NO_DELIVERY_CONFIG),
    )
    .await;
    w.ok(Operation::AdminSetUserMFAPreference, json!({ "UserPoolId": pool_id, "Username": "bob", "SoftwareTokenMfaSettings": { "Enabled": false, "PreferredMfa": false } })).await;
    let got = w
        .ok(
            Operation::AdminGetUser,
            json!({ "UserPoolId": pool_id, "Username": "bob" }),
        )
        .await;
    assert!(
        got.get("UserMFASettingList").is_none() && got.get("PreferredMfaSetting").is_none(),
        "absent, not empty: {got}"
    );
    w.ok(
        Operation::AssociateSoftwareToken,
        json!({ "AccessToken": access }),
    )
    .await;
    w.fails(
        Operation::SetUserMFAPreference,
        totp_on,
        "InvalidParameterException",
        Some(message::TOTP_NOT_VERIFIED),
    )
    .await;
    w.fails(
        Operation::SetUserMFAPreference,
        json!({ "AccessToken": access, "SMSMfaSettings": { "Enabled": false } }),
        "InvalidParameterException",
        Some(message::SMS_NO_PHONE),
    )
    .await;
    let me = w
        .ok(Operation::GetUser, json!({ "AccessToken": access }))
        .await;
    assert!(me.get("UserMFASettingList").is_none(), "{me}");
}

#[tokio::test]
async fn select_mfa_type_when_two_factors_and_none_preferred() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OPTIONAL", json!({})).await;
    w.ok(
        Operation::SetUserPoolMfaConfig,
        json!({ "UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
                "SmsMfaConfiguration": { "SmsAuthenticationMessage": "Code {####}", "SmsConfiguration": { "SnsCallerArn": "arn:aws:iam::000000000000:role/sns" } } }),
    )
    .await;
    user(
        &w,
        &pool_id,
        "carol",
        json!([{ "Name": "phone_number", "Value": "+15555551234" }]),
    )
    .await;
    let access = access_token(&w, &pool_id, &client_id, "carol").await;
    let secret = w
        .ok(
            Operation::AssociateSoftwareToken,
            json!({ "AccessToken": access }),
        )
        .await;
    let totp = Totp::cognito(&Secret::from_base32(secret["SecretCode"].as_str().unwrap()).unwrap());
    let step = w.now_s() / 30;
    w.ok(Operation::VerifySoftwareToken, json!({ "AccessToken": access, "UserCode": code(&totp, step), "FriendlyDeviceName": "CarolPhone" })).await;
    w.ok(
        Operation::SetUserMFAPreference,
        json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": true }, "SMSMfaSettings": { "Enabled": true } }),
    )
    .await;
    let me = w
        .ok(Operation::GetUser, json!({ "AccessToken": access }))
        .await;
    assert_eq!(
        me["UserMFASettingList"],
        json!(["SMS_MFA", "SOFTWARE_TOKEN_MFA"])
    );
    assert!(me.get("PreferredMfaSetting").is_none(), "{me}");

    let select = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(&pool_id, &client_id, "carol"),
        )
        .await;
    assert_eq!(select["ChallengeName"], "SELECT_MFA_TYPE");
    assert_eq!(
        select["ChallengeParameters"]["MFAS_CAN_CHOOSE"],
        r#"["SMS_MFA","SOFTWARE_TOKEN_MFA"]"#
    );
    let totp_challenge = w
        .ok(
            Operation::AdminRespondToAuthChallenge,
            json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "SELECT_MFA_TYPE", "Session": select["Session"],
                    "ChallengeResponses": { "USERNAME": "carol", "ANSWER": "SOFTWARE_TOKEN_MFA" } }),
        )
        .await;
    assert_eq!(totp_challenge["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        totp_challenge["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"],
        "CarolPhone"
    );
    let tokens = w
        .ok(
            Operation::AdminRespondToAuthChallenge,
            json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": totp_challenge["Session"],
                    "ChallengeResponses": { "USERNAME": "carol", "SOFTWARE_TOKEN_MFA_CODE": code(&totp, step + 1) } }),
        )
        .await;
    assert!(tokens["AuthenticationResult"]["AccessToken"].is_string());

    // With TOTP preferred, no selection: straight to SOFTWARE_TOKEN_MFA.
    w.ok(
        Operation::AdminSetUserMFAPreference,
        json!({ "UserPoolId": pool_id, "Username": "carol", "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true } }),
    )
    .await;
    let direct = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(&pool_id, &client_id, "carol"),
        )
        .await;
    assert_eq!(direct["ChallengeName"], "SOFTWARE_TOKEN_MFA");
}

// ---- auth flows (spec §2.9, §2.10, §2.13) ----

#[tokio::test]
async fn auth_flows_passwords_users_and_secret_hash() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(
        &w,
        "OFF",
        json!({ "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"] }),
    )
    .await;
    user(&w, &pool_id, "bob", json!([])).await;
    w.fails(
        Operation::AdminInitiateAuth,
        admin_sign_in(&pool_id, &client_id, "bob"),
        "InvalidParameterException",
        Some(message::AUTH_FLOW_NOT_ENABLED),
    )
    .await;
    let public = |flow: &str, user: &str, password: &str| json!({ "ClientId": client_id, "AuthFlow": flow, "AuthParameters": { "USERNAME": user, "PASSWORD": password } });
    w.fails(
        Operation::InitiateAuth,
        public("USER_PASSWORD_AUTH", "bob", PASSWORD),
        "InvalidParameterException",
        Some(message::USER_PASSWORD_AUTH_NOT_ENABLED),
    )
    .await;
    w.fails(
        Operation::InitiateAuth,
        public("ADMIN_USER_PASSWORD_AUTH", "bob", PASSWORD),
        "InvalidParameterException",
        Some(message::AUTH_METHOD_NOT_SUPPORTED),
    )
    .await;

    let (pool_id, client_id) = pool(&w, "OFF", json!({})).await;
    user(&w, &pool_id, "bob", json!([])).await;
    let public = |user: &str, password: &str| json!({ "ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": { "USERNAME": user, "PASSWORD": password } });
    w.fails(
        Operation::InitiateAuth,
        public("bob", "Wrong-Horse-9"),
        "NotAuthorizedException",
        Some(message::INCORRECT_CREDENTIALS),
    )
    .await;
    w.fails(
        Operation::InitiateAuth,
        public("nobody", PASSWORD),
        "UserNotFoundException",
        Some(message::USER_DOES_NOT_EXIST),
    )
    .await;
    w.ok(
        Operation::AdminDisableUser,
        json!({ "UserPoolId": pool_id, "Username": "bob" }),
    )
    .await;
    w.fails(
        Operation::InitiateAuth,
        public("bob", PASSWORD),
        "NotAuthorizedException",
        Some(message::USER_DISABLED),
    )
    .await;

    // PreventUserExistenceErrors: an unknown user looks like a wrong password.
    let (pool_id, client_id) = pool(
        &w,
        "OFF",
        json!({ "PreventUserExistenceErrors": "ENABLED", "GenerateSecret": true }),
    )
    .await;
    user(&w, &pool_id, "bob", json!([])).await;
    let secret = w
        .ok(
            Operation::DescribeUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientId": client_id }),
        )
        .await["UserPoolClient"]["ClientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let with_hash = |user: &str, hash: Option<String>| {
        let mut params = json!({ "USERNAME": user, "PASSWORD": PASSWORD });
        if let Some(h) = hash {
            params["SECRET_HASH"] = json!(h);
        }
        json!({ "ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": params })
    };
    w.fails(
        Operation::InitiateAuth,
        with_hash("bob", None),
        "NotAuthorizedException",
        Some(&message::secret_hash_missing(&client_id)),
    )
    .await;
    w.fails(
        Operation::InitiateAuth,
        with_hash("bob", Some("AAAA".into())),
        "NotAuthorizedException",
        Some(&message::secret_hash_mismatch(&client_id)),
    )
    .await;
    let hash = |user: &str| Some(secret_hash(&secret, user, &client_id));
    w.fails(
        Operation::InitiateAuth,
        with_hash("nobody", hash("nobody")),
        "NotAuthorizedException",
        Some(message::INCORRECT_CREDENTIALS),
    )
    .await;
    let tokens = w
        .ok(Operation::InitiateAuth, with_hash("bob", hash("bob")))
        .await;
    assert!(tokens["AuthenticationResult"]["IdToken"].is_string());
}

// ---- tokens (spec §2.3, §2.7) ----

#[tokio::test]
async fn revoked_expired_and_refreshed_tokens() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OPTIONAL", json!({})).await;
    user(&w, &pool_id, "bob", json!([])).await;
    let signed_in = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(&pool_id, &client_id, "bob"),
        )
        .await;
    let access = signed_in["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let refresh = signed_in["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let refreshed = w
        .ok(Operation::InitiateAuth, json!({ "ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": { "REFRESH_TOKEN": refresh } }))
        .await;
    assert!(refreshed["AuthenticationResult"]["AccessToken"].is_string());
    assert!(
        refreshed["AuthenticationResult"]
            .get("RefreshToken")
            .is_none()
    );

    w.ok(Operation::GlobalSignOut, json!({ "AccessToken": access }))
        .await;
    for (op, body) in [
        (
            Operation::AssociateSoftwareToken,
            json!({ "AccessToken": access }),
        ),
        (
            Operation::VerifySoftwareToken,
            json!({ "AccessToken": access, "UserCode": "123456" }),
        ),
        (
            Operation::SetUserMFAPreference,
            json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": false } }),
        ),
        (Operation::GetUser, json!({ "AccessToken": access })),
    ] {
        w.fails(
            op,
            body,
            "NotAuthorizedException",
            Some(message::ACCESS_TOKEN_REVOKED),
        )
        .await;
    }
    w.fails(
        Operation::InitiateAuth,
        json!({ "ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": { "REFRESH_TOKEN": refresh } }),
        "NotAuthorizedException",
        None,
    )
    .await;

    let access = access_token(&w, &pool_id, &client_id, "bob").await;
    w.advance_s(3600);
    w.fails(
        Operation::GetUser,
        json!({ "AccessToken": access }),
        "NotAuthorizedException",
        Some(message::ACCESS_TOKEN_EXPIRED),
    )
    .await;
}

// ---- the rest of the sign-in state machine ----

/// Temporary password → NEW_PASSWORD_REQUIRED → MFA_SETUP in an ON pool (spec §2.9).
#[tokio::test]
async fn new_password_then_mfa_setup() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "ON", json!({})).await;
    w.ok(
        Operation::AdminCreateUser,
        json!({ "UserPoolId": pool_id, "Username": "dan", "TemporaryPassword": "Temp-Pass-1" }),
    )
    .await;
    let first = w
        .ok(
            Operation::AdminInitiateAuth,
            json!({ "UserPoolId": pool_id, "ClientId": client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": { "USERNAME": "dan", "PASSWORD": "Temp-Pass-1" } }),
        )
        .await;
    assert_eq!(first["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let weak = json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": first["Session"],
                        "ChallengeResponses": { "USERNAME": "dan", "NEW_PASSWORD": "short" } });
    w.fails(
        Operation::AdminRespondToAuthChallenge,
        weak,
        "InvalidPasswordException",
        None,
    )
    .await;
    let next = w
        .ok(
            Operation::AdminRespondToAuthChallenge,
            json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": first["Session"],
                    "ChallengeResponses": { "USERNAME": "dan", "NEW_PASSWORD": PASSWORD } }),
        )
        .await;
    assert_eq!(next["ChallengeName"], "MFA_SETUP");
    let got = w
        .ok(
            Operation::AdminGetUser,
            json!({ "UserPoolId": pool_id, "Username": "dan" }),
        )
        .await;
    assert_eq!(got["UserStatus"], "CONFIRMED");
}

#[tokio::test]
async fn answering_totp_for_a_user_without_it() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OPTIONAL", json!({})).await;
    user(&w, &pool_id, "bob", json!([])).await;
    w.fails(
        Operation::AdminRespondToAuthChallenge,
        answer(&pool_id, &client_id, &json!("x".repeat(40)), "123456"),
        "SoftwareTokenMFANotFoundException",
        Some(message::TOTP_NOT_FOUND_FOR_USER),
    )
    .await;
}

/// Concurrent sign-ins with MFA are all served correctly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_mfa_sign_ins() {
    let w = Arc::new(Wire::start().await);
    let (pool_id, client_id) = pool(&w, "ON", json!({})).await;
    let mut tasks = Vec::new();
    for i in 0..16 {
        let (w, pool_id, client_id) = (w.clone(), pool_id.clone(), client_id.clone());
        tasks.push(tokio::spawn(async move {
            let name = format!("user{i}");
            user(&w, &pool_id, &name, json!([])).await;
            let setup = w.ok(Operation::AdminInitiateAuth, admin_sign_in(&pool_id, &client_id, &name)).await;
            let associated = w.ok(Operation::AssociateSoftwareToken, json!({ "Session": setup["Session"] })).await;
            let totp = Totp::cognito(&Secret::from_base32(associated["SecretCode"].as_str().unwrap()).unwrap());
            let step = w.now_s() / 30;
            let verified = w.ok(Operation::VerifySoftwareToken, json!({ "Session": associated["Session"], "UserCode": code(&totp, step) })).await;
            let done = w
                .ok(
                    Operation::AdminRespondToAuthChallenge,
                    json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "MFA_SETUP", "Session": verified["Session"],
                            "ChallengeResponses": { "USERNAME": name } }),
                )
                .await;
            assert!(done["AuthenticationResult"]["AccessToken"].is_string());
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let users = w
        .ok(Operation::ListUsers, json!({ "UserPoolId": pool_id }))
        .await;
    assert_eq!(users["Users"].as_array().unwrap().len(), 16);
}

/// Pool, client and user lifecycles: paging, updates, deletion, enable/disable, admin
/// sign-out, and ListUsers filters.
#[tokio::test]
async fn pool_client_and_user_lifecycles() {
    let w = Wire::start().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(pool(&w, "OFF", json!({})).await);
    }
    let first = w
        .ok(Operation::ListUserPools, json!({ "MaxResults": 2 }))
        .await;
    assert_eq!(first["UserPools"].as_array().unwrap().len(), 2);
    let rest = w
        .ok(
            Operation::ListUserPools,
            json!({ "MaxResults": 2, "NextToken": first["NextToken"] }),
        )
        .await;
    assert_eq!(rest["UserPools"].as_array().unwrap().len(), 1);
    assert!(rest.get("NextToken").is_none());

    let (pool_id, client_id) = ids[0].clone();
    // UpdateUserPoolClient: what is omitted returns to its default (here: the flows).
    let updated = w
        .ok(
            Operation::UpdateUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientId": client_id, "AuthSessionValidity": 15 }),
        )
        .await;
    assert_eq!(updated["UserPoolClient"]["AuthSessionValidity"], 15);
    assert_eq!(
        updated["UserPoolClient"]["ExplicitAuthFlows"],
        json!([
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH"
        ])
    );
    w.fails(
        Operation::UpdateUserPoolClient,
        json!({ "UserPoolId": pool_id, "ClientId": client_id, "AuthSessionValidity": 16 }),
        "InvalidParameterException",
        Some("1 validation error detected: Value '16' at 'authSessionValidity' failed to satisfy constraint: Member must have value between 3 and 15"),
    )
    .await;
    user(
        &w,
        &pool_id,
        "bob",
        json!([{ "Name": "email", "Value": "bob@example.com" }]),
    )
    .await;
    user(&w, &pool_id, "bobby", json!([])).await;
    user(&w, &pool_id, "carol", json!([])).await;
    let found = w
        .ok(
            Operation::ListUsers,
            json!({ "UserPoolId": pool_id, "Filter": "username ^= \"bob\"" }),
        )
        .await;
    assert_eq!(found["Users"].as_array().unwrap().len(), 2);
    let found = w
        .ok(
            Operation::ListUsers,
            json!({ "UserPoolId": pool_id, "Filter": "email = \"bob@example.com\"" }),
        )
        .await;
    assert_eq!(found["Users"][0]["Username"], "bob");

    // Admin sign-out revokes; disable and enable.
    w.ok(Operation::UpdateUserPoolClient, json!({ "UserPoolId": pool_id, "ClientId": client_id, "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH"] })).await;
    let access = access_token(&w, &pool_id, &client_id, "bob").await;
    w.ok(
        Operation::AdminUserGlobalSignOut,
        json!({ "UserPoolId": pool_id, "Username": "bob" }),
    )
    .await;
    w.fails(
        Operation::GetUser,
        json!({ "AccessToken": access }),
        "NotAuthorizedException",
        Some(message::ACCESS_TOKEN_REVOKED),
    )
    .await;
    w.ok(
        Operation::AdminDisableUser,
        json!({ "UserPoolId": pool_id, "Username": "bob" }),
    )
    .await;
    w.fails(
        Operation::AdminInitiateAuth,
        admin_sign_in(&pool_id, &client_id, "bob"),
        "NotAuthorizedException",
        Some(message::USER_DISABLED),
    )
    .await;
    w.ok(
        Operation::AdminEnableUser,
        json!({ "UserPoolId": pool_id, "Username": "bob" }),
    )
    .await;
    access_token(&w, &pool_id, &client_id, "bob").await;
    w.fails(
        Operation::AdminCreateUser,
        json!({ "UserPoolId": pool_id, "Username": "bob" }),
        "UsernameExistsException",
        Some("User account already exists"),
    )
    .await;

    // Deletion.
    w.ok(
        Operation::AdminDeleteUser,
        json!({ "UserPoolId": pool_id, "Username": "bob" }),
    )
    .await;
    w.fails(
        Operation::AdminGetUser,
        json!({ "UserPoolId": pool_id, "Username": "bob" }),
        "UserNotFoundException",
        Some(message::USER_DOES_NOT_EXIST),
    )
    .await;
    w.ok(
        Operation::DeleteUserPoolClient,
        json!({ "UserPoolId": pool_id, "ClientId": client_id }),
    )
    .await;
    w.fails(
        Operation::DescribeUserPoolClient,
        json!({ "UserPoolId": pool_id, "ClientId": client_id }),
        "ResourceNotFoundException",
        Some(&message::client_not_found(&client_id)),
    )
    .await;
    w.ok(Operation::DeleteUserPool, json!({ "UserPoolId": pool_id }))
        .await;
    w.fails(
        Operation::DescribeUserPool,
        json!({ "UserPoolId": pool_id }),
        "ResourceNotFoundException",
        Some(&message::pool_not_found(&pool_id)),
    )
    .await;
    let r = reqwest::get(format!(
        "{}/{pool_id}/.well-known/jwks.json",
        w.running.url()
    ))
    .await
    .unwrap();
    assert_eq!(r.status().as_u16(), 404, "no JWKS for a deleted pool");
}

/// Token lifetimes are checked as Cognito checks them and reported in the units they were
/// given (the defaults: an hour, an hour, 30 days); no value overflows into a 500.
#[tokio::test]
async fn token_validities_are_bounded_and_reported_in_their_units() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OPTIONAL", json!({})).await;
    let described = w
        .ok(
            Operation::DescribeUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientId": client_id }),
        )
        .await;
    let c = &described["UserPoolClient"];
    assert_eq!(
        (
            &c["AccessTokenValidity"],
            &c["IdTokenValidity"],
            &c["RefreshTokenValidity"]
        ),
        (&json!(1), &json!(1), &json!(30))
    );
    assert_eq!(
        c["TokenValidityUnits"],
        json!({ "AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days" })
    );
    let create = |extra: Value| {
        let mut body = json!({ "UserPoolId": pool_id, "ClientName": "v" });
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    let given = w
        .ok(
            Operation::CreateUserPoolClient,
            create(json!({ "RefreshTokenValidity": 90, "TokenValidityUnits": { "RefreshToken": "minutes", "AccessToken": "minutes" }, "AccessTokenValidity": 5 })),
        )
        .await;
    assert_eq!(given["UserPoolClient"]["RefreshTokenValidity"], 90);
    assert_eq!(
        given["UserPoolClient"]["TokenValidityUnits"]["RefreshToken"],
        "minutes"
    );
    for (extra, says) in [
        // Out of the service model's range: a validation error naming the member.
        (
            json!({ "RefreshTokenValidity": 315_360_001_i64 }),
            "Member must have value less than or equal to 315360000",
        ),
        (
            json!({ "AccessTokenValidity": -1 }),
            "Member must have value greater than or equal to 1",
        ),
        (
            json!({ "RefreshTokenValidity": i64::MAX }),
            "Member must have value less than or equal to 315360000",
        ),
        // An unknown unit is not taken for days.
        (
            json!({ "TokenValidityUnits": { "AccessToken": "fortnights" } }),
            "at 'tokenValidityUnits.accessToken' failed to satisfy constraint: Member must satisfy enum value set: [seconds, minutes, hours, days]",
        ),
        // Within the model, outside the documented lifetime.
        (
            json!({ "AccessTokenValidity": 2, "TokenValidityUnits": { "AccessToken": "days" } }),
            message::INVALID_TOKEN_VALIDITY,
        ),
        (
            json!({ "RefreshTokenValidity": 315_360_000, "TokenValidityUnits": { "RefreshToken": "days" } }),
            message::INVALID_TOKEN_VALIDITY,
        ),
        (
            json!({ "TokenValidityUnits": { "IdToken": "seconds" } }),
            message::INVALID_TOKEN_VALIDITY,
        ),
    ] {
        let text = w
            .fails(
                Operation::CreateUserPoolClient,
                create(extra.clone()),
                "InvalidParameterException",
                None,
            )
            .await;
        assert!(text.contains(says), "{extra}: {text}");
    }
}

/// `Limit: 0` pages end; a body shorter than its Content-Length gets an answer, not a hang;
/// a client's long strings come back bounded.
#[tokio::test]
async fn paging_ends_short_bodies_are_answered_and_echoes_are_bounded() {
    let w = Wire::start().await;
    let (pool_id, _) = pool(&w, "OPTIONAL", json!({})).await;
    for n in 0..3 {
        user(&w, &pool_id, &format!("u{n}"), json!([])).await;
    }
    let page = w
        .ok(
            Operation::ListUsers,
            json!({ "UserPoolId": pool_id, "Limit": 0 }),
        )
        .await;
    assert_eq!(page["Users"].as_array().unwrap().len(), 3, "{page}");
    assert!(page.get("PaginationToken").is_none(), "{page}");

    // Content-Length 100, 2 bytes sent, the connection left open.
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(w.running.addr)
        .await
        .unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{}")
        .await
        .unwrap();
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(
        mfaspec::reference::BODY_READ_TIMEOUT + std::time::Duration::from_secs(5),
        stream.read(&mut answer),
    )
    .await
    .expect("an answer, not a hang")
    .unwrap();
    let answer = String::from_utf8_lossy(&answer[..n]);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("Request body incomplete"), "{answer}");

    let long = "X".repeat(100_000);
    let (status, body) = w
        .raw(
            &[
                (
                    "x-amz-target",
                    &format!("AWSCognitoIdentityProviderService.{long}"),
                ),
                ("content-type", "application/x-amz-json-1.1"),
            ],
            b"{}".to_vec(),
        )
        .await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().len() < 400, "{body}");
    // Raw answers: the client's own scrubbing would hide an unbounded echo.
    let signed = |op: &str| {
        [
            (
                "x-amz-target",
                format!("AWSCognitoIdentityProviderService.{op}"),
            ),
            ("content-type", "application/x-amz-json-1.1".to_owned()),
            (
                "authorization",
                mfaspec::vocabulary::PLACEHOLDER_SIGNATURE.to_owned(),
            ),
        ]
    };
    for (op, body) in [
        ("DescribeUserPool", json!({ "UserPoolId": long })),
        ("ListUserPools", json!({ "MaxResults": 1, long.clone(): 1 })),
    ] {
        let headers = signed(op);
        let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, body) = w.raw(&headers, body.to_string().into_bytes()).await;
        assert_eq!(status, 400, "{body}");
        let message = body["message"].as_str().unwrap();
        assert!(
            message.len() < 400 && message.contains("XXXX"),
            "{op}: {message}"
        );
    }
}
