//! The reference endpoint's email MFA (spec §2.20), over the wire: the outbox and what it
//! keeps, EMAIL_OTP's code and session, the two names of the email factor in
//! SELECT_MFA_TYPE, MFA_SETUP with an address, and the pool configuration's rules.

use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

use crate::support::wire::{PASSWORD, Wire, access_token, pool, user, verified_token};

const BOB: &str = "bob@example.com";

/// A pool in `mode` with TOTP and email MFA, its client, and "bob" with an address;
/// returns (pool, client, bob's access token).
async fn email_pool(w: &Wire, mode: &str) -> (String, String, String) {
    let (pool_id, client_id) = pool(w, "OFF", json!({})).await;
    user(
        w,
        &pool_id,
        "bob",
        json!([{ "Name": "email", "Value": BOB }]),
    )
    .await;
    let access = access_token(w, &pool_id, &client_id, "bob").await;
    w.ok(
        Operation::SetUserPoolMfaConfig,
        json!({ "UserPoolId": pool_id, "MfaConfiguration": mode,
                "SoftwareTokenMfaConfiguration": { "Enabled": true },
                "EmailMfaConfiguration": { "Message": "Code: {####}", "Subject": "Sign-in" } }),
    )
    .await;
    (pool_id, client_id, access)
}

async fn outbox(w: &Wire, to: &str) -> Vec<Value> {
    let url = format!("{}/_mfaspec/outbox?to={to}", w.running.url());
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    let body: Value = serde_json::from_str(&text).unwrap();
    body["messages"].as_array().unwrap().clone()
}

async fn newest_code(w: &Wire) -> String {
    let messages = outbox(w, BOB).await;
    let last = messages.last().expect("an email to bob");
    assert_eq!(last["subject"], "Sign-in");
    let code = last["code"].as_str().unwrap().to_owned();
    assert_eq!(last["body"], format!("Code: {code}"));
    code
}

fn sign_in(client_id: &str) -> Value {
    json!({ "ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": { "USERNAME": "bob", "PASSWORD": PASSWORD } })
}

fn answer(client_id: &str, challenge: &str, session: &Value, mut responses: Value) -> Value {
    responses["USERNAME"] = json!("bob");
    json!({ "ClientId": client_id, "ChallengeName": challenge, "Session": session,
            "ChallengeResponses": responses })
}

#[tokio::test]
async fn email_otp_codes_come_from_the_outbox_and_are_checked() {
    let w = Wire::start().await;
    let (_, client_id, access) = email_pool(&w, "OPTIONAL").await;
    assert!(outbox(&w, BOB).await.is_empty());
    w.ok(
        Operation::SetUserMFAPreference,
        json!({ "AccessToken": access, "EmailMfaSettings": { "Enabled": true, "PreferredMfa": true } }),
    )
    .await;
    let first = w.ok(Operation::InitiateAuth, sign_in(&client_id)).await;
    assert_eq!(first["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        first["ChallengeParameters"]["CODE_DELIVERY_DELIVERY_MEDIUM"],
        "EMAIL"
    );
    assert_eq!(
        first["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "b***@example.com"
    );
    let sent = newest_code(&w).await;
    assert_eq!(sent.len(), 6);
    // Another address's outbox is empty.
    assert!(outbox(&w, "alice@example.com").await.is_empty());
    let session = &first["Session"];
    let wrong = if sent == "000000" { "000001" } else { "000000" };
    w.fails(
        Operation::RespondToAuthChallenge,
        answer(
            &client_id,
            "EMAIL_OTP",
            session,
            json!({ "EMAIL_OTP_CODE": wrong }),
        ),
        "CodeMismatchException",
        Some("Invalid code or auth state for the user."),
    )
    .await;
    // The session outlives a wrong code; the right one signs in, once.
    let tokens = w
        .ok(
            Operation::RespondToAuthChallenge,
            answer(
                &client_id,
                "EMAIL_OTP",
                session,
                json!({ "EMAIL_OTP_CODE": sent }),
            ),
        )
        .await;
    assert!(tokens["AuthenticationResult"]["AccessToken"].is_string());
    w.fails(
        Operation::RespondToAuthChallenge,
        answer(
            &client_id,
            "EMAIL_OTP",
            session,
            json!({ "EMAIL_OTP_CODE": sent }),
        ),
        "NotAuthorizedException",
        Some("Invalid session for the user, session can only be used once."),
    )
    .await;
    // A new sign-in sends a new code; the old one does not answer it (unless equal by chance).
    let second = w.ok(Operation::InitiateAuth, sign_in(&client_id)).await;
    let fresh = newest_code(&w).await;
    if fresh != sent {
        w.fails(
            Operation::RespondToAuthChallenge,
            answer(
                &client_id,
                "EMAIL_OTP",
                &second["Session"],
                json!({ "EMAIL_OTP_CODE": sent }),
            ),
            "CodeMismatchException",
            None,
        )
        .await;
    }
    assert_eq!(outbox(&w, BOB).await.len(), 2);
}

#[tokio::test]
async fn select_mfa_type_offers_email_under_both_names() {
    let w = Wire::start().await;
    let (_, client_id, access) = email_pool(&w, "OPTIONAL").await;
    verified_token(&w, &access).await;
    w.ok(
        Operation::SetUserMFAPreference,
        json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": false },
                "EmailMfaSettings": { "Enabled": true, "PreferredMfa": false } }),
    )
    .await;
    for name in ["EMAIL_OTP", "EMAIL_MFA"] {
        let select = w.ok(Operation::InitiateAuth, sign_in(&client_id)).await;
        assert_eq!(select["ChallengeName"], "SELECT_MFA_TYPE");
        assert_eq!(
            select["ChallengeParameters"]["MFAS_CAN_CHOOSE"],
            r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#
        );
        let chosen = w
            .ok(
                Operation::RespondToAuthChallenge,
                answer(
                    &client_id,
                    "SELECT_MFA_TYPE",
                    &select["Session"],
                    json!({ "ANSWER": name }),
                ),
            )
            .await;
        assert_eq!(chosen["ChallengeName"], "EMAIL_OTP", "{name}");
    }
    let user = w
        .ok(
            Operation::GetUserAuthFactors,
            json!({ "AccessToken": access }),
        )
        .await;
    assert_eq!(
        user["UserMFASettingList"],
        json!(["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"])
    );
    assert_eq!(user["ConfiguredUserAuthFactors"], json!(["PASSWORD"]));
    assert!(user.get("PreferredMfaSetting").is_none());
}

#[tokio::test]
async fn mfa_setup_with_an_address_turns_email_mfa_on() {
    let w = Wire::start().await;
    let (pool_id, client_id, _) = email_pool(&w, "ON").await;
    let setup = w.ok(Operation::InitiateAuth, sign_in(&client_id)).await;
    assert_eq!(setup["ChallengeName"], "MFA_SETUP");
    assert_eq!(
        setup["ChallengeParameters"]["MFAS_CAN_SETUP"],
        r#"["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]"#
    );
    let otp = w
        .ok(
            Operation::RespondToAuthChallenge,
            answer(
                &client_id,
                "MFA_SETUP",
                &setup["Session"],
                json!({ "EMAIL": BOB }),
            ),
        )
        .await;
    assert_eq!(otp["ChallengeName"], "EMAIL_OTP");
    let sent = newest_code(&w).await;
    w.ok(
        Operation::RespondToAuthChallenge,
        answer(
            &client_id,
            "EMAIL_OTP",
            &otp["Session"],
            json!({ "EMAIL_OTP_CODE": sent }),
        ),
    )
    .await;
    let user = w
        .ok(
            Operation::AdminGetUser,
            json!({ "UserPoolId": pool_id, "Username": "bob" }),
        )
        .await;
    assert_eq!(user["UserMFASettingList"], json!(["EMAIL_OTP"]));
    // Next time email is the factor.
    let next = w.ok(Operation::InitiateAuth, sign_in(&client_id)).await;
    assert_eq!(next["ChallengeName"], "EMAIL_OTP");
}

#[tokio::test]
async fn the_pool_configuration_and_preferences_follow_the_rules() {
    let w = Wire::start().await;
    let (pool_id, _, _) = email_pool(&w, "OPTIONAL").await;
    let config = w
        .ok(
            Operation::GetUserPoolMfaConfig,
            json!({ "UserPoolId": pool_id }),
        )
        .await;
    assert_eq!(
        config["EmailMfaConfiguration"],
        json!({ "Message": "Code: {####}", "Subject": "Sign-in" })
    );
    // A Lite pool cannot keep it: the move is refused and nothing changes.
    w.fails(
        Operation::UpdateUserPool,
        json!({ "UserPoolId": pool_id, "UserPoolTier": "LITE" }),
        "FeatureUnavailableInTierException",
        Some("The following features need to be disabled for the LITE pricing tier configured: Email MFA"),
    )
    .await;
    // A configuration without it turns it off; then the move goes through.
    w.ok(
        Operation::SetUserPoolMfaConfig,
        json!({ "UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
                "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
    )
    .await;
    let config = w
        .ok(
            Operation::GetUserPoolMfaConfig,
            json!({ "UserPoolId": pool_id }),
        )
        .await;
    assert!(config.get("EmailMfaConfiguration").is_none());
    w.ok(
        Operation::UpdateUserPool,
        json!({ "UserPoolId": pool_id, "UserPoolTier": "LITE" }),
    )
    .await;
    w.fails(
        Operation::SetUserPoolMfaConfig,
        json!({ "UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
                "EmailMfaConfiguration": { "Message": "Code: {####}" } }),
        "FeatureUnavailableInTierException",
        None,
    )
    .await;
    for message in ["Code", "No placeholder here"] {
        w.fails(
            Operation::SetUserPoolMfaConfig,
            json!({ "UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL",
                    "EmailMfaConfiguration": { "Message": message } }),
            "InvalidParameterException",
            None,
        )
        .await;
    }
    // A user without an address cannot turn email MFA on.
    user(&w, &pool_id, "carol", json!([])).await;
    w.fails(
        Operation::AdminSetUserMFAPreference,
        json!({ "UserPoolId": pool_id, "Username": "carol", "EmailMfaSettings": { "Enabled": true } }),
        "InvalidParameterException",
        Some("User does not have delivery config set to turn on EMAIL_OTP"),
    )
    .await;
}
