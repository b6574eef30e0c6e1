//! A browser without a browser: an agent that keeps cookies and follows the hosted UI's forms
//! over plain HTTP, and the helpers the hosted-UI tests share (an OAuth app client, a domain,
//! the authorize path with PKCE, the password form).

use std::collections::BTreeMap;

use base64::Engine as _;
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};
use sha2::Digest as _;

use crate::support::wire::Wire;

pub const CALLBACK: &str = "http://localhost:8080/callback";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K1U_kUdQ2ZoLx2rXgEhj0sr3V4NcZ0q9Wt";

pub fn challenge(verifier: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier))
}

pub fn oauth_client() -> Value {
    json!({ "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
            "AllowedOAuthScopes": ["openid", "email", "profile"], "CallbackURLs": [CALLBACK],
            "LogoutURLs": ["http://localhost:8080/bye"], "SupportedIdentityProviders": ["COGNITO"] })
}

/// `fields` as `application/x-www-form-urlencoded`.
pub fn form_body(fields: &[(&str, &str)]) -> String {
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
pub struct Agent {
    pub http: reqwest::Client,
    pub base: String,
    pub cookies: BTreeMap<String, String>,
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

impl Agent {
    pub fn new(w: &Wire, prefix: &str) -> Agent {
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

    pub async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
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

    pub async fn get(&mut self, path: &str) -> Page {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let r = self.http.get(url);
        self.send(r).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form_body(fields));
        self.send(r).await
    }

    pub fn csrf(&self) -> String {
        self.cookies["XSRF-TOKEN"].clone()
    }

    pub async fn token(
        &self,
        fields: &[(&str, &str)],
        basic: Option<(&str, &str)>,
    ) -> (u16, Value) {
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

pub fn authorize_path(client_id: &str, state: &str, extra: &str) -> String {
    format!(
        "/oauth2/authorize?response_type=code&client_id={client_id}&redirect_uri={}&state={state}&scope=openid+email&code_challenge={}&code_challenge_method=S256{extra}",
        percent_encoding::utf8_percent_encode(CALLBACK, percent_encoding::NON_ALPHANUMERIC),
        challenge(VERIFIER)
    )
}

pub fn query_of(location: &str) -> BTreeMap<String, String> {
    mfaspec::markup::decode_form(location.split_once('?').map_or("", |(_, q)| q))
}

pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

pub async fn with_domain(w: &Wire, pool_id: &str, client_id: &str, prefix: &str, settings: Value) {
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
pub async fn password(
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
