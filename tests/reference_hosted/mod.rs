//! The reference endpoint's hosted UI over plain HTTP (spec §2.17), without a browser: the
//! OAuth client settings, the authorize → login → TOTP → code → token chain with PKCE, every
//! refusal of the token endpoint, userInfo and logout. The browser-driven scenarios are in
//! `features/hosted_ui.feature`.

use base64::Engine as _;
use mfaspec::totp::Totp;
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

pub mod agent;
mod browser;
mod random_requests;

use crate::support::wire::{PASSWORD, Wire, code, enrolled, pool, user};
use agent::*;

#[tokio::test]
async fn oauth_client_settings_are_checked_and_read_back() {
    let w = Wire::start().await;
    let (pool_id, _) = pool(&w, "OFF", json!({})).await;
    let base = json!({ "UserPoolId": pool_id, "ClientName": "web" });
    let with = |extra: Value| {
        let mut r = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        r
    };
    for (extra, kind) in [
        (
            json!({ "AllowedOAuthFlows": ["password"] }),
            "InvalidParameterException",
        ),
        (
            json!({ "AllowedOAuthScopes": ["openid", "admin:all"] }),
            "ScopeDoesNotExistException",
        ),
        (
            json!({ "CallbackURLs": ["http://example.com/cb"] }),
            "InvalidParameterException",
        ),
        (
            json!({ "CallbackURLs": ["https://example.com/cb#x"] }),
            "InvalidParameterException",
        ),
        (
            json!({ "CallbackURLs": ["/relative"] }),
            "InvalidParameterException",
        ),
        (
            json!({ "CallbackURLs": [CALLBACK], "DefaultRedirectURI": "https://other.example/" }),
            "InvalidParameterException",
        ),
        (
            json!({ "SupportedIdentityProviders": ["Google"] }),
            "InvalidParameterException",
        ),
        (
            json!({ "AllowedOAuthFlowsUserPoolClient": true }),
            "InvalidOAuthFlowException",
        ),
        (
            json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"] }),
            "InvalidOAuthFlowException",
        ),
        (
            json!({ "AllowedOAuthFlows": ["client_credentials"] }),
            "InvalidOAuthFlowException",
        ),
        (
            json!({ "GenerateSecret": true, "AllowedOAuthFlows": ["client_credentials", "code"] }),
            "InvalidOAuthFlowException",
        ),
    ] {
        w.fails(
            Operation::CreateUserPoolClient,
            with(extra.clone()),
            kind,
            None,
        )
        .await;
    }
    let created = w
        .ok(
            Operation::CreateUserPoolClient,
            with(json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
                "AllowedOAuthScopes": ["openid", "email"], "CallbackURLs": [CALLBACK, "myapp://done", "https://app.example/cb"],
                "DefaultRedirectURI": CALLBACK, "LogoutURLs": ["http://localhost:8080/bye"], "SupportedIdentityProviders": ["COGNITO"] })),
        )
        .await;
    let c = &created["UserPoolClient"];
    assert_eq!(c["AllowedOAuthFlowsUserPoolClient"], true);
    assert_eq!(c["AllowedOAuthFlows"], json!(["code"]));
    assert_eq!(c["AllowedOAuthScopes"], json!(["openid", "email"]));
    assert_eq!(c["CallbackURLs"][1], "myapp://done");
    assert_eq!(c["DefaultRedirectURI"], CALLBACK);
    assert_eq!(c["SupportedIdentityProviders"], json!(["COGNITO"]));
    let id = c["ClientId"].as_str().unwrap();
    let described = w
        .ok(
            Operation::DescribeUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientId": id }),
        )
        .await;
    assert_eq!(&described["UserPoolClient"]["LogoutURLs"], &c["LogoutURLs"]);
    // UpdateUserPoolClient resets what it omits, OAuth settings included.
    let updated = w
        .ok(
            Operation::UpdateUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientId": id }),
        )
        .await;
    assert_eq!(
        updated["UserPoolClient"]["AllowedOAuthFlowsUserPoolClient"],
        false
    );
    assert!(updated["UserPoolClient"].get("CallbackURLs").is_none());
}

#[tokio::test]
async fn a_totp_user_signs_in_through_the_hosted_ui_and_gets_tokens() {
    let w = Wire::start().await;
    let (pool_id, client_id, totp) = enrolled(&w, "OPTIONAL").await;
    with_domain(&w, &pool_id, &client_id, "team-auth", oauth_client()).await;
    let mut agent = Agent::new(&w, "team-auth");

    // A wrong password: the form again, with the error on it.
    let again = password(&mut agent, &client_id, "s1", "bob", "Wrong-Horse-1").await;
    assert_eq!(again.status, 200);
    assert!(
        again
            .body
            .contains("role=\"alert\">Incorrect username or password.<")
    );

    let to_mfa = password(&mut agent, &client_id, "xyz-state", "bob", PASSWORD).await;
    assert_eq!(to_mfa.status, 302);
    let mfa = to_mfa.location.unwrap();
    assert!(mfa.starts_with("/mfa?"));
    let page = agent.get(&mfa).await;
    assert!(
        page.body.contains("Code from your authenticator app"),
        "{}",
        page.body
    );
    assert!(page.body.contains("BobPhone"));
    let csrf = agent.csrf();
    let step = w.now_s() / 30;
    // The code the enrolment used is spent; a wrong one is refused; both show an error.
    let used = agent
        .post(&mfa, &[("_csrf", &csrf), ("totpCode", &code(&totp, step))])
        .await;
    assert!(used.body.contains("already been used"), "{}", used.body);
    let wrong = agent
        .post(
            &mfa,
            &[("_csrf", &csrf), ("totpCode", &code(&totp, step + 5))],
        )
        .await;
    assert_eq!(wrong.status, 200);
    assert!(wrong.body.contains("role=\"alert\""));
    // A form without its CSRF token is refused.
    let forged = agent
        .post(
            &mfa,
            &[("_csrf", "forged"), ("totpCode", &code(&totp, step + 1))],
        )
        .await;
    assert_eq!(forged.status, 400);
    let done = agent
        .post(
            &mfa,
            &[("_csrf", &csrf), ("totpCode", &code(&totp, step + 1))],
        )
        .await;
    assert_eq!(done.status, 302, "{}", done.body);
    let back = done.location.unwrap();
    assert!(back.starts_with(&format!("{CALLBACK}?code=")), "{back}");
    let q = query_of(&back);
    assert_eq!(q["state"], "xyz-state");
    let the_code = q["code"].clone();

    // A wrong verifier is invalid_grant, and uses the code up.
    let exchange = |code: &str, verifier: &str| {
        vec![
            ("grant_type".to_owned(), "authorization_code".to_owned()),
            ("client_id".to_owned(), client_id.clone()),
            ("code".to_owned(), code.to_owned()),
            ("redirect_uri".to_owned(), CALLBACK.to_owned()),
            ("code_verifier".to_owned(), verifier.to_owned()),
        ]
    };
    let as_refs = |v: &[(String, String)]| {
        v.iter()
            .map(|(a, b)| (a.clone(), b.clone()))
            .collect::<Vec<_>>()
    };
    let fields = as_refs(&exchange(&the_code, &VERIFIER.replace('d', "e")));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        agent.token(&refs, None).await,
        (400, json!({ "error": "invalid_grant" }))
    );
    let fields = as_refs(&exchange(&the_code, VERIFIER));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        agent.token(&refs, None).await,
        (400, json!({ "error": "invalid_grant" }))
    );

    // Signed in already: authorize answers with a code at once, no form.
    let again = agent
        .get(&authorize_path(&client_id, "second", "&nonce=n-2"))
        .await;
    assert_eq!(again.status, 302);
    let q = query_of(&again.location.unwrap());
    assert_eq!(q["state"], "second");
    let fields = as_refs(&exchange(&q["code"], VERIFIER));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let (status, tokens) = agent.token(&refs, None).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 3600);
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["aud"], client_id.as_str());
    assert_eq!(id["nonce"], "n-2");
    assert_eq!(id["iss"], format!("{}/{pool_id}", w.running.url()));
    let access = claims(tokens["access_token"].as_str().unwrap());
    assert_eq!(access["scope"], "openid email");
    // Without aws.cognito.signin.user.admin the token authorises no user-pool operation
    // (spec §1.1): in particular it cannot turn TOTP off.
    let token = tokens["access_token"].as_str().unwrap();
    for (op, body) in [
        (Operation::GetUser, json!({ "AccessToken": token })),
        (
            Operation::AssociateSoftwareToken,
            json!({ "AccessToken": token }),
        ),
        (
            Operation::SetUserMFAPreference,
            json!({ "AccessToken": token, "SoftwareTokenMfaSettings": { "Enabled": false } }),
        ),
        (Operation::GlobalSignOut, json!({ "AccessToken": token })),
    ] {
        w.fails(
            op,
            body,
            "NotAuthorizedException",
            Some("Access Token does not have required scopes"),
        )
        .await;
    }
    // The same code twice: invalid_grant.
    assert_eq!(
        agent.token(&refs, None).await,
        (400, json!({ "error": "invalid_grant" }))
    );

    // userInfo with the access token.
    let info = agent
        .http
        .get(format!("{}/oauth2/userInfo", agent.base))
        .header(
            "authorization",
            format!("Bearer {}", tokens["access_token"].as_str().unwrap()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 200);
    let info: Value = serde_json::from_str(&info.text().await.unwrap()).unwrap();
    assert_eq!(info["username"], "bob");
    assert_eq!(info["sub"], id["sub"]);
    let anonymous = agent
        .http
        .get(format!("{}/oauth2/userInfo", agent.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);

    // refresh_token.
    let (status, refreshed) = agent
        .token(
            &[
                ("grant_type", "refresh_token"),
                ("client_id", &client_id),
                ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
            ],
            None,
        )
        .await;
    assert_eq!(status, 200, "{refreshed}");
    assert_eq!(
        claims(refreshed["access_token"].as_str().unwrap())["scope"],
        "openid email"
    );
    assert!(refreshed.get("refresh_token").is_none());
    // Through the API's REFRESH_TOKEN_AUTH too, the scopes stay those granted.
    let api = w
        .ok(
            Operation::InitiateAuth,
            json!({ "ClientId": client_id, "AuthFlow": "REFRESH_TOKEN_AUTH",
                    "AuthParameters": { "REFRESH_TOKEN": tokens["refresh_token"] } }),
        )
        .await;
    let api_access = api["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    assert_eq!(claims(api_access)["scope"], "openid email");
    w.fails(
        Operation::GetUser,
        json!({ "AccessToken": api_access }),
        "NotAuthorizedException",
        Some("Access Token does not have required scopes"),
    )
    .await;

    // logout to a registered URL clears the session: the next authorize shows the form.
    let out = agent
        .get(&format!(
            "/logout?client_id={client_id}&logout_uri=http%3A%2F%2Flocalhost%3A8080%2Fbye"
        ))
        .await;
    assert_eq!(out.location.as_deref(), Some("http://localhost:8080/bye"));
    let fresh = agent.get(&authorize_path(&client_id, "third", "")).await;
    assert!(fresh.location.unwrap().starts_with("/login?"));
    let bad = agent
        .get(&format!(
            "/logout?client_id={client_id}&logout_uri=https%3A%2F%2Fevil.example%2F"
        ))
        .await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn the_authorize_endpoint_refuses_before_any_form() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OFF", json!({})).await;
    with_domain(&w, &pool_id, &client_id, "refuser", oauth_client()).await;
    let mut agent = Agent::new(&w, "refuser");
    let mismatch = agent
        .get(&format!("/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&state=s"))
        .await;
    assert_eq!(mismatch.status, 302);
    let error = mismatch.location.unwrap();
    assert!(
        error.starts_with("/error?error=redirect_mismatch"),
        "{error}"
    );
    let page = agent.get(&error).await;
    assert_eq!(page.status, 400);
    assert!(!page.body.contains("<form"));
    assert!(!agent.cookies.contains_key("XSRF-TOKEN"));
    // The rest go back to the application with error= and the state.
    for (extra, error) in [
        ("&scope=phone", "invalid_request"),
        ("&code_challenge_method=plain", "invalid_request"),
    ] {
        let r = agent
            .get(&format!("{}{extra}", authorize_path(&client_id, "st", "")))
            .await;
        let q = query_of(&r.location.unwrap());
        assert_eq!(q["error"], error, "{extra}");
        assert_eq!(q["state"], "st");
    }
    let r = agent
        .get(
            &authorize_path(&client_id, "st", "")
                .replace("scope=openid+email", "scope=openid+phone"),
        )
        .await;
    assert_eq!(query_of(&r.location.unwrap())["error"], "invalid_scope");
    let r = agent
        .get(&format!(
            "/oauth2/authorize?response_type=token&client_id={client_id}&redirect_uri={}&state=st",
            percent_encoding::utf8_percent_encode(CALLBACK, percent_encoding::NON_ALPHANUMERIC)
        ))
        .await;
    assert_eq!(
        query_of(&r.location.unwrap())["error"],
        "unsupported_response_type"
    );
    // A host that is no domain; a domain on the API's address.
    let plain = reqwest::get(format!("{}/login", w.running.url()))
        .await
        .unwrap();
    assert_eq!(plain.status(), 404);
    // The token endpoint's refusals.
    let (s, e) = agent
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("client_id", "nobody"),
            ],
            None,
        )
        .await;
    assert_eq!((s, e), (400, json!({ "error": "invalid_client" })));
    let (s, e) = agent
        .token(
            &[("grant_type", "password"), ("client_id", &client_id)],
            None,
        )
        .await;
    assert_eq!((s, e), (400, json!({ "error": "unsupported_grant_type" })));
    let (s, e) = agent.token(&[("client_id", &client_id)], None).await;
    assert_eq!((s, e), (400, json!({ "error": "invalid_request" })));
    let (s, e) = agent
        .token(
            &[
                ("grant_type", "authorization_code"),
                ("client_id", &client_id),
                ("code", "nope"),
                ("redirect_uri", CALLBACK),
            ],
            None,
        )
        .await;
    assert_eq!((s, e), (400, json!({ "error": "invalid_grant" })));
}

#[tokio::test]
async fn a_client_with_a_secret_authenticates_by_basic_or_body() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "OFF", json!({ "GenerateSecret": true })).await;
    user(&w, &pool_id, "carol", json!([])).await;
    with_domain(&w, &pool_id, &client_id, "secretive", oauth_client()).await;
    let secret = w
        .ok(
            Operation::DescribeUserPoolClient,
            json!({ "UserPoolId": pool_id, "ClientId": client_id }),
        )
        .await["UserPoolClient"]["ClientSecret"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut agent = Agent::new(&w, "secretive");
    let mut codes = Vec::new();
    for state in ["a", "b", "c"] {
        agent.cookies.clear();
        let done = password(&mut agent, &client_id, state, "carol", PASSWORD).await;
        assert_eq!(done.status, 302);
        codes.push(query_of(&done.location.unwrap())["code"].clone());
    }
    let grant = |c: &str| {
        vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", c.to_owned()),
            ("redirect_uri", CALLBACK.to_owned()),
            ("code_verifier", VERIFIER.to_owned()),
        ]
    };
    let refs =
        |v: &[(&'static str, String)]| v.iter().map(|(a, b)| (*a, b.clone())).collect::<Vec<_>>();
    let f = refs(&grant(&codes[0]));
    let f: Vec<(&str, &str)> = f.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(
        agent.token(&f, Some((&client_id, "wrong"))).await,
        (400, json!({ "error": "invalid_client" }))
    );
    let f2 = refs(&grant(&codes[1]));
    let f2: Vec<(&str, &str)> = f2.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(agent.token(&f2, Some((&client_id, &secret))).await.0, 200);
    let mut f3 = refs(&grant(&codes[2]));
    f3.push(("client_id", client_id.clone()));
    f3.push(("client_secret", secret.clone()));
    let f3: Vec<(&str, &str)> = f3.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let (status, tokens) = agent.token(&f3, None).await;
    assert_eq!(status, 200, "{tokens}");
}

#[tokio::test]
async fn a_user_who_must_set_up_totp_does_it_on_the_setup_page() {
    let w = Wire::start().await;
    let (pool_id, client_id) = pool(&w, "ON", json!({})).await;
    user(&w, &pool_id, "dana", json!([])).await;
    with_domain(&w, &pool_id, &client_id, "setup-here", oauth_client()).await;
    let mut agent = Agent::new(&w, "setup-here");
    let to_setup = password(&mut agent, &client_id, "st", "dana", PASSWORD).await;
    let setup = to_setup.location.unwrap();
    assert!(setup.starts_with("/mfa-setup?"), "{setup}");
    let page = agent.get(&setup).await;
    assert!(page.body.contains("data:image/svg+xml;base64,"));
    // The key shown as text is the one in the QR code's URI.
    let svg_b64 = page
        .body
        .split("data:image/svg+xml;base64,")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(
        !base64::engine::general_purpose::STANDARD
            .decode(svg_b64)
            .unwrap()
            .is_empty()
    );
    let shown = page
        .body
        .split("data-secret>")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .replace(' ', "");
    let totp = Totp::cognito(&mfaspec::totp::Secret::from_base32(&shown).unwrap());
    let csrf = agent.csrf();
    let step = w.now_s() / 30;
    let wrong = agent
        .post(
            &setup,
            &[
                ("_csrf", &csrf),
                ("totpCode", &code(&totp, step + 7)),
                ("deviceName", "Pixel"),
            ],
        )
        .await;
    assert!(wrong.body.contains("role=\"alert\""));
    let done = agent
        .post(
            &setup,
            &[
                ("_csrf", &csrf),
                ("totpCode", &code(&totp, step)),
                ("deviceName", "Pixel"),
            ],
        )
        .await;
    assert_eq!(done.status, 302, "{}", done.body);
    assert!(done.location.unwrap().contains("code="));
    // The next sign-in asks for the code, and names the device.
    agent.cookies.clear();
    let next = password(&mut agent, &client_id, "st2", "dana", PASSWORD).await;
    let mfa = next.location.unwrap();
    assert!(mfa.starts_with("/mfa?"));
    assert!(agent.get(&mfa).await.body.contains("Pixel"));
}
