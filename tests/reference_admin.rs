//! The reference endpoint's administration over raw AWS JSON 1.1: pool, app client and user
//! lifecycles (paging, updates, deletion, enable/disable, admin sign-out, ListUsers filters),
//! token validities in their units, and paging and bounded echoes (spec §2.1, §2.2, §2.8).

use mfaspec::vocabulary::{Operation, message};
use serde_json::{Value, json};

use crate::support::wire::{Wire, access_token, admin_sign_in, pool, user};

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
