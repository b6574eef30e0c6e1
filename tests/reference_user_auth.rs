//! The reference endpoint's choice-based sign-in (USER_AUTH, spec §2.18) and feature plans
//! (spec §2.19), over the wire: what the suite's features cannot see from outside — a
//! refused answer leaves the SELECT_CHALLENGE session usable, a used one is refused, a
//! refused plan change changes nothing.

use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

use crate::support::wire::{PASSWORD, Wire, code, enrolled, pool, user};

/// A TOTP user "bob" and an app client that allows USER_AUTH; returns (pool, client).
async fn user_auth_pool(w: &Wire) -> (String, String, mfaspec::totp::Totp) {
    let (pool_id, _, totp) = enrolled(w, "OPTIONAL").await;
    let c = w
        .ok(
            Operation::CreateUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientName": "choice", "ExplicitAuthFlows": ["ALLOW_USER_AUTH"] }),
        )
        .await;
    let client_id = c["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
    (pool_id, client_id, totp)
}

fn start(client_id: &str, preferred: Option<&str>) -> Value {
    let mut params = json!({ "USERNAME": "bob" });
    if let Some(p) = preferred {
        params["PREFERRED_CHALLENGE"] = json!(p);
    }
    json!({ "ClientId": client_id, "AuthFlow": "USER_AUTH", "AuthParameters": params })
}

fn select(client_id: &str, session: &Value, answer: &str) -> Value {
    json!({ "ClientId": client_id, "ChallengeName": "SELECT_CHALLENGE", "Session": session,
            "ChallengeResponses": { "USERNAME": "bob", "ANSWER": answer, "PASSWORD": PASSWORD } })
}

#[tokio::test]
async fn select_challenge_sessions_and_answers() {
    let w = Wire::start().await;
    let (_, client_id, totp) = user_auth_pool(&w).await;
    let first = w.ok(Operation::InitiateAuth, start(&client_id, None)).await;
    assert_eq!(first["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(
        first["AvailableChallenges"],
        json!(["PASSWORD", "PASSWORD_SRP"])
    );
    let session = &first["Session"];
    // Not offered: refused, and the session still serves.
    w.fails(
        Operation::RespondToAuthChallenge,
        select(&client_id, session, "EMAIL_OTP"),
        "InvalidParameterException",
        Some("EMAIL_OTP is not one of the AvailableChallenges"),
    )
    .await;
    let next = w
        .ok(
            Operation::RespondToAuthChallenge,
            select(&client_id, session, "PASSWORD"),
        )
        .await;
    assert_eq!(next["ChallengeName"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        next["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"],
        "BobPhone"
    );
    // Used once.
    w.fails(
        Operation::RespondToAuthChallenge,
        select(&client_id, session, "PASSWORD"),
        "NotAuthorizedException",
        Some("Invalid session for the user, session can only be used once."),
    )
    .await;
    let step = w.now_s() / 30 + 1;
    let tokens = w
        .ok(
            Operation::RespondToAuthChallenge,
            json!({ "ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": next["Session"],
                    "ChallengeResponses": { "USERNAME": "bob", "SOFTWARE_TOKEN_MFA_CODE": code(&totp, step) } }),
        )
        .await;
    assert!(tokens["AuthenticationResult"]["AccessToken"].is_string());
    // A first factor it does not offer, preferred: SELECT_CHALLENGE instead.
    let other = w
        .ok(
            Operation::InitiateAuth,
            start(&client_id, Some("WEB_AUTHN")),
        )
        .await;
    assert_eq!(other["ChallengeName"], "SELECT_CHALLENGE");
    // A wrong password through PASSWORD: refused, no tokens.
    let mut wrong = start(&client_id, Some("PASSWORD"));
    wrong["AuthParameters"]["PASSWORD"] = json!("Wrong-Pa55word!");
    w.fails(
        Operation::InitiateAuth,
        wrong,
        "NotAuthorizedException",
        Some("Incorrect username or password."),
    )
    .await;
}

#[tokio::test]
async fn user_auth_needs_the_client_flow_and_a_plan_above_lite() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OFF", json!({})).await;
    user(&w, &pool_id, "bob", json!([])).await;
    w.fails(
        Operation::InitiateAuth,
        start(&client_id, None),
        "InvalidParameterException",
        Some("USER_AUTH is not enabled for the client."),
    )
    .await;
    let lite = w
        .ok(
            Operation::CreateUserPool,
            json!({ "PoolName": "lite", "UserPoolTier": "LITE" }),
        )
        .await;
    let lite_id = lite["UserPool"]["Id"].as_str().unwrap();
    assert_eq!(lite["UserPool"]["UserPoolTier"], "LITE");
    user(&w, lite_id, "bob", json!([])).await;
    let c = w
        .ok(
            Operation::CreateUserPoolClient,
            json!({ "UserPoolId": lite_id, "ClientName": "c", "ExplicitAuthFlows": ["ALLOW_USER_AUTH"] }),
        )
        .await;
    let lite_client = c["UserPoolClient"]["ClientId"].as_str().unwrap();
    w.fails(
        Operation::InitiateAuth,
        start(lite_client, None),
        "FeatureUnavailableInTierException",
        Some("The following features need to be disabled for the LITE pricing tier configured: Choice-based sign-in"),
    )
    .await;
}

#[tokio::test]
async fn plans_on_create_update_and_domains() {
    let w = Wire::start().await;
    let describe = |id: &str| json!({ "UserPoolId": id });
    let made = w
        .ok(Operation::CreateUserPool, json!({ "PoolName": "p" }))
        .await;
    assert_eq!(made["UserPool"]["UserPoolTier"], "ESSENTIALS");
    let id = made["UserPool"]["Id"].as_str().unwrap().to_owned();
    w.fails(
        Operation::CreateUserPool,
        json!({ "PoolName": "p", "UserPoolTier": "GOLD" }),
        "InvalidParameterException",
        None,
    )
    .await;
    w.fails(
        Operation::CreateUserPool,
        json!({ "PoolName": "p", "UserPoolAddOns": { "AdvancedSecurityMode": "ENFORCED" } }),
        "FeatureUnavailableInTierException",
        Some("The following features need to be disabled for the ESSENTIALS pricing tier configured: Threat Protection"),
    )
    .await;
    // Plus with threat protection, then back to Essentials keeping it: refused, unchanged.
    w.ok(
        Operation::UpdateUserPool,
        json!({ "UserPoolId": id, "UserPoolTier": "PLUS", "UserPoolAddOns": { "AdvancedSecurityMode": "AUDIT" } }),
    )
    .await;
    w.fails(
        Operation::UpdateUserPool,
        json!({ "UserPoolId": id, "UserPoolTier": "ESSENTIALS", "UserPoolAddOns": { "AdvancedSecurityMode": "AUDIT" } }),
        "FeatureUnavailableInTierException",
        None,
    )
    .await;
    let pool = w.ok(Operation::DescribeUserPool, describe(&id)).await;
    assert_eq!(pool["UserPool"]["UserPoolTier"], "PLUS");
    assert_eq!(
        pool["UserPool"]["UserPoolAddOns"]["AdvancedSecurityMode"],
        "AUDIT"
    );
    // Leaving the add-ons out turns threat protection off, as UpdateUserPool documents.
    w.ok(
        Operation::UpdateUserPool,
        json!({ "UserPoolId": id, "UserPoolTier": "LITE" }),
    )
    .await;
    let pool = w.ok(Operation::DescribeUserPool, describe(&id)).await;
    assert_eq!(pool["UserPool"]["UserPoolTier"], "LITE");
    assert_eq!(
        pool["UserPool"]["UserPoolAddOns"]["AdvancedSecurityMode"],
        "OFF"
    );
    // Managed login on Lite: refused, and the prefix stays free.
    w.fails(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": id, "Domain": "lite-ui", "ManagedLoginVersion": 2 }),
        "FeatureUnavailableInTierException",
        Some("The following features need to be disabled for the LITE pricing tier configured: Managed Login"),
    )
    .await;
    w.ok(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": id, "Domain": "lite-ui", "ManagedLoginVersion": 1 }),
    )
    .await;
    // A Lite pool with a managed-login domain cannot exist: back up to Essentials, then down.
    w.ok(
        Operation::DeleteUserPoolDomain,
        json!({ "UserPoolId": id, "Domain": "lite-ui" }),
    )
    .await;
    w.ok(
        Operation::UpdateUserPool,
        json!({ "UserPoolId": id, "UserPoolTier": "ESSENTIALS" }),
    )
    .await;
    w.ok(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": id, "Domain": "v2-ui", "ManagedLoginVersion": 2 }),
    )
    .await;
    w.fails(
        Operation::UpdateUserPool,
        json!({ "UserPoolId": id, "UserPoolTier": "LITE" }),
        "FeatureUnavailableInTierException",
        Some("The following features need to be disabled for the LITE pricing tier configured: Managed Login"),
    )
    .await;
}
