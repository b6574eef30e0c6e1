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

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::Method;
use serde_json::{Value, json};

/// The W3C web element identifier: the key under which an element reference's id is given
/// (WebDriver spec, "web element identifier").
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// The limit on every HTTP call to ChromeDriver.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);
/// How long ChromeDriver may take to report itself ready.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// Page-load and script limits asked of the browser: below [`HTTP_TIMEOUT`], so a slow page
/// ends in WebDriver's own `timeout` error rather than in a dropped HTTP call.
const PAGE_LOAD_TIMEOUT_MS: u64 = 25_000;

/// The name prefix of session profile directories under the temporary directory.
const PROFILE_PREFIX: &str = "mfaspec-chromium-profile";

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

/// What went wrong talking to ChromeDriver or the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The HTTP exchange itself failed, or its answer was not WebDriver's.
    Http(String),
    /// ChromeDriver answered with a WebDriver error.
    WebDriver {
        /// WebDriver's error code, such as `no such element` or `element not interactable`.
        error: String,
        /// The message that came with it.
        message: String,
    },
    /// ChromeDriver, or the browser session, could not be started.
    Start(String),
    /// Something did not happen in time.
    Timeout(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Http(m) => write!(f, "WebDriver HTTP error: {m}"),
            Error::WebDriver { error, message } => write!(f, "WebDriver error: {error}: {message}"),
            Error::Start(m) => write!(f, "WebDriver start failed: {m}"),
            Error::Timeout(m) => write!(f, "WebDriver timeout: {m}"),
        }
    }
}

impl std::error::Error for Error {}

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

/// Removes profile directories left by processes that no longer run.
///
/// A session that is dropped while its runtime shuts down (a panicking test, say) removes its
/// profile while Chromium may still be exiting and writing to it; the directory's name holds
/// the owning process id, so a later start can tell it is stale.
fn sweep_stale_profiles() {
    if !Path::new("/proc/self").exists() {
        return; // No /proc to tell live processes by.
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PROFILE_PREFIX))
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
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

/// A WebDriver resource URL (a session's or an element's) and the client that calls it.
#[derive(Debug, Clone)]
struct Endpoint {
    http: reqwest::Client,
    url: String,
}

impl Endpoint {
    /// Calls `method` on this URL + `suffix` with an optional JSON body and returns the
    /// answer's `value`. Errors name the method and path, never the body.
    async fn call(
        &self,
        method: Method,
        suffix: &str,
        body: Option<&Value>,
    ) -> Result<Value, Error> {
        let what = format!("{method} {}{suffix}", self.path());
        let mut req = self
            .http
            .request(method, format!("{}{suffix}", self.url))
            .timeout(HTTP_TIMEOUT);
        if let Some(body) = body {
            let bytes = serde_json::to_vec(body)
                .map_err(|_| Error::Http(format!("{what}: the request could not be encoded")))?;
            req = req
                .header("content-type", "application/json; charset=utf-8")
                .body(bytes);
        }
        let resp = req.send().await.map_err(|e| transport(&what, &e))?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(|e| transport(&what, &e))?;
        let mut answer: Value = serde_json::from_slice(&bytes).map_err(|_| {
            Error::Http(format!(
                "{what}: HTTP {status} with a body that is not JSON"
            ))
        })?;
        let value = answer
            .get_mut("value")
            .map(Value::take)
            .unwrap_or(Value::Null);
        if let Some(error) = value.get("error").and_then(Value::as_str) {
            let message = value
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim();
            return Err(Error::WebDriver {
                error: error.to_owned(),
                message: message.to_owned(),
            });
        }
        if !status.is_success() {
            return Err(Error::Http(format!("{what}: HTTP {status}")));
        }
        Ok(value)
    }

    /// This URL's path, for messages.
    fn path(&self) -> &str {
        self.url
            .strip_prefix("http://")
            .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("")
    }
}

/// An HTTP failure as an [`Error`]: a timeout as [`Error::Timeout`].
fn transport(what: &str, e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout(format!(
            "{what}: no answer within {} s",
            HTTP_TIMEOUT.as_secs()
        ))
    } else {
        Error::Http(format!("{what}: {}", chain(e)))
    }
}

/// An error and its sources on one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(cause) = src {
        s.push_str(": ");
        s.push_str(&cause.to_string());
        src = cause.source();
    }
    s
}

/// A string from a WebDriver answer, or an error saying what was expected.
fn string(value: Value, what: &str) -> Result<String, Error> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(Error::Http(format!(
            "{what}: expected a string in the answer"
        ))),
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

/// A screenshot answer's PNG bytes.
fn png(value: Value) -> Result<Vec<u8>, Error> {
    let b64 = string(value, "screenshot")?;
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| Error::Http("screenshot: the answer is not valid base64".into()))
}

/// A fresh directory under the system's temporary directory, removed when dropped.
#[derive(Debug)]
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `<temp>/<prefix>-<pid>-<nanos>-<n>`.
    fn new(prefix: &str) -> Result<TempDir, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let mut last = None;
        for _ in 0..8 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("{prefix}-{}-{nanos}-{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) => last = Some(e),
            }
        }
        Err(Error::Start(format!(
            "cannot create a temporary directory: {}",
            last.map_or_else(|| "unknown error".to_owned(), |e| e.to_string())
        )))
    }

    fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the directory, retrying briefly while a just-quit browser finishes writing.
    async fn remove(self) {
        for _ in 0..10 {
            if std::fs::remove_dir_all(&self.path).is_ok() || !self.path.exists() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // `drop` makes one last attempt.
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(crate::markup::encode("aria-label"), "aria-label");
        assert_eq!(crate::markup::encode("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn temp_dirs_are_fresh_and_removed() {
        let a = TempDir::new("wd-test").expect("temp dir");
        let b = TempDir::new("wd-test").expect("temp dir");
        assert_ne!(a.path(), b.path());
        let p = a.path().to_owned();
        assert!(p.is_dir());
        drop(a);
        assert!(!p.exists());
    }
}
