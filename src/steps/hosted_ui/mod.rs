//! The hosted UI, driven in a real browser (headless Chromium through WebDriver): a domain and
//! an OAuth app client made for the scenario, the sign-in, TOTP code and TOTP setup pages
//! found by their labels and roles (so the steps read AWS's pages as well as the reference
//! endpoint's), the redirect back to the app, and the app's side — the code exchanged at the
//! token endpoint with PKCE, and the ID token checked against the pool's JWKS.
//!
//! One ChromeDriver serves a run ([`host::BrowserHost`], started by the first scenario that
//! needs it); each scenario has its own browser session and profile, at most
//! [`host::BROWSER_SLOTS`] at a time. The app's callback is a loopback page of the harness
//! (`http://localhost:<port>/…`, which AWS allows over plain HTTP).
//!
//! By job: [`host`] (ChromeDriver and the app's pages), `browser` (finding things on a page),
//! `app` (the app's side: authorize URL, code exchange, tokens), `evidence` (what a failed
//! scenario leaves); here, the steps of the pages themselves.
//!
//! Owns: the browser-side steps. Uses: [`crate::webdriver`], [`crate::oracle`] (the phone reads
//! the QR code), the World.

mod app;
mod browser;
mod evidence;
pub mod host;

use cucumber::{given, then, when};
use serde_json::json;

use crate::oracle::Phone;
use crate::steps::redacted::Redacted;
use crate::steps::state::HostedUi;
use crate::steps::world::ConformanceWorld;
use crate::vocabulary::Operation;
use crate::webdriver::Element;
use app::authorize_url;
use browser::{appears, button, field, need_field, open, picture, random_text};

/// The hosted UI's address for a pool domain `prefix` on the scenario's target.
fn hosted_base(
    world: &ConformanceWorld,
    prefix: &str,
) -> Result<(String, Option<std::net::SocketAddr>), String> {
    let pool_id = world.pool_id()?;
    let region = pool_id.split('_').next().unwrap_or("us-east-1");
    if let Some(template) = &world.ctx().profile.hosted_ui_url {
        let url = template
            .replace("{prefix}", prefix)
            .replace("{region}", region)
            .replace(
                "{endpoint}",
                world.client().endpoint().trim_end_matches('/'),
            );
        return Ok((url.trim_end_matches('/').to_owned(), None));
    }
    if matches!(
        world.ctx().profile.endpoint,
        crate::target::Location::Aws(None)
    ) {
        return Ok((
            format!("https://{prefix}.auth.{region}.amazoncognito.com"),
            None,
        ));
    }
    let endpoint = world.client().endpoint();
    let authority = endpoint
        .strip_prefix("http://")
        .ok_or_else(|| format!("the hosted UI of {endpoint} is not reachable: only a plain-HTTP loopback endpoint is mapped to http://<prefix>.auth.<region>.localhost"))?
        .split('/')
        .next()
        .unwrap_or("");
    let addr: std::net::SocketAddr = authority
        .replace("localhost", "127.0.0.1")
        .parse()
        .map_err(|_| format!("the endpoint {endpoint} is not a loopback address and port"))?;
    if !addr.ip().is_loopback() {
        return Err(format!("the endpoint {endpoint} is not on loopback"));
    }
    let host = format!("{prefix}.auth.{region}.localhost");
    Ok((format!("http://{host}:{}", addr.port()), Some(addr)))
}

#[given("the pool has a hosted UI domain and an app client that signs in through it")]
async fn hosted_ui_client(world: &mut ConformanceWorld) -> Result<(), String> {
    if world.ctx().profile.existing.is_some() {
        return Err(super::pool::not_here(
            world,
            "the hosted-UI scenarios create a domain and an app client, and mfaspec never changes an existing pool".into(),
        ));
    }
    let host = world.browser_host().await?;
    let pool_id = world.pool_id()?.to_owned();
    let prefix = world.name("ui");
    world
        .call(
            Operation::CreateUserPoolDomain,
            &json!({ "UserPoolId": pool_id, "Domain": prefix }),
        )
        .await
        .map_err(|e| format!("CreateUserPoolDomain: {e}"))?;
    world
        .created_domains
        .push((pool_id.clone(), prefix.clone()));
    let callback = format!("{}/callback", host.app);
    let mut flows = vec![
        "ALLOW_ADMIN_USER_PASSWORD_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    ];
    if world.ctx().profile.signs_in_with_srp() {
        flows.push("ALLOW_USER_SRP_AUTH");
    }
    let name = world.name("client");
    let body = json!({ "UserPoolId": pool_id, "ClientName": name, "ExplicitAuthFlows": flows,
        "AllowedOAuthFlowsUserPoolClient": true, "AllowedOAuthFlows": ["code"],
        "AllowedOAuthScopes": ["openid", "email", "profile", ADMIN_SCOPE], "CallbackURLs": [callback],
        "LogoutURLs": [format!("{}/signed-out", host.app)], "SupportedIdentityProviders": ["COGNITO"] });
    let client = world
        .call(Operation::CreateUserPoolClient, &body)
        .await
        .map_err(|e| format!("CreateUserPoolClient with OAuth settings: {e}"))?;
    world.client_id = Some(
        client["UserPoolClient"]["ClientId"]
            .as_str()
            .ok_or("no ClientId")?
            .to_owned(),
    );
    let (base, loopback) = hosted_base(world, &prefix)?;
    if matches!(
        world.ctx().profile.endpoint,
        crate::target::Location::Aws(None)
    ) {
        wait_for_domain(&base).await?;
    }
    let mut http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30));
    if let Some(addr) = loopback {
        http = http.resolve(
            &format!(
                "{prefix}.auth.{}.localhost",
                pool_id.split('_').next().unwrap_or("")
            ),
            addr,
        );
    }
    let verifier = random_text(64);
    world.secret(&verifier);
    world.hosted_ui = Some(HostedUi {
        base,
        callback,
        http: http
            .build()
            .map_err(|e| format!("the token endpoint's client: {e}"))?,
        browser: None,
        state: random_text(16),
        nonce: random_text(16),
        verifier: Redacted(verifier),
        scope: DEFAULT_SCOPES.to_owned(),
        code: None,
        tokens: None,
        showed_secret: false,
    });
    Ok(())
}

/// Waits until a new domain answers on the internet (AWS's take a while to appear in DNS).
async fn wait_for_domain(base: &str) -> Result<(), String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    loop {
        if reqwest::get(format!("{base}/error")).await.is_ok() {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            return Err(format!(
                "the domain {base} did not answer within 3 minutes of its creation"
            ));
        }
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    }
}

/// The scopes the app asks for unless a scenario says otherwise: the admin scope is not
/// among them (the app client allows it).
const DEFAULT_SCOPES: &str = "openid email profile";

/// The scope an access token needs for the operations a user calls with it (spec §1.1).
pub(in crate::steps) const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

#[when(
    expr = "the user opens the hosted UI's sign-in page, the app asking for the scopes {string}"
)]
async fn open_sign_in_scopes(world: &mut ConformanceWorld, scope: String) -> Result<(), String> {
    world.hosted()?.scope = scope;
    open_sign_in(world).await
}

#[when("the user opens the hosted UI's sign-in page")]
async fn open_sign_in(world: &mut ConformanceWorld) -> Result<(), String> {
    let client_id = world.client_id()?.to_owned();
    let h = world.hosted()?;
    let url = authorize_url(h, &client_id, &h.callback.clone());
    open(world, url).await
}

/// A redirect_uri no app client has.
const UNREGISTERED: &str = "https://unregistered.example/callback";

/// Whether the browser is *at* the unregistered redirect_uri. The URI may stand in the page's
/// query (an error page served at /oauth2/authorize), which is no redirect.
fn sent_to_unregistered(url: &str) -> bool {
    url.starts_with(UNREGISTERED)
}

#[when("the user opens the hosted UI with a redirect_uri the app client does not have")]
async fn open_unregistered(world: &mut ConformanceWorld) -> Result<(), String> {
    let client_id = world.client_id()?.to_owned();
    let h = world.hosted()?;
    let url = authorize_url(h, &client_id, UNREGISTERED);
    open(world, url).await
}

async fn sign_in_with(world: &mut ConformanceWorld, password: String) -> Result<(), String> {
    let username = world.username()?.to_owned();
    let user = need_field(world, "username").await?;
    picture(world, "hosted-ui-sign-in").await;
    user.clear().await.map_err(|e| e.to_string())?;
    user.send_keys(&username).await.map_err(|e| e.to_string())?;
    let pw = need_field(world, "password").await?;
    pw.send_keys(&password).await.map_err(|e| e.to_string())?;
    button(world, "sign in")
        .await?
        .click()
        .await
        .map_err(|e| format!("submitting the sign-in form: {e}"))
}

#[when("the user signs in on the page with their username and password")]
async fn sign_in_page(world: &mut ConformanceWorld) -> Result<(), String> {
    let password = world.password.0.clone();
    sign_in_with(world, password).await
}

#[when("the user signs in on the page with a wrong password")]
async fn sign_in_wrong(world: &mut ConformanceWorld) -> Result<(), String> {
    let password = format!("{}-wrong", world.password.0);
    world.secret(&password);
    sign_in_with(world, password).await
}

#[then(expr = "the page shows the error {string}")]
async fn page_error(world: &mut ConformanceWorld, text: String) -> Result<(), String> {
    let alert = appears(world, "//*[@role='alert'] | //*[contains(@class,'error')]")
        .await?
        .ok_or("the page shows no error")?;
    let shown_text = alert.text().await.map_err(|e| e.to_string())?;
    if !shown_text.contains(&text) {
        return Err(format!(
            "the page's error is \"{shown_text}\", not \"{text}\""
        ));
    }
    Ok(())
}

#[then("the page shows an error")]
async fn page_some_error(world: &mut ConformanceWorld) -> Result<(), String> {
    appears(world, "//*[@role='alert'] | //*[contains(@class,'error')]")
        .await?
        .map(drop)
        .ok_or_else(|| "the page shows no error".to_owned())
}

#[then("the page shows an error and no sign-in form")]
async fn error_no_form(world: &mut ConformanceWorld) -> Result<(), String> {
    // An error page (AWS's "An error was encountered…") or an OAuth error body: either says
    // "error" somewhere a user reads it.
    let text = world
        .page()?
        .find("//body")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the page has no body")?
        .text()
        .await
        .map_err(|e| e.to_string())?;
    if !text.to_lowercase().contains("error") {
        return Err(format!(
            "the page does not say there is an error: {}",
            text.chars().take(200).collect::<String>()
        ));
    }
    if field(world, "password").await?.is_some() || field(world, "username").await?.is_some() {
        return Err("the page shows a sign-in form".into());
    }
    let url = world
        .page()?
        .current_url()
        .await
        .map_err(|e| e.to_string())?;
    if sent_to_unregistered(&url) {
        return Err("the browser was sent to the unregistered redirect_uri".into());
    }
    Ok(())
}

#[then("the page asks for the code from the authenticator app")]
async fn asks_for_code(world: &mut ConformanceWorld) -> Result<(), String> {
    need_field(world, "code").await?;
    if field(world, "password").await?.is_some() {
        return Err("the page still asks for the password".into());
    }
    picture(world, "hosted-ui-totp").await;
    Ok(())
}

async fn enter_code(
    world: &mut ConformanceWorld,
    code: String,
    device: Option<&str>,
) -> Result<(), String> {
    let input = need_field(world, "code").await?;
    input.clear().await.map_err(|e| e.to_string())?;
    input.send_keys(&code).await.map_err(|e| e.to_string())?;
    match device {
        Some(name) => {
            let d = need_field(world, "device name").await?;
            d.send_keys(name).await.map_err(|e| e.to_string())?;
            d.press_enter().await
        }
        None => input.press_enter().await,
    }
    .map_err(|e| format!("submitting the code: {e}"))
}

#[when("the user enters a fresh code from their phone on the page")]
async fn enter_fresh(world: &mut ConformanceWorld) -> Result<(), String> {
    let code = world.fresh_code().await?.to_string();
    enter_code(world, code, None).await
}

#[when("the user enters a wrong code on the page")]
async fn enter_wrong(world: &mut ConformanceWorld) -> Result<(), String> {
    let now = world.now_s().await;
    let code = world.phone()?.wrong(now).to_string();
    enter_code(world, code, None).await
}

#[when("the user enters the code they used last on the page")]
async fn enter_used(world: &mut ConformanceWorld) -> Result<(), String> {
    let code = world
        .phone()?
        .last_code()
        .ok_or("the phone has handed out no code yet")?
        .to_string();
    enter_code(world, code, None).await
}

#[then("the page asks the user to set up an authenticator app with a QR code")]
async fn asks_for_setup(world: &mut ConformanceWorld) -> Result<(), String> {
    world.hosted()?.showed_secret = true;
    qr_image(world).await?;
    need_field(world, "code").await.map(drop)
}

async fn qr_image(world: &mut ConformanceWorld) -> Result<Element, String> {
    let lower = "translate(@alt,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')";
    appears(world, &format!("//img[contains({lower},'qr')] | //canvas | //*[name()='svg' and contains(translate(@aria-label,'QR','qr'),'qr')]"))
        .await?
        .ok_or_else(|| "the page shows no QR code image".to_owned())
}

#[when("the user's phone scans the QR code on the page")]
async fn scan(world: &mut ConformanceWorld) -> Result<(), String> {
    world.hosted()?.showed_secret = true;
    let image = qr_image(world).await?;
    let png = image
        .screenshot_png()
        .await
        .map_err(|e| format!("taking a picture of the QR code: {e}"))?;
    let (phone, uri) = Phone::from_qr_png(&png)?;
    let secret = uri.secret.to_base32();
    world.secret(&secret);
    // The page may show the key in groups of four, as the setup page does.
    let grouped: Vec<String> = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    world.secret(&grouped.join(" "));
    world.phone = Some(phone);
    Ok(())
}

#[when(expr = "the user enters a fresh code and the device name {string} on the setup page")]
async fn enter_setup(world: &mut ConformanceWorld, device: String) -> Result<(), String> {
    let code = world.fresh_code().await?.to_string();
    enter_code(world, code, Some(&device)).await
}
/// Moves a clock-controlled target's clock (the scenario requires `time.control`).
#[when(regex = r"^(\d+) minutes pass for the browser's session$")]
async fn session_minutes(world: &mut ConformanceWorld, minutes: u64) -> Result<(), String> {
    world.page()?;
    world.pass_time(minutes * 60).await
}

#[then(expr = "the hosted UI's answer to {string} is recorded")]
async fn probe(world: &mut ConformanceWorld, question: String) -> Result<(), String> {
    let page = world.page()?;
    let url = page.current_url().await.map_err(|e| e.to_string())?;
    let title = page.title().await.unwrap_or_default();
    let callback = world.hosted()?.callback.clone();
    let seen = if url.starts_with(&callback) {
        "back at the app without a form".to_owned()
    } else {
        let mut labels = Vec::new();
        let page = world.page()?;
        for e in page.find_all("//label").await.map_err(|e| e.to_string())? {
            if e.displayed().await.unwrap_or(false) {
                labels.push(e.text().await.unwrap_or_default());
            }
        }
        format!("page \"{title}\" with fields {labels:?}")
    };
    world.observations.push(format!("{question} → {seen}"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An error page at the authorize endpoint names the URI in its query and passes; the
    /// browser sent to it (with a code or an error) fails, as on a broken target.
    #[test]
    fn only_a_browser_at_the_unregistered_uri_counts_as_sent_there() {
        let query = crate::markup::encode(UNREGISTERED);
        let error_page = format!(
            "http://team.auth.us-east-1.localhost:9339/oauth2/authorize?client_id=c&redirect_uri={query}"
        );
        assert!(error_page.contains("unregistered.example"));
        assert!(!sent_to_unregistered(&error_page));
        assert!(sent_to_unregistered(
            "https://unregistered.example/callback?code=abc&state=s"
        ));
        assert!(sent_to_unregistered(
            "https://unregistered.example/callback?error=redirect_mismatch"
        ));
    }
}
