//! The hosted UI's OAuth 2.0 endpoints: `/oauth2/token` (authorization_code with PKCE,
//! refresh_token; client authentication by HTTP Basic or the body), `/oauth2/userInfo` and
//! `/logout`.
//!
//! Owns: those endpoints' rules. Uses: the sign-in rules (issuing tokens), the store, the
//! markup, the pages, and the authorize check of [`super::login`].

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::{Value, json};
use sha2::Digest as _;

use super::exchange::{Hosted, HostedResponse, cookie_value, set_cookie, token_error};
use super::login::check_authorize;
use super::pages;
use crate::markup::decode_form;
use crate::reference::signin::{issue_tokens, tokens_for};
use crate::reference::store::AppClient;

impl Hosted<'_, '_, '_> {
    /// The client a token request authenticates as: HTTP Basic or `client_id` (and
    /// `client_secret`) in the body.
    pub(super) fn token_client(
        &self,
        fields: &BTreeMap<String, String>,
    ) -> Result<AppClient, HostedResponse> {
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

    pub(super) fn token(&mut self) -> HostedResponse {
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
        let fields = decode_form(&String::from_utf8_lossy(self.req.body));
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

    pub(super) fn code_grant(
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
        let issued = issue_tokens(
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
    pub(super) fn token_response(
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

    pub(super) fn refresh_grant(
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
        let result = tokens_for(
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

    pub(super) fn user_info(&mut self) -> HostedResponse {
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

    pub(super) fn logout(&mut self) -> HostedResponse {
        let q = decode_form(self.req.query);
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
