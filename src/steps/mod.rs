//! The cucumber `World` and step definitions, one module per domain concept (pool, user and
//! token, sign-in, protocol). Steps talk to the target over HTTP only, like any client; they
//! never reach into the reference endpoint. Secrets live in [`Redacted`] so that the World's
//! `Debug` (printed on failure) shows none of them.

mod mfa;
mod pool;
mod protocol;
mod sign_in;

use std::fmt;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::cognito::{Client, CognitoError};
use crate::oracle::Phone;
use crate::target::Profile;

/// A value that must never be printed: its `Debug` and `Display` show `<redacted>`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Redacted<T>(pub T);

impl<T> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<T> fmt::Display for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// What every scenario of a run shares: the target and its client, and the run id that
/// names everything the run creates.
#[derive(Debug)]
pub struct RunContext {
    /// The target profile.
    pub profile: Profile,
    /// The client for the target's endpoint.
    pub client: Client,
    /// `mfaspec-<run id>-…` prefixes every resource.
    pub run_id: String,
}

static CONTEXT: OnceLock<Arc<RunContext>> = OnceLock::new();

/// Installs the run's context; the runner calls it once before the features run.
pub fn install_context(context: RunContext) -> Arc<RunContext> {
    CONTEXT.get_or_init(|| Arc::new(context)).clone()
}

/// Registers the secrets an answer carries: SecretCode, Session and the tokens.
pub(crate) fn register_secrets(body: &Value) {
    for key in ["SecretCode", "Session"] {
        if let Some(v) = body.get(key).and_then(Value::as_str) {
            crate::cognito::register_secret(v);
        }
    }
    if let Some(result) = body.get("AuthenticationResult") {
        for key in ["AccessToken", "IdToken", "RefreshToken"] {
            if let Some(v) = result.get(key).and_then(Value::as_str) {
                crate::cognito::register_secret(v);
            }
        }
    }
}

/// The last answer, shown without its body (which may hold tokens or secrets).
#[derive(Clone, Default)]
pub struct LastAnswer(pub Option<Result<Value, CognitoError>>);

impl fmt::Debug for LastAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            None => f.write_str("none"),
            Some(Ok(_)) => f.write_str("success (body redacted)"),
            Some(Err(e)) => write!(f, "{} (HTTP {})", e.kind, e.http_status),
        }
    }
}

/// How the user signed in last: the challenge answer goes to the matching operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Flow {
    /// AdminInitiateAuth → AdminRespondToAuthChallenge.
    #[default]
    Admin,
    /// InitiateAuth → RespondToAuthChallenge.
    Public,
}

/// One scenario's state.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub struct ConformanceWorld {
    ctx: Arc<RunContext>,
    seq: u32,
    pool_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Redacted<String>>,
    username: Option<String>,
    password: Redacted<String>,
    access_token: Option<Redacted<String>>,
    /// The Session of the last response that carried one, and the one before it.
    session: Option<Redacted<String>>,
    first_session: Option<Redacted<String>>,
    secret_code: Option<Redacted<String>>,
    phone: Option<Phone>,
    flow: Flow,
    last: LastAnswer,
    /// Pools this scenario created; deleted when it ends.
    pub created_pools: Vec<String>,
    /// The target answered that it does not support something the scenario needs: the
    /// scenario is `n/a`, not a failure (an emulator that lacks a feature).
    pub unsupported: Option<String>,
    /// What `@probe` scenarios observed (exception names and messages only, never bodies).
    pub observations: Vec<String>,
}

impl ConformanceWorld {
    async fn new() -> Result<ConformanceWorld, std::io::Error> {
        let ctx = CONTEXT
            .get()
            .cloned()
            .ok_or_else(|| std::io::Error::other("the run context is not installed"))?;
        Ok(ConformanceWorld {
            ctx,
            seq: 0,
            pool_id: None,
            client_id: None,
            client_secret: None,
            username: None,
            password: Redacted({
                crate::cognito::register_secret("Mfaspec-Pa55word!");
                "Mfaspec-Pa55word!".into()
            }),
            access_token: None,
            session: None,
            first_session: None,
            secret_code: None,
            phone: None,
            flow: Flow::Admin,
            last: LastAnswer::default(),
            created_pools: Vec::new(),
            observations: Vec::new(),
            unsupported: None,
        })
    }

    /// A name for a resource of this run: `mfaspec-<run id>-<what>-<n>`.
    fn name(&mut self, what: &str) -> String {
        self.seq += 1;
        format!("mfaspec-{}-{what}-{}", self.ctx.run_id, self.seq)
    }

    fn client(&self) -> &Client {
        &self.ctx.client
    }

    /// Calls `op`, noting an answer that says the target does not support it.
    async fn call(
        &mut self,
        op: crate::vocabulary::Operation,
        body: &Value,
    ) -> Result<Value, CognitoError> {
        let answer = self.ctx.client.call(op, body).await;
        if let Err(e) = &answer
            && e.is_unsupported()
            && self.unsupported.is_none()
        {
            self.unsupported = Some(format!("{}: {}", op.name(), e.message));
        }
        answer
    }

    fn pool_id(&self) -> Result<&str, String> {
        self.pool_id
            .as_deref()
            .ok_or_else(|| "no user pool yet".into())
    }

    fn client_id(&self) -> Result<&str, String> {
        self.client_id
            .as_deref()
            .ok_or_else(|| "no app client yet".into())
    }

    fn username(&self) -> Result<&str, String> {
        self.username.as_deref().ok_or_else(|| "no user yet".into())
    }

    fn access_token(&self) -> Result<&str, String> {
        self.access_token
            .as_ref()
            .map(|t| t.0.as_str())
            .ok_or_else(|| "the user is not signed in".into())
    }

    fn session(&self) -> Result<String, String> {
        self.session
            .as_ref()
            .map(|s| s.0.clone())
            .ok_or_else(|| "no session yet".into())
    }

    fn phone(&mut self) -> Result<&mut Phone, String> {
        self.phone
            .as_mut()
            .ok_or_else(|| "the authenticator app is not set up".into())
    }

    /// The target's time: its own clock where it can be read, else this machine's.
    async fn now_s(&self) -> u64 {
        if self.ctx.profile.clock_control
            && let Ok(answer) = self.client().get_json("/_mfaspec/clock").await
            && let Some(ms) = answer.body.get("now_ms").and_then(Value::as_u64)
        {
            return ms / 1000;
        }
        crate::clock::Clock::now_secs(&crate::clock::SystemClock)
    }

    /// A time at which a code is safe to hand out: away from a step boundary. The runner
    /// freezes a clock-controlled target inside a step, so only a target with a real clock
    /// ever waits here (a clock-controlled one is moved instead, should it ever be close).
    async fn safe_now_s(&self) -> Result<u64, String> {
        let now = self.now_s().await;
        let wait = Phone::wait_before_code(now);
        if wait == 0 {
            return Ok(now);
        }
        self.pass_time(wait).await?;
        Ok(self.now_s().await)
    }

    /// A code the target has not seen and will accept: see [`Profile::totp_window`]. Against
    /// a target without a window, waits for a new step when the current one is used.
    async fn fresh_code(&mut self) -> Result<crate::totp::Code, String> {
        for _ in 0..3 {
            let now = self.safe_now_s().await?;
            let window = self.ctx.profile.totp_window;
            let phone = self.phone()?;
            let code = if window == 0 {
                phone.current(now)
            } else {
                phone.fresh(now)
            };
            if let Some(code) = code {
                return Ok(code);
            }
            let wait = 30 - now % 30 + 1;
            self.pass_time(wait).await?;
        }
        Err("no fresh code after waiting for two new steps".into())
    }

    /// Lets `seconds` pass for the target: its clock is moved where it can be, else the
    /// step really waits.
    pub(crate) async fn pass_time(&self, seconds: u64) -> Result<(), String> {
        if self.ctx.profile.clock_control {
            self.advance(seconds).await
        } else {
            tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
            Ok(())
        }
    }

    /// Moves the target's clock forward.
    async fn advance(&self, seconds: u64) -> Result<(), String> {
        if !self.ctx.profile.clock_control {
            return Err(
                "the target's clock cannot be moved (scenario needs @requires:time.control)".into(),
            );
        }
        let ms = i64::try_from(seconds * 1000).map_err(|e| e.to_string())?;
        let answer = self
            .client()
            .post_json("/_mfaspec/clock", &serde_json::json!({ "advance_ms": ms }))
            .await
            .map_err(|e| e.to_string())?;
        if answer.status == 200 {
            Ok(())
        } else {
            Err(format!("moving the clock: HTTP {}", answer.status))
        }
    }

    /// Records an answer, keeping the Session it carries. Every secret in it is registered
    /// for scrubbing before anything can print it.
    fn record(&mut self, answer: Result<Value, CognitoError>) {
        if let Ok(body) = &answer {
            register_secrets(body);
        }
        if let Ok(body) = &answer
            && let Some(session) = body.get("Session").and_then(Value::as_str)
        {
            if self.first_session.is_none() {
                self.first_session = self
                    .session
                    .clone()
                    .or_else(|| Some(Redacted(session.to_owned())));
            }
            self.session = Some(Redacted(session.to_owned()));
        }
        self.last = LastAnswer(Some(answer));
    }

    fn last_ok(&self) -> Result<&Value, String> {
        match &self.last.0 {
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(format!("the request failed: {e}")),
            None => Err("no request was made".into()),
        }
    }

    fn last_err(&self) -> Result<&CognitoError, String> {
        match &self.last.0 {
            Some(Err(e)) => Ok(e),
            Some(Ok(_)) => Err("the request succeeded".into()),
            None => Err("no request was made".into()),
        }
    }

    /// Deletes what the scenario created. Called by the runner's after-hook, pass or fail.
    pub async fn clean_up(&mut self) -> Result<(), String> {
        let mut first_error = None;
        for pool_id in std::mem::take(&mut self.created_pools) {
            let answer = self
                .client()
                .call(
                    crate::vocabulary::Operation::DeleteUserPool,
                    &serde_json::json!({ "UserPoolId": pool_id }),
                )
                .await;
            if let Err(e) = answer
                && e.kind != "ResourceNotFoundException"
            {
                first_error.get_or_insert(format!("deleting {pool_id}: {e}"));
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}
