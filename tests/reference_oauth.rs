//! The reference endpoint's groundwork for the hosted UI (spec §2.16): prefix domains
//! (Create/Describe/DeleteUserPoolDomain) and the pool's OpenID discovery document, which
//! names the issuer its tokens carry and where its keys are.

use mfaspec::vocabulary::{Operation, message};
use serde_json::{Value, json};

use crate::support::wire::{PASSWORD, Wire, pool, user};

#[tokio::test]
async fn prefix_domains_are_created_described_and_deleted() {
    let w = Wire::start().await;
    let (pool_id, _) = pool(&w, "OFF", json!({})).await;
    let (other, _) = pool(&w, "OFF", json!({})).await;
    for bad in ["", "-app", "app-", "App", "a_b", "a.b", &"a".repeat(64)] {
        w.fails(
            Operation::CreateUserPoolDomain,
            json!({ "UserPoolId": pool_id, "Domain": bad }),
            "InvalidParameterException",
            None,
        )
        .await;
    }
    w.fails(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": pool_id, "Domain": "team-auth", "CustomDomainConfig": { "CertificateArn": "arn:aws:acm:us-east-1:1:certificate/x" } }),
        "InvalidParameterException",
        None,
    )
    .await;
    let created = w
        .ok(
            Operation::CreateUserPoolDomain,
            json!({ "UserPoolId": pool_id, "Domain": "team-auth", "ManagedLoginVersion": 1 }),
        )
        .await;
    assert_eq!(created, json!({ "ManagedLoginVersion": 1 }));
    w.fails(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": other, "Domain": "team-auth" }),
        "InvalidParameterException",
        Some(message::DOMAIN_TAKEN),
    )
    .await;
    w.fails(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": pool_id, "Domain": "second" }),
        "InvalidParameterException",
        Some(message::POOL_HAS_DOMAIN),
    )
    .await;
    let described = w
        .ok(
            Operation::DescribeUserPoolDomain,
            json!({ "Domain": "team-auth" }),
        )
        .await;
    let d = &described["DomainDescription"];
    assert_eq!(d["UserPoolId"], pool_id.as_str());
    assert_eq!(d["Domain"], "team-auth");
    assert_eq!(d["Status"], "ACTIVE");
    assert_eq!(d["ManagedLoginVersion"], 1);
    let p = w
        .ok(
            Operation::DescribeUserPool,
            json!({ "UserPoolId": pool_id }),
        )
        .await;
    assert_eq!(p["UserPool"]["Domain"], "team-auth");
    // An unknown domain is an empty description.
    let none = w
        .ok(
            Operation::DescribeUserPoolDomain,
            json!({ "Domain": "nobody-here" }),
        )
        .await;
    assert_eq!(none, json!({ "DomainDescription": {} }));
    w.fails(
        Operation::DeleteUserPoolDomain,
        json!({ "UserPoolId": other, "Domain": "team-auth" }),
        "InvalidParameterException",
        Some(message::NO_SUCH_DOMAIN),
    )
    .await;
    w.ok(
        Operation::DeleteUserPoolDomain,
        json!({ "UserPoolId": pool_id, "Domain": "team-auth" }),
    )
    .await;
    let gone = w
        .ok(
            Operation::DescribeUserPoolDomain,
            json!({ "Domain": "team-auth" }),
        )
        .await;
    assert_eq!(gone, json!({ "DomainDescription": {} }));
    // Free again, for the other pool; and deleting that pool frees it too.
    w.ok(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": other, "Domain": "team-auth" }),
    )
    .await;
    w.ok(Operation::DeleteUserPool, json!({ "UserPoolId": other }))
        .await;
    w.ok(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": pool_id, "Domain": "team-auth" }),
    )
    .await;
}

async fn get_json(url: &str) -> Value {
    let text = reqwest::get(url).await.unwrap().text().await.unwrap();
    serde_json::from_str(&text).unwrap()
}

#[tokio::test]
async fn the_discovery_document_names_the_tokens_issuer_and_their_keys() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OFF", json!({})).await;
    user(&w, &pool_id, "ivy", json!([])).await;
    let base = w.running.url();
    let doc = get_json(&format!(
        "{base}/{pool_id}/.well-known/openid-configuration"
    ))
    .await;
    let tokens = w
        .ok(
            Operation::AdminInitiateAuth,
            json!({ "UserPoolId": pool_id, "ClientId": client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
                    "AuthParameters": { "USERNAME": "ivy", "PASSWORD": PASSWORD } }),
        )
        .await;
    let id = tokens["AuthenticationResult"]["IdToken"].as_str().unwrap();
    let payload = id.split('.').nth(1).unwrap();
    use base64::Engine as _;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(doc["issuer"], claims["iss"], "{doc}");
    let jwks = get_json(doc["jwks_uri"].as_str().unwrap()).await;
    assert!(
        jwks["keys"].as_array().is_some_and(|k| !k.is_empty()),
        "{jwks}"
    );
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        json!(["RS256"])
    );
    let missing = reqwest::get(format!(
        "{base}/us-east-1_nope/.well-known/openid-configuration"
    ))
    .await
    .unwrap();
    assert_eq!(missing.status().as_u16(), 404);
}
