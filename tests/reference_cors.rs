//! CORS as AWS's Cognito endpoint answers browsers (`src/reference/cors.rs`): preflights of
//! the JSON API, the hosted UI's token endpoint, the JWKS and the discovery document from a
//! loopback page; the answers' exposed headers; an origin not allowed, and `none`, get no
//! CORS header at all. Checked over HTTP, as a browser sends them.

use mfaspec::reference::Options;
use mfaspec::reference::cors::Origins;
use serde_json::json;

use crate::support::wire::{Wire, pool};

const ORIGIN: &str = "http://localhost:5173";

/// Amplify JS v6's headers to cognito-idp (its serializer, transfer handler and
/// middlewares), as Chromium lists them in a preflight.
const AMPLIFY_HEADERS: &str = "amz-sdk-invocation-id,amz-sdk-request,cache-control,content-type,x-amz-target,x-amz-user-agent";

async fn send(
    url: &str,
    method: reqwest::Method,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap) {
    let mut request = reqwest::Client::new().request(method, url);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    let answer = request.send().await.unwrap();
    (answer.status().as_u16(), answer.headers().clone())
}

fn header<'h>(h: &'h reqwest::header::HeaderMap, name: &str) -> Option<&'h str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

async fn preflight(
    url: &str,
    origin: &str,
    method: &str,
    headers: &str,
) -> (u16, reqwest::header::HeaderMap) {
    send(
        url,
        reqwest::Method::OPTIONS,
        &[
            ("origin", origin),
            ("access-control-request-method", method),
            ("access-control-request-headers", headers),
        ],
    )
    .await
}

#[tokio::test]
async fn the_json_api_answers_a_loopback_page_as_aws_does() {
    let w = Wire::start().await;
    let url = format!("{}/", w.running.url());
    let (status, h) = preflight(&url, ORIGIN, "POST", AMPLIFY_HEADERS).await;
    assert_eq!(status, 200);
    assert_eq!(header(&h, "access-control-allow-origin"), Some("*"));
    assert_eq!(header(&h, "access-control-allow-methods"), Some("POST"));
    assert_eq!(
        header(&h, "access-control-allow-headers"),
        Some(AMPLIFY_HEADERS)
    );
    assert_eq!(header(&h, "access-control-max-age"), Some("172800"));
    assert_eq!(header(&h, "access-control-allow-credentials"), None);

    // The answer itself, an error here: the browser may read its x-amzn-* headers.
    let (status, h) = send(
        &url,
        reqwest::Method::POST,
        &[
            ("origin", ORIGIN),
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", "AWSCognitoIdentityProviderService.GetUser"),
        ],
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(header(&h, "access-control-allow-origin"), Some("*"));
    assert_eq!(
        header(&h, "access-control-expose-headers"),
        Some("x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date")
    );
    assert_eq!(
        header(&h, "x-amzn-errortype"),
        Some("InvalidParameterException:")
    );
    assert!(header(&h, "x-amzn-errormessage").is_some());

    // Without an Origin (an SDK, not a browser): no CORS headers.
    let (_, h) = send(&url, reqwest::Method::POST, &[]).await;
    assert_eq!(header(&h, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn the_keys_discovery_and_token_endpoint_answer_browsers_too() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OFF", json!({})).await;
    let base = w.running.url();
    for path in [
        format!("/{pool_id}/.well-known/jwks.json"),
        format!("/{pool_id}/.well-known/openid-configuration"),
    ] {
        let (status, h) = send(
            &format!("{base}{path}"),
            reqwest::Method::GET,
            &[("origin", ORIGIN)],
        )
        .await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            header(&h, "access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
    }
    crate::reference_hosted::agent::with_domain(
        &w,
        &pool_id,
        &client_id,
        "cors-app",
        json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid"], "CallbackURLs": ["http://localhost:5173/"],
                "SupportedIdentityProviders": ["COGNITO"] }),
    )
    .await;
    // Amplify's code exchange: a form post with its user agent header, so preflighted.
    let port = w.running.addr.port();
    let token = format!("http://cors-app.auth.us-east-1.localhost:{port}/oauth2/token");
    let client = reqwest::Client::builder()
        .resolve("cors-app.auth.us-east-1.localhost", w.running.addr)
        .build()
        .unwrap();
    let answer = client
        .request(reqwest::Method::OPTIONS, &token)
        .header("origin", ORIGIN)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-user-agent",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let h = answer.headers();
    assert_eq!(header(h, "access-control-allow-origin"), Some("*"));
    assert_eq!(
        header(h, "access-control-allow-headers"),
        Some("content-type,x-amz-user-agent")
    );
    let answer = client
        .post(&token)
        .header("origin", ORIGIN)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=authorization_code&code=nope")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 400);
    assert_eq!(
        header(answer.headers(), "access-control-allow-origin"),
        Some("*")
    );
}

#[tokio::test]
async fn an_origin_not_allowed_gets_no_cors_header() {
    let w = Wire::start().await;
    let url = format!("{}/", w.running.url());
    let (status, h) = preflight(&url, "https://evil.example", "POST", "content-type").await;
    assert_eq!(status, 403);
    assert_eq!(header(&h, "access-control-allow-origin"), None);

    let w = Wire::with(Options {
        cors: Origins::Nothing,
        ..Options::default()
    })
    .await;
    let url = format!("{}/", w.running.url());
    let (_, h) = preflight(&url, ORIGIN, "POST", "content-type").await;
    assert_eq!(header(&h, "access-control-allow-origin"), None);
    let (_, h) = send(&url, reqwest::Method::POST, &[("origin", ORIGIN)]).await;
    assert_eq!(header(&h, "access-control-allow-origin"), None);

    let w = Wire::with(Options {
        cors: "https://app.example".parse().unwrap(),
        ..Options::default()
    })
    .await;
    let url = format!("{}/", w.running.url());
    let (status, h) = preflight(&url, "https://app.example", "POST", "content-type").await;
    assert_eq!(
        (status, header(&h, "access-control-allow-origin")),
        (200, Some("*"))
    );
    let (status, _) = preflight(&url, ORIGIN, "POST", "content-type").await;
    assert_eq!(status, 403);
}
