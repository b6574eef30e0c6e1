//! `GET /_mfaspec/phone` (`mfaspec serve --phone`): a code the endpoint accepts now and has
//! never accepted — this step's, else the next one's, else (both used) the clock is moved
//! to the next step — for setup (the associated secret) and sign-in; off by default; clear
//! errors for a user without a secret, an unknown pool, a request without its parameters.

use mfaspec::reference::Options;
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

use crate::support::wire::{Wire, access_token, admin_sign_in, answer, enrolled, pool, user};

async fn phone(w: &Wire, query: &str) -> (u16, Value) {
    let r = reqwest::get(format!("{}/_mfaspec/phone?{query}", w.running.url()))
        .await
        .unwrap();
    let status = r.status().as_u16();
    (
        status,
        serde_json::from_str(&r.text().await.unwrap()).unwrap(),
    )
}

fn with_phone() -> Options {
    Options {
        clock_control: true,
        phone: true,
        ..Options::default()
    }
}

async fn sign_in_with(
    w: &Wire,
    pool_id: &str,
    client_id: &str,
    code: &str,
) -> Result<Value, String> {
    let challenged = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(pool_id, client_id, "bob"),
        )
        .await;
    w.call(
        Operation::AdminRespondToAuthChallenge,
        answer(pool_id, client_id, &challenged["Session"], code),
    )
    .await
    .map_err(|(_, kind, message)| format!("{kind}: {message}"))
}

#[tokio::test]
async fn every_code_the_phone_gives_is_accepted_once_without_waiting_for_the_clock() {
    let w = Wire::with(with_phone()).await;
    // Enrolled with this step's code: the phone must not give it again.
    let (pool_id, client_id, _) = enrolled(&w, "OPTIONAL").await;
    let step = w.now_s() / 30;
    let q = format!("pool_id={pool_id}&username=bob");
    let mut seen = Vec::new();
    for round in 0..4 {
        let (status, body) = phone(&w, &q).await;
        assert_eq!(status, 200, "{body}");
        let code = body["code"].as_str().unwrap().to_owned();
        assert!(
            !seen.contains(&code),
            "round {round}: {code} was given before"
        );
        assert!(body["valid_for_s"].as_u64().unwrap() >= 30);
        sign_in_with(&w, &pool_id, &client_id, &code)
            .await
            .unwrap_or_else(|e| panic!("round {round}: the phone's code was refused: {e}"));
        seen.push(code);
    }
    // Rounds: step+1 (step was used by the setup); then the clock moved to step+1 and gave
    // step+2; and so on: the clock moved, nobody slept.
    assert!(w.now_s() / 30 > step, "the controlled clock was moved");
}

#[tokio::test]
async fn the_phone_gives_the_code_of_a_secret_being_set_up() {
    let w = Wire::with(with_phone()).await;
    let (pool_id, client_id) = pool(&w, "OPTIONAL", json!({})).await;
    user(&w, &pool_id, "bob", json!([])).await;
    let access = access_token(&w, &pool_id, &client_id, "bob").await;
    let q = format!("pool_id={pool_id}&username=bob");
    let (status, body) = phone(&w, &q).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ResourceNotFoundException"))
    );
    assert!(
        body["message"].as_str().unwrap().contains("no TOTP secret"),
        "{body}"
    );
    w.ok(
        Operation::AssociateSoftwareToken,
        json!({ "AccessToken": access }),
    )
    .await;
    let (status, body) = phone(&w, &q).await;
    assert_eq!(status, 200, "{body}");
    let verified = w
        .ok(
            Operation::VerifySoftwareToken,
            json!({ "AccessToken": access, "UserCode": body["code"] }),
        )
        .await;
    assert_eq!(verified["Status"], "SUCCESS");
}

#[tokio::test]
async fn the_phone_is_off_by_default_and_refuses_what_it_cannot_answer() {
    let w = Wire::start().await;
    let (status, body) = phone(&w, "pool_id=us-east-1_x&username=bob").await;
    assert_eq!(status, 404);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("mfaspec serve --phone"),
        "{body}"
    );

    let w = Wire::with(with_phone()).await;
    let (status, body) = phone(&w, "username=bob").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("InvalidParameterException"))
    );
    let (status, body) = phone(&w, "pool_id=us-east-1_nope&username=bob").await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("ResourceNotFoundException"))
    );
    let (pool_id, _) = pool(&w, "OPTIONAL", json!({})).await;
    let (status, body) = phone(&w, &format!("pool_id={pool_id}&username=nobody")).await;
    assert_eq!(
        (status, body["__type"].as_str()),
        (400, Some("UserNotFoundException"))
    );
}

/// docs/testing-your-app.md shows the Playwright test that runs in CI as it is.
#[test]
fn the_guide_shows_the_test_that_runs_in_ci() {
    let root = env!("CARGO_MANIFEST_DIR");
    let guide = std::fs::read_to_string(format!("{root}/docs/testing-your-app.md")).unwrap();
    let test =
        std::fs::read_to_string(format!("{root}/apps/authenticator/tests/guide.spec.mjs")).unwrap();
    assert!(
        guide.contains(&format!("```js\n{test}```")),
        "docs/testing-your-app.md does not show apps/authenticator/tests/guide.spec.mjs as it is"
    );
}
