//! The harness's Cognito client: AWS JSON 1.1 over reqwest, for well-formed calls and for the
//! malformed requests no SDK can produce — the only code that frames AWS JSON 1.1 and reads
//! its errors. Every error is normalised to a [`CognitoError`]: an [`ErrorKind`] (a
//! vocabulary [`Exception`](crate::vocabulary::Exception), a name the vocabulary does not know, or one of the harness's
//! own failures), the message and the HTTP status. Knows nothing of Gherkin.
//!
//! Owns: AWS JSON 1.1 framing, error normalisation, retries, the run's secret registry and the
//! client side of the control protocol. Uses: [`crate::vocabulary`], [`crate::control`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::control;
use crate::vocabulary::{CONTENT_TYPE, Operation, TARGET_PREFIX};

mod error;
pub mod ledger;
mod retry;
mod secrets;
pub mod sign;

pub use error::{CognitoError, ErrorKind};
pub use ledger::{Ledger, PREFIX, Resource};
pub use retry::RetryPolicy;
use retry::retryable_kind;
pub use secrets::{Secrets, scrub_tokens};
pub use sign::Signer;

pub use crate::vocabulary::PLACEHOLDER_SIGNATURE;

/// A client for one endpoint.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    endpoint: String,
    signer: Option<Arc<Signer>>,
    retry: RetryPolicy,
    ledger: Arc<Ledger>,
    secrets: Arc<Secrets>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("signed", &self.signer.is_some())
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
    /// The `x-amzn-*` headers (names in lower case), in the order they came.
    pub amzn_headers: Vec<(String, String)>,
}

impl RawAnswer {
    /// The answer as a Cognito error: `__type` (or `code`) without any Smithy namespace, and
    /// the `message` as it came (see [`Client::error_of`] for it scrubbed).
    #[must_use]
    pub fn error(&self) -> CognitoError {
        let text = |k: &str| self.body.get(k).and_then(Value::as_str).map(str::to_owned);
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
            .unwrap_or("");
        CognitoError {
            kind: ErrorKind::from_name(kind),
            message: text("message")
                .or_else(|| text("Message"))
                .unwrap_or_default(),
            http_status: self.status,
        }
    }

    /// Whether the body is a JSON object carrying `__type` (or `code`): an AWS JSON error.
    #[must_use]
    pub fn is_aws_error(&self) -> bool {
        self.body
            .get("__type")
            .or_else(|| self.body.get("code"))
            .is_some_and(Value::is_string)
    }
}

impl Client {
    /// A client for `endpoint` (`http://host:port`) with a placeholder signature, the default
    /// retry policy and a fresh ledger.
    #[must_use]
    pub fn new(endpoint: &str) -> Client {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap_or_default();
        Client {
            http,
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            signer: None,
            retry: RetryPolicy::default(),
            ledger: Arc::new(Ledger::default()),
            secrets: Arc::default(),
        }
    }

    /// The secrets this client (and its clones: the run) has handled.
    #[must_use]
    pub fn secrets(&self) -> &Secrets {
        &self.secrets
    }

    /// `answer` as a Cognito error, its message scrubbed of the run's secrets.
    #[must_use]
    pub fn error_of(&self, answer: &RawAnswer) -> CognitoError {
        let mut e = answer.error();
        e.message = self.secrets.scrub(&e.message);
        e
    }

    /// Signs requests with real SigV4 signatures.
    #[must_use]
    pub fn with_signer(mut self, signer: Signer) -> Client {
        self.signer = Some(Arc::new(signer));
        self
    }

    /// Retries as `policy` says.
    #[must_use]
    pub fn with_retry(mut self, policy: RetryPolicy) -> Client {
        self.retry = policy;
        self
    }

    /// Records into (and is guarded by) `ledger`.
    #[must_use]
    pub fn with_ledger(mut self, ledger: Arc<Ledger>) -> Client {
        self.ledger = ledger;
        self
    }

    /// The endpoint URL.
    #[must_use]
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The run's ledger of created resources.
    #[must_use]
    pub fn ledger(&self) -> &Arc<Ledger> {
        &self.ledger
    }

    /// Calls `op` with `body`, signed where the operation is, retrying throttling and server
    /// errors.
    pub async fn call(&self, op: Operation, body: &Value) -> Result<Value, CognitoError> {
        self.call_counted(op, body).await.0
    }

    /// As [`Client::call`], with the number of retries it took. The call runs in a task of
    /// its own: if the caller goes away (an interrupted run), it still completes and the
    /// ledger still learns what it created.
    pub async fn call_counted(
        &self,
        op: Operation,
        body: &Value,
    ) -> (Result<Value, CognitoError>, u32) {
        if let Err(refusal) = self.ledger.check(op, body) {
            return (
                Err(CognitoError {
                    kind: ErrorKind::Refused,
                    message: refusal.0,
                    http_status: 0,
                }),
                0,
            );
        }
        let this = self.clone();
        let body = body.clone();
        self.ledger.started();
        let task = tokio::spawn(async move {
            let (answer, retries) = this
                .retrying(
                    || this.call_once(op, &body),
                    |a| a.as_ref().is_err_and(CognitoError::is_retryable),
                )
                .await;
            this.ledger
                .note(op, &body, answer.as_ref().map_err(|e| e.kind.exception()));
            let status = match &answer {
                Ok(_) => 200,
                Err(e) if e.is_unsupported() => 400,
                Err(e) => e.http_status,
            };
            this.ledger.note_creation(op, status);
            this.ledger.finished();
            (answer, retries)
        });
        task.await.unwrap_or_else(|e| {
            (
                Err(CognitoError {
                    kind: ErrorKind::Transport,
                    message: format!("the request's task failed: {e}"),
                    http_status: 0,
                }),
                0,
            )
        })
    }

    async fn call_once(&self, op: Operation, body: &Value) -> Result<Value, CognitoError> {
        let answer = self.send(op, body).await?;
        if (200..300).contains(&answer.status) {
            return Ok(answer.body);
        }
        Err(self.error_of(&answer))
    }

    /// `op` framed as AWS JSON 1.1 and sent once; the answer as it came.
    async fn send(&self, op: Operation, body: &Value) -> Result<RawAnswer, CognitoError> {
        let target = format!("{TARGET_PREFIX}.{}", op.name());
        let mut headers = vec![
            ("x-amz-target", target.as_str()),
            ("content-type", CONTENT_TYPE),
        ];
        if op.is_signed() {
            headers.push(("authorization", PLACEHOLDER_SIGNATURE));
        }
        self.raw(&headers, body.to_string().into_bytes()).await
    }

    /// As [`Client::call`], but the answer as it came (status and body, JSON or not), with
    /// throttling retried: for checking that an endpoint answers as Cognito does at all.
    pub async fn call_unparsed(
        &self,
        op: Operation,
        body: &Value,
    ) -> Result<RawAnswer, CognitoError> {
        self.retrying(
            || self.send(op, body),
            |a| {
                a.as_ref()
                    .is_ok_and(|a| a.status >= 400 && a.error().is_retryable())
            },
        )
        .await
        .0
    }

    /// Posts `body` to the endpoint with exactly `headers` — except that, with a signer, an
    /// `authorization` header is replaced by a real signature (so that malformed requests
    /// reach AWS's validation instead of its authentication).
    pub async fn raw(
        &self,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Result<RawAnswer, CognitoError> {
        let url = format!("{}/", self.endpoint);
        let mut request = self.http.post(&url);
        let signs = headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("authorization"));
        match &self.signer {
            Some(signer) if signs => {
                let signed = signer
                    .sign(&url, headers, &body)
                    .await
                    .map_err(|e| CognitoError {
                        kind: ErrorKind::Signing,
                        message: e.to_string(),
                        http_status: 0,
                    })?;
                for (k, v) in headers
                    .iter()
                    .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
                {
                    request = request.header(*k, *v);
                }
                for (k, v) in &signed {
                    request = request.header(k.as_str(), v.as_str());
                }
            }
            _ => {
                for (k, v) in headers {
                    request = request.header(*k, *v);
                }
            }
        }
        read(request.body(body)).await
    }

    /// As [`Client::raw`], retrying an answer that says it was throttled or failed inside
    /// the service (`TooManyRequestsException`, `InternalErrorException`…, by `__type`: a
    /// bare HTTP 500 may be the target's answer to the malformed request itself). Returns the
    /// number of retries too.
    pub async fn raw_retrying(
        &self,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> (Result<RawAnswer, CognitoError>, u32) {
        self.retrying(
            || self.raw(headers, body.clone()),
            |a| {
                a.as_ref()
                    .ok()
                    .and_then(|a| a.body.get("__type"))
                    .and_then(Value::as_str)
                    .is_some_and(|t| {
                        retryable_kind(&ErrorKind::from_name(t.rsplit('#').next().unwrap_or("")))
                    })
            },
        )
        .await
    }

    /// Runs `attempt` until `retryable` says its answer is final or the policy's attempts
    /// are spent, backing off between tries; returns the last answer and the retries made.
    async fn retrying<T, F, Fut>(&self, mut attempt: F, retryable: impl Fn(&T) -> bool) -> (T, u32)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = T>,
    {
        let mut retries = 0;
        loop {
            let answer = attempt().await;
            if !retryable(&answer) || retries + 1 >= self.retry.max_attempts {
                return (answer, retries);
            }
            retries += 1;
            self.ledger.retried();
            tokio::time::sleep(self.retry.backoff(retries)).await;
        }
    }

    /// The endpoint's clock (`GET /_mfaspec/clock`), Unix milliseconds: only mfaspec's
    /// reference endpoint with clock control has one.
    pub async fn clock_now_ms(&self) -> Result<u64, CognitoError> {
        let answer = self.get_json(control::CLOCK_PATH).await?;
        control::now_ms(&answer.body)
            .filter(|_| answer.status == 200)
            .ok_or_else(|| control_error("reading the clock", &answer))
    }

    /// Moves, sets, freezes or unfreezes the endpoint's clock (`POST /_mfaspec/clock`).
    pub async fn move_clock(&self, request: control::ClockRequest) -> Result<(), CognitoError> {
        let answer = self.post_json(control::CLOCK_PATH, &request.body()).await?;
        if answer.status == 200 {
            Ok(())
        } else {
            Err(control_error("moving the clock", &answer))
        }
    }

    /// The newest code mfaspec's reference endpoint emailed to `to` (`GET /_mfaspec/outbox`),
    /// if it emailed any.
    pub async fn outbox_code(&self, to: &str) -> Result<Option<String>, CognitoError> {
        let path = format!("{}?to={}", control::OUTBOX_PATH, crate::markup::encode(to));
        let answer = self.get_json(&path).await?;
        if answer.status != 200 {
            return Err(CognitoError {
                kind: ErrorKind::Control,
                message: format!(
                    "reading the outbox: HTTP {} (only `mfaspec serve` has one)",
                    answer.status
                ),
                http_status: answer.status,
            });
        }
        Ok(control::newest_code(&answer.body, to))
    }

    /// `Some(clock_control)` when the endpoint is mfaspec's reference endpoint
    /// (`GET /_mfaspec/about`); `None` for anything else.
    pub async fn reference_endpoint(&self) -> Option<bool> {
        let answer = self.get_json(control::ABOUT_PATH).await.ok()?;
        (answer.status == 200)
            .then(|| control::read_about(&answer.body))
            .flatten()
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

/// A control-protocol answer that is not what was asked for.
fn control_error(what: &str, answer: &RawAnswer) -> CognitoError {
    CognitoError {
        kind: ErrorKind::Control,
        message: format!(
            "{what}: HTTP {} (only `mfaspec serve --clock-control` has a movable clock)",
            answer.status
        ),
        http_status: answer.status,
    }
}

/// Sends `request` and reads the answer: JSON where it is JSON, else the text.
async fn read(request: reqwest::RequestBuilder) -> Result<RawAnswer, CognitoError> {
    let response = request.send().await.map_err(|e| transport(&e))?;
    let status = response.status().as_u16();
    let amzn_headers = response
        .headers()
        .iter()
        .filter(|(k, _)| k.as_str().starts_with("x-amzn-"))
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let text = response.text().await.map_err(|e| transport(&e))?;
    let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok(RawAnswer {
        status,
        body,
        amzn_headers,
    })
}

fn transport(e: &reqwest::Error) -> CognitoError {
    CognitoError {
        kind: ErrorKind::Transport,
        message: scrub_tokens(&e.to_string()),
        http_status: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::Secrets;

    #[test]
    fn scrub_removes_registered_secrets_jwts_and_long_opaque_runs() {
        let secrets = Secrets::default();
        secrets.register("asdfasdfasdf");
        let jwt = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ4In0.c2ln";
        let session = "AYABe".repeat(20);
        let text =
            format!("secret asdfasdfasdf, token {jwt}, session {session}; user mfaspec-abc-user-3");
        assert_eq!(
            secrets.scrub(&text),
            "secret <redacted>, token <redacted>, session <redacted>; user mfaspec-abc-user-3"
        );
        // Another run's registry knows nothing of this one's secrets.
        assert!(Secrets::default().scrub(&text).contains("asdfasdfasdf"));
    }
}
