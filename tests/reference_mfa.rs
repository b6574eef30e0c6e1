//! The reference endpoint's TOTP MFA over raw AWS JSON 1.1: setup codes, sign-in codes with
//! their window and replay, sessions, preferences, SELECT_MFA_TYPE, password flows and
//! SECRET_HASH, tokens revoked, expired and refreshed, NEW_PASSWORD_REQUIRED, and concurrent
//! sign-ins (spec §2–§4), each with its exception and message.

use std::sync::Arc;

use mfaspec::totp::{Secret, Totp};
use mfaspec::vocabulary::{Operation, message};
use serde_json::json;

use crate::support::wire::{
    PASSWORD, Wire, access_token, admin_sign_in, answer, code, enrolled, pool, user,
};

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
