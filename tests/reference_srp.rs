//! The reference endpoint's USER_SRP_AUTH and PASSWORD_VERIFIER (spec §2.14) over raw AWS JSON
//! 1.1, signed in with mfaspec's own SRP client (checked against an independent one in
//! tests/srp.rs): every challenge that can follow, and every refusal with its exception and
//! message.

use mfaspec::srp::{self, Timestamp};
use mfaspec::vocabulary::{Operation, message};
use serde_json::{Value, json};

use crate::support::wire::{PASSWORD, Wire, code, enrolled, pool, user};

pub(crate) const SRP_FLOWS: [&str; 3] = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
];

/// Starts USER_SRP_AUTH (admin when `admin`); returns the client half and the answer.
pub(crate) async fn initiate(
    w: &Wire,
    pool_id: &str,
    client_id: &str,
    username: &str,
    admin: bool,
) -> (srp::Client, Result<Value, (u16, String, String)>) {
    let exchange = srp::Client::new();
    let mut body = json!({ "ClientId": client_id, "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": { "USERNAME": username, "SRP_A": exchange.srp_a() } });
    let op = if admin {
        body["UserPoolId"] = json!(pool_id);
        Operation::AdminInitiateAuth
    } else {
        Operation::InitiateAuth
    };
    let answer = w.call(op, body).await;
    (exchange, answer)
}

pub(crate) fn verifier_answer(
    pool_id: &str,
    client_id: &str,
    responses: serde_json::Map<String, Value>,
    admin: bool,
) -> (Operation, Value) {
    let mut body = json!({ "ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": responses });
    if admin {
        body["UserPoolId"] = json!(pool_id);
        (Operation::AdminRespondToAuthChallenge, body)
    } else {
        (Operation::RespondToAuthChallenge, body)
    }
}

/// USER_SRP_AUTH then the PASSWORD_VERIFIER answer with `password` at `timestamp`.
pub(crate) async fn srp_sign_in(
    w: &Wire,
    pool_id: &str,
    client_id: &str,
    username: &str,
    password: &str,
    timestamp: &str,
    admin: bool,
) -> Result<Value, (u16, String, String)> {
    let (exchange, answer) = initiate(w, pool_id, client_id, username, admin).await;
    let challenge = answer?;
    let responses = exchange
        .password_verifier(
            &challenge["ChallengeParameters"],
            pool_id,
            password,
            timestamp,
        )
        .unwrap();
    let (op, body) = verifier_answer(pool_id, client_id, responses, admin);
    w.call(op, body).await
}

pub(crate) fn now_stamp(w: &Wire) -> String {
    Timestamp(w.now_s()).format()
}

#[tokio::test]
async fn srp_sign_in_leads_to_the_totp_challenge_and_tokens() {
    let w = Wire::start().await;
    let (pool_id, _, totp) = enrolled(&w, "OPTIONAL").await;
    let c = w
        .ok(
            Operation::CreateUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientName": "srp", "ExplicitAuthFlows": SRP_FLOWS }),
        )
        .await;
    let client_id = c["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
    for admin in [false, true] {
        let (exchange, answer) = initiate(&w, &pool_id, &client_id, "bob", admin).await;
        let challenge = answer.unwrap();
        assert_eq!(challenge["ChallengeName"], "PASSWORD_VERIFIER");
        assert!(
            challenge.get("Session").is_none(),
            "PASSWORD_VERIFIER carries no Session"
        );
        let params = &challenge["ChallengeParameters"];
        assert_eq!(params["USERNAME"], "bob");
        assert_eq!(params["USER_ID_FOR_SRP"], "bob");
        let salt = params["SALT"].as_str().unwrap();
        assert!(
            salt.len() >= 31 && salt.len() <= 32 && srp::hex_bytes(salt).is_some(),
            "{salt}"
        );
        assert!(srp::hex_bytes(params["SRP_B"].as_str().unwrap()).is_some());
        let responses = exchange
            .password_verifier(params, &pool_id, PASSWORD, &now_stamp(&w))
            .unwrap();
        let (op, body) = verifier_answer(&pool_id, &client_id, responses, admin);
        let mfa = w.ok(op, body).await;
        assert_eq!(mfa["ChallengeName"], "SOFTWARE_TOKEN_MFA");
        assert_eq!(
            mfa["ChallengeParameters"]["FRIENDLY_DEVICE_NAME"],
            "BobPhone"
        );
        assert_eq!(mfa["ChallengeParameters"]["USER_ID_FOR_SRP"], "bob");
        // A fresh step each time: the endpoint refuses a code used before.
        w.advance_s(30);
        let mut body = json!({ "ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": mfa["Session"],
            "ChallengeResponses": { "USERNAME": "bob", "SOFTWARE_TOKEN_MFA_CODE": code(&totp, w.now_s() / 30) } });
        let op = if admin {
            body["UserPoolId"] = json!(pool_id);
            Operation::AdminRespondToAuthChallenge
        } else {
            Operation::RespondToAuthChallenge
        };
        let tokens = w.ok(op, body).await;
        assert!(tokens["AuthenticationResult"]["AccessToken"].is_string());
    }
}

#[tokio::test]
async fn every_wrong_claim_is_incorrect_username_or_password() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OFF", json!({ "ExplicitAuthFlows": SRP_FLOWS })).await;
    user(&w, &pool_id, "carol", json!([])).await;
    let ok = srp_sign_in(
        &w,
        &pool_id,
        &client_id,
        "carol",
        PASSWORD,
        &now_stamp(&w),
        false,
    )
    .await
    .unwrap();
    assert!(ok["AuthenticationResult"]["IdToken"].is_string(), "{ok}");
    let t = Timestamp(w.now_s());
    let incorrect = |r: Result<Value, (u16, String, String)>, what: &str| {
        let (status, kind, text) = r.expect_err(what);
        assert_eq!(
            (status, kind.as_str(), text.as_str()),
            (
                400,
                "NotAuthorizedException",
                message::INCORRECT_CREDENTIALS
            ),
            "{what}"
        );
    };
    incorrect(
        srp_sign_in(
            &w,
            &pool_id,
            &client_id,
            "carol",
            "Wrong-Pa55word!",
            &t.format(),
            false,
        )
        .await,
        "wrong password",
    );
    incorrect(
        srp_sign_in(
            &w,
            &pool_id,
            &client_id,
            "carol",
            PASSWORD,
            &t.format_zero_padded(),
            false,
        )
        .await,
        "zero-padded day",
    );
    incorrect(
        srp_sign_in(
            &w,
            &pool_id,
            &client_id,
            "carol",
            PASSWORD,
            &t.format_wrong_weekday(),
            false,
        )
        .await,
        "wrong weekday",
    );
    incorrect(
        srp_sign_in(
            &w,
            &pool_id,
            &client_id,
            "carol",
            PASSWORD,
            &Timestamp(t.0 - 3600).format(),
            false,
        )
        .await,
        "an hour old",
    );

    // A wrong signature; the same SECRET_BLOCK again (used up); another client's answer.
    let (exchange, answer) = initiate(&w, &pool_id, &client_id, "carol", false).await;
    let params = answer.unwrap()["ChallengeParameters"].clone();
    let mut responses = exchange
        .password_verifier(&params, &pool_id, PASSWORD, &t.format())
        .unwrap();
    let right = responses.clone();
    responses.insert(
        "PASSWORD_CLAIM_SIGNATURE".into(),
        json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
    );
    let (op, body) = verifier_answer(&pool_id, &client_id, responses, false);
    incorrect(w.call(op, body).await, "wrong signature");
    let (op, body) = verifier_answer(&pool_id, &client_id, right, false);
    incorrect(w.call(op, body).await, "a used SECRET_BLOCK");
    let other = w
        .ok(
            Operation::CreateUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientName": "other", "ExplicitAuthFlows": SRP_FLOWS }),
        )
        .await;
    let other_id = other["UserPoolClient"]["ClientId"].as_str().unwrap();
    let (exchange, answer) = initiate(&w, &pool_id, &client_id, "carol", false).await;
    let responses = exchange
        .password_verifier(
            &answer.unwrap()["ChallengeParameters"],
            &pool_id,
            PASSWORD,
            &t.format(),
        )
        .unwrap();
    let (op, body) = verifier_answer(&pool_id, other_id, responses, false);
    incorrect(w.call(op, body).await, "another client");
}

#[tokio::test]
async fn srp_refusals_before_the_challenge() {
    let w = Wire::start().await;
    let (pool_id, password_only) = pool(&w, "OFF", json!({})).await;
    user(&w, &pool_id, "dave", json!([])).await;
    let (_, r) = initiate(&w, &pool_id, &password_only, "dave", false).await;
    assert_eq!(r.unwrap_err().2, message::USER_SRP_AUTH_NOT_ENABLED);
    let here = w
        .ok(
            Operation::CreateUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientName": "srp", "ExplicitAuthFlows": SRP_FLOWS }),
        )
        .await;
    let here = here["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, r) = initiate(&w, &pool_id, &here, "nobody", false).await;
    assert_eq!(r.unwrap_err().1, "UserNotFoundException");
    w.ok(
        Operation::AdminDisableUser,
        json!({ "UserPoolId": pool_id, "Username": "dave" }),
    )
    .await;
    let (_, r) = initiate(&w, &pool_id, &here, "dave", false).await;
    assert_eq!(r.unwrap_err().2, message::USER_DISABLED);
    w.ok(
        Operation::AdminEnableUser,
        json!({ "UserPoolId": pool_id, "Username": "dave" }),
    )
    .await;
    for bad in [
        "",
        "xyz",
        "0",
        srp::N_HEX,
        &"f".repeat(srp::MAX_PUBLIC_HEX + 1),
    ] {
        let body = json!({ "ClientId": here, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": { "USERNAME": "dave", "SRP_A": bad } });
        let text = w
            .fails(
                Operation::InitiateAuth,
                body,
                "InvalidParameterException",
                None,
            )
            .await;
        assert!(text.len() < 200, "{text}");
    }
    let body = json!({ "ClientId": here, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": { "USERNAME": "dave" } });
    w.fails(
        Operation::InitiateAuth,
        body,
        "InvalidParameterException",
        Some(&message::missing_parameter("SRP_A")),
    )
    .await;

    // PreventUserExistenceErrors: a challenge for anyone (the same salt for the same name),
    // then "Incorrect username or password."
    let hidden = w
        .ok(
            Operation::CreateUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientName": "hidden",
        "ExplicitAuthFlows": SRP_FLOWS, "PreventUserExistenceErrors": "ENABLED" }),
        )
        .await;
    let hidden = hidden["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, a) = initiate(&w, &pool_id, &hidden, "nobody", false).await;
    let (_, b) = initiate(&w, &pool_id, &hidden, "nobody", false).await;
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        a["ChallengeParameters"]["SALT"],
        b["ChallengeParameters"]["SALT"]
    );
    let r = srp_sign_in(
        &w,
        &pool_id,
        &hidden,
        "nobody",
        PASSWORD,
        &now_stamp(&w),
        false,
    )
    .await;
    assert_eq!(r.unwrap_err().2, message::INCORRECT_CREDENTIALS);
}

#[tokio::test]
async fn five_wrong_passwords_lock_sign_in_for_a_while() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OFF", json!({ "ExplicitAuthFlows": SRP_FLOWS })).await;
    user(&w, &pool_id, "erin", json!([])).await;
    for _ in 0..6 {
        let r = srp_sign_in(
            &w,
            &pool_id,
            &client_id,
            "erin",
            "Wrong-Pa55word!",
            &now_stamp(&w),
            false,
        )
        .await;
        assert_eq!(r.unwrap_err().2, message::INCORRECT_CREDENTIALS);
    }
    let r = srp_sign_in(
        &w,
        &pool_id,
        &client_id,
        "erin",
        PASSWORD,
        &now_stamp(&w),
        false,
    )
    .await;
    assert_eq!(r.unwrap_err().2, message::PASSWORD_ATTEMPTS_EXCEEDED);
    w.advance_s(3);
    let ok = srp_sign_in(
        &w,
        &pool_id,
        &client_id,
        "erin",
        PASSWORD,
        &now_stamp(&w),
        false,
    )
    .await
    .unwrap();
    assert!(ok["AuthenticationResult"].is_object());
}

#[tokio::test]
async fn a_temporary_password_through_srp_then_mfa_setup() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "ON", json!({ "ExplicitAuthFlows": SRP_FLOWS })).await;
    w.ok(
        Operation::AdminCreateUser,
        json!({ "UserPoolId": pool_id, "Username": "fay", "TemporaryPassword": "Temp-Pa55word!" }),
    )
    .await;
    let r = srp_sign_in(
        &w,
        &pool_id,
        &client_id,
        "fay",
        "Temp-Pa55word!",
        &now_stamp(&w),
        false,
    )
    .await
    .unwrap();
    assert_eq!(r["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    let next = w.ok(Operation::RespondToAuthChallenge, json!({ "ClientId": client_id, "ChallengeName": "NEW_PASSWORD_REQUIRED", "Session": r["Session"],
        "ChallengeResponses": { "USERNAME": "fay", "NEW_PASSWORD": PASSWORD } })).await;
    assert_eq!(next["ChallengeName"], "MFA_SETUP");
    // The new password's verifier works, the temporary one's does not.
    let r = srp_sign_in(
        &w,
        &pool_id,
        &client_id,
        "fay",
        PASSWORD,
        &now_stamp(&w),
        false,
    )
    .await
    .unwrap();
    assert_eq!(r["ChallengeName"], "MFA_SETUP");
    let r = srp_sign_in(
        &w,
        &pool_id,
        &client_id,
        "fay",
        "Temp-Pa55word!",
        &now_stamp(&w),
        false,
    )
    .await;
    assert_eq!(r.unwrap_err().2, message::INCORRECT_CREDENTIALS);
}

#[tokio::test]
async fn secret_hash_is_required_with_srp() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(
        &w,
        "OFF",
        json!({ "ExplicitAuthFlows": SRP_FLOWS, "GenerateSecret": true }),
    )
    .await;
    user(&w, &pool_id, "gus", json!([])).await;
    let c = w
        .ok(
            Operation::DescribeUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientId": client_id }),
        )
        .await;
    let secret = c["UserPoolClient"]["ClientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, r) = initiate(&w, &pool_id, &client_id, "gus", false).await;
    assert_eq!(r.unwrap_err().1, "NotAuthorizedException");
    let exchange = srp::Client::new();
    let hash = mfaspec::secret_hash::secret_hash(&secret, "gus", &client_id);
    let challenge = w
        .ok(
            Operation::InitiateAuth,
            json!({ "ClientId": client_id, "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": { "USERNAME": "gus", "SRP_A": exchange.srp_a(), "SECRET_HASH": hash } }),
        )
        .await;
    let mut responses = exchange
        .password_verifier(
            &challenge["ChallengeParameters"],
            &pool_id,
            PASSWORD,
            &now_stamp(&w),
        )
        .unwrap();
    let (op, body) = verifier_answer(&pool_id, &client_id, responses.clone(), false);
    assert_eq!(
        w.call(op, body).await.unwrap_err().1,
        "NotAuthorizedException"
    );
    // A missing SECRET_HASH is refused before the claim is looked at, so it is not used up.
    responses.insert("SECRET_HASH".into(), json!(hash));
    let (op, body) = verifier_answer(&pool_id, &client_id, responses, false);
    let tokens = w.ok(op, body).await;
    assert!(tokens["AuthenticationResult"]["AccessToken"].is_string());
}
