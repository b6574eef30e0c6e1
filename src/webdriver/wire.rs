//! The HTTP side of WebDriver: calls to a resource URL (a session's, an element's) with a
//! time limit, answers read as WebDriver's `{"value": …}`, and what can go wrong, as [`Error`].
//! A request's body never reaches an error (typed text is a password, say).
//!
//! Owns: the transport and the errors. Uses nothing of the crate.

use std::fmt;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

/// The W3C web element identifier: the key under which an element reference's id is given
/// (WebDriver spec, "web element identifier").
pub(super) const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// The limit on every HTTP call to ChromeDriver.
pub(super) const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

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

/// A WebDriver resource URL (a session's or an element's) and the client that calls it.
#[derive(Debug, Clone)]
pub(super) struct Endpoint {
    pub(super) http: reqwest::Client,
    pub(super) url: String,
}

impl Endpoint {
    /// Calls `method` on this URL + `suffix` with an optional JSON body and returns the
    /// answer's `value`. Errors name the method and path, never the body.
    pub(super) async fn call(
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
    pub(super) fn path(&self) -> &str {
        self.url
            .strip_prefix("http://")
            .and_then(|rest| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or("")
    }
}

/// An HTTP failure as an [`Error`]: a timeout as [`Error::Timeout`].
pub(super) fn transport(what: &str, e: &reqwest::Error) -> Error {
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
pub(super) fn chain(e: &dyn std::error::Error) -> String {
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
pub(super) fn string(value: Value, what: &str) -> Result<String, Error> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(Error::Http(format!(
            "{what}: expected a string in the answer"
        ))),
    }
}

/// A screenshot answer's PNG bytes.
pub(super) fn png(value: Value) -> Result<Vec<u8>, Error> {
    let b64 = string(value, "screenshot")?;
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| Error::Http("screenshot: the answer is not valid base64".into()))
}
