//! The reference endpoint's hosted UI over plain HTTP (spec §2.17), without a browser: the
//! OAuth client settings, the authorize → login → TOTP → code → token chain with PKCE, every
//! refusal of the token endpoint, userInfo and logout. The browser-driven scenarios are in
//! `features/hosted_ui.feature`.

use std::collections::BTreeMap;

use base64::Engine as _;
use mfaspec::totp::Totp;
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};
use sha2::Digest as _;

use super::reference::{PASSWORD, Wire, code, enrolled, pool, user};

const CALLBACK: &str = "http://localhost:8080/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K1U_kUdQ2ZoLx2rXgEhj0sr3V4NcZ0q9Wt";

fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier))
}

fn oauth_client() -> Value {
    json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email", "profile"], "CallbackURLs": [CALLBACK],
            "LogoutURLs": ["http://localhost:8080/bye"], "SupportedIdentityProviders": ["COGNITO"] })
}

/// `fields` as `application/x-www-form-urlencoded`.
fn form_body(fields: &[(&str, &str)]) -> String {
    let pairs: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect();
    pairs.join("&")
}

/// A browser without a browser: follows nothing, keeps cookies, reaches the domain on loopback.
struct Agent {
    http: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
}

struct Page {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Agent {
    fn new(w: &Wire, prefix: &str) -> Agent {
        let host = format!("{prefix}.auth.us-east-1.localhost");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .resolve(&host, w.running.addr)
            .build()
            .unwrap();
        Agent {
            http,
            base: format!("http://{host}:{}", w.running.addr.port()),
            cookies: BTreeMap::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookie: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let r = request
            .header("cookie", cookie.join("; "))
            .send()
            .await
            .unwrap();
        for c in r.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            if c.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        Page {
            status: r.status().as_u16(),
            location: r
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_owned()),
            body: r.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let r = self.http.get(url);
        self.send(r).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(fields));
        self.send(r).await
    }

    fn csrf(&self) -> String {
        self.cookies["XSRF-TOKEN"].clone()
    }

    async fn token(&self, fields: &[(&str, &str)], basic: Option<(&str, &str)>) -> (u16, Value) {
        let mut r = self
            .http
            .post(format!("{}/oauth2/token", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(fields));
        if let Some((id, secret)) = basic {
            let pair = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
            r = r.header("authorization", format!("Basic {pair}"));
        }
        let r = r.send().await.unwrap();
        let status = r.status().as_u16();
        (
            status,
            serde_json::from_str(&r.text().await.unwrap()).unwrap(),
        )
    }
}

fn authorize_path(client_id: &str, state: &str, extra: &str) -> String {
    format!(
        "/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri={}&state={state}&scope=openid+email&code_challenge={}&code_challenge_method=S256{extra}",
        percent_encoding::utf8_percent_encode(CALLBACK, percent_encoding::NON_ALPHANUMERIC),
        challenge(VERIFIER)
    )
}

fn query_of(location: &str) -> BTreeMap<String, String> {
    mfaspec::markup::decode_form(location.split_once('?').map_or("", |(_, q)| q))
}

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

async fn with_domain(w: &Wire, pool_id: &str, client_id: &str, prefix: &str, settings: Value) {
    w.ok(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": pool_id, "Domain": prefix }),
    )
    .await;
    let mut request = json!({ "UserPoolId": pool_id, "ClientId": client_id,
        "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
    for (k, v) in settings.as_object().unwrap() {
        request[k] = v.clone();
    }
    w.ok(Operation::UpdateUserPoolClient, request).await;
}

/// Signs in through the forms up to the page after the password; returns that redirect.
async fn password(
    agent: &mut Agent,
    client_id: &str,
    state: &str,
    username: &str,
    pw: &str,
) -> Page {
    let to_login = agent
        .get(&authorize_path(client_id, state, "&nonce=n-0S6"))
        .await;
    assert_eq!(to_login.status, 302);
    let login = to_login.location.unwrap();
    assert!(login.starts_with("/login?"), "{login}");
    let page = agent.get(&login).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("name=\"cognitoSignInForm\""));
    let csrf = agent.csrf();
    assert!(
        page.body
            .contains(&format!("name=\"_csrf\" value=\"{csrf}\""))
    );
    agent
        .post(
            &login,
            &[
                ("_csrf", &csrf),
                ("username", username),
                ("password", pw),
                ("cognitoAsfData", ""),
            ],
        )
        .await
}

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

/// Without a browser on the machine the hosted-UI scenarios are `n/a`, saying what to
/// install — not failures; with nothing else selected, nothing ran (exit 4). JUnit says the
/// same as the console.
#[test]
fn without_chromium_the_browser_scenarios_are_not_applicable() {
    let scratch = crate::scratch::Scratch::new("no-chromium");
    let reports = scratch.path("reports");
    let o = crate::scratch::mfaspec_command()
        .args(["run", "--tags", "@requires:hosted_ui", "--report-dir"])
        .arg(&reports)
        .env("MFASPEC_CHROMIUM", scratch.path("no-such-chromium"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(4), "{stdout}");
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("reference/outcomes.json")).unwrap(),
    )
    .unwrap();
    let scenarios = summary["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 11, "{summary}");
    for s in scenarios {
        assert_eq!(s["outcome"], "n/a", "{s}");
        let reason = s["reason"].as_str().unwrap();
        assert!(reason.starts_with("no Chromium found"), "{reason}");
        assert!(
            reason.contains("apt-get install chromium chromium-driver"),
            "{reason}"
        );
    }
    let junit = std::fs::read_to_string(reports.join("reference/junit.xml")).unwrap();
    assert!(junit.contains("no Chromium found"), "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");
}

/// A hosted-UI scenario that fails keeps the page beside the report — scrubbed: no TOTP key
/// (nor its QR code image), no authorization code, no token — and no screenshot of a page
/// that showed a key.
#[test]
fn a_failed_browser_scenario_keeps_the_page_without_secrets() {
    if mfaspec::webdriver::Browser::find().is_err() {
        eprintln!("skipped: no Chromium on this machine (.ci/run installs it)");
        return;
    }
    let scratch = crate::scratch::Scratch::new("hosted-evidence");
    let features = scratch.path("features");
    std::fs::create_dir_all(&features).unwrap();
    std::fs::write(
        features.join("broken.feature"),
        "Feature: broken on purpose\n\n  Background:\n    Given a user pool with MFA ON and software token MFA enabled\n    And the pool has a hosted UI domain and an app client that signs in through it\n    And a confirmed user\n\n  @id:broken.setup.secret_shown @api:mfa-setup @doc:HUI-TOTP @must @requires:hosted_ui\n  Scenario: fails on the setup page\n    When the user opens the hosted UI's sign-in page\n    And the user signs in on the page with their username and password\n    And the user's phone scans the QR code on the page\n    Then the page shows the error \"not on this page\"\n\n  @id:broken.token.after_code @api:oauth2/token @doc:HUI-TOKEN @must @requires:hosted_ui\n  Scenario: fails after the tokens\n    When the user opens the hosted UI's sign-in page\n    And the user signs in on the page with their username and password\n    And the user's phone scans the QR code on the page\n    And the user enters a fresh code and the device name \"P\" on the setup page\n    Then the browser comes back to the app with a code and the same state\n    When the app exchanges the code at the token endpoint\n    Then the token endpoint refuses with \"invalid_grant\"\n",
    )
    .unwrap();
    let reports = scratch.path("reports");
    let o = crate::scratch::mfaspec_command()
        .args(["run", "--features"])
        .arg(&features)
        .arg("--report-dir")
        .arg(&reports)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("page kept as browser/broken.setup.secret_shown.html (no screenshot: the page showed a TOTP secret)"), "{stdout}");
    let browser = reports.join("reference/browser");
    assert!(browser.join("broken.setup.secret_shown.html").exists());
    assert!(!browser.join("broken.setup.secret_shown.png").exists());
    let mut texts = vec![("stdout".to_owned(), stdout)];
    for dir in [reports.join("reference"), browser] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && path.extension().is_some_and(|e| e != "png") {
                texts.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    let setup_page =
        std::fs::read_to_string(reports.join("reference/browser/broken.setup.secret_shown.html"))
            .unwrap();
    assert!(
        setup_page.contains("Set up your authenticator app"),
        "{setup_page}"
    );
    for (where_, text) in texts {
        assert!(!text.contains("eyJ"), "a token in {where_}");
        assert!(
            !text.contains("base64,"),
            "an image that may be the QR code in {where_}"
        );
        assert!(!text.contains("code="), "an authorization code in {where_}");
        // A TOTP key: 16 or more Base32 characters in a row, or in groups of four.
        let key = text
            .split(|c: char| !(c.is_ascii_uppercase() || ('2'..='7').contains(&c)))
            .any(|run| run.len() >= 16);
        let grouped = text.contains(char::is_uppercase)
            && text.split(' ').collect::<Vec<_>>().windows(4).any(|w| {
                w.iter().all(|g| {
                    g.len() == 4
                        && g.chars()
                            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
                })
            });
        assert!(!key && !grouped, "a TOTP key in {where_}");
    }
}

mod random_requests {
    //! Random requests at the hosted UI: whatever the path, query, cookies and form, the
    //! answer is a page, a redirect or an OAuth error — never a 500 or a panic.

    use std::sync::{Arc, Mutex, OnceLock};

    use mfaspec::reference::hosted::{HostedRequest, PATHS};
    use mfaspec::reference::{Endpoint, Options, RequestMeta};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    struct World {
        endpoint: Arc<Endpoint>,
        client: String,
    }

    fn call(endpoint: &Endpoint, target: &str, body: Value) -> Value {
        let target = format!("AWSCognitoIdentityProviderService.{target}");
        let meta = RequestMeta {
            target: Some(&target),
            content_type: Some("application/x-amz-json-1.1"),
            authorization: Some("AWS4-HMAC-SHA256 Credential=x"),
            host: Some("127.0.0.1:1"),
        };
        let (status, answer) = endpoint.handle(meta, body.to_string().as_bytes());
        assert_eq!(status, 200, "{target}: {answer}");
        answer
    }

    fn world() -> &'static Mutex<World> {
        static WORLD: OnceLock<Mutex<World>> = OnceLock::new();
        WORLD.get_or_init(|| {
            let endpoint = Endpoint::new(&Options::default()).expect("the endpoint starts");
            let pool = call(&endpoint, "CreateUserPool", json!({ "PoolName": "fuzz" }));
            let pool = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
            call(&endpoint, "SetUserPoolMfaConfig", json!({ "UserPoolId": pool, "MfaConfiguration": "ON", "SoftwareTokenMfaConfiguration": { "Enabled": true } }));
            call(&endpoint, "CreateUserPoolDomain", json!({ "UserPoolId": pool, "Domain": "fuzz" }));
            let client = call(&endpoint, "CreateUserPoolClient", json!({ "UserPoolId": pool, "ClientName": "c",
                "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"], "AllowedOAuthScopes": ["openid"],
                "CallbackURLs": [super::CALLBACK], "SupportedIdentityProviders": ["COGNITO"] }));
            let client = client["UserPoolClient"]["ClientId"].as_str().unwrap().to_owned();
            call(&endpoint, "AdminCreateUser", json!({ "UserPoolId": pool, "Username": "u" }));
            call(&endpoint, "AdminSetUserPassword", json!({ "UserPoolId": pool, "Username": "u", "Password": super::PASSWORD, "Permanent": true }));
            Mutex::new(World { endpoint, client })
        })
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("response_type=code".to_owned()),
            Just("client_id=$CLIENT".to_owned()),
            Just(format!(
                "redirect_uri={}",
                "http%3A%2F%2Flocalhost%3A8080%2Fcallback"
            )),
            Just("scope=openid".to_owned()),
            Just("code_challenge_method=S256".to_owned()),
            Just("grant_type=authorization_code".to_owned()),
            Just("grant_type=refresh_token".to_owned()),
            Just("username=u".to_owned()),
            Just(format!("password={}", super::PASSWORD)),
            Just("totpCode=123456".to_owned()),
            Just("logout_uri=x".to_owned()),
            "[a-z_]{1,12}=[ -~]{0,40}",
            "[%&=+a-zA-Z0-9]{0,30}",
            any::<String>(),
        ]
    }

    fn form() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 0..8).prop_map(|p| p.join("&"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn random_hosted_requests_never_fail_the_server(
            method in prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]),
            path in prop::sample::select(PATHS.iter().copied().chain(["/nope", "/oauth2"]).collect::<Vec<_>>()),
            query in form(),
            body in form(),
            cookie in prop::option::of(prop_oneof![Just("XSRF-TOKEN=$CSRF".to_owned()), "[ -~]{0,60}"]),
            host in prop::sample::select(vec!["fuzz.auth.us-east-1.localhost:1", "other.auth.us-east-1.localhost:1", "127.0.0.1:1", ""]),
            authorization in prop::option::of(prop_oneof![Just("Basic Og==".to_owned()), Just("Bearer eyJ.x.y".to_owned()), "[ -~]{0,30}"]),
            content_type in prop::option::of(prop::sample::select(vec!["application/x-www-form-urlencoded", "text/plain"])),
        ) {
            let guard = world().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let sub = |s: &str| s.replace("$CLIENT", &guard.client);
            // A live CSRF token, from a sign-in page of this run.
            let page = guard.endpoint.hosted(&HostedRequest {
                method: "GET", path: "/login", host: "fuzz.auth.us-east-1.localhost:1",
                query: &format!("response_type=code&client_id={}&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcallback", guard.client),
                ..HostedRequest::default()
            });
            let csrf = page.cookies.first().and_then(|c| c.split(';').next()).and_then(|c| c.split_once('=')).map(|(_, v)| v.to_owned()).unwrap_or_default();
            let cookie = cookie.map(|c| c.replace("$CSRF", &csrf));
            let query = sub(&query);
            let body = sub(&body).replace("$CSRF", &csrf);
            let answer = guard.endpoint.hosted(&HostedRequest {
                method,
                path,
                query: &query,
                host,
                cookie: cookie.as_deref(),
                authorization: authorization.as_deref(),
                content_type,
                body: body.as_bytes(),
            });
            prop_assert!([200, 302, 400, 401, 404, 405].contains(&answer.status), "{} {} {}: {}", method, path, answer.status, answer.body);
            prop_assert_eq!(answer.status == 302, answer.location.is_some());
            if answer.content_type.starts_with("application/json") {
                let v: Value = serde_json::from_str(&answer.body).unwrap();
                prop_assert!(answer.status == 200 || v["error"].is_string(), "{}", answer.body);
            } else {
                prop_assert!(answer.status == 302 || answer.body.starts_with("<!DOCTYPE html>"), "{}", answer.body);
            }
        }
    }
}
