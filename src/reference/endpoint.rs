//! The endpoint itself, without HTTP: its state behind one lock, its signing key, its clock
//! and faults; one AWS JSON request answered ([`Endpoint::handle`]: framing, the pre-lock SRP
//! work, the operation under the lock, tokens signed after it), one hosted-UI request answered
//! ([`Endpoint::hosted`]), and the `.well-known` documents.
//!
//! Owns: the store's lock and what runs outside it. Uses: both wings, the context, the store,
//! the wire, the tokens, [`crate::clock`]. Knows nothing of axum (that is [`super::http`]).

use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use serde_json::{Value, json};

use super::context::{Ctx, SrpWork};
use super::state::{Durable, StateError};
use super::store::Store;
use super::tokens::{self, Keys};
use super::wire::{self, ApiError, ApiResult, Input};
use super::{api, faults, hosted};
use crate::clock::{Clock, OffsetClock, SystemClock};
use crate::vocabulary::{Exception, message};

/// How to run the endpoint.
#[derive(Debug, Clone)]
pub struct Options {
    /// The region in pool ids and ARNs.
    pub region: String,
    /// Expose `/_mfaspec/clock` to move the endpoint's clock.
    pub clock_control: bool,
    /// Inject throttling, server errors and delays (`--faults`).
    pub faults: Option<faults::FaultSpec>,
    /// A deliberate defect, for a negative control (never set by `mfaspec serve`).
    pub defect: Option<super::defect::Defect>,
    /// Keep the state in this SQLite file (`--state`): what it holds is loaded at start,
    /// and every change is written before it is answered.
    pub state: Option<std::path::PathBuf>,
    /// Which browser origins get CORS answers (`--cors-origins`; loopback by default).
    pub cors: super::cors::Origins,
    /// Pools, clients and users to create at start (`--seed`); not applied to a state
    /// file that held state already.
    pub seed: Option<Arc<super::seed::Seed>>,
    /// Serve `GET /_mfaspec/phone` (`--phone`): codes for app tests. Off by default: it
    /// hands out second factors.
    pub phone: bool,
    /// Serve HTTPS too (`--tls-addr`, `--tls-cert`, `--tls-key`).
    pub tls: Option<super::tls::TlsOptions>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            region: "us-east-1".into(),
            clock_control: false,
            faults: None,
            defect: None,
            state: None,
            cors: super::cors::Origins::default(),
            seed: None,
            phone: false,
            tls: None,
        }
    }
}

/// The request parts the endpoint reads.
#[derive(Debug, Default, Clone, Copy)]
pub struct RequestMeta<'a> {
    /// `X-Amz-Target`.
    pub target: Option<&'a str>,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// `Authorization`.
    pub authorization: Option<&'a str>,
    /// `Host`.
    pub host: Option<&'a str>,
}

/// The reference endpoint: its state, signing key and clock.
pub struct Endpoint {
    store: Mutex<Store>,
    keys: Keys,
    clock: Arc<dyn Clock>,
    control: Option<OffsetClock>,
    region: String,
    faults: Option<faults::Faults>,
    defect: Option<super::defect::Defect>,
    /// The state file (`--state`), written under the store's lock.
    durable: Option<Mutex<Durable>>,
    /// Whether the state file held state at start (else it was created).
    resumed: bool,
    cors: super::cors::Origins,
    phone: bool,
    /// Where [`serve`] listens: the issuer of tokens from the hosted UI's domains.
    local: OnceLock<SocketAddr>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("region", &self.region)
            .field("clock_control", &self.control.is_some())
            .finish_non_exhaustive()
    }
}

/// Cognito's TOTP step, seconds.
const STEP_S: u64 = 30;

/// What the phone has for a user now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneCode {
    /// A code the endpoint accepts now and never accepted.
    Ready {
        /// The code.
        code: String,
        /// Its time step.
        step: u64,
        /// Seconds it stays acceptable, at least.
        valid_for_s: u64,
    },
    /// This step's and the next step's codes were both used: ask again at `until_ms`.
    Wait {
        /// When (epoch milliseconds on the endpoint's clock).
        until_ms: u64,
    },
}

/// The endpoint could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The RSA signing key could not be generated.
    #[error("generating the token signing key: {0}")]
    Key(#[from] tokens::KeyError),
    /// The address could not be bound.
    #[error("binding {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The state file cannot be used.
    #[error(transparent)]
    State(#[from] StateError),
    /// The seed file cannot be applied.
    #[error(transparent)]
    Seed(#[from] super::seed::SeedError),
    /// The TLS certificate or key cannot be used.
    #[error(transparent)]
    Tls(#[from] super::tls::TlsError),
}

impl Endpoint {
    /// A fresh endpoint with no pools.
    pub fn new(options: &Options) -> Result<Arc<Endpoint>, StartError> {
        let control = options.clock_control.then(OffsetClock::new);
        let clock: Arc<dyn Clock> = match &control {
            Some(c) => Arc::new(c.clone()),
            None => Arc::new(SystemClock),
        };
        let (durable, saved) = match &options.state {
            Some(path) => {
                let (durable, saved) = Durable::open(path)?;
                (Some(durable), saved)
            }
            None => (None, None),
        };
        let resumed = saved.is_some();
        let (store, keys) = match saved {
            Some(saved) => (saved.store, Keys::from_pkcs8(&saved.key.0, saved.key.1)?),
            None => (Store::default(), Keys::generate()?),
        };
        let durable = match durable {
            Some(mut d) if !resumed => {
                let (der, kid) = keys.to_pkcs8()?;
                d.save_key(&der, kid)?;
                Some(d)
            }
            other => other,
        };
        let endpoint = Arc::new(Endpoint {
            store: Mutex::new(store),
            keys,
            clock,
            control,
            region: options.region.clone(),
            faults: options.faults.map(faults::Faults::new),
            defect: options.defect,
            durable: durable.map(Mutex::new),
            resumed,
            cors: options.cors.clone(),
            phone: options.phone,
            local: OnceLock::new(),
        });
        if let Some(seed) = &options.seed
            && !resumed
            && let Err(e) = seed.apply(&*endpoint)
        {
            // A state file made for this start holds the half-applied seed: remove it, so
            // that the fixed seed is applied to a new file next time instead of skipped.
            if let Some(path) = &options.state {
                drop(endpoint);
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            return Err(e.into());
        }
        Ok(endpoint)
    }

    /// Throttles and server errors injected so far (`--faults`), if any are.
    #[must_use]
    pub fn injected(&self) -> Option<(u64, u64)> {
        self.faults.as_ref().map(faults::Faults::counts)
    }

    /// The endpoint's clock, if it can be moved.
    #[must_use]
    pub fn clock_control(&self) -> Option<&OffsetClock> {
        self.control.as_ref()
    }

    /// The outbox (`GET /_mfaspec/outbox`): every email the endpoint would have sent, or
    /// those to `to`, oldest first (spec §2.20).
    #[must_use]
    pub fn outbox(&self, to: Option<&str>) -> serde_json::Value {
        let store = self.lock();
        let messages: Vec<serde_json::Value> = store
            .outbox
            .iter()
            .filter(|m| to.is_none_or(|t| t.eq_ignore_ascii_case(&m.to)))
            .map(|m| {
                serde_json::json!({ "to": m.to, "subject": m.subject, "body": m.body, "code": m.code,
                                    "pool_id": m.pool_id, "username": m.username, "sent_ms": m.sent_ms })
            })
            .collect();
        serde_json::json!({ "messages": messages })
    }

    /// Everything the endpoint holds, as JSON (each pool with its users): for tests that
    /// compare the state before and after a restart. Holds secrets: never print it.
    #[doc(hidden)]
    #[must_use]
    pub fn dump(&self) -> Value {
        let store = self.lock();
        let mut all = serde_json::to_value(&*store).unwrap_or(Value::Null);
        for (id, pool) in store.pools.iter() {
            all["pools"][id]["users"] = serde_json::to_value(&*pool.users).unwrap_or(Value::Null);
        }
        all
    }

    /// Whether the state file held state at start (`--state` of a file written before).
    #[must_use]
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// The endpoint's clock, epoch milliseconds.
    #[must_use]
    pub fn now_millis(&self) -> u64 {
        self.clock.now_millis()
    }

    /// Whether `GET /_mfaspec/phone` is served.
    #[must_use]
    pub fn phone_enabled(&self) -> bool {
        self.phone
    }

    /// The phone's answer for `username` of `pool_id` now: a code the endpoint accepts now
    /// and has never accepted (this step's, else the next one's, which Cognito's window
    /// also accepts), or when to ask again (both were used).
    pub fn phone_code(&self, pool_id: &str, username: &str) -> Result<PhoneCode, ApiError> {
        let now_ms = self.clock.now_millis();
        let store = self.lock();
        let user = store
            .pools
            .get(pool_id)
            .ok_or_else(|| {
                ApiError::new(
                    Exception::ResourceNotFound,
                    format!("User pool {pool_id} does not exist."),
                )
            })?
            .users
            .get(username)
            .ok_or_else(|| ApiError::new(Exception::UserNotFound, message::USER_DOES_NOT_EXIST))?;
        let token = user
            .token
            .as_ref()
            .or(user.pending.as_ref())
            .ok_or_else(|| {
                ApiError::new(
                    Exception::ResourceNotFound,
                    format!(
                        "{username} has no TOTP secret: AssociateSoftwareToken was never called"
                    ),
                )
            })?;
        let step = now_ms / 1000 / STEP_S;
        let totp = crate::totp::Totp::cognito(&token.secret);
        for s in [step, step + 1] {
            if !token.replay.is_used(s) {
                // Accepted until the step after `s` has passed (the window's one behind).
                let until_ms = (s + 2) * STEP_S * 1000;
                return Ok(PhoneCode::Ready {
                    code: totp.code_for_step(s).to_string(),
                    step: s,
                    valid_for_s: until_ms.saturating_sub(now_ms) / 1000,
                });
            }
        }
        Ok(PhoneCode::Wait {
            until_ms: (step + 1) * STEP_S * 1000,
        })
    }

    /// Writes `store` to the state file, if there is one: called under the store's lock,
    /// after each request, before its answer goes out.
    fn persist(&self, store: &mut Store) -> Result<(), StateError> {
        match &self.durable {
            Some(d) => d
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .save(store),
            None => {
                store.forget_changes();
                Ok(())
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A handler that panicked was caught; its partial change is the lesser evil compared
        // with refusing every later request.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Answers one AWS JSON 1.1 request: (HTTP status, JSON body).
    pub fn handle(&self, meta: RequestMeta<'_>, body: &[u8]) -> (u16, Value) {
        match self.try_handle(meta, body) {
            Ok(value) => (200, value),
            Err(e) => (e.exception.http_status(), e.body()),
        }
    }

    fn try_handle(&self, meta: RequestMeta<'_>, body: &[u8]) -> ApiResult<Value> {
        let op = wire::operation(meta.target)?;
        wire::content_type(meta.content_type)?;
        if op.is_signed()
            && !meta
                .authorization
                .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256"))
        {
            return Err(ApiError::new(
                Exception::MissingAuthenticationToken,
                "Missing Authentication Token",
            ));
        }
        let input = Input::parse(body)?;
        let srp = api::prework(op, &input, |block| api::peek(&self.lock(), block));
        let issuer_base = format!("http://{}", meta.host.unwrap_or("localhost"));
        let ctx = Ctx {
            now_ms: self.clock.now_millis(),
            region: &self.region,
            issuer_base: &issuer_base,
            keys: &self.keys,
            srp,
            defect: self.defect,
        };
        let mut value = {
            let mut store = self.lock();
            let answer = std::panic::catch_unwind(AssertUnwindSafe(|| {
                api::call(op, &mut store, &ctx, &input)
            }))
            .unwrap_or_else(|_| {
                Err(ApiError::new(
                    Exception::InternalError,
                    message::INTERNAL_ERROR,
                ))
            });
            // A failed request may change the store too (a wrong password counts).
            if let Err(e) = self.persist(&mut store) {
                eprintln!("mfaspec serve: {e}");
                return Err(ApiError::new(
                    Exception::InternalError,
                    message::INTERNAL_ERROR,
                ));
            }
            answer?
        };
        // Handlers leave the tokens' claims in place; they are signed here, outside the
        // store's lock, so that sign-ins sign in parallel.
        if let Some(result) = value.get_mut("AuthenticationResult") {
            for field in ["AccessToken", "IdToken"] {
                if let Some(claims) = result.get(field).filter(|v| v.is_object()).cloned() {
                    result[field] = Value::String(self.keys.sign(&claims));
                }
            }
        }
        Ok(value)
    }

    /// The OpenID discovery document of `pool_id` (`/<pool>/.well-known/openid-configuration`),
    /// if the pool exists: the issuer its tokens carry and where its keys are, so that OIDC
    /// libraries find them. It names no authorization or token endpoint, since the endpoint
    /// serves none yet.
    #[must_use]
    pub fn openid_configuration(&self, pool_id: &str, host: &str) -> Option<Value> {
        let issuer = format!("http://{host}/{pool_id}");
        let store = self.lock();
        let pool = store.pools.get(pool_id)?;
        let mut doc = serde_json::json!({
            "issuer": issuer,
            "jwks_uri": format!("{issuer}/.well-known/jwks.json"),
            "id_token_signing_alg_values_supported": ["RS256"],
            "subject_types_supported": ["public"],
        });
        if let Some((prefix, _)) = &pool.domain {
            let port = host
                .rsplit_once(':')
                .map_or(String::new(), |(_, p)| format!(":{p}"));
            let base = format!("http://{prefix}.auth.{}.localhost{port}", self.region);
            doc["authorization_endpoint"] = json!(format!("{base}/oauth2/authorize"));
            doc["token_endpoint"] = json!(format!("{base}/oauth2/token"));
            doc["userinfo_endpoint"] = json!(format!("{base}/oauth2/userInfo"));
            doc["end_session_endpoint"] = json!(format!("{base}/logout"));
            doc["response_types_supported"] = json!(["code"]);
            doc["grant_types_supported"] = json!(["authorization_code", "refresh_token"]);
            doc["code_challenge_methods_supported"] = json!(["S256"]);
            doc["token_endpoint_auth_methods_supported"] =
                json!(["client_secret_basic", "client_secret_post", "none"]);
            doc["scopes_supported"] = json!(api::STANDARD_SCOPES);
        }
        Some(doc)
    }

    /// `http://<address>` of the API, for tokens the hosted UI issues: the address [`serve`]
    /// listens on (loopback for an unspecified one), else loopback at the `host`'s port.
    fn api_base(&self, host: &str) -> String {
        match self.local.get() {
            Some(addr) if addr.ip().is_unspecified() => format!("http://127.0.0.1:{}", addr.port()),
            Some(addr) => format!("http://{addr}"),
            None => {
                let port = host.rsplit_once(':').map_or("80", |(_, p)| p);
                format!("http://127.0.0.1:{port}")
            }
        }
    }

    /// Answers one request to a pool's hosted UI (spec §2.17), found by its `Host`.
    pub fn hosted(&self, req: &hosted::HostedRequest<'_>) -> hosted::HostedResponse {
        let issuer_base = self.api_base(req.host);
        let ctx = Ctx {
            now_ms: self.clock.now_millis(),
            region: &self.region,
            issuer_base: &issuer_base,
            keys: &self.keys,
            srp: SrpWork::default(),
            defect: self.defect,
        };
        let mut store = self.lock();
        let pool_id = hosted::domain_prefix(req.host, &self.region)
            .and_then(|prefix| store.domains.get(&prefix.to_ascii_lowercase()))
            .cloned();
        let Some(pool_id) = pool_id else {
            return hosted::not_a_domain(req.host, &self.region);
        };
        let answer = std::panic::catch_unwind(AssertUnwindSafe(|| {
            hosted::handle(&mut store, &ctx, &pool_id, req)
        }))
        .unwrap_or_else(|_| hosted::internal_error());
        match self.persist(&mut store) {
            Ok(()) => answer,
            Err(e) => {
                eprintln!("mfaspec serve: {e}");
                hosted::internal_error()
            }
        }
    }

    /// The JWKS of `pool_id`, if the pool exists.
    #[must_use]
    pub fn jwks(&self, pool_id: &str) -> Option<Value> {
        self.lock()
            .pools
            .contains_key(pool_id)
            .then(|| self.keys.jwks())
    }

    /// The faults to inject, if `--faults` asked for any.
    pub(super) fn faults(&self) -> Option<&faults::Faults> {
        self.faults.as_ref()
    }

    /// Which origins get CORS answers.
    pub(super) fn cors(&self) -> &super::cors::Origins {
        &self.cors
    }

    /// The deliberate defect, if a negative control set one.
    pub(super) fn defect(&self) -> Option<super::defect::Defect> {
        self.defect
    }

    /// Records where [`super::http::serve`] listens (once).
    pub(super) fn listening_on(&self, addr: SocketAddr) {
        let _ = self.local.set(addr);
    }
}

/// A seed (`--seed`) is applied through the endpoint's own operations.
impl super::seed::Target for Endpoint {
    fn call(&self, op: crate::vocabulary::Operation, body: &Value) -> Result<Value, String> {
        let target = format!("{}.{}", crate::vocabulary::TARGET_PREFIX, op.name());
        let meta = RequestMeta {
            target: Some(&target),
            content_type: Some(crate::vocabulary::CONTENT_TYPE),
            authorization: Some(crate::vocabulary::PLACEHOLDER_SIGNATURE),
            host: Some("localhost"),
        };
        let (status, answer) = self.handle(meta, body.to_string().as_bytes());
        if status == 200 {
            Ok(answer)
        } else {
            Err(format!(
                "{}: {}",
                answer["__type"].as_str().unwrap_or("Error"),
                answer["message"].as_str().unwrap_or("")
            ))
        }
    }

    fn region(&self) -> &str {
        &self.region
    }

    /// Runs `change` under the store's lock and writes the result to the state file.
    fn with_store(&self, change: &mut dyn FnMut(&mut Store)) {
        let mut store = self.lock();
        change(&mut store);
        if let Err(e) = self.persist(&mut store) {
            eprintln!("mfaspec serve: {e}");
        }
    }
}
