//! The reference endpoint's USER_SRP_AUTH and PASSWORD_VERIFIER (spec §2.14) over raw AWS JSON
//! 1.1, signed in with mfaspec's own SRP client (checked against an independent one in
//! tests/srp.rs): every challenge that can follow, and every refusal with its exception and
//! message.

use mfaspec::srp::{self, Timestamp};
use mfaspec::vocabulary::{Operation, message};
use serde_json::{Value, json};

use super::reference::{PASSWORD, Wire, code, enrolled, pool, user};

const SRP_FLOWS: [&str; 3] = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
];

/// Starts USER_SRP_AUTH (admin when `admin`); returns the client half and the answer.
async fn initiate(
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

fn verifier_answer(
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
async fn srp_sign_in(
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

fn now_stamp(w: &Wire) -> String {
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

/// A pool that remembers devices always, a client allowing SRP, and a user with tokens
/// issued on a new device: (pool, client, access token, device key, group key).
async fn device_pool(w: &Wire) -> (String, String, String, String, String) {
    let pool = w
        .ok(
            Operation::CreateUserPool,
            json!({ "PoolName": "d", "DeviceConfiguration": {
            "ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": false } }),
        )
        .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    assert_eq!(
        pool["UserPool"]["DeviceConfiguration"]["ChallengeRequiredOnNewDevice"],
        true
    );
    let c = w
        .ok(
            Operation::CreateUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientName": "a", "ExplicitAuthFlows": SRP_FLOWS }),
        )
        .await;
    let client_id = c["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
    user(w, &pool_id, "hal", json!([])).await;
    let tokens = srp_sign_in(
        w,
        &pool_id,
        &client_id,
        "hal",
        PASSWORD,
        &now_stamp(w),
        false,
    )
    .await
    .unwrap();
    let result = &tokens["AuthenticationResult"];
    let key = result["NewDeviceMetadata"]["DeviceKey"]
        .as_str()
        .unwrap()
        .to_owned();
    let group = result["NewDeviceMetadata"]["DeviceGroupKey"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(key.starts_with("us-east-1_") && key.len() <= 55, "{key}");
    (
        pool_id,
        client_id,
        result["AccessToken"].as_str().unwrap().to_owned(),
        key,
        group,
    )
}

#[tokio::test]
async fn device_operations_refuse_unknown_devices_and_malformed_verifiers() {
    let w = Wire::start().await;
    let (pool_id, _, access, key, _) = device_pool(&w).await;
    for (op, body) in [
        (
            Operation::GetDevice,
            json!({ "AccessToken": access, "DeviceKey": "us-east-1_nope" }),
        ),
        (
            Operation::ForgetDevice,
            json!({ "AccessToken": access, "DeviceKey": "us-east-1_nope" }),
        ),
        (
            Operation::UpdateDeviceStatus,
            json!({ "AccessToken": access, "DeviceKey": "us-east-1_nope", "DeviceRememberedStatus": "remembered" }),
        ),
        (
            Operation::AdminGetDevice,
            json!({ "UserPoolId": pool_id, "Username": "hal", "DeviceKey": "us-east-1_nope" }),
        ),
        (
            Operation::AdminForgetDevice,
            json!({ "UserPoolId": pool_id, "Username": "hal", "DeviceKey": "us-east-1_nope" }),
        ),
        (
            Operation::ConfirmDevice,
            json!({ "AccessToken": access, "DeviceKey": "us-east-1_nope",
            "DeviceSecretVerifierConfig": { "PasswordVerifier": "AAAA", "Salt": "AAAA" } }),
        ),
    ] {
        w.fails(
            op,
            body,
            "ResourceNotFoundException",
            Some(message::DEVICE_NOT_FOUND),
        )
        .await;
    }
    // An unconfirmed device is not listed and cannot be read.
    let listed = w
        .ok(Operation::ListDevices, json!({ "AccessToken": access }))
        .await;
    assert_eq!(listed["Devices"], json!([]));
    w.fails(
        Operation::GetDevice,
        json!({ "AccessToken": access, "DeviceKey": key }),
        "ResourceNotFoundException",
        None,
    )
    .await;
    for config in [
        json!({ "PasswordVerifier": "not base64!", "Salt": "AAAA" }),
        json!({ "PasswordVerifier": "", "Salt": "AAAA" }),
    ] {
        w.fails(Operation::ConfirmDevice, json!({ "AccessToken": access, "DeviceKey": key, "DeviceSecretVerifierConfig": config }),
            "InvalidParameterException", None).await;
    }
    w.fails(
        Operation::ConfirmDevice,
        json!({ "AccessToken": access, "DeviceKey": key }),
        "InvalidParameterException",
        Some(&message::missing_parameter("DeviceSecretVerifierConfig")),
    )
    .await;
    w.fails(
        Operation::UpdateDeviceStatus,
        json!({ "AccessToken": access, "DeviceKey": key, "DeviceRememberedStatus": "sometimes" }),
        "InvalidParameterException",
        None,
    )
    .await;
    w.fails(
        Operation::ListDevices,
        json!({ "AccessToken": "not-a-token" }),
        "NotAuthorizedException",
        None,
    )
    .await;
}

/// USER_SRP_AUTH and the right password claim for hal on the device `key`.
async fn password_on_device(w: &Wire, pool_id: &str, client_id: &str, key: &str) -> Value {
    let (exchange, answer) = initiate(w, pool_id, client_id, "hal", false).await;
    let mut responses = exchange
        .password_verifier(
            &answer.unwrap()["ChallengeParameters"],
            pool_id,
            PASSWORD,
            &now_stamp(w),
        )
        .unwrap();
    responses.insert("DEVICE_KEY".into(), json!(key));
    let (op, body) = verifier_answer(pool_id, client_id, responses, false);
    w.ok(op, body).await
}

/// The device's claim on a DEVICE_PASSWORD_VERIFIER challenge: (SECRET_BLOCK, signature,
/// TIMESTAMP).
fn device_claim(
    w: &Wire,
    device: &srp::Client,
    challenge: &Value,
    group: &str,
    key: &str,
    password: &str,
) -> (String, String, String) {
    let p = &challenge["ChallengeParameters"];
    let proof = device
        .proof(
            p["SALT"].as_str().unwrap(),
            p["SRP_B"].as_str().unwrap(),
            group,
            key,
            password,
        )
        .unwrap();
    let block = p["SECRET_BLOCK"].as_str().unwrap().to_owned();
    let stamp = now_stamp(w);
    let signature = proof.signature(
        group,
        key,
        &srp::secret_block_bytes(&block).unwrap(),
        &stamp,
    );
    (block, signature, stamp)
}

#[tokio::test]
async fn a_remembered_device_signs_in_without_its_session_only_after_the_password() {
    let w = Wire::start().await;
    let (pool_id, client_id, access, key, group) = device_pool(&w).await;
    let secret = srp::DeviceSecret::new(&group, &key);
    let confirmed = w.ok(Operation::ConfirmDevice, json!({ "AccessToken": access, "DeviceKey": key, "DeviceName": "HalLaptop",
        "DeviceSecretVerifierConfig": { "PasswordVerifier": secret.verifier_b64, "Salt": secret.salt_b64 } })).await;
    assert_eq!(confirmed["UserConfirmationNecessary"], false);
    // DEVICE_SRP_AUTH with no password step before it: no session to find.
    let device = srp::Client::new();
    let early = json!({ "ClientId": client_id, "ChallengeName": "DEVICE_SRP_AUTH",
        "ChallengeResponses": { "USERNAME": "hal", "DEVICE_KEY": key, "SRP_A": device.srp_a() } });
    w.fails(
        Operation::RespondToAuthChallenge,
        early.clone(),
        "NotAuthorizedException",
        None,
    )
    .await;
    // The password on the device: DEVICE_SRP_AUTH, then answered without any Session.
    let next = password_on_device(&w, &pool_id, &client_id, &key).await;
    assert_eq!(next["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(next["ChallengeParameters"]["DEVICE_KEY"], key.as_str());
    let challenge = w.ok(Operation::RespondToAuthChallenge, early.clone()).await;
    assert_eq!(challenge["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    // The same DEVICE_SRP_AUTH again: that session is used up.
    w.fails(
        Operation::RespondToAuthChallenge,
        early,
        "NotAuthorizedException",
        None,
    )
    .await;
    let (block, signature, stamp) =
        device_claim(&w, &device, &challenge, &group, &key, &secret.password);
    let tokens = w.ok(Operation::RespondToAuthChallenge, json!({ "ClientId": client_id, "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
        "ChallengeResponses": { "USERNAME": "hal", "DEVICE_KEY": key, "PASSWORD_CLAIM_SECRET_BLOCK": block,
            "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": stamp } })).await;
    let result = &tokens["AuthenticationResult"];
    assert!(
        result["AccessToken"].is_string() && result.get("NewDeviceMetadata").is_none(),
        "{tokens}"
    );
    // A device's claim sent as a PASSWORD_VERIFIER is refused (and uses the challenge up).
    assert_eq!(
        password_on_device(&w, &pool_id, &client_id, &key).await["ChallengeName"],
        "DEVICE_SRP_AUTH"
    );
    let device = srp::Client::new();
    let again = w
        .ok(
            Operation::RespondToAuthChallenge,
            json!({ "ClientId": client_id, "ChallengeName": "DEVICE_SRP_AUTH",
        "ChallengeResponses": { "USERNAME": "hal", "DEVICE_KEY": key, "SRP_A": device.srp_a() } }),
        )
        .await;
    let (block, signature, stamp) =
        device_claim(&w, &device, &again, &group, &key, &secret.password);
    let r = w.call(Operation::RespondToAuthChallenge, json!({ "ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": { "USERNAME": "hal", "DEVICE_KEY": key, "PASSWORD_CLAIM_SECRET_BLOCK": block,
            "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": stamp } })).await;
    assert_eq!(r.unwrap_err().2, message::INCORRECT_CREDENTIALS);
    // The refresh token is the device's: without its DEVICE_KEY it is refused.
    let refresh = result["RefreshToken"].as_str().unwrap();
    let r = w
        .call(
            Operation::InitiateAuth,
            json!({ "ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
        "AuthParameters": { "REFRESH_TOKEN": refresh } }),
        )
        .await;
    assert_eq!(r.unwrap_err().2, message::REFRESH_TOKEN_INVALID);
    w.ok(
        Operation::InitiateAuth,
        json!({ "ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
        "AuthParameters": { "REFRESH_TOKEN": refresh, "DEVICE_KEY": key } }),
    )
    .await;
}
