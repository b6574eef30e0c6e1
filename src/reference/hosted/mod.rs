//! The hosted UI (spec §2.17): the pages and OAuth 2.0 endpoints a user pool's prefix domain
//! serves, reached at `http://<prefix>.auth.<region>.localhost:<port>/` (browsers send
//! `*.localhost` to loopback): `/oauth2/authorize` (authorization code flow with `state`,
//! `scope`, PKCE S256, `nonce`, `login_hint`), `/login`, the TOTP code page `/mfa`, the TOTP
//! setup page `/mfa-setup`, `/oauth2/token` (authorization_code and refresh_token),
//! `/oauth2/userInfo`, `/logout` and `/error`.
//!
//! A sign-in in progress is a *flow*, found by its CSRF token (cookie `XSRF-TOKEN`, form field
//! `_csrf`); a finished one leaves a hosted session (cookie `cognito`, one hour) that lets a
//! later `/oauth2/authorize` skip the forms.
//!
//! Owns: the flows, codes and hosted sessions' rules. Uses: the store, the sign-in rules of
//! `super::auth` (lockout, factors, tokens) and `super::mfa::check_code`.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::Digest as _;

use super::store::{AppClient, MfaMode, SoftwareToken, Store, UserStatus, new_opaque, new_uuid};
use super::wire::ApiError;
use super::{Ctx, pages};
use crate::totp::{Code, Digits, KeyUri, ReplayMemory};
use crate::vocabulary::{Challenge, message};

/// How long a code from `/oauth2/authorize` may be exchanged (five minutes, as AWS's).
const CODE_LIFETIME_MS: u64 = 5 * 60 * 1000;
/// How long the hosted session cookie lasts (spec §2.17: one hour; a probe asks AWS).
pub const SESSION_LIFETIME_MS: u64 = 60 * 60 * 1000;
/// How long the sign-in form stays usable.
const FORM_LIFETIME_MS: u64 = 60 * 60 * 1000;
/// The largest form or token request read.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// The paths the hosted UI serves on a pool's domain.
pub const PATHS: &[&str] = &[
    "/oauth2/authorize",
    "/oauth2/token",
    "/oauth2/userInfo",
    "/login",
    "/mfa",
    "/mfa-setup",
    "/logout",
    "/error",
];

/// The answer on a host that is no pool's domain.
#[must_use]
pub fn not_a_domain(host: &str, region: &str) -> HostedResponse {
    HostedResponse::html(
        404,
        pages::error(
            "",
            &format!(
                "{} is not a user pool domain here: create one with CreateUserPoolDomain and open http://<prefix>.auth.{region}.localhost:<port>/.",
                super::wire::bounded(host)
            ),
        ),
    )
}

/// The answer when a handler failed.
#[must_use]
pub fn internal_error() -> HostedResponse {
    HostedResponse::html(500, pages::error("", "Internal error."))
}

/// A request to the hosted UI, as the HTTP layer read it.
#[derive(Debug, Default, Clone, Copy)]
pub struct HostedRequest<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path, without the query.
    pub path: &'a str,
    /// The raw query string (no `?`).
    pub query: &'a str,
    /// `Host`.
    pub host: &'a str,
    /// `Cookie`.
    pub cookie: Option<&'a str>,
    /// `Authorization`.
    pub authorization: Option<&'a str>,
    /// `Content-Type`.
    pub content_type: Option<&'a str>,
    /// The body (a form).
    pub body: &'a [u8],
}

/// The hosted UI's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostedResponse {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` of `body`.
    pub content_type: &'static str,
    /// `Location`, for a redirect.
    pub location: Option<String>,
    /// `Set-Cookie` headers.
    pub cookies: Vec<String>,
    /// `WWW-Authenticate`, for the userInfo endpoint's 401.
    pub www_authenticate: Option<String>,
    /// The body.
    pub body: String,
}

impl HostedResponse {
    fn html(status: u16, body: String) -> HostedResponse {
        HostedResponse {
            status,
            content_type: "text/html; charset=utf-8",
            location: None,
            cookies: Vec::new(),
            www_authenticate: None,
            body,
        }
    }

    fn json(status: u16, body: &Value) -> HostedResponse {
        HostedResponse {
            content_type: "application/json;charset=UTF-8",
            ..HostedResponse::html(status, body.to_string())
        }
    }

    fn redirect(location: String) -> HostedResponse {
        HostedResponse {
            location: Some(location),
            ..HostedResponse::html(302, String::new())
        }
    }

    fn cookie(mut self, cookie: String) -> HostedResponse {
        self.cookies.push(cookie);
        self
    }
}

/// What an `/oauth2/authorize` request asked for, once checked.
#[derive(Clone, Debug)]
pub(crate) struct Authorize {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scopes: Vec<String>,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    pub login_hint: Option<String>,
    /// The query the request came with, carried to `/login`.
    pub query: String,
}

/// Where a sign-in in progress stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    Password,
    Totp { username: String },
    Setup { username: String },
}

/// A sign-in in progress, by its CSRF token.
#[derive(Clone, Debug)]
pub(crate) struct Flow {
    pub pool_id: String,
    pub request: Authorize,
    pub stage: Stage,
    pub expires_ms: u64,
}

/// An authorization code.
#[derive(Clone, Debug)]
pub(crate) struct AuthCode {
    pub pool_id: String,
    pub username: String,
    pub request: Authorize,
    pub auth_time_s: u64,
    pub expires_ms: u64,
    pub used: bool,
}

/// A signed-in browser (cookie `cognito`).
#[derive(Clone, Debug)]
pub(crate) struct HostedSession {
    pub pool_id: String,
    pub username: String,
    pub auth_time_s: u64,
    pub expires_ms: u64,
}

/// The hosted UI's part of the store.
#[derive(Default)]
pub(crate) struct HostedState {
    pub flows: BTreeMap<String, Flow>,
    pub codes: BTreeMap<String, AuthCode>,
    pub sessions: BTreeMap<String, HostedSession>,
}

impl HostedState {
    fn expire(&mut self, now_ms: u64) {
        self.flows.retain(|_, f| f.expires_ms > now_ms);
        self.codes.retain(|_, c| c.expires_ms > now_ms);
        self.sessions.retain(|_, s| s.expires_ms > now_ms);
    }
}

/// The domain prefix a `Host` names: `<prefix>.auth.<region>.localhost[:port]`.
#[must_use]
pub fn domain_prefix<'h>(host: &'h str, region: &str) -> Option<&'h str> {
    let name = host.rsplit_once(':').map_or(host, |(n, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            n
        } else {
            host
        }
    });
    let suffix = format!(".auth.{region}.localhost");
    let cut = name.len().checked_sub(suffix.len())?;
    (name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(&suffix) && cut > 0)
        .then(|| &name[..cut])
}

/// Decodes `application/x-www-form-urlencoded` text (also a query string).
#[must_use]
pub fn form(text: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(&s.replace('+', " "))
                .decode_utf8_lossy()
                .into_owned()
        };
        out.entry(decode(k)).or_insert_with(|| decode(v));
    }
    out
}

/// What a query value keeps unencoded: RFC 3986's unreserved characters.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, QUERY_VALUE).to_string()
}

/// `uri` with `params` added to its query.
fn with_query(uri: &str, params: &[(&str, &str)]) -> String {
    let mut out = uri.to_owned();
    let mut sep = if uri.contains('?') { '&' } else { '?' };
    for (k, v) in params {
        out.push(sep);
        out.push_str(k);
        out.push('=');
        out.push_str(&encode(v));
        sep = '&';
    }
    out
}

fn cookie_value<'c>(header: Option<&'c str>, name: &str) -> Option<&'c str> {
    header?
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

fn set_cookie(name: &str, value: &str, max_age_s: u64) -> String {
    format!("{name}={value}; Path=/; Max-Age={max_age_s}; HttpOnly; SameSite=Lax")
}

/// Why `/oauth2/authorize` (or `/login`) refuses a request.
enum Refusal {
    /// Shown on the domain's error page: nowhere safe to send the browser back to.
    Page {
        /// The OAuth error code (`invalid_request`, `redirect_mismatch`).
        error: &'static str,
        /// What the page says of it.
        reason: &'static str,
    },
    /// Sent back to the registered `redirect_uri` with `error=`.
    Redirect {
        uri: String,
        error: &'static str,
        state: Option<String>,
    },
}

impl Refusal {
    fn response(self, pool_name: &str) -> HostedResponse {
        match self {
            Refusal::Page { error, reason } => {
                HostedResponse::html(400, pages::error(pool_name, &format!("{error}: {reason}")))
            }
            Refusal::Redirect { uri, error, state } => {
                let mut params = vec![("error", error)];
                if let Some(s) = &state {
                    params.push(("state", s));
                }
                HostedResponse::redirect(with_query(&uri, &params))
            }
        }
    }
}

/// A PKCE `code_challenge`: 43 characters of base64url (a SHA-256 digest).
fn challenge_ok(c: &str) -> bool {
    c.len() == 43
        && c.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Checks an authorize request against the pool's client, in the order AWS reports problems:
/// the client and `redirect_uri` first (an error page), then the rest (a redirect back).
fn check_authorize(
    store: &Store,
    pool_id: &str,
    query: &str,
) -> Result<(AppClient, Authorize), Refusal> {
    let q = form(query);
    let get = |k: &str| q.get(k).filter(|v| !v.is_empty()).cloned();
    let Some(client_id) = get("client_id") else {
        return Err(Refusal::Page {
            error: "invalid_request",
            reason: "client_id is required.",
        });
    };
    let client = store
        .pools
        .get(pool_id)
        .and_then(|p| p.clients.get(&client_id))
        .cloned()
        .ok_or(Refusal::Page {
            error: "invalid_request",
            reason: "no such client in this user pool.",
        })?;
    let o = &client.oauth;
    let redirect_uri = match get("redirect_uri").or_else(|| o.default_redirect_uri.clone()) {
        Some(r) if o.callback_urls.contains(&r) => r,
        _ => {
            return Err(Refusal::Page {
                error: "redirect_mismatch",
                reason: "the redirect_uri is not one of the app client's callback URLs.",
            });
        }
    };
    let state = q.get("state").cloned();
    let back = |error| Refusal::Redirect {
        uri: redirect_uri.clone(),
        error,
        state: state.clone(),
    };
    // RFC 6749 §3.1: no parameter more than once.
    let mut names: Vec<&str> = query
        .split('&')
        .filter_map(|p| p.split('=').next())
        .filter(|n| !n.is_empty())
        .collect();
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    if names.len() != all {
        return Err(back("invalid_request"));
    }
    if !o.enabled || !o.identity_providers.iter().any(|p| p == "COGNITO") {
        return Err(back("unauthorized_client"));
    }
    if get("identity_provider").is_some_and(|p| p != "COGNITO") {
        return Err(back("invalid_request"));
    }
    match get("response_type").as_deref() {
        Some("code") if o.flows.iter().any(|f| f == "code") => {}
        Some("code") => return Err(back("unauthorized_client")),
        _ => return Err(back("unsupported_response_type")),
    }
    let scopes: Vec<String> = match get("scope") {
        Some(s) => s
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        None => o.scopes.clone(),
    };
    if scopes.is_empty() || scopes.iter().any(|s| !o.scopes.contains(s)) {
        return Err(back("invalid_scope"));
    }
    let code_challenge = get("code_challenge");
    match (
        code_challenge.as_deref(),
        get("code_challenge_method").as_deref(),
    ) {
        (None, None) => {}
        (Some(c), Some("S256")) if challenge_ok(c) => {}
        _ => return Err(back("invalid_request")),
    }
    Ok((
        client,
        Authorize {
            client_id,
            redirect_uri,
            state,
            scopes,
            code_challenge,
            nonce: get("nonce"),
            login_hint: get("login_hint"),
            query: query.to_owned(),
        },
    ))
}

/// Answers one hosted-UI request. `pool_id` is the pool the request's domain belongs to.
pub(super) fn handle(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    req: &HostedRequest<'_>,
) -> HostedResponse {
    store.hosted.expire(ctx.now_ms);
    let pool_name = store
        .pools
        .get(pool_id)
        .map_or_else(String::new, |p| p.name.clone());
    let mut h = Hosted {
        store,
        ctx,
        pool_id,
        pool_name: &pool_name,
        req,
    };
    match (req.method, req.path) {
        ("GET", "/oauth2/authorize") => h.authorize(),
        ("GET", "/login") => h.login_page(),
        ("POST", "/login") => h.login_submit(),
        ("GET", "/mfa") => h.totp_page(None),
        ("POST", "/mfa") => h.totp_submit(),
        ("GET", "/mfa-setup") => h.setup_page(None),
        ("POST", "/mfa-setup") => h.setup_submit(),
        ("POST", "/oauth2/token") => h.token(),
        ("GET" | "POST", "/oauth2/userInfo") => h.user_info(),
        ("GET", "/logout") => h.logout(),
        ("GET", "/error") => {
            let q = form(req.query);
            let reason = q.get("error").map_or("invalid_request", String::as_str);
            HostedResponse::html(400, pages::error(&pool_name, reason))
        }
        (_, "/oauth2/token") => token_error(405, "invalid_request"),
        _ => HostedResponse::html(404, pages::error(&pool_name, "No such page.")),
    }
}

fn token_error(status: u16, error: &str) -> HostedResponse {
    HostedResponse::json(status, &json!({ "error": error }))
}

struct Hosted<'s, 'c, 'r> {
    store: &'s mut Store,
    ctx: &'c Ctx<'c>,
    pool_id: &'c str,
    pool_name: &'c str,
    req: &'r HostedRequest<'r>,
}

impl Hosted<'_, '_, '_> {
    /// A redirect back to the application with a fresh code, and the hosted session cookie.
    fn finish(&mut self, request: Authorize, username: &str, auth_time_s: u64) -> HostedResponse {
        let code = new_uuid();
        self.store.hosted.codes.insert(
            code.clone(),
            AuthCode {
                pool_id: self.pool_id.to_owned(),
                username: username.to_owned(),
                request: request.clone(),
                auth_time_s,
                expires_ms: self.ctx.now_ms + CODE_LIFETIME_MS,
                used: false,
            },
        );
        let session = new_opaque(48);
        self.store.hosted.sessions.insert(
            session.clone(),
            HostedSession {
                pool_id: self.pool_id.to_owned(),
                username: username.to_owned(),
                auth_time_s,
                expires_ms: self.ctx.now_ms + SESSION_LIFETIME_MS,
            },
        );
        let mut params = vec![("code", code.as_str())];
        if let Some(s) = &request.state {
            params.push(("state", s));
        }
        HostedResponse::redirect(with_query(&request.redirect_uri, &params))
            .cookie(set_cookie("cognito", &session, SESSION_LIFETIME_MS / 1000))
            .cookie(set_cookie("XSRF-TOKEN", "", 0))
    }

    fn authorize(&mut self) -> HostedResponse {
        let (_, request) = match check_authorize(self.store, self.pool_id, self.req.query) {
            Ok(ok) => ok,
            Err(Refusal::Page { error, .. }) => {
                let q = form(self.req.query);
                let client = q.get("client_id").map_or("", String::as_str);
                return HostedResponse::redirect(with_query(
                    "/error",
                    &[("error", error), ("client_id", client)],
                ));
            }
            Err(refusal) => return refusal.response(self.pool_name),
        };
        let signed_in = cookie_value(self.req.cookie, "cognito")
            .and_then(|id| self.store.hosted.sessions.get(id))
            .filter(|s| s.pool_id == self.pool_id)
            .cloned();
        if let Some(s) = signed_in
            && self.user_can_sign_in(&s.username)
        {
            return self.finish(request, &s.username, s.auth_time_s);
        }
        HostedResponse::redirect(format!("/login?{}", self.req.query))
    }

    fn user_can_sign_in(&self, username: &str) -> bool {
        self.store
            .pools
            .get(self.pool_id)
            .and_then(|p| p.users.get(username))
            .is_some_and(|u| u.enabled)
    }

    /// The flow a form belongs to: its `_csrf` field (or, for a page, the cookie) must match
    /// the `XSRF-TOKEN` cookie.
    fn flow(&self, from_form: bool) -> Option<(String, Flow)> {
        let cookie = cookie_value(self.req.cookie, "XSRF-TOKEN")?;
        if from_form {
            let fields = form(&String::from_utf8_lossy(self.req.body));
            let field = fields.get("_csrf")?;
            let same: bool =
                subtle::ConstantTimeEq::ct_eq(field.as_bytes(), cookie.as_bytes()).into();
            if !same {
                return None;
            }
        }
        let flow = self.store.hosted.flows.get(cookie)?;
        (flow.pool_id == self.pool_id).then(|| (cookie.to_owned(), flow.clone()))
    }

    fn stale(&self) -> HostedResponse {
        HostedResponse::html(
            400,
            pages::error(
                self.pool_name,
                "This sign-in page has expired or was not opened here. Start again from the application.",
            ),
        )
    }

    fn login_page(&mut self) -> HostedResponse {
        let request = match check_authorize(self.store, self.pool_id, self.req.query) {
            Ok((_, request)) => request,
            Err(refusal) => return refusal.response(self.pool_name),
        };
        let csrf = new_opaque(40);
        let hint = request.login_hint.clone().unwrap_or_default();
        self.store.hosted.flows.insert(
            csrf.clone(),
            Flow {
                pool_id: self.pool_id.to_owned(),
                request,
                stage: Stage::Password,
                expires_ms: self.ctx.now_ms + FORM_LIFETIME_MS,
            },
        );
        let action = format!("/login?{}", self.req.query);
        HostedResponse::html(
            200,
            pages::login(self.pool_name, &action, &csrf, &hint, None),
        )
        .cookie(set_cookie("XSRF-TOKEN", &csrf, FORM_LIFETIME_MS / 1000))
    }

    fn login_submit(&mut self) -> HostedResponse {
        let Some((csrf, flow)) = self.flow(true) else {
            return self.stale();
        };
        if flow.stage != Stage::Password {
            return self.stale();
        }
        let fields = form(&String::from_utf8_lossy(self.req.body));
        let username = fields.get("username").map_or("", String::as_str).trim();
        let password = fields.get("password").map_or("", String::as_str);
        let action = format!("/login?{}", flow.request.query);
        let again = |error: &str| {
            HostedResponse::html(
                200,
                pages::login(self.pool_name, &action, &csrf, username, Some(error)),
            )
        };
        let client = self
            .store
            .pools
            .get(self.pool_id)
            .and_then(|p| p.clients.get(&flow.request.client_id))
            .cloned();
        let Some(client) = client else {
            return self.stale();
        };
        let now = self.ctx.now_ms;
        let Some(pool) = self.store.pools.get_mut(self.pool_id) else {
            return self.stale();
        };
        let (mode, totp_on, sms) = (pool.mfa, pool.totp_enabled, pool.sms_config.is_some());
        let Some(user) = pool.users.get_mut(username) else {
            return again(if client.prevent_user_existence_errors {
                message::INCORRECT_CREDENTIALS
            } else {
                message::USER_DOES_NOT_EXIST
            });
        };
        if !user.enabled {
            return again(message::USER_DISABLED);
        }
        if super::auth::lockout_check(user, now).is_err() {
            return again(message::PASSWORD_ATTEMPTS_EXCEEDED);
        }
        let matches: bool =
            subtle::ConstantTimeEq::ct_eq(user.password.as_bytes(), password.as_bytes()).into();
        if !matches {
            super::auth::record_failure(user, now);
            return again(message::INCORRECT_CREDENTIALS);
        }
        user.failed_sign_ins = 0;
        if user.status == UserStatus::ForceChangePassword {
            return again(
                "This user must choose a new password, which this hosted UI does not offer: set one with AdminSetUserPassword --permanent.",
            );
        }
        let username = user.username.clone();
        let factors = super::auth::active_factors(mode, sms, user);
        let query = flow.request.query.clone();
        let next = if factors.contains(&Challenge::SoftwareTokenMfa) {
            Stage::Totp { username }
        } else if !factors.is_empty() {
            return again("This user's MFA is SMS, which this hosted UI does not offer.");
        } else if mode == MfaMode::On && totp_on {
            user.pending = Some(SoftwareToken {
                secret: super::store::new_totp_secret(),
                friendly_name: None,
                replay: ReplayMemory::cognito(),
            });
            Stage::Setup { username }
        } else {
            self.store.hosted.flows.remove(&csrf);
            return self.finish(flow.request, &username, now / 1000);
        };
        let path = match next {
            Stage::Setup { .. } => "/mfa-setup",
            _ => "/mfa",
        };
        if let Some(f) = self.store.hosted.flows.get_mut(&csrf) {
            f.stage = next;
            f.expires_ms = now + client.session_validity_minutes * 60 * 1000;
        }
        HostedResponse::redirect(format!("{path}?{query}"))
    }

    fn totp_page(&mut self, error: Option<&str>) -> HostedResponse {
        let Some((csrf, flow)) = self.flow(false) else {
            return self.stale();
        };
        let Stage::Totp { username } = &flow.stage else {
            return self.stale();
        };
        let device = self
            .store
            .pools
            .get(self.pool_id)
            .and_then(|p| p.users.get(username))
            .and_then(|u| u.token.as_ref())
            .and_then(|t| t.friendly_name.clone());
        let action = format!("/mfa?{}", flow.request.query);
        HostedResponse::html(
            200,
            pages::totp(self.pool_name, &action, &csrf, device.as_deref(), error),
        )
    }

    /// The submitted code, or the page's error text for it.
    fn submitted_code(&self) -> Result<(Code, Option<String>), &'static str> {
        let fields = form(&String::from_utf8_lossy(self.req.body));
        let text = fields.get("totpCode").map_or("", |s| s.trim());
        let device = fields
            .get("deviceName")
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty());
        if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err("Enter the six-digit code from your authenticator app.");
        }
        Code::parse(text, Digits::SIX)
            .map(|c| (c, device))
            .map_err(|_| "Enter the six-digit code from your authenticator app.")
    }

    fn totp_submit(&mut self) -> HostedResponse {
        let Some((csrf, flow)) = self.flow(true) else {
            return self.stale();
        };
        let Stage::Totp { username } = flow.stage.clone() else {
            return self.stale();
        };
        let code = match self.submitted_code() {
            Ok((code, _)) => code,
            Err(e) => return self.totp_page(Some(e)),
        };
        let now = self.ctx.now_ms;
        let checked = self
            .store
            .pools
            .get_mut(self.pool_id)
            .and_then(|p| p.users.get_mut(&username))
            .and_then(|u| u.token.as_mut())
            .map(|token| {
                super::mfa::check_code(
                    token,
                    &code,
                    now / 1000,
                    ApiError::new(
                        crate::vocabulary::Exception::CodeMismatch,
                        message::CODE_MISMATCH,
                    ),
                )
            });
        match checked {
            Some(Ok(())) => {
                self.store.hosted.flows.remove(&csrf);
                self.finish(flow.request, &username, now / 1000)
            }
            Some(Err(e)) => self.totp_page(Some(&e.message)),
            None => self.stale(),
        }
    }

    fn setup_page(&mut self, error: Option<&str>) -> HostedResponse {
        let Some((csrf, flow)) = self.flow(false) else {
            return self.stale();
        };
        let Stage::Setup { username } = &flow.stage else {
            return self.stale();
        };
        let Some(secret) = self
            .store
            .pools
            .get(self.pool_id)
            .and_then(|p| p.users.get(username))
            .and_then(|u| u.pending.as_ref())
            .map(|t| t.secret.clone())
        else {
            return self.stale();
        };
        let text = secret.to_base32();
        let uri = KeyUri::totp(secret, username.clone(), Some(self.pool_name.to_owned()))
            .to_uri_string()
            .unwrap_or_default();
        let svg = qrcode::QrCode::new(uri.as_bytes()).map_or_else(
            |_| String::new(),
            |qr| {
                qr.render::<qrcode::render::svg::Color<'_>>()
                    .module_dimensions(5, 5)
                    .quiet_zone(true)
                    .build()
            },
        );
        let action = format!("/mfa-setup?{}", flow.request.query);
        HostedResponse::html(
            200,
            pages::totp_setup(self.pool_name, &action, &csrf, &svg, &text, error),
        )
    }

    fn setup_submit(&mut self) -> HostedResponse {
        let Some((csrf, flow)) = self.flow(true) else {
            return self.stale();
        };
        let Stage::Setup { username } = flow.stage.clone() else {
            return self.stale();
        };
        let (code, device) = match self.submitted_code() {
            Ok(ok) => ok,
            Err(e) => return self.setup_page(Some(e)),
        };
        let now = self.ctx.now_ms;
        let Some(user) = self
            .store
            .pools
            .get_mut(self.pool_id)
            .and_then(|p| p.users.get_mut(&username))
        else {
            return self.stale();
        };
        let Some(pending) = user.pending.as_mut() else {
            return self.stale();
        };
        let mismatch = ApiError::new(
            crate::vocabulary::Exception::EnableSoftwareTokenMfa,
            message::ENABLE_TOTP_MISMATCH,
        );
        if let Err(e) = super::mfa::check_code(pending, &code, now / 1000, mismatch) {
            return self.setup_page(Some(&e.message));
        }
        if let Some(mut verified) = user.pending.take() {
            verified.friendly_name = device;
            user.token = Some(verified);
        }
        // As the MFA_SETUP flow's VerifySoftwareToken: TOTP from the next sign-in on.
        user.totp_enabled = true;
        user.modified_ms = now;
        self.store.hosted.flows.remove(&csrf);
        self.finish(flow.request, &username, now / 1000)
    }

    /// The client a token request authenticates as: HTTP Basic or `client_id` (and
    /// `client_secret`) in the body.
    fn token_client(&self, fields: &BTreeMap<String, String>) -> Result<AppClient, HostedResponse> {
        let basic = self
            .req
            .authorization
            .and_then(|a| a.strip_prefix("Basic "))
            .and_then(|b| {
                base64::engine::general_purpose::STANDARD
                    .decode(b.trim())
                    .ok()
            })
            .and_then(|b| String::from_utf8(b).ok());
        let (id, secret) = match &basic {
            Some(pair) => {
                let (id, secret) = pair.split_once(':').unwrap_or((pair, ""));
                let decode = |s: &str| {
                    percent_encoding::percent_decode_str(s)
                        .decode_utf8_lossy()
                        .into_owned()
                };
                (decode(id), Some(decode(secret)))
            }
            None => (
                fields.get("client_id").cloned().unwrap_or_default(),
                fields.get("client_secret").cloned(),
            ),
        };
        if basic.is_none() && self.req.authorization.is_some() {
            return Err(token_error(400, "invalid_client"));
        }
        let client = self
            .store
            .pools
            .get(self.pool_id)
            .and_then(|p| p.clients.get(&id))
            .cloned()
            .ok_or_else(|| token_error(400, "invalid_client"))?;
        let authenticated = match (&client.secret, &secret) {
            (None, None) => true,
            (Some(want), Some(got)) => {
                subtle::ConstantTimeEq::ct_eq(want.as_bytes(), got.as_bytes()).into()
            }
            _ => false,
        };
        if !authenticated {
            return Err(token_error(400, "invalid_client"));
        }
        if !client.oauth.enabled {
            return Err(token_error(400, "unauthorized_client"));
        }
        Ok(client)
    }

    fn token(&mut self) -> HostedResponse {
        let form_type = self
            .req
            .content_type
            .and_then(|c| c.split(';').next())
            .is_some_and(|c| {
                c.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form_type {
            return token_error(400, "invalid_request");
        }
        let fields = form(&String::from_utf8_lossy(self.req.body));
        let grant = fields.get("grant_type").cloned().unwrap_or_default();
        if grant.is_empty() {
            return token_error(400, "invalid_request");
        }
        let client = match self.token_client(&fields) {
            Ok(c) => c,
            Err(e) => return e,
        };
        match grant.as_str() {
            "authorization_code" => self.code_grant(&client, &fields),
            "refresh_token" => self.refresh_grant(&client, &fields),
            "client_credentials" => token_error(400, "unauthorized_client"),
            _ => token_error(400, "unsupported_grant_type"),
        }
    }

    fn code_grant(
        &mut self,
        client: &AppClient,
        fields: &BTreeMap<String, String>,
    ) -> HostedResponse {
        let (Some(code), Some(redirect_uri)) = (fields.get("code"), fields.get("redirect_uri"))
        else {
            return token_error(400, "invalid_request");
        };
        let now = self.ctx.now_ms;
        let Some(grant) = self.store.hosted.codes.get_mut(code) else {
            return token_error(400, "invalid_grant");
        };
        // A code is used up by its first presentation, whatever comes of it.
        let fresh = !grant.used && grant.expires_ms > now;
        grant.used = true;
        let grant = grant.clone();
        if !fresh
            || grant.pool_id != self.pool_id
            || grant.request.client_id != client.id
            || grant.request.redirect_uri != *redirect_uri
        {
            return token_error(400, "invalid_grant");
        }
        if let Some(challenge) = &grant.request.code_challenge {
            let Some(verifier) = fields.get("code_verifier") else {
                return token_error(400, "invalid_grant");
            };
            let digest = sha2::Sha256::digest(verifier.as_bytes());
            let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest);
            let same: bool =
                subtle::ConstantTimeEq::ct_eq(computed.as_bytes(), challenge.as_bytes()).into();
            if !same || !(43..=128).contains(&verifier.len()) {
                return token_error(400, "invalid_grant");
            }
        }
        if !self.user_can_sign_in(&grant.username) {
            return token_error(400, "invalid_grant");
        }
        let issued = super::auth::issue_tokens(
            self.store,
            self.ctx,
            self.pool_id,
            client,
            &grant.username,
            true,
            None,
        );
        let Ok(issued) = issued else {
            return token_error(400, "invalid_grant");
        };
        let result = &issued["AuthenticationResult"];
        let refresh = result["RefreshToken"].as_str().map(str::to_owned);
        if let Some(r) = &refresh
            && let Some(g) = self.store.refresh_tokens.get_mut(r)
        {
            g.scopes = Some(grant.request.scopes.clone());
        }
        self.token_response(
            result,
            &grant.request.scopes,
            grant.request.nonce.as_deref(),
            grant.auth_time_s,
            refresh,
        )
    }

    /// `{access_token, id_token, refresh_token, token_type, expires_in}`: the claims of an
    /// `AuthenticationResult`, given the granted scopes (the ID token only with `openid`) and
    /// the `nonce`, signed.
    fn token_response(
        &self,
        result: &Value,
        scopes: &[String],
        nonce: Option<&str>,
        auth_time_s: u64,
        refresh: Option<String>,
    ) -> HostedResponse {
        let mut access = result["AccessToken"].clone();
        access["scope"] = json!(scopes.join(" "));
        access["auth_time"] = json!(auth_time_s);
        let mut body = json!({
            "access_token": self.ctx.keys.sign(&access),
            "token_type": "Bearer",
            "expires_in": result["ExpiresIn"],
        });
        if scopes.iter().any(|s| s == "openid") {
            let mut id = result["IdToken"].clone();
            id["auth_time"] = json!(auth_time_s);
            id["token_use"] = json!("id");
            if let Some(n) = nonce {
                id["nonce"] = json!(n);
            }
            body["id_token"] = json!(self.ctx.keys.sign(&id));
        }
        if let Some(r) = refresh {
            body["refresh_token"] = json!(r);
        }
        HostedResponse::json(200, &body)
    }

    fn refresh_grant(
        &mut self,
        client: &AppClient,
        fields: &BTreeMap<String, String>,
    ) -> HostedResponse {
        let Some(token) = fields.get("refresh_token") else {
            return token_error(400, "invalid_request");
        };
        let now = self.ctx.now_ms;
        let Some(grant) = self
            .store
            .refresh_tokens
            .get(token)
            .filter(|g| g.pool_id == self.pool_id && g.client_id == client.id && g.expires_ms > now)
            .cloned()
        else {
            return token_error(400, "invalid_grant");
        };
        let Some(user) = self
            .store
            .pools
            .get(self.pool_id)
            .and_then(|p| p.users.get(&grant.username))
        else {
            return token_error(400, "invalid_grant");
        };
        if !user.enabled || !user.live_families.contains(&grant.family) {
            return token_error(400, "invalid_grant");
        }
        let result = super::auth::tokens_for(
            self.ctx,
            self.pool_id,
            client,
            user,
            &grant.family,
            grant.device_key.as_deref(),
        );
        let scopes = grant
            .scopes
            .clone()
            .unwrap_or_else(|| vec!["aws.cognito.signin.user.admin".to_owned()]);
        self.token_response(&result, &scopes, None, now / 1000, None)
    }

    fn user_info(&mut self) -> HostedResponse {
        let refuse = |description: &str| {
            let mut r = HostedResponse::json(
                401,
                &json!({ "error": "invalid_token", "error_description": description }),
            );
            r.www_authenticate = Some(format!(
                "Bearer error=\"invalid_token\", error_description=\"{description}\""
            ));
            r
        };
        let Some(token) = self
            .req
            .authorization
            .and_then(|a| a.strip_prefix("Bearer "))
        else {
            return refuse("Access token is missing");
        };
        let token = token.trim();
        let Ok(access) = self.ctx.keys.access_claims(token, self.ctx.now_ms / 1000) else {
            return refuse("Access token is expired or invalid");
        };
        let scopes = self
            .ctx
            .keys
            .verified_claims(token)
            .and_then(|c| c.get("scope").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        if access.pool_id != self.pool_id {
            return refuse("Access token is expired or invalid");
        }
        if !scopes.split(' ').any(|s| s == "openid") {
            return refuse("Access token does not have the openid scope");
        }
        let Some(user) = self
            .store
            .pools
            .get(self.pool_id)
            .and_then(|p| p.users.get(&access.username))
        else {
            return refuse("User does not exist");
        };
        if !user.live_families.contains(&access.family) {
            return refuse("Access token has been revoked");
        }
        let mut body = json!({ "sub": user.sub, "username": user.username });
        for (name, value) in &user.attributes {
            body[name] = json!(value);
        }
        HostedResponse::json(200, &body)
    }

    fn logout(&mut self) -> HostedResponse {
        let q = form(self.req.query);
        let client = q.get("client_id").and_then(|id| {
            self.store
                .pools
                .get(self.pool_id)
                .and_then(|p| p.clients.get(id))
                .cloned()
        });
        let Some(client) = client else {
            return HostedResponse::html(
                400,
                pages::error(
                    self.pool_name,
                    "invalid_request: no such client in this user pool.",
                ),
            );
        };
        if let Some(id) = cookie_value(self.req.cookie, "cognito") {
            self.store.hosted.sessions.remove(id);
        }
        let clear = set_cookie("cognito", "", 0);
        if let Some(uri) = q.get("logout_uri") {
            if client.oauth.logout_urls.contains(uri) {
                return HostedResponse::redirect(uri.clone()).cookie(clear);
            }
            return HostedResponse::html(
                400,
                pages::error(
                    self.pool_name,
                    "redirect_mismatch: the logout_uri is not one of the app client's sign-out URLs.",
                ),
            )
            .cookie(clear);
        }
        if q.contains_key("redirect_uri") {
            return match check_authorize(self.store, self.pool_id, self.req.query) {
                Ok(_) => {
                    HostedResponse::redirect(format!("/login?{}", self.req.query)).cookie(clear)
                }
                Err(refusal) => refusal.response(self.pool_name).cookie(clear),
            };
        }
        HostedResponse::html(200, pages::signed_out(self.pool_name)).cookie(clear)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_prefix_is_read_from_the_host() {
        assert_eq!(
            domain_prefix("team.auth.us-east-1.localhost:9229", "us-east-1"),
            Some("team")
        );
        assert_eq!(
            domain_prefix("Team.AUTH.us-east-1.localhost", "us-east-1"),
            Some("Team")
        );
        assert_eq!(
            domain_prefix("auth.us-east-1.localhost:1", "us-east-1"),
            None
        );
        assert_eq!(
            domain_prefix("team.auth.eu-west-1.localhost:1", "us-east-1"),
            None
        );
        assert_eq!(domain_prefix("127.0.0.1:9229", "us-east-1"), None);
    }

    #[test]
    fn forms_decode_plus_and_percent() {
        let f = form("a=1+2&b=%2Fx%3D&c&a=ignored");
        assert_eq!(f["a"], "1 2");
        assert_eq!(f["b"], "/x=");
        assert_eq!(f["c"], "");
    }

    #[test]
    fn redirects_keep_the_query_they_have() {
        assert_eq!(
            with_query("http://localhost/cb", &[("code", "a b")]),
            "http://localhost/cb?code=a%20b"
        );
        assert_eq!(
            with_query("myapp://x?y=1", &[("state", "s")]),
            "myapp://x?y=1&state=s"
        );
    }
}
