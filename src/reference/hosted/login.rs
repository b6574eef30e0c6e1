//! The browser's way through the hosted UI: `/oauth2/authorize` checked against the app
//! client, the sign-in form, the TOTP code page and the TOTP setup page, ending in a redirect
//! back to the application with a code and a hosted session cookie.
//!
//! A sign-in in progress is a *flow*, found by its CSRF token (cookie `XSRF-TOKEN`, form field
//! `_csrf`); a finished one leaves a hosted session (cookie `cognito`, one hour) that lets a
//! later `/oauth2/authorize` skip the forms.
//!
//! Owns: the flows' rules. Uses: the sign-in rules (lockout, factors, the code check), the
//! store, the markup, the pages.

use super::exchange::{Hosted, HostedResponse, cookie_value, set_cookie};
use super::pages;
use crate::markup::{decode_form, with_query};
use crate::reference::signin::{active_factors, check_code, lockout_check, record_failure};
use crate::reference::store::{
    self, AppClient, AuthCode, Authorize, Flow, HostedSession, MfaMode, SoftwareToken, Stage,
    Store, UserStatus, new_opaque, new_uuid,
};
use crate::reference::wire::ApiError;
use crate::totp::{Code, Digits, KeyUri, ReplayMemory};
use crate::vocabulary::{Challenge, Exception, message};

/// How long a code from `/oauth2/authorize` may be exchanged (five minutes, as AWS's).
const CODE_LIFETIME_MS: u64 = 5 * 60 * 1000;
/// How long the hosted session cookie lasts (spec §2.17: one hour; a probe asks AWS).
const SESSION_LIFETIME_MS: u64 = 60 * 60 * 1000;
/// How long the sign-in form stays usable.
const FORM_LIFETIME_MS: u64 = 60 * 60 * 1000;

/// Why `/oauth2/authorize` (or `/login`) refuses a request.
pub(super) enum Refusal {
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
    pub(super) fn response(self, pool_name: &str) -> HostedResponse {
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
pub(super) fn check_authorize(
    store: &Store,
    pool_id: &str,
    query: &str,
) -> Result<(AppClient, Authorize), Refusal> {
    let q = decode_form(query);
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

impl Hosted<'_, '_, '_> {
    /// A redirect back to the application with a fresh code, and the hosted session cookie.
    pub(super) fn finish(
        &mut self,
        request: Authorize,
        username: &str,
        auth_time_s: u64,
    ) -> HostedResponse {
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

    pub(super) fn authorize(&mut self) -> HostedResponse {
        let (_, request) = match check_authorize(self.store, self.pool_id, self.req.query) {
            Ok(ok) => ok,
            Err(Refusal::Page { error, .. }) => {
                let q = decode_form(self.req.query);
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

    pub(super) fn user_can_sign_in(&self, username: &str) -> bool {
        self.store
            .pools
            .get(self.pool_id)
            .and_then(|p| p.users.get(username))
            .is_some_and(|u| u.enabled)
    }

    /// The flow a form belongs to: its `_csrf` field (or, for a page, the cookie) must match
    /// the `XSRF-TOKEN` cookie.
    pub(super) fn flow(&self, from_form: bool) -> Option<(String, Flow)> {
        let cookie = cookie_value(self.req.cookie, "XSRF-TOKEN")?;
        if from_form {
            let fields = decode_form(&String::from_utf8_lossy(self.req.body));
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

    pub(super) fn stale(&self) -> HostedResponse {
        HostedResponse::html(
            400,
            pages::error(
                self.pool_name,
                "This sign-in page has expired or was not opened here. Start again from the application.",
            ),
        )
    }

    pub(super) fn login_page(&mut self) -> HostedResponse {
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

    pub(super) fn login_submit(&mut self) -> HostedResponse {
        let Some((csrf, flow)) = self.flow(true) else {
            return self.stale();
        };
        if flow.stage != Stage::Password {
            return self.stale();
        }
        let fields = decode_form(&String::from_utf8_lossy(self.req.body));
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
        let (mode, totp_on) = (pool.mfa, pool.totp_enabled);
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
        if lockout_check(user, now).is_err() {
            return again(message::PASSWORD_ATTEMPTS_EXCEEDED);
        }
        let matches: bool =
            subtle::ConstantTimeEq::ct_eq(user.password.as_bytes(), password.as_bytes()).into();
        if !matches {
            record_failure(user, now);
            return again(message::INCORRECT_CREDENTIALS);
        }
        user.failed_sign_ins = 0;
        if user.status == UserStatus::ForceChangePassword {
            return again(
                "This user must choose a new password, which this hosted UI does not offer: set one with AdminSetUserPassword --permanent.",
            );
        }
        let username = user.username.clone();
        let Some(pool) = self.store.pools.get_mut(self.pool_id) else {
            return self.stale();
        };
        let factors = match pool.users.get(&username) {
            Some(user) => active_factors(pool, user),
            None => return self.stale(),
        };
        let Some(user) = pool.users.get_mut(&username) else {
            return self.stale();
        };
        let query = flow.request.query.clone();
        let next = if factors.contains(&Challenge::SoftwareTokenMfa) {
            Stage::Totp { username }
        } else if !factors.is_empty() {
            return again(
                "This user's MFA is by SMS or email, which this hosted UI does not offer.",
            );
        } else if mode == MfaMode::On && totp_on {
            user.pending = Some(SoftwareToken {
                secret: store::new_totp_secret(),
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

    pub(super) fn totp_page(&mut self, error: Option<&str>) -> HostedResponse {
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
    pub(super) fn submitted_code(&self) -> Result<(Code, Option<String>), &'static str> {
        let fields = decode_form(&String::from_utf8_lossy(self.req.body));
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

    pub(super) fn totp_submit(&mut self) -> HostedResponse {
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
                check_code(
                    token,
                    &code,
                    now / 1000,
                    ApiError::new(Exception::CodeMismatch, message::CODE_MISMATCH),
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

    pub(super) fn setup_page(&mut self, error: Option<&str>) -> HostedResponse {
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

    pub(super) fn setup_submit(&mut self) -> HostedResponse {
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
            Exception::EnableSoftwareTokenMfa,
            message::ENABLE_TOTP_MISMATCH,
        );
        if let Err(e) = check_code(pending, &code, now / 1000, mismatch) {
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
}
