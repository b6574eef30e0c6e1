//! The reference endpoint over raw AWS JSON 1.1: malformed requests and validation, pool and
//! app client configuration, lifecycles, token validities and paging, each with its exception
//! and message (spec §2–§4). The endpoint runs in-process on loopback with clock control
//! (`support::wire`), so minutes pass in milliseconds.

use mfaspec::reference::{Options, secret_hash};
use mfaspec::vocabulary::{Operation, message};
use serde_json::json;

use crate::support::wire::{PASSWORD, Wire, access_token, admin_sign_in, pool, user};

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
