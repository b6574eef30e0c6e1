//! A minimal W3C WebDriver client for headless Chromium driven through ChromeDriver.
//!
//! [`Browser::find`] locates the two programs, [`Driver::start`] runs ChromeDriver on a free
//! loopback port, and [`Driver::session`] opens a headless Chromium [`Session`] with a fresh
//! profile directory that is removed again when the session is closed or dropped. Pages are
//! driven through [`Session`] and the [`Element`]s it finds by XPath.
//!
//! Every HTTP call to ChromeDriver has a 30 s limit, so nothing hangs. Errors are values
//! ([`Error`]); they carry WebDriver's own error code and message but never a request's body,
//! so text typed with [`Element::send_keys`] (a password, say) does not leak into them.
//! ChromeDriver's own log is discarded for the same reason: at its default level it records
//! every command's parameters, typed text included.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

mod profile;
mod wire;

use profile::{PROFILE_PREFIX, TempDir, sweep_stale_profiles};
pub use wire::Error;
use wire::{ELEMENT_KEY, Endpoint, HTTP_TIMEOUT, chain, png, string};

/// How long ChromeDriver may take to report itself ready.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// Page-load and script limits asked of the browser: below [`HTTP_TIMEOUT`], so a slow page
/// ends in WebDriver's own `timeout` error rather than in a dropped HTTP call.
const PAGE_LOAD_TIMEOUT_MS: u64 = 25_000;

/// The arguments every session's Chromium is started with (plus `--user-data-dir`).
///
/// `--remote-debugging-pipe` makes ChromeDriver talk to Chromium over a pipe instead of a
/// debugging port, so Chromium exits by itself when ChromeDriver does (killed when its
/// [`Driver`] drops) rather than lingering with its session never closed.
const CHROMIUM_ARGS: &[&str] = &[
    "--remote-debugging-pipe",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1000,900",
];

/// The Chromium and ChromeDriver programs to drive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    /// The Chromium executable (or its launcher script).
    pub chromium: PathBuf,
    /// The ChromeDriver executable.
    pub chromedriver: PathBuf,
}

impl Browser {
    /// Finds Chromium and ChromeDriver: env MFASPEC_CHROMIUM / MFASPEC_CHROMEDRIVER if set,
    /// else /usr/bin/chromium, chromium-browser, google-chrome on PATH; chromedriver on PATH
    /// or /usr/bin/chromedriver.
    ///
    /// The error is a one-line reason, such as
    /// `no Chromium found: apt-get install chromium chromium-driver`.
    pub fn find() -> Result<Browser, String> {
        let chromium = match std::env::var_os("MFASPEC_CHROMIUM") {
            Some(p) => from_env("MFASPEC_CHROMIUM", p.into())?,
            None => std::iter::once(PathBuf::from("/usr/bin/chromium"))
                .chain(
                    ["chromium", "chromium-browser", "google-chrome"]
                        .iter()
                        .filter_map(|n| on_path(n)),
                )
                .find(|p| is_executable(p))
                .ok_or("no Chromium found: apt-get install chromium chromium-driver")?,
        };
        let chromedriver = match std::env::var_os("MFASPEC_CHROMEDRIVER") {
            Some(p) => from_env("MFASPEC_CHROMEDRIVER", p.into())?,
            None => on_path("chromedriver")
                .into_iter()
                .chain(std::iter::once(PathBuf::from("/usr/bin/chromedriver")))
                .find(|p| is_executable(p))
                .ok_or("no ChromeDriver found: apt-get install chromium-driver")?,
        };
        Ok(Browser {
            chromium,
            chromedriver,
        })
    }
}

/// A path named by an environment variable, which must be an executable file.
fn from_env(var: &str, path: PathBuf) -> Result<PathBuf, String> {
    if is_executable(&path) {
        Ok(path)
    } else {
        let what = if var == "MFASPEC_CHROMIUM" {
            "Chromium"
        } else {
            "ChromeDriver"
        };
        Err(format!(
            "no {what} found: {var}={} is not an executable file (apt-get install chromium chromium-driver)",
            path.display()
        ))
    }
}

/// The first executable called `name` in a PATH directory.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

/// Whether `path` is a file (following links) that may be executed.
fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// A running ChromeDriver on a loopback port; it is killed when this is dropped.
#[derive(Debug)]
pub struct Driver {
    /// The ChromeDriver process (`kill_on_drop`).
    _child: tokio::process::Child,
    /// The loopback port it listens on.
    port: u16,
    /// The HTTP client all calls go through.
    http: reqwest::Client,
    /// The Chromium binary sessions are started with.
    chromium: String,
}

impl Driver {
    /// Starts chromedriver on a free loopback port (bind 127.0.0.1:0 to pick one, then pass
    /// --port=N), waits for GET /status "ready": true (20 s limit), with chromedriver's own
    /// log discarded, never on our stdout.
    pub async fn start(browser: &Browser) -> Result<Driver, Error> {
        let chromium = browser
            .chromium
            .to_str()
            .ok_or_else(|| Error::Start("the Chromium path is not UTF-8".into()))?
            .to_owned();
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|e| Error::Start(format!("HTTP client: {}", chain(&e))))?;
        sweep_stale_profiles();
        let deadline = Instant::now() + START_TIMEOUT;
        // The port is free when picked but could be taken before ChromeDriver binds it: then
        // ChromeDriver exits at once and another port is tried.
        let mut last = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            let mut child = tokio::process::Command::new(&browser.chromedriver)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .map_err(|e| {
                    Error::Start(format!(
                        "cannot run {}: {e}",
                        browser.chromedriver.display()
                    ))
                })?;
            match wait_ready(&http, port, &mut child, deadline).await {
                Ok(()) => {
                    return Ok(Driver {
                        _child: child,
                        port,
                        http,
                        chromium,
                    });
                }
                Err(Error::Start(m)) => last = m,
                Err(e) => return Err(e),
            }
        }
        Err(Error::Start(last))
    }

    /// The loopback port ChromeDriver listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A new session: headless Chromium with --headless --no-sandbox --disable-gpu
    /// --disable-quic --no-first-run --disable-background-networking
    /// --disable-component-update --disable-sync --disable-dev-shm-usage
    /// --window-size=1000,900 and a fresh --user-data-dir (removed when the session is
    /// dropped or closed); the binary is the [`Browser`]'s Chromium, given through
    /// `goog:chromeOptions`.
    pub async fn session(&self) -> Result<Session, Error> {
        let profile = TempDir::new(PROFILE_PREFIX)?;
        let dir = profile
            .path()
            .to_str()
            .ok_or_else(|| Error::Start("the temporary directory's path is not UTF-8".into()))?;
        let mut args: Vec<String> = CHROMIUM_ARGS.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!("--user-data-dir={dir}"));
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": {
                        "pageLoad": PAGE_LOAD_TIMEOUT_MS,
                        "script": PAGE_LOAD_TIMEOUT_MS,
                        "implicit": 0,
                    },
                    "goog:chromeOptions": { "binary": self.chromium, "args": args },
                }
            }
        });
        let root = Endpoint {
            http: self.http.clone(),
            url: format!("http://127.0.0.1:{}", self.port),
        };
        let value = match root.call(Method::POST, "/session", Some(&caps)).await {
            Ok(v) => v,
            Err(Error::WebDriver { error, message }) => {
                return Err(Error::Start(format!("new session: {error}: {message}")));
            }
            Err(e) => return Err(e),
        };
        let id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .filter(|id| {
                !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
            .ok_or_else(|| Error::Http("new session: the answer has no usable sessionId".into()))?;
        Ok(Session {
            ep: Endpoint {
                http: self.http.clone(),
                url: format!("{}/session/{id}", root.url),
            },
            profile: Some(profile),
            open: true,
        })
    }
}

/// A free loopback port, found by binding port 0.
fn free_port() -> Result<u16, Error> {
    std::net::TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| Error::Start(format!("no free loopback port: {e}")))
}

/// Polls ChromeDriver's GET /status until it says `ready`, it exits, or `deadline` passes.
async fn wait_ready(
    http: &reqwest::Client,
    port: u16,
    child: &mut tokio::process::Child,
    deadline: Instant,
) -> Result<(), Error> {
    let url = format!("http://127.0.0.1:{port}/status");
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                return Err(Error::Start(format!(
                    "chromedriver exited before it was ready ({status})"
                )));
            }
            Ok(None) => {}
            Err(e) => return Err(Error::Start(format!("chromedriver: {e}"))),
        }
        let ready = async {
            let resp = http
                .get(&url)
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .ok()?;
            let body = resp.bytes().await.ok()?;
            let v: Value = serde_json::from_slice(&body).ok()?;
            v.pointer("/value/ready").and_then(Value::as_bool)
        }
        .await;
        if ready == Some(true) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(Error::Timeout(format!(
                "chromedriver was not ready within {} s",
                START_TIMEOUT.as_secs()
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A browser session: one headless Chromium with its own profile directory.
///
/// [`Session::close`] ends it; dropping it ends it on a best-effort basis (in the background
/// when a Tokio runtime is at hand). Either way the profile directory is removed.
#[derive(Debug)]
pub struct Session {
    ep: Endpoint,
    profile: Option<TempDir>,
    open: bool,
}

impl Session {
    /// Navigates to `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) -> Result<(), Error> {
        self.ep
            .call(Method::POST, "/url", Some(&json!({ "url": url })))
            .await
            .map(drop)
    }

    /// The URL of the current page.
    pub async fn current_url(&self) -> Result<String, Error> {
        string(
            self.ep.call(Method::GET, "/url", None).await?,
            "current URL",
        )
    }

    /// Polls the current URL until `pred` accepts it, and returns it; an
    /// [`Error::Timeout`] naming the last URL seen if that does not happen within `timeout`.
    pub async fn wait_for_url(
        &self,
        pred: impl Fn(&str) -> bool,
        timeout: Duration,
    ) -> Result<String, Error> {
        let deadline = Instant::now() + timeout;
        loop {
            let url = self.current_url().await?;
            if pred(&url) {
                return Ok(url);
            }
            if Instant::now() >= deadline {
                return Err(Error::Timeout(format!(
                    "the URL was still {url} after {} ms",
                    timeout.as_millis()
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The current page's source (its DOM serialized).
    pub async fn source(&self) -> Result<String, Error> {
        string(
            self.ep.call(Method::GET, "/source", None).await?,
            "page source",
        )
    }

    /// The current page's title.
    pub async fn title(&self) -> Result<String, Error> {
        string(self.ep.call(Method::GET, "/title", None).await?, "title")
    }

    /// The first element matching `xpath`, or `None` when there is none.
    pub async fn find(&self, xpath: &str) -> Result<Option<Element>, Error> {
        let body = json!({ "using": "xpath", "value": xpath });
        match self.ep.call(Method::POST, "/element", Some(&body)).await {
            Ok(v) => self.element(&v).map(Some),
            Err(Error::WebDriver { error, .. }) if error == "no such element" => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every element matching `xpath`, in document order.
    pub async fn find_all(&self, xpath: &str) -> Result<Vec<Element>, Error> {
        let body = json!({ "using": "xpath", "value": xpath });
        match self.ep.call(Method::POST, "/elements", Some(&body)).await? {
            Value::Array(items) => items.iter().map(|v| self.element(v)).collect(),
            _ => Err(Error::Http(
                "find elements: expected a list in the answer".into(),
            )),
        }
    }

    /// A PNG screenshot of the viewport.
    pub async fn screenshot_png(&self) -> Result<Vec<u8>, Error> {
        png(self.ep.call(Method::GET, "/screenshot", None).await?)
    }

    /// Ends the session (WebDriver's DELETE session, which quits the browser) and removes its
    /// profile directory.
    pub async fn close(mut self) -> Result<(), Error> {
        self.open = false;
        let result = self.ep.call(Method::DELETE, "", None).await.map(drop);
        if let Some(profile) = self.profile.take() {
            profile.remove().await;
        }
        result
    }

    /// An [`Element`] from a W3C element reference.
    fn element(&self, v: &Value) -> Result<Element, Error> {
        let id = v
            .get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .filter(|id| {
                !id.is_empty()
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
            })
            .ok_or_else(|| {
                Error::Http("find element: the answer has no usable element reference".into())
            })?;
        Ok(Element {
            ep: Endpoint {
                http: self.ep.http.clone(),
                url: format!("{}/element/{id}", self.ep.url),
            },
        })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if !self.open {
            return;
        }
        let profile = self.profile.take();
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            let ep = self.ep.clone();
            rt.spawn(async move {
                let _ = ep.call(Method::DELETE, "", None).await;
                if let Some(profile) = profile {
                    profile.remove().await;
                }
            });
        }
        // Without a runtime the profile directory is removed here, as `profile` drops.
    }
}

/// An element of the page, found by [`Session::find`] or [`Session::find_all`].
#[derive(Debug, Clone)]
pub struct Element {
    ep: Endpoint,
}

impl Element {
    /// Types `text` into the element. The text never appears in an error.
    pub async fn send_keys(&self, text: &str) -> Result<(), Error> {
        self.ep
            .call(Method::POST, "/value", Some(&json!({ "text": text })))
            .await
            .map(drop)
    }

    /// Whether the element is shown (WebDriver's Is Element Displayed): pages such as AWS's
    /// classic hosted UI render a form twice, one copy hidden.
    pub async fn displayed(&self) -> Result<bool, Error> {
        Ok(self.ep.call(Method::GET, "/displayed", None).await? == Value::Bool(true))
    }

    /// Presses Enter in the element: a form's keyboard submit.
    pub async fn press_enter(&self) -> Result<(), Error> {
        self.send_keys("\u{E007}").await
    }

    /// Clears an editable element.
    pub async fn clear(&self) -> Result<(), Error> {
        self.ep
            .call(Method::POST, "/clear", Some(&json!({})))
            .await
            .map(drop)
    }

    /// Clicks the element; ChromeDriver waits for a navigation the click starts.
    pub async fn click(&self) -> Result<(), Error> {
        self.ep
            .call(Method::POST, "/click", Some(&json!({})))
            .await
            .map(drop)
    }

    /// The element's attribute (or property, as WebDriver's Get Element Attribute reads it)
    /// `name`, or `None` when it has none.
    pub async fn attr(&self, name: &str) -> Result<Option<String>, Error> {
        let suffix = format!("/attribute/{}", crate::markup::encode(name));
        match self.ep.call(Method::GET, &suffix, None).await? {
            Value::Null => Ok(None),
            Value::String(s) => Ok(Some(s)),
            other => Ok(Some(other.to_string())),
        }
    }

    /// The element's rendered text.
    pub async fn text(&self) -> Result<String, Error> {
        string(
            self.ep.call(Method::GET, "/text", None).await?,
            "element text",
        )
    }

    /// A PNG screenshot of the element alone.
    pub async fn screenshot_png(&self) -> Result<Vec<u8>, Error> {
        png(self.ep.call(Method::GET, "/screenshot", None).await?)
    }
}
