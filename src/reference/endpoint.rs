//! The reference endpoint (`mfaspec serve`): an in-process Cognito-compatible server that
//! behaves as `docs/behaviour.md` says AWS does. It shares only the TOTP core,
//! the clock and the vocabulary with the harness; the harness talks to it over HTTP like any
//! other target.
//!
//! Routes: `POST /` (AWS JSON 1.1), `GET /<userPoolId>/.well-known/jwks.json` and
//! `…/openid-configuration`, and, with
//! clock control only, `GET|POST /_mfaspec/clock`; and `GET /_mfaspec/about`, which names the
//! server (`{"server": "mfaspec", "version", "clock_control"}`).
//!
//! Owns: the server, its routes and the store lock. Uses: [`crate::vocabulary`], [`crate::clock`],
//! [`crate::control`], [`crate::totp`], [`crate::secret_hash`] — never the harness.

mod admin;
mod auth;
mod devices;
pub mod faults;
pub mod fixture;
pub mod hosted;
mod mfa;
mod pages;
mod store;
mod tokens;
mod verifier;
pub mod wire;

use std::future::Future;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use serde_json::{Value, json};

use crate::control::{ABOUT_PATH, CLOCK_PATH, ClockRequest};

use crate::clock::{Clock, OffsetClock, SystemClock};
use crate::vocabulary::{CONTENT_TYPE, Exception, Operation, message};
use store::{AppClient, Pool, Session, Step, Store, User, new_opaque};
use tokens::{Keys, TokenProblem};
use wire::{ApiError, ApiResult, Input, not_authorized};

/// How to run the endpoint.
#[derive(Debug, Clone)]
pub struct Options {
    /// The region in pool ids and ARNs.
    pub region: String,
    /// Expose `/_mfaspec/clock` to move the endpoint's clock.
    pub clock_control: bool,
    /// Inject throttling, server errors and delays (`--faults`).
    pub faults: Option<faults::FaultSpec>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            region: "us-east-1".into(),
            clock_control: false,
            faults: None,
        }
    }
}

/// Everything a handler needs besides the store.
pub(crate) struct Ctx<'a> {
    pub now_ms: u64,
    pub region: &'a str,
    /// `http://<host>`: tokens' `iss` is this plus `/<userPoolId>`, where the JWKS lives.
    pub issuer_base: &'a str,
    pub keys: &'a Keys,
    /// SRP arithmetic done before the store was locked, for this request.
    pub srp: verifier::SrpWork,
}

/// Seconds since the epoch as a JSON number with millisecond precision (AWS's date format).
pub(crate) fn epoch_secs(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// UserNotFoundException "User does not exist." (spec §2.8).
pub(crate) fn user_not_found() -> ApiError {
    ApiError::new(Exception::UserNotFound, message::USER_DOES_NOT_EXIST)
}

pub(crate) fn pool_ref<'s>(store: &'s Store, id: &str) -> ApiResult<&'s Pool> {
    store.pools.get(id).ok_or_else(|| {
        ApiError::new(
            Exception::ResourceNotFound,
            message::pool_not_found(&wire::bounded(id)),
        )
    })
}

pub(crate) fn pool_mut<'s>(store: &'s mut Store, id: &str) -> ApiResult<&'s mut Pool> {
    store.pools.get_mut(id).ok_or_else(|| {
        ApiError::new(
            Exception::ResourceNotFound,
            message::pool_not_found(&wire::bounded(id)),
        )
    })
}

pub(crate) fn user_mut<'s>(
    store: &'s mut Store,
    pool_id: &str,
    username: &str,
) -> ApiResult<&'s mut User> {
    pool_mut(store, pool_id)?
        .users
        .get_mut(username)
        .ok_or_else(user_not_found)
}

/// The app client `client_id` (in `pool_id` if given) and its pool's id.
pub(crate) fn client_ref(
    store: &Store,
    pool_id: Option<&str>,
    client_id: &str,
) -> ApiResult<(String, AppClient)> {
    let found = match pool_id {
        Some(id) => pool_ref(store, id)?
            .clients
            .get(client_id)
            .map(|c| (id.to_owned(), c.clone())),
        None => store
            .pools
            .values()
            .find_map(|p| p.clients.get(client_id).map(|c| (p.id.clone(), c.clone()))),
    };
    found.ok_or_else(|| {
        ApiError::new(
            Exception::ResourceNotFound,
            message::client_not_found(&wire::bounded(client_id)),
        )
    })
}

/// The pool and username an access token speaks for, or the error Cognito gives for it.
pub(crate) fn access(store: &Store, ctx: &Ctx<'_>, token: &str) -> ApiResult<(String, String)> {
    let claims = ctx
        .keys
        .access_claims(token, ctx.now_ms / 1000)
        .map_err(|p| match p {
            TokenProblem::Invalid => not_authorized(message::ACCESS_TOKEN_INVALID),
            TokenProblem::Expired => not_authorized(message::ACCESS_TOKEN_EXPIRED),
        })?;
    let pool = store
        .pools
        .get(&claims.pool_id)
        .ok_or_else(|| not_authorized(message::ACCESS_TOKEN_INVALID))?;
    let user = pool
        .users
        .get(&claims.username)
        .ok_or_else(user_not_found)?;
    if !user.live_families.contains(&claims.family) {
        return Err(not_authorized(message::ACCESS_TOKEN_REVOKED));
    }
    if !user.enabled {
        return Err(not_authorized(message::USER_DISABLED));
    }
    Ok((claims.pool_id, claims.username))
}

/// Sessions forgotten this long after they expire (they still answer "expired" until then).
const SESSION_MEMORY_MS: u64 = 60 * 60 * 1000;

/// A new session at `step`, valid for the client's AuthSessionValidity.
pub(crate) fn new_session(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    username: &str,
    step: Step,
) -> ApiResult<String> {
    new_device_session(store, ctx, pool_id, client_id, username, step, None)
}

/// As [`new_session`], for a sign-in on the device `device_key`.
pub(crate) fn new_device_session(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client_id: &str,
    username: &str,
    step: Step,
    device_key: Option<&str>,
) -> ApiResult<String> {
    let minutes = pool_ref(store, pool_id)?
        .clients
        .get(client_id)
        .map_or(3, |c| c.session_validity_minutes);
    if store.sessions.len() % 1024 == 1023 {
        let now = ctx.now_ms;
        store
            .sessions
            .retain(|_, s| s.expires_ms + SESSION_MEMORY_MS > now);
    }
    let id = new_opaque(920);
    store.sessions.insert(
        id.clone(),
        Session {
            pool_id: pool_id.to_owned(),
            client_id: client_id.to_owned(),
            username: username.to_owned(),
            step,
            expires_ms: ctx.now_ms + minutes * 60 * 1000,
            used: false,
            device_key: device_key.map(str::to_owned),
        },
    );
    Ok(id)
}

/// Checks a session for `step` (and `client_id`), consuming it if `consume`: unknown or
/// from another step → "Invalid session for the user."; presented again → "…can only be
/// used once."; too old → "…session is expired." (spec §4 B5, B6).
pub(crate) fn take_session(
    store: &mut Store,
    ctx: &Ctx<'_>,
    id: &str,
    step: Step,
    client_id: Option<&str>,
    consume: bool,
) -> ApiResult<Session> {
    let session = store
        .sessions
        .get_mut(id)
        .ok_or_else(|| not_authorized(message::SESSION_INVALID))?;
    if session.used {
        return Err(not_authorized(message::SESSION_USED));
    }
    if ctx.now_ms >= session.expires_ms {
        return Err(not_authorized(message::SESSION_EXPIRED));
    }
    if session.step != step || client_id.is_some_and(|c| c != session.client_id) {
        return Err(not_authorized(message::SESSION_INVALID));
    }
    if consume {
        session.used = true;
    }
    Ok(session.clone())
}

type Handler = fn(&mut Store, &Ctx<'_>, &Input) -> ApiResult<Value>;

fn handler(op: Operation) -> Handler {
    use Operation as O;
    match op {
        O::CreateUserPool => admin::create_user_pool,
        O::DeleteUserPool => admin::delete_user_pool,
        O::DescribeUserPool => admin::describe_user_pool,
        O::ListUserPools => admin::list_user_pools,
        O::SetUserPoolMfaConfig => admin::set_user_pool_mfa_config,
        O::GetUserPoolMfaConfig => admin::get_user_pool_mfa_config,
        O::CreateUserPoolClient => admin::create_user_pool_client,
        O::UpdateUserPoolClient => admin::update_user_pool_client,
        O::DescribeUserPoolClient => admin::describe_user_pool_client,
        O::DeleteUserPoolClient => admin::delete_user_pool_client,
        O::AdminCreateUser => admin::admin_create_user,
        O::AdminSetUserPassword => admin::admin_set_user_password,
        O::AdminDeleteUser => admin::admin_delete_user,
        O::AdminGetUser => admin::admin_get_user,
        O::AdminDisableUser => |s, c, i| admin::admin_set_enabled(s, c, i, false),
        O::AdminEnableUser => |s, c, i| admin::admin_set_enabled(s, c, i, true),
        O::ListUsers => admin::list_users,
        O::GetUser => mfa::get_user,
        O::GlobalSignOut => mfa::global_sign_out,
        O::AdminUserGlobalSignOut => mfa::admin_user_global_sign_out,
        O::AssociateSoftwareToken => mfa::associate_software_token,
        O::VerifySoftwareToken => mfa::verify_software_token,
        O::SetUserMFAPreference => mfa::set_user_mfa_preference,
        O::AdminSetUserMFAPreference => mfa::admin_set_user_mfa_preference,
        O::InitiateAuth => auth::initiate_auth,
        O::AdminInitiateAuth => auth::admin_initiate_auth,
        O::RespondToAuthChallenge => auth::respond_to_auth_challenge,
        O::AdminRespondToAuthChallenge => auth::admin_respond_to_auth_challenge,
        O::ConfirmDevice => devices::confirm_device,
        O::UpdateDeviceStatus => devices::update_device_status,
        O::ListDevices => devices::list_devices,
        O::GetDevice => devices::get_device,
        O::ForgetDevice => devices::forget_device,
        O::AdminListDevices => devices::admin_list_devices,
        O::AdminGetDevice => devices::admin_get_device,
        O::AdminUpdateDeviceStatus => devices::admin_update_device_status,
        O::AdminForgetDevice => devices::admin_forget_device,
        O::CreateUserPoolDomain => admin::create_user_pool_domain,
        O::DescribeUserPoolDomain => admin::describe_user_pool_domain,
        O::DeleteUserPoolDomain => admin::delete_user_pool_domain,
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
    /// Where [`serve`] listens: the issuer of tokens from the hosted UI's domains.
    local: std::sync::OnceLock<SocketAddr>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("region", &self.region)
            .field("clock_control", &self.control.is_some())
            .finish_non_exhaustive()
    }
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
}

impl Endpoint {
    /// A fresh endpoint with no pools.
    pub fn new(options: &Options) -> Result<Arc<Endpoint>, StartError> {
        let control = options.clock_control.then(OffsetClock::new);
        let clock: Arc<dyn Clock> = match &control {
            Some(c) => Arc::new(c.clone()),
            None => Arc::new(SystemClock),
        };
        Ok(Arc::new(Endpoint {
            store: Mutex::new(Store::default()),
            keys: Keys::generate()?,
            clock,
            control,
            region: options.region.clone(),
            faults: options.faults.map(faults::Faults::new),
            local: std::sync::OnceLock::new(),
        }))
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
        let srp = verifier::prework(op, &input, |block| verifier::peek(&self.lock(), block));
        let issuer_base = format!("http://{}", meta.host.unwrap_or("localhost"));
        let ctx = Ctx {
            now_ms: self.clock.now_millis(),
            region: &self.region,
            issuer_base: &issuer_base,
            keys: &self.keys,
            srp,
        };
        let mut value = {
            let mut store = self.lock();
            std::panic::catch_unwind(AssertUnwindSafe(|| handler(op)(&mut store, &ctx, &input)))
                .unwrap_or_else(|_| {
                    Err(ApiError::new(
                        Exception::InternalError,
                        message::INTERNAL_ERROR,
                    ))
                })?
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
            doc["scopes_supported"] = json!(admin::STANDARD_SCOPES);
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
            srp: verifier::SrpWork::default(),
        };
        let mut store = self.lock();
        let pool_id = hosted::domain_prefix(req.host, &self.region)
            .and_then(|prefix| store.domains.get(&prefix.to_ascii_lowercase()))
            .cloned();
        let Some(pool_id) = pool_id else {
            return hosted::not_a_domain(req.host, &self.region);
        };
        std::panic::catch_unwind(AssertUnwindSafe(|| {
            hosted::handle(&mut store, &ctx, &pool_id, req)
        }))
        .unwrap_or_else(|_| hosted::internal_error())
    }

    /// The JWKS of `pool_id`, if the pool exists.
    #[must_use]
    pub fn jwks(&self, pool_id: &str) -> Option<Value> {
        self.lock()
            .pools
            .contains_key(pool_id)
            .then(|| self.keys.jwks())
    }
}

fn json_response(status: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    if let Ok(id) = HeaderValue::from_str(&store::new_uuid()) {
        headers.insert("x-amzn-requestid", id);
    }
    if let Some(kind) = body.get("__type").and_then(Value::as_str)
        && let Ok(v) = HeaderValue::from_str(kind)
    {
        headers.insert("x-amzn-errortype", v);
    }
    response
}

async fn api(State(endpoint): State<Arc<Endpoint>>, headers: HeaderMap, body: Body) -> Response {
    if let Some(faults) = &endpoint.faults {
        // Decided before the request is read: a faulted request changes nothing.
        let (fault, delay) = faults.next();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        match fault {
            faults::Fault::None => {}
            faults::Fault::Throttle => {
                let e = ApiError::new(Exception::TooManyRequests, message::RATE_EXCEEDED);
                return json_response(400, &e.body());
            }
            faults::Fault::Error500 => {
                let e = ApiError::new(
                    Exception::InternalError,
                    "Internal server error (injected by --faults)",
                );
                return json_response(500, &e.body());
            }
        }
    }
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let meta = RequestMeta {
        target: headers.get("x-amz-target").and_then(|v| v.to_str().ok()),
        content_type: text(header::CONTENT_TYPE),
        authorization: text(header::AUTHORIZATION),
        host: text(header::HOST),
    };
    // A body shorter than its Content-Length must not hold the connection forever.
    let read = tokio::time::timeout(
        BODY_READ_TIMEOUT,
        axum::body::to_bytes(body, wire::MAX_BODY_BYTES + 1),
    )
    .await;
    let (status, value) = match read {
        Ok(Ok(bytes)) if bytes.len() <= wire::MAX_BODY_BYTES => endpoint.handle(meta, &bytes),
        Err(_) => {
            let e = ApiError::new(
                Exception::Serialization,
                format!(
                    "Request body incomplete: it did not arrive in full within {} s (is Content-Length right?)",
                    BODY_READ_TIMEOUT.as_secs()
                ),
            );
            (400, e.body())
        }
        Ok(_) => {
            let e = ApiError::new(
                Exception::Serialization,
                format!(
                    "Request body exceeds {} bytes or could not be read",
                    wire::MAX_BODY_BYTES
                ),
            );
            (400, e.body())
        }
    };
    json_response(status, &value)
}

async fn openid_configuration(
    State(endpoint): State<Arc<Endpoint>>,
    Path(pool_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    well_known(endpoint.openid_configuration(&pool_id, host), &pool_id)
}

async fn jwks(State(endpoint): State<Arc<Endpoint>>, Path(pool_id): Path<String>) -> Response {
    well_known(endpoint.jwks(&pool_id), &pool_id)
}

/// A `.well-known` document as JSON, or the Cognito-shaped 404 of an unknown pool.
fn well_known(document: Option<Value>, pool_id: &str) -> Response {
    match document {
        Some(document) => {
            let mut r = (StatusCode::OK, document.to_string()).into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r
        }
        None => json_response(
            404,
            &ApiError::new(
                Exception::ResourceNotFound,
                message::pool_not_found(&wire::bounded(pool_id)),
            )
            .body(),
        ),
    }
}

fn clock_state(clock: &OffsetClock) -> Value {
    crate::control::clock_state(clock.now_millis(), clock.offset_millis(), clock.is_frozen())
}

async fn get_clock(State(endpoint): State<Arc<Endpoint>>) -> Response {
    match endpoint.clock_control() {
        Some(c) => json_response(200, &clock_state(c)),
        None => clock_disabled(),
    }
}

/// `/_mfaspec/clock` on an endpoint started without `--clock-control`: say so.
fn clock_disabled() -> Response {
    json_response(
        404,
        &ApiError::new(
            Exception::ResourceNotFound,
            "Clock control is off: start the endpoint with `mfaspec serve --clock-control`",
        )
        .body(),
    )
}

/// `GET /_mfaspec/about`: which server this is, so that `mfaspec run` can tell mfaspec's own
/// endpoint from the emulator a profile names, and whether its clock can be moved.
async fn about(State(endpoint): State<Arc<Endpoint>>) -> Response {
    json_response(
        200,
        &crate::control::about(endpoint.clock_control().is_some()),
    )
}

/// `POST /_mfaspec/clock` with `{"advance_ms": N}`, `{"set_ms": UNIX_MS}`,
/// `{"freeze_ms": UNIX_MS}` or `{"unfreeze": true}`.
async fn set_clock(State(endpoint): State<Arc<Endpoint>>, body: axum::body::Bytes) -> Response {
    let Some(clock) = endpoint.clock_control() else {
        return clock_disabled();
    };
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    match ClockRequest::parse(&request) {
        Some(ClockRequest::Advance(ms)) => clock.advance_millis(ms),
        Some(ClockRequest::Set(ms)) => clock.set_millis(ms),
        Some(ClockRequest::Freeze(ms)) => clock.freeze_at(ms),
        Some(ClockRequest::Unfreeze) => clock.unfreeze(),
        None => return json_response(400, &wire::invalid(ClockRequest::EXPECTED).body()),
    }
    json_response(200, &clock_state(clock))
}

/// A request to a hosted-UI path: read (bounded in size and time) and answered by
/// [`Endpoint::hosted`].
async fn hosted_route(
    State(endpoint): State<Arc<Endpoint>>,
    method: axum::http::Method,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let text = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let read = tokio::time::timeout(
        BODY_READ_TIMEOUT,
        axum::body::to_bytes(body, hosted::MAX_FORM_BYTES),
    )
    .await;
    let Ok(Ok(bytes)) = read else {
        return (
            StatusCode::BAD_REQUEST,
            "The request body is too large or incomplete.",
        )
            .into_response();
    };
    let answer = endpoint.hosted(&hosted::HostedRequest {
        method: method.as_str(),
        path: uri.path(),
        query: uri.query().unwrap_or(""),
        host: text(header::HOST).unwrap_or(""),
        cookie: text(header::COOKIE),
        authorization: text(header::AUTHORIZATION),
        content_type: text(header::CONTENT_TYPE),
        body: &bytes,
    });
    let status = StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, answer.body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(answer.content_type),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-frame-options", HeaderValue::from_static("DENY"));
    if let Some(location) = answer.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(header::LOCATION, location);
    }
    if let Some(v) = answer
        .www_authenticate
        .and_then(|l| HeaderValue::from_str(&l).ok())
    {
        h.insert(header::WWW_AUTHENTICATE, v);
    }
    for cookie in answer.cookies {
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            h.append(header::SET_COOKIE, v);
        }
    }
    response
}

async fn not_found() -> Response {
    json_response(
        404,
        &ApiError::new(
            Exception::UnknownOperation,
            "No such route on this endpoint",
        )
        .body(),
    )
}

/// How long a request body may take to arrive in full.
pub const BODY_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The endpoint's HTTP routes.
pub fn router(endpoint: Arc<Endpoint>) -> Router {
    let router = Router::new()
        .route("/", post(api))
        .route("/{pool}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route(CLOCK_PATH, get(get_clock).post(set_clock))
        .route(ABOUT_PATH, get(about));
    let router = hosted::PATHS
        .iter()
        .fold(router, |r, path| r.route(path, any(hosted_route)));
    router.fallback(not_found).with_state(endpoint)
}

/// Serves `endpoint` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    endpoint: Arc<Endpoint>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Ok(addr) = listener.local_addr() {
        let _ = endpoint.local.set(addr);
    }
    axum::serve(listener, router(endpoint))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A reference endpoint running on a tokio task: what `mfaspec run` and the tests use.
#[derive(Debug)]
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The endpoint itself (for its clock).
    pub endpoint: Arc<Endpoint>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// Starts an endpoint on `addr` (port 0 picks a free one).
    pub async fn start(addr: SocketAddr, options: &Options) -> Result<Running, StartError> {
        let endpoint = Endpoint::new(options)?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, endpoint.clone(), async {
            let _ = stopped.await;
        }));
        Ok(Running {
            addr,
            endpoint,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://<addr>`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and waits for in-flight requests.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or(Ok(())),
            None => Ok(()),
        }
    }
}

pub use crate::secret_hash::secret_hash;
