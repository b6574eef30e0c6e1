//! The reference endpoint's remembered devices (spec §2.15) over raw AWS JSON 1.1:
//! ConfirmDevice and the device operations, and a remembered device's DEVICE_SRP_AUTH sign-in
//! with mfaspec's own SRP client.

use mfaspec::srp::{self};
use mfaspec::vocabulary::{Operation, message};
use serde_json::{Value, json};

use crate::support::wire::{PASSWORD, Wire, user};

use crate::reference_srp::{SRP_FLOWS, initiate, now_stamp, srp_sign_in, verifier_answer};

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
