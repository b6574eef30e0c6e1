//! The harness's Cognito client: AWS JSON 1.1 over reqwest, for well-formed calls and for the
//! malformed requests no SDK can produce. Every error is normalised to
//! `{ kind: "<ExceptionName>", message, http_status }`. Knows nothing of Gherkin.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use serde_json::Value;

use crate::vocabulary::{CONTENT_TYPE, Operation, TARGET_PREFIX};

/// A Cognito error answer, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoError {
    /// The exception name (`__type` without any namespace, or the transport failure).
    pub kind: String,
    /// The `message` (or `Message`).
    pub message: String,
    /// The HTTP status; 0 when no answer arrived.
    pub http_status: u16,
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (HTTP {}): {}",
            self.kind, self.http_status, self.message
        )
    }
}

impl CognitoError {
    /// Whether the target says it does not support the call — an emulator's own answer for
    /// a feature it lacks (cognito-local: `Unsupported`, "Cognito Local unsupported feature").
    /// Cognito's UnsupportedOperationException is a modelled error, not this.
    #[must_use]
    pub fn is_unsupported(&self) -> bool {
        self.kind == "Unsupported" || self.message.contains("unsupported feature")
    }
}

/// Secrets the run has handled (passwords, SecretCodes, sessions, tokens): any text the
/// harness shows is scrubbed of them, because some targets echo them in error messages.
fn secrets() -> &'static Mutex<HashSet<String>> {
    static SECRETS: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    SECRETS.get_or_init(Mutex::default)
}

/// Remembers `secret` so that [`scrub`] removes it from any text shown.
pub fn register_secret(secret: &str) {
    if secret.len() >= 6 {
        secrets()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(secret.to_owned());
    }
}

/// `text` without secrets: every registered one, every JWT-shaped run, and every opaque run
/// of 40 or more token characters (sessions, refresh tokens) becomes `<redacted>`.
#[must_use]
pub fn scrub(text: &str) -> String {
    let mut out = text.to_owned();
    for secret in secrets()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
    {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), "<redacted>");
        }
    }
    let token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/');
    let mut result = String::with_capacity(out.len());
    let mut run = String::new();
    let flush = |run: &mut String, result: &mut String| {
        if run.len() >= 40 || (run.starts_with("eyJ") && run.len() >= 20) {
            result.push_str("<redacted>");
        } else {
            result.push_str(run);
        }
        run.clear();
    };
    for c in out.chars() {
        if token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut result);
            result.push(c);
        }
    }
    flush(&mut run, &mut result);
    result
}

/// A placeholder SigV4 `Authorization` header: the reference endpoint and the emulators only
/// require its presence. Real AWS needs real signatures (issue 6).
const SIGNATURE: &str = "AWS4-HMAC-SHA256 Credential=mfaspec/20260101/us-east-1/cognito-idp/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0000";

/// A client for one endpoint.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

/// An HTTP answer as it came.
#[derive(Debug, Clone)]
pub struct RawAnswer {
    /// The status code.
    pub status: u16,
    /// The body, parsed as JSON where it is JSON, else as a string.
    pub body: Value,
}

impl Client {
    /// A client for `endpoint` (`http://host:port`).
    #[must_use]
    pub fn new(endpoint: &str) -> Client {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Client {
            http,
            endpoint: endpoint.trim_end_matches('/').to_owned(),
        }
    }

    /// The endpoint URL.
    #[must_use]
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Calls `op` with `body`, signed where the operation is.
    pub async fn call(&self, op: Operation, body: &Value) -> Result<Value, CognitoError> {
        let target = format!("{TARGET_PREFIX}.{}", op.name());
        let mut headers = vec![
            ("x-amz-target", target.as_str()),
            ("content-type", CONTENT_TYPE),
        ];
        if op.is_signed() {
            headers.push(("authorization", SIGNATURE));
        }
        let answer = self.raw(&headers, body.to_string().into_bytes()).await?;
        if (200..300).contains(&answer.status) {
            return Ok(answer.body);
        }
        let text = |k: &str| {
            answer
                .body
                .get(k)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let kind = text("__type")
            .or_else(|| text("code"))
            .unwrap_or_else(|| "UnknownError".into());
        // Smithy: keep what follows '#' and what precedes ':' (spec §1).
        let kind = kind
            .rsplit('#')
            .next()
            .unwrap_or("")
            .split(':')
            .next()
            .unwrap_or("")
            .to_owned();
        Err(CognitoError {
            kind,
            message: scrub(
                &text("message")
                    .or_else(|| text("Message"))
                    .unwrap_or_default(),
            ),
            http_status: answer.status,
        })
    }

    /// Posts `body` to the endpoint with exactly `headers`.
    pub async fn raw(
        &self,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<RawAnswer, CognitoError> {
        let mut request = self.http.post(format!("{}/", self.endpoint)).body(body);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        read(request).await
    }

    /// `GET path`, parsed as JSON.
    pub async fn get_json(&self, path: &str) -> Result<RawAnswer, CognitoError> {
        read(self.http.get(format!("{}{path}", self.endpoint))).await
    }

    /// `POST path` with a JSON body (the reference endpoint's clock control).
    pub async fn post_json(&self, path: &str, body: &Value) -> Result<RawAnswer, CognitoError> {
        read(
            self.http
                .post(format!("{}{path}", self.endpoint))
                .body(body.to_string()),
        )
        .await
    }
}

/// Sends `request` and reads the answer: JSON where it is JSON, else the text.
async fn read(request: reqwest::RequestBuilder) -> Result<RawAnswer, CognitoError> {
    let response = request.send().await.map_err(|e| transport(&e))?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(|e| transport(&e))?;
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok(RawAnswer { status, body })
}

fn transport(e: &reqwest::Error) -> CognitoError {
    CognitoError {
        kind: "TransportError".into(),
        message: scrub(&e.to_string()),
        http_status: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::{register_secret, scrub};

    #[test]
    fn scrub_removes_registered_secrets_jwts_and_long_opaque_runs() {
        register_secret("asdfasdfasdf");
        let jwt = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2ln";
        let session = "AYABe".repeat(20);
        let text =
            format!("secret asdfasdfasdf, token {jwt}, session {session}; user mfaspec-abc-user-3");
        assert_eq!(
            scrub(&text),
            "secret <redacted>, token <redacted>, session <redacted>; user mfaspec-abc-user-3"
        );
    }
}
