//! The cucumber `World` — one scenario's state — and the run context the runner hands it.
//! Secrets live in [`Redacted`] so that the World's `Debug` (printed on failure) shows none of
//! them.
//!
//! Owns: the World, its calls to the target and its cleanup. Uses: the scenario state types
//! (`super::state`), [`crate::cognito`], [`crate::oracle`], [`crate::target`],
//! [`crate::outcome`], [`crate::report::snapshot`], [`crate::control`], [`crate::clock`].
//! Never a step module.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use serde_json::Value;

use super::hosted_ui::host::BrowserHost;
use super::redacted::Redacted;
use super::state::{DeviceState, HostedUi, SrpExchange};
use crate::cognito::{Client, CognitoError};
use crate::oracle::Phone;
use crate::outcome::LastCall;
use crate::target::Profile;

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
    /// Numbers resource names across the run's scenarios.
    pub seq: AtomicU32,
    /// Times the phone had to wait for a fresh TOTP step (or a safe distance from a step
    /// boundary) against a real clock, and for how long in all, in milliseconds.
    pub code_waits: AtomicU64,
    /// See `code_waits`.
    pub code_wait_ms: AtomicU64,
    /// ChromeDriver and the app's callback page, started by the first hosted-UI scenario.
    pub browser: tokio::sync::OnceCell<Result<Arc<BrowserHost>, String>>,
    /// Where emailed codes are read, found out by the first scenario that needs one.
    pub inbox: tokio::sync::OnceCell<Inbox>,
    /// Whether each scenario keeps its calls as sent and answered, for a reproduction.
    pub record_calls: bool,
}

/// Where emailed codes are read (see `email.rs`).
#[derive(Debug, Clone)]
pub enum Inbox {
    /// mfaspec's own endpoint: its outbox.
    Outbox,
    /// The profile's `mail:` command.
    Command(crate::target::Mail),
    /// Nowhere.
    None,
}

impl RunContext {
    /// A context for a run with id `run_id`.
    #[must_use]
    pub fn new(profile: Profile, client: Client, run_id: String) -> RunContext {
        RunContext {
            profile,
            client,
            run_id,
            seq: AtomicU32::new(0),
            code_waits: AtomicU64::new(0),
            code_wait_ms: AtomicU64::new(0),
            browser: tokio::sync::OnceCell::new(),
            inbox: tokio::sync::OnceCell::new(),
            record_calls: false,
        }
    }
}

/// Registers the secrets an answer carries — SecretCode, Session and the tokens — with the
/// run's registry.
pub(in crate::steps) fn register_secrets(secrets: &crate::cognito::Secrets, body: &Value) {
    for key in ["SecretCode", "Session"] {
        if let Some(v) = body.get(key).and_then(Value::as_str) {
            secrets.register(v);
        }
    }
    if let Some(result) = body.get("AuthenticationResult") {
        for key in ["AccessToken", "IdToken", "RefreshToken"] {
            if let Some(v) = result.get(key).and_then(Value::as_str) {
                secrets.register(v);
            }
        }
    }
}

/// The password every user of the suite starts with.
pub(in crate::steps) const PASSWORD: &str = "Mfaspec-Pa55word!";

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
    /// The run's context, installed by the runner's before-hook (see [`ConformanceWorld::begin`]):
    /// owned by the run, never a process-wide static.
    pub(in crate::steps) context: Option<Arc<RunContext>>,
    pub(in crate::steps) pool_id: Option<String>,
    pub(in crate::steps) client_id: Option<String>,
    pub(in crate::steps) client_secret: Option<Redacted<String>>,
    pub(in crate::steps) username: Option<String>,
    pub(in crate::steps) password: Redacted<String>,
    pub(in crate::steps) access_token: Option<Redacted<String>>,
    /// The Session of the last response that carried one.
    pub(in crate::steps) session: Option<Redacted<String>>,
    /// The first Session of the scenario, kept to replay it once it is consumed.
    pub(in crate::steps) first_session: Option<Redacted<String>>,
    pub(in crate::steps) secret_code: Option<Redacted<String>>,
    /// The SecretCode another user of the pool was given, to compare with the user's.
    pub(in crate::steps) other_secret_code: Option<Redacted<String>>,
    pub(in crate::steps) phone: Option<Phone>,
    pub(in crate::steps) flow: Flow,
    /// The USER_SRP_AUTH exchange in flight.
    pub(in crate::steps) srp: SrpExchange,
    /// The device the tokens were issued to (NewDeviceMetadata), with its secret once
    /// confirmed.
    pub(in crate::steps) device: Option<DeviceState>,
    /// The remembered device the next SRP sign-in is on.
    pub(in crate::steps) on_device: Option<DeviceState>,
    /// The last AuthenticationResult's refresh token.
    pub(in crate::steps) refresh_token: Option<Redacted<String>>,
    /// The user's email address, where the scenario gave them one.
    pub(in crate::steps) email: Option<String>,
    /// The last emailed code the user answered with.
    pub(in crate::steps) email_code: Option<Redacted<String>>,
    /// The scenario's hosted UI and browser.
    pub hosted_ui: Option<HostedUi>,
    pub(in crate::steps) last: LastAnswer,
    /// The `x-amzn-*` headers of the last answer, where it came from a raw request.
    pub(in crate::steps) last_headers: Option<Vec<(String, String)>>,
    /// Pools this scenario created; deleted when it ends.
    pub created_pools: Vec<String>,
    /// Domains (pool, prefix) this scenario created; deleted before their pools.
    pub created_domains: Vec<(String, String)>,
    /// Users this scenario created in a pool it did not create (`provisioning: existing`);
    /// deleted when it ends.
    pub created_users: Vec<(String, String)>,
    /// How the scenario's last call was answered: a failure right after an "unsupported"
    /// answer or a refusal by the guard is `n/a` (see [`crate::runner::classify`]).
    pub last_call: Option<LastCall>,
    /// Set by a step that found the target, as configured, cannot run the scenario (an
    /// existing pool whose configuration differs) right before it fails: `n/a`, with why.
    pub not_applicable: Option<String>,
    /// Retries the client made for this scenario's calls (throttling, server errors).
    pub retries: u32,
    /// Every answer, normalised, for `responses/` and `--record`.
    pub responses: Vec<crate::report::snapshot::Response>,
    /// What `@probe` scenarios observed (exception names and messages only, never bodies).
    pub observations: Vec<String>,
    /// The calls as sent and answered, with the codes they carried, when the run keeps them
    /// ([`RunContext::record_calls`]): in memory only, for [`ConformanceWorld::documented_path`].
    pub(in crate::steps) calls: Redacted<Vec<crate::report::repro::RawCall>>,
    /// Codes computed for the next call.
    pub(in crate::steps) pending_codes: Redacted<Vec<crate::report::repro::CodeUse>>,
    /// Seconds let pass since the last call.
    pub(in crate::steps) waited: std::sync::atomic::AtomicU64,
    /// Why the scenario cannot be replayed with the AWS CLI, when a step knows.
    pub(in crate::steps) unreplayable: Option<String>,
    /// The key the authenticator app holds.
    pub(in crate::steps) phone_key: Option<Redacted<String>>,
}

impl ConformanceWorld {
    pub(in crate::steps) async fn new() -> Result<ConformanceWorld, std::io::Error> {
        Ok(ConformanceWorld {
            context: None,
            pool_id: None,
            client_id: None,
            client_secret: None,
            username: None,
            password: Redacted(PASSWORD.into()),
            access_token: None,
            session: None,
            first_session: None,
            secret_code: None,
            other_secret_code: None,
            phone: None,
            flow: Flow::Admin,
            srp: SrpExchange::default(),
            device: None,
            on_device: None,
            refresh_token: None,
            email: None,
            email_code: None,
            hosted_ui: None,
            last: LastAnswer::default(),
            last_headers: None,
            created_pools: Vec::new(),
            created_domains: Vec::new(),
            created_users: Vec::new(),
            observations: Vec::new(),
            last_call: None,
            not_applicable: None,
            retries: 0,
            responses: Vec::new(),
            calls: Redacted(Vec::new()),
            pending_codes: Redacted(Vec::new()),
            waited: std::sync::atomic::AtomicU64::new(0),
            unreplayable: None,
            phone_key: None,
        })
    }

    /// Gives the scenario its run: the runner calls it before the first step.
    pub fn begin(&mut self, context: Arc<RunContext>) {
        context.client.secrets().register(PASSWORD);
        self.context = Some(context);
    }

    /// Remembers a secret the scenario handles, so that nothing shown holds it.
    pub(in crate::steps) fn secret(&self, secret: &str) {
        self.client().secrets().register(secret);
    }

    /// The run this scenario belongs to.
    pub(in crate::steps) fn ctx(&self) -> &RunContext {
        // The runner's before-hook installs it before any step runs; a World without one
        // was made outside a run, which the runner never does.
        self.context
            .as_deref()
            .expect("the runner installs the run context before every scenario")
    }

    /// A name for a resource of this run: `mfaspec-<run id>-<what>-<n>`.
    /// Numbered across the run, so that users of different scenarios never share a name in
    /// one (existing) pool.
    pub(in crate::steps) fn name(&mut self, what: &str) -> String {
        let n = self.ctx().seq.fetch_add(1, Ordering::Relaxed) + 1;
        format!("{}{}-{what}-{n}", crate::cognito::PREFIX, self.ctx().run_id)
    }

    pub(in crate::steps) fn client(&self) -> &Client {
        &self.ctx().client
    }

    /// Calls `op`, noting an answer that says the target does not support it.
    pub(in crate::steps) async fn call(
        &mut self,
        op: crate::vocabulary::Operation,
        body: &Value,
    ) -> Result<Value, CognitoError> {
        let (answer, retries) = self.ctx().client.call_counted(op, body).await;
        self.retries += retries;
        self.note_call(op.name(), answer.as_ref().err());
        if let Ok(body) = &answer {
            register_secrets(self.client().secrets(), body);
        }
        if self.ctx().record_calls {
            self.calls.0.push(crate::report::repro::RawCall {
                operation: op,
                request: body.clone(),
                answer: answer.clone(),
                waited: self.waited.swap(0, Ordering::Relaxed),
                codes: std::mem::take(&mut self.pending_codes.0),
            });
        }
        self.responses.push(crate::report::snapshot::Response::of(
            op,
            &answer,
            &crate::report::snapshot::Known {
                pool_id: self.pool_id.as_deref(),
                client_id: self.client_id.as_deref(),
                secrets: Some(self.client().secrets()),
            },
        ));
        answer
    }

    /// Notes how the call of `what` was answered, for the outcome of a step that fails on it.
    pub(in crate::steps) fn note_call(&mut self, what: &str, error: Option<&CognitoError>) {
        self.last_call = Some(match error {
            Some(e) if e.is_unsupported() => {
                LastCall::Unsupported(format!("{what}: {}", e.message))
            }
            Some(e) if e.is_refused() => LastCall::Refused(e.message.clone()),
            _ => LastCall::Answered,
        });
    }

    pub(in crate::steps) fn pool_id(&self) -> Result<&str, String> {
        self.pool_id
            .as_deref()
            .ok_or_else(|| "no user pool yet".into())
    }

    pub(in crate::steps) fn client_id(&self) -> Result<&str, String> {
        self.client_id
            .as_deref()
            .ok_or_else(|| "no app client yet".into())
    }

    pub(in crate::steps) fn username(&self) -> Result<&str, String> {
        self.username.as_deref().ok_or_else(|| "no user yet".into())
    }

    pub(in crate::steps) fn access_token(&self) -> Result<&str, String> {
        self.access_token
            .as_ref()
            .map(|t| t.0.as_str())
            .ok_or_else(|| "the user is not signed in".into())
    }

    pub(in crate::steps) fn session(&self) -> Result<String, String> {
        self.session
            .as_ref()
            .map(|s| s.0.clone())
            .ok_or_else(|| "no session yet".into())
    }

    /// Sends a sign-in's first request `body` through `op` (InitiateAuth, or AdminInitiateAuth
    /// with the pool), so that the challenge answers go to the matching operation; forgets the
    /// previous sign-in's Session. The outer error: no pool yet for AdminInitiateAuth.
    pub(in crate::steps) async fn initiate(
        &mut self,
        op: crate::vocabulary::Operation,
        mut body: Value,
    ) -> Result<Result<Value, CognitoError>, String> {
        if op == crate::vocabulary::Operation::AdminInitiateAuth {
            body["UserPoolId"] = Value::String(self.pool_id()?.to_owned());
            self.flow = Flow::Admin;
        } else {
            self.flow = Flow::Public;
        }
        self.session = None;
        Ok(self.call(op, &body).await)
    }

    /// A challenge answer, addressed as the sign-in was made: AdminRespondToAuthChallenge
    /// (with the pool) after AdminInitiateAuth, RespondToAuthChallenge after InitiateAuth.
    pub(in crate::steps) fn challenge_answer(
        &self,
        mut body: Value,
    ) -> Result<(crate::vocabulary::Operation, Value), String> {
        Ok(match self.flow {
            Flow::Admin => {
                body["UserPoolId"] = Value::String(self.pool_id()?.to_owned());
                (
                    crate::vocabulary::Operation::AdminRespondToAuthChallenge,
                    body,
                )
            }
            Flow::Public => (crate::vocabulary::Operation::RespondToAuthChallenge, body),
        })
    }

    pub(in crate::steps) fn phone(&mut self) -> Result<&mut Phone, String> {
        self.phone
            .as_mut()
            .ok_or_else(|| "the authenticator app is not set up".into())
    }

    /// The target's time: its own clock where it can be read, else this machine's.
    pub(in crate::steps) async fn now_s(&self) -> u64 {
        if self.ctx().profile.clock_control
            && let Ok(ms) = self.client().clock_now_ms().await
        {
            return ms / 1000;
        }
        crate::clock::Clock::now_secs(&crate::clock::SystemClock)
    }

    /// A time at which a code is safe to hand out: away from a step boundary. The runner
    /// freezes a clock-controlled target inside a step, so only a target with a real clock
    /// ever waits here (a clock-controlled one is moved instead, should it ever be close).
    pub(in crate::steps) async fn safe_now_s(&self) -> Result<u64, String> {
        let now = self.now_s().await;
        let wait = Phone::wait_before_code(now);
        if wait == 0 {
            return Ok(now);
        }
        self.wait_for_code(wait).await?;
        Ok(self.now_s().await)
    }

    /// A code the target has not seen and will accept: see [`Profile::totp_window`]. Against
    /// a target without a window, waits for a new step when the current one is used.
    pub(in crate::steps) async fn fresh_code(&mut self) -> Result<crate::totp::Code, String> {
        for attempt in 0..3 {
            let now = self.safe_now_s().await?;
            let window = self.ctx().profile.totp_window;
            let known_rule =
                self.ctx().profile.replay_rule == Some(crate::totp::ReplayPolicy::SameStep);
            let phone = self.phone()?;
            let code = if window == 0 {
                phone.current(now)
            } else {
                phone.fresh(now, known_rule)
            };
            if let Some(code) = code {
                self.note_code(&code, crate::report::repro::CodeKind::Fresh);
                return Ok(code);
            }
            if attempt < 2 {
                let wait = 30 - now % 30 + 1;
                self.wait_for_code(wait).await?;
            }
        }
        Err("no fresh code after waiting for two new steps".into())
    }

    /// Lets `seconds` pass before the phone hands out a code; a real wait is counted for
    /// the run's summary.
    pub(in crate::steps) async fn wait_for_code(&self, seconds: u64) -> Result<(), String> {
        if !self.ctx().profile.clock_control {
            self.ctx().code_waits.fetch_add(1, Ordering::Relaxed);
            self.ctx()
                .code_wait_ms
                .fetch_add(seconds * 1000, Ordering::Relaxed);
        }
        self.pass_time(seconds).await
    }

    /// Notes a code the scenario computed for its next call: how, from the authenticator
    /// app's key (for a reproduction, which computes it anew when it runs).
    pub(in crate::steps) fn note_code(
        &mut self,
        code: &crate::totp::Code,
        kind: crate::report::repro::CodeKind,
    ) {
        if !self.ctx().record_calls {
            return;
        }
        if let Some(key) = &self.phone_key {
            let secret = key.0.clone();
            self.pending_codes.0.push(crate::report::repro::CodeUse {
                value: code.to_string(),
                secret,
                kind,
            });
        }
    }

    /// The scenario's calls as a reproduction's steps (see [`crate::report::repro`]), with
    /// the answers normalised: what AWS documents at each, when the target is the reference
    /// endpoint. No secret and no run id is in them.
    #[must_use]
    pub fn documented_path(&self) -> crate::report::repro::DocumentedPath {
        let secrets = self.client().secrets();
        let is_secret = |s: &str| secrets.contains(s);
        let steps = match &self.unreplayable {
            Some(why) => Err(crate::report::repro::NotReplayable(why.clone())),
            None => crate::report::repro::template(
                &self.calls.0,
                &crate::report::repro::Known {
                    run_id: &self.ctx().run_id,
                    is_secret: &is_secret,
                },
            ),
        };
        crate::report::repro::DocumentedPath {
            steps,
            expected: self.responses.clone(),
        }
    }

    /// Lets `seconds` pass for the target: its clock is moved where it can be, else the
    /// step really waits.
    pub(crate) async fn pass_time(&self, seconds: u64) -> Result<(), String> {
        self.waited.fetch_add(seconds, Ordering::Relaxed);
        if self.ctx().profile.clock_control {
            self.advance(seconds).await
        } else {
            tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
            Ok(())
        }
    }

    /// Moves the target's clock forward.
    pub(in crate::steps) async fn advance(&self, seconds: u64) -> Result<(), String> {
        if !self.ctx().profile.clock_control {
            return Err(
                "the target's clock cannot be moved (scenario needs @requires:time.control)".into(),
            );
        }
        let ms = i64::try_from(seconds * 1000).map_err(|e| e.to_string())?;
        self.client()
            .move_clock(crate::control::ClockRequest::Advance(ms))
            .await
            .map_err(|e| e.message)
    }

    /// Records an answer (from [`ConformanceWorld::call`], which registered its secrets for
    /// scrubbing), keeping the Session it carries.
    pub(in crate::steps) fn record(&mut self, answer: Result<Value, CognitoError>) {
        if let Ok(body) = &answer
            && let Some(refresh) = body["AuthenticationResult"]["RefreshToken"].as_str()
        {
            self.refresh_token = Some(Redacted(refresh.to_owned()));
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
        self.last_headers = None;
    }

    pub(in crate::steps) fn last_ok(&self) -> Result<&Value, String> {
        match &self.last.0 {
            Some(Ok(v)) => Ok(v),
            Some(Err(e)) => Err(format!("the request failed: {e}")),
            None => Err("no request was made".into()),
        }
    }

    pub(in crate::steps) fn last_err(&self) -> Result<&CognitoError, String> {
        match &self.last.0 {
            Some(Err(e)) => Ok(e),
            Some(Ok(_)) => Err("the request succeeded".into()),
            None => Err("no request was made".into()),
        }
    }

    /// What the scenario created and has not deleted, for `--keep-on-fail`.
    #[must_use]
    pub fn resources(&self) -> Vec<crate::cognito::Resource> {
        let ledger = self.ctx().client.ledger();
        let pools = self
            .created_pools
            .iter()
            .map(|id| crate::cognito::Resource::Pool {
                id: id.clone(),
                name: ledger.pool_name(id).unwrap_or_default(),
            });
        let users =
            self.created_users
                .iter()
                .map(|(pool_id, username)| crate::cognito::Resource::User {
                    pool_id: pool_id.clone(),
                    username: username.clone(),
                });
        pools.chain(users).collect()
    }

    /// Forgets what the scenario created, so that it is kept (`--keep-on-fail`).
    pub fn keep_resources(&mut self) -> Vec<crate::cognito::Resource> {
        let kept = self.resources();
        for r in &kept {
            self.ctx().client.ledger().keep(r.clone());
        }
        self.created_pools.clear();
        self.created_users.clear();
        kept
    }

    /// Deletes what the scenario created. Called by the runner's after-hook, pass or fail.
    pub async fn clean_up(&mut self) -> Result<(), String> {
        let mut first_error = None;
        if let Some(h) = self.hosted_ui.as_mut()
            && let Some((session, _slot)) = h.browser.take()
        {
            let _ = session.close().await;
        }
        for (pool_id, domain) in std::mem::take(&mut self.created_domains) {
            let answer = self
                .client()
                .call(
                    crate::vocabulary::Operation::DeleteUserPoolDomain,
                    &serde_json::json!({ "UserPoolId": pool_id, "Domain": domain }),
                )
                .await;
            if let Err(e) = answer
                && e.kind != crate::vocabulary::Exception::ResourceNotFound
                && e.kind != crate::vocabulary::Exception::InvalidParameter
            {
                first_error.get_or_insert(format!("deleting the domain {domain}: {e}"));
            }
        }
        for (pool_id, username) in std::mem::take(&mut self.created_users) {
            let answer = self
                .client()
                .call(
                    crate::vocabulary::Operation::AdminDeleteUser,
                    &serde_json::json!({ "UserPoolId": pool_id, "Username": username }),
                )
                .await;
            if let Err(e) = answer
                && e.kind != crate::vocabulary::Exception::UserNotFound
            {
                first_error.get_or_insert(format!("deleting {username} in {pool_id}: {e}"));
            }
        }
        for pool_id in std::mem::take(&mut self.created_pools) {
            let answer = self
                .client()
                .call(
                    crate::vocabulary::Operation::DeleteUserPool,
                    &serde_json::json!({ "UserPoolId": pool_id }),
                )
                .await;
            if let Err(e) = answer
                && e.kind != crate::vocabulary::Exception::ResourceNotFound
            {
                first_error.get_or_insert(format!("deleting {pool_id}: {e}"));
            }
        }
        first_error.map_or(Ok(()), Err)
    }
}
