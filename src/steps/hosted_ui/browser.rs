//! The browser's primitives for the hosted-UI steps: the scenario's browser session (opened
//! in a slot of the run's [`super::host::BrowserHost`]), pages found by their labels and roles,
//! and pictures for the docs.
//!
//! Owns: finding things on a page. Uses: the World, [`crate::webdriver`].

use std::sync::Arc;

use super::host::BrowserHost;
use crate::steps::redacted::Redacted;
use crate::steps::state::HostedUi;
use crate::steps::world::ConformanceWorld;
use crate::webdriver::{Element, Session};

/// How long a page may take to arrive after a submit.
pub(super) const PAGE_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// Random text of RFC 3986's unreserved characters (PKCE verifiers, `state`, `nonce`).
pub(super) fn random_text(len: usize) -> String {
    use rand::RngExt as _;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

impl ConformanceWorld {
    pub(super) async fn browser_host(&self) -> Result<Arc<BrowserHost>, String> {
        self.ctx()
            .browser
            .get_or_init(|| async { BrowserHost::start().await.map(Arc::new) })
            .await
            .clone()
    }

    pub(super) fn hosted(&mut self) -> Result<&mut HostedUi, String> {
        self.hosted_ui
            .as_mut()
            .ok_or_else(|| "the pool has no hosted UI yet".to_owned())
    }

    pub(super) fn page(&mut self) -> Result<&Session, String> {
        self.hosted()?
            .browser
            .as_ref()
            .map(|(s, _)| s)
            .ok_or_else(|| "no browser is open".to_owned())
    }
}

/// Opens a browser on `url` (a session of the run's ChromeDriver, in one of its slots).
pub(super) async fn open(world: &mut ConformanceWorld, url: String) -> Result<(), String> {
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
pub(super) fn scrub_url(url: &str) -> String {
    url.split('?').next().unwrap_or(url).to_owned()
}

/// `//input` (or `textarea`) labelled with a text containing `label`, case-insensitive, that
/// is shown: by `<label for>`, a wrapping `<label>`, or `aria-label`.
pub(super) async fn field(
    world: &mut ConformanceWorld,
    label: &str,
) -> Result<Option<Element>, String> {
    shown(world, &field_xpath(label)).await
}

pub(super) fn field_xpath(label: &str) -> String {
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
pub(super) async fn appears(
    world: &mut ConformanceWorld,
    xpath: &str,
) -> Result<Option<Element>, String> {
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
pub(super) async fn shown(
    world: &mut ConformanceWorld,
    xpath: &str,
) -> Result<Option<Element>, String> {
    let page = world.page()?;
    for e in page.find_all(xpath).await.map_err(|e| e.to_string())? {
        if e.displayed().await.unwrap_or(false) {
            return Ok(Some(e));
        }
    }
    Ok(None)
}

/// A shown button (or submit input) whose text contains `name`.
pub(super) async fn button(world: &mut ConformanceWorld, name: &str) -> Result<Element, String> {
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

pub(super) async fn need_field(
    world: &mut ConformanceWorld,
    label: &str,
) -> Result<Element, String> {
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
pub(super) async fn picture(world: &mut ConformanceWorld, name: &str) {
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
