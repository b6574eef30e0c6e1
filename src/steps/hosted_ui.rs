//! The hosted UI, driven in a real browser (headless Chromium through WebDriver): a domain and
//! an OAuth app client made for the scenario, the sign-in, TOTP code and TOTP setup pages
//! found by their labels and roles (so the steps read AWS's pages as well as the reference
//! endpoint's), the redirect back to the app, and the app's side — the code exchanged at the
//! token endpoint with PKCE, and the ID token checked against the pool's JWKS.
//!
//! One ChromeDriver serves a run ([`BrowserHost`], started by the first scenario that needs
//! it); each scenario has its own browser session and profile, at most [`BROWSER_SLOTS`] at a
//! time. The app's callback is a loopback page of the harness (`http://localhost:<port>/…`,
//! which AWS allows over plain HTTP).
//!
//! Owns: the browser-side steps. Uses: [`crate::webdriver`], [`crate::oracle`] (the phone reads
//! the QR code), the World.

use std::sync::Arc;

use base64::Engine as _;
use cucumber::{given, then, when};
use serde_json::{Value, json};
use sha2::Digest as _;

use super::{ConformanceWorld, Redacted};
use crate::oracle::Phone;
use crate::vocabulary::Operation;
use crate::webdriver::{Browser, Driver, Element, Session};

/// Browser sessions open at once in a run.
pub const BROWSER_SLOTS: usize = 2;

/// How long a page may take to arrive after a submit.
const PAGE_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// What a run shares for the browser scenarios: ChromeDriver, the session slots and the app's
/// callback page.
#[derive(Debug)]
pub struct BrowserHost {
    driver: Driver,
    slots: Arc<tokio::sync::Semaphore>,
    /// `http://localhost:<port>`: the app's callback (`/callback`) and sign-out (`/signed-out`) pages.
    app: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for BrowserHost {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl BrowserHost {
    /// Starts ChromeDriver and the app's loopback pages.
    pub async fn start() -> Result<BrowserHost, String> {
        let browser = Browser::find()?;
        let driver = Driver::start(&browser)
            .await
            .map_err(|e| format!("starting ChromeDriver: {e}"))?;
        let page = |title: &'static str| {
            move || async move {
                axum::response::Html(format!(
                    "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main><h1>{title}</h1><p>The application received the answer.</p></main></body></html>"
                ))
            }
        };
        let app = axum::Router::new()
            .route("/callback", axum::routing::get(page("Signed in")))
            .route("/signed-out", axum::routing::get(page("Signed out")));
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| format!("binding the app's callback page: {e}"))?;
        let port = listener
            .local_addr()
            .map_err(|e| format!("the callback page's address: {e}"))?
            .port();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(BrowserHost {
            driver,
            slots: Arc::new(tokio::sync::Semaphore::new(BROWSER_SLOTS)),
            app: format!("http://localhost:{port}"),
            server,
        })
    }
}

/// The scenario's hosted UI: its domain, the app client's URLs, the browser (once opened) and
/// what the app holds.
#[derive(Debug)]
pub struct HostedUi {
    /// `https://<prefix>.auth.<region>.amazoncognito.com`, or the loopback `.localhost` one.
    pub base: String,
    /// The app's callback URL, registered with the app client.
    callback: String,
    /// Reaches the domain (on loopback for `.localhost` names).
    http: reqwest::Client,
    /// The browser, and its slot.
    pub browser: Option<(Session, Redacted<tokio::sync::OwnedSemaphorePermit>)>,
    state: String,
    nonce: String,
    verifier: Redacted<String>,
    /// The code the browser brought back.
    code: Option<Redacted<String>>,
    /// The token endpoint's last answer: status and body.
    tokens: Option<(u16, Redacted<Value>)>,
    /// Whether a page that shows a TOTP secret was seen: no screenshot of it is kept.
    pub showed_secret: bool,
}

/// Random text of RFC 3986's unreserved characters (PKCE verifiers, `state`, `nonce`).
fn random_text(len: usize) -> String {
    use rand::RngExt as _;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

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

impl ConformanceWorld {
    async fn browser_host(&self) -> Result<Arc<BrowserHost>, String> {
        self.ctx()
            .browser
            .get_or_init(|| async { BrowserHost::start().await.map(Arc::new) })
            .await
            .clone()
    }

    fn hosted(&mut self) -> Result<&mut HostedUi, String> {
        self.hosted_ui
            .as_mut()
            .ok_or_else(|| "the pool has no hosted UI yet".to_owned())
    }

    fn page(&mut self) -> Result<&Session, String> {
        self.hosted()?
            .browser
            .as_ref()
            .map(|(s, _)| s)
            .ok_or_else(|| "no browser is open".to_owned())
    }
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
        "AllowedOAuthScopes": ["openid", "email", "profile"], "CallbackURLs": [callback],
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

/// Opens a browser on `url` (a session of the run's ChromeDriver, in one of its slots).
async fn open(world: &mut ConformanceWorld, url: String) -> Result<(), String> {
    let host = world.browser_host().await?;
    if world.hosted()?.browser.is_none() {
        let slot = host
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| "the browser slots are closed")?;
        let session = host
            .driver
            .session()
            .await
            .map_err(|e| format!("opening a browser: {e}"))?;
        world.hosted()?.browser = Some((session, Redacted(slot)));
    }
    world
        .page()?
        .goto(&url)
        .await
        .map_err(|e| format!("opening {}: {e}", scrub_url(&url)))
}

/// A URL as shown: without its query (it can carry a code or PKCE values).
fn scrub_url(url: &str) -> String {
    url.split('?').next().unwrap_or(url).to_owned()
}

fn authorize_url(h: &HostedUi, client_id: &str, redirect_uri: &str) -> String {
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(h.verifier.0.as_bytes()));
    let q = crate::markup::encode;
    format!(
        "{}/oauth2/authorize?response_type=code&client_id={}&redirect_uri={}&state={}&scope={}&nonce={}&code_challenge={challenge}&code_challenge_method=S256",
        h.base,
        q(client_id),
        q(redirect_uri),
        q(&h.state),
        q("openid email profile"),
        q(&h.nonce),
    )
}

#[when("the user opens the hosted UI's sign-in page")]
async fn open_sign_in(world: &mut ConformanceWorld) -> Result<(), String> {
    let client_id = world.client_id()?.to_owned();
    let h = world.hosted()?;
    let url = authorize_url(h, &client_id, &h.callback.clone());
    open(world, url).await
}

#[when("the user opens the hosted UI with a redirect_uri the app client does not have")]
async fn open_unregistered(world: &mut ConformanceWorld) -> Result<(), String> {
    let client_id = world.client_id()?.to_owned();
    let h = world.hosted()?;
    let url = authorize_url(h, &client_id, "https://unregistered.example/callback");
    open(world, url).await
}

/// `//input` (or `textarea`) labelled with a text containing `label`, case-insensitive, that
/// is shown: by `<label for>`, a wrapping `<label>`, or `aria-label`.
async fn field(world: &mut ConformanceWorld, label: &str) -> Result<Option<Element>, String> {
    shown(world, &field_xpath(label)).await
}

fn field_xpath(label: &str) -> String {
    let lower =
        "translate(normalize-space(.),'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')";
    let lower_aria =
        "translate(@aria-label,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')";
    let label = label.to_lowercase();
    format!(
        "//input[@id=//label[contains({lower},'{label}')]/@for] | //label[contains({lower},'{label}')]//input | //input[contains({lower_aria},'{label}')]"
    )
}

/// The first shown element `xpath` finds, waiting for the page to render it (a page that
/// has just arrived may still be loading).
async fn appears(world: &mut ConformanceWorld, xpath: &str) -> Result<Option<Element>, String> {
    let deadline = std::time::Instant::now() + PAGE_WAIT;
    loop {
        if let Some(e) = shown(world, xpath).await? {
            return Ok(Some(e));
        }
        // Back at the app, or past the deadline: the element is not coming.
        let callback = world.hosted()?.callback.clone();
        let url = world.page()?.current_url().await.unwrap_or_default();
        if url.starts_with(&callback) || std::time::Instant::now() > deadline {
            return Ok(None);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The first element `xpath` finds that is shown.
async fn shown(world: &mut ConformanceWorld, xpath: &str) -> Result<Option<Element>, String> {
    let page = world.page()?;
    for e in page.find_all(xpath).await.map_err(|e| e.to_string())? {
        if e.displayed().await.unwrap_or(false) {
            return Ok(Some(e));
        }
    }
    Ok(None)
}

/// A shown button (or submit input) whose text contains `name`.
async fn button(world: &mut ConformanceWorld, name: &str) -> Result<Element, String> {
    let lower =
        "translate(normalize-space(.),'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')";
    let value = "translate(@value,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')";
    let name = name.to_lowercase();
    let xpath = format!(
        "//button[contains({lower},'{name}')] | //input[(@type='submit' or @type='button') and contains({value},'{name}')] | //*[@role='button' and contains({lower},'{name}')]"
    );
    appears(world, &xpath)
        .await?
        .ok_or_else(|| format!("the page has no \"{name}\" button"))
}

async fn need_field(world: &mut ConformanceWorld, label: &str) -> Result<Element, String> {
    match appears(world, &field_xpath(label)).await? {
        Some(e) => Ok(e),
        None => {
            let title = world.page()?.title().await.unwrap_or_default();
            Err(format!(
                "the page \"{title}\" has no field labelled \"{label}\""
            ))
        }
    }
}

/// Saves a picture of the page for docs/reference-endpoint.md when `MFASPEC_SCREENSHOTS` names a folder.
async fn picture(world: &mut ConformanceWorld, name: &str) {
    let Ok(dir) = std::env::var("MFASPEC_SCREENSHOTS") else {
        return;
    };
    let path = std::path::Path::new(&dir).join(format!("{name}.png"));
    if world.hosted_ui.as_ref().is_some_and(|h| h.showed_secret) || path.exists() {
        return;
    }
    // The page as a user first meets it: no error on it.
    if shown(world, "//*[@role='alert']")
        .await
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    if let Ok(page) = world.page()
        && let Ok(png) = page.screenshot_png().await
    {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(path, png);
    }
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
    if url.contains("unregistered.example") {
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

/// Waits for the browser to arrive back at the app's callback; returns its query.
async fn back_at_app(
    world: &mut ConformanceWorld,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let callback = world.hosted()?.callback.clone();
    let page = world.page()?;
    let url = match page
        .wait_for_url(|u| u.starts_with(&callback), PAGE_WAIT)
        .await
    {
        Ok(url) => url,
        Err(_) => {
            let now = page.current_url().await.unwrap_or_default();
            let title = page.title().await.unwrap_or_default();
            return Err(format!(
                "the browser stayed at {} (\"{title}\") instead of coming back to the app",
                scrub_url(&now)
            ));
        }
    };
    Ok(crate::markup::decode_form(
        url.split_once('?').map_or("", |(_, q)| q),
    ))
}

#[then("the browser comes back to the app with a code and the same state")]
async fn back_with_code(world: &mut ConformanceWorld) -> Result<(), String> {
    let q = back_at_app(world).await?;
    if let Some(e) = q.get("error") {
        return Err(format!("the browser came back with error={e}"));
    }
    let code = q
        .get("code")
        .cloned()
        .ok_or("the browser came back without a code")?;
    world.secret(&code);
    let h = world.hosted()?;
    if q.get("state") != Some(&h.state) {
        return Err("the browser came back with a different state".into());
    }
    h.code = Some(Redacted(code));
    Ok(())
}

async fn exchange(world: &mut ConformanceWorld, verifier: Option<String>) -> Result<(), String> {
    let client_id = world.client_id()?.to_owned();
    let h = world.hosted()?;
    let code = h.code.clone().ok_or("the app has no code")?.0;
    let verifier = verifier.unwrap_or_else(|| h.verifier.0.clone());
    let enc = crate::markup::encode;
    let body = format!(
        "grant_type=authorization_code&client_id={}&code={}&redirect_uri={}&code_verifier={}",
        enc(&client_id),
        enc(&code),
        enc(&h.callback),
        enc(&verifier)
    );
    let answer = h
        .http
        .post(format!("{}/oauth2/token", h.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .map_err(|e| format!("POST /oauth2/token: {}", scrub_url(&e.to_string())))?;
    let status = answer.status().as_u16();
    let text = answer.text().await.map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_str(&text).map_err(|_| {
        format!("the token endpoint answered HTTP {status} with a body that is not JSON")
    })?;
    for key in ["access_token", "id_token", "refresh_token"] {
        if let Some(t) = value.get(key).and_then(Value::as_str) {
            world.secret(t);
        }
    }
    world.hosted()?.tokens = Some((status, Redacted(value)));
    Ok(())
}

#[when("the app exchanges the code at the token endpoint")]
async fn exchange_code(world: &mut ConformanceWorld) -> Result<(), String> {
    exchange(world, None).await
}

#[when("the app exchanges the code at the token endpoint again")]
async fn exchange_again(world: &mut ConformanceWorld) -> Result<(), String> {
    exchange(world, None).await
}

#[when("the app exchanges the code at the token endpoint with a wrong PKCE verifier")]
async fn exchange_wrong_verifier(world: &mut ConformanceWorld) -> Result<(), String> {
    let wrong = random_text(64);
    exchange(world, Some(wrong)).await
}

fn token_answer(world: &mut ConformanceWorld) -> Result<(u16, Value), String> {
    world
        .hosted()?
        .tokens
        .as_ref()
        .map(|(s, v)| (*s, v.0.clone()))
        .ok_or_else(|| "the app has not called the token endpoint".to_owned())
}

#[then("the token endpoint answers with access, ID and refresh tokens")]
fn tokens_answered(world: &mut ConformanceWorld) -> Result<(), String> {
    let (status, body) = token_answer(world)?;
    if status != 200 {
        return Err(format!(
            "the token endpoint answered HTTP {status} {}",
            body.get("error").and_then(Value::as_str).unwrap_or("")
        ));
    }
    for key in ["access_token", "id_token", "refresh_token"] {
        if body
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            return Err(format!("the token endpoint's answer has no {key}"));
        }
    }
    if body["token_type"] != "Bearer" {
        return Err(format!("token_type is {}, not Bearer", body["token_type"]));
    }
    Ok(())
}

#[then(expr = "the token endpoint refuses with {string}")]
fn token_refused(world: &mut ConformanceWorld, error: String) -> Result<(), String> {
    let (status, body) = token_answer(world)?;
    let got = body.get("error").and_then(Value::as_str).unwrap_or("");
    if status != 400 || got != error {
        return Err(format!(
            "the token endpoint answered HTTP {status} error {got:?}, not 400 {error:?}"
        ));
    }
    Ok(())
}

/// The base64url JSON of a JWT's part `n`.
fn jwt_part(jwt: &str, n: usize) -> Result<Value, String> {
    let part = jwt.split('.').nth(n).ok_or("the token is not a JWT")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| "the token's parts are not base64url")?;
    serde_json::from_slice(&bytes).map_err(|_| "the token's parts are not JSON".to_owned())
}

/// Verifies an RS256 JWT against the JWKS `keys`.
fn verify_rs256(jwt: &str, jwks: &Value) -> Result<Value, String> {
    let header = jwt_part(jwt, 0)?;
    if header["alg"] != "RS256" {
        return Err(format!(
            "the ID token's alg is {}, not RS256",
            header["alg"]
        ));
    }
    let kid = header["kid"].as_str().ok_or("the ID token names no kid")?;
    let key = jwks["keys"]
        .as_array()
        .and_then(|keys| keys.iter().find(|k| k["kid"] == kid))
        .ok_or("no key of the pool's JWKS has the ID token's kid")?;
    let b64 = |v: &Value| {
        v.as_str()
            .and_then(|s| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(s)
                    .ok()
            })
            .ok_or("the JWKS key is not an RSA key (n, e)")
    };
    let (n, e) = (b64(&key["n"])?, b64(&key["e"])?);
    let (signed, signature) = jwt.rsplit_once('.').ok_or("the token is not a JWT")?;
    let signature = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| "the signature is not base64url")?;
    aws_lc_rs::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &signature,
        )
        .map_err(|_| "the ID token's signature does not verify against the pool's JWKS")?;
    jwt_part(jwt, 1)
}

#[then(
    "the ID token verifies against the pool's keys and names the app client, the pool and the nonce"
)]
async fn id_token_verifies(world: &mut ConformanceWorld) -> Result<(), String> {
    let (_, body) = token_answer(world)?;
    let id = body["id_token"].as_str().ok_or("no id_token")?.to_owned();
    let pool_id = world.pool_id()?.to_owned();
    let client_id = world.client_id()?.to_owned();
    let issuer = match &world.ctx().profile.endpoint {
        crate::target::Location::Aws(None) => format!(
            "https://cognito-idp.{}.amazonaws.com/{pool_id}",
            pool_id.split('_').next().unwrap_or("")
        ),
        _ => format!(
            "{}/{pool_id}",
            world.client().endpoint().trim_end_matches('/')
        ),
    };
    let get = |url: String| async move {
        let r = reqwest::get(&url)
            .await
            .map_err(|e| format!("GET {url}: {e}"))?;
        let text = r.text().await.map_err(|e| format!("GET {url}: {e}"))?;
        serde_json::from_str::<Value>(&text).map_err(|_| format!("GET {url}: not JSON"))
    };
    let discovery = get(format!("{issuer}/.well-known/openid-configuration")).await?;
    if discovery["issuer"] != issuer.as_str() {
        return Err(format!(
            "the discovery document's issuer is {}, not {issuer}",
            discovery["issuer"]
        ));
    }
    let jwks_uri = discovery["jwks_uri"]
        .as_str()
        .ok_or("the discovery document has no jwks_uri")?;
    let jwks = get(jwks_uri.to_owned()).await?;
    let claims = verify_rs256(&id, &jwks)?;
    let nonce = world.hosted()?.nonce.clone();
    for (claim, want) in [
        ("aud", client_id.as_str()),
        ("iss", issuer.as_str()),
        ("nonce", nonce.as_str()),
        ("token_use", "id"),
    ] {
        if claims[claim] != want {
            return Err(format!(
                "the ID token's {claim} is {}, not {want}",
                claims[claim]
            ));
        }
    }
    let now = world.now_s().await;
    if claims["exp"].as_u64().is_none_or(|exp| exp <= now) {
        return Err("the ID token has expired".into());
    }
    Ok(())
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

/// What a failed scenario leaves beside its report: the page's HTML, scrubbed, and a
/// screenshot unless the page showed a TOTP secret.
pub(crate) async fn keep_evidence(
    world: &mut ConformanceWorld,
    dir: &std::path::Path,
    id: &str,
) -> Option<String> {
    let secrets = world.context.as_ref()?.client.secrets();
    let h = world.hosted_ui.as_ref()?;
    let (page, _) = h.browser.as_ref()?;
    let html = page.source().await.ok()?;
    let _ = std::fs::create_dir_all(dir);
    let html = scrub_page(&secrets.scrub(&html));
    let file = id.replace(['/', '\\'], "_");
    let _ = std::fs::write(dir.join(format!("{file}.html")), html);
    if h.showed_secret {
        return Some(format!(
            "page kept as browser/{file}.html (no screenshot: the page showed a TOTP secret)"
        ));
    }
    if let Ok(png) = page.screenshot_png().await {
        let _ = std::fs::write(dir.join(format!("{file}.png")), png);
    }
    Some(format!("page kept as browser/{file}.html and .png"))
}

/// An HTML page without what could carry a secret the registry does not know: `data:` URIs
/// (a QR code image), elements marked `data-secret`, and input values.
fn scrub_page(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("data:") {
        out.push_str(&rest[..at]);
        let end = rest[at..]
            .find(['"', '\'', ')'])
            .map_or(rest.len(), |e| at + e);
        out.push_str("data:<redacted>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    let mut cleaned = String::with_capacity(out.len());
    let mut rest = out.as_str();
    while let Some(at) = rest.find("data-secret") {
        let Some(close) = rest[at..].find('>') else {
            break;
        };
        let open_end = at + close + 1;
        cleaned.push_str(&rest[..open_end]);
        let content_end = rest[open_end..]
            .find('<')
            .map_or(rest.len(), |e| open_end + e);
        cleaned.push_str("<redacted>");
        rest = &rest[content_end..];
    }
    cleaned.push_str(rest);
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_kept_without_qr_images_or_shown_keys() {
        let page = r#"<img src="data:image/svg+xml;base64,PHN2Zz4="><code id="s" data-secret>ABCD EFGH</code><p>ok</p>"#;
        let kept = scrub_page(page);
        assert!(!kept.contains("PHN2"));
        assert!(!kept.contains("ABCD"));
        assert!(kept.contains("<p>ok</p>"));
    }
}
