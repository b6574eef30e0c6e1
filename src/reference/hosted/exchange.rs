//! A hosted-UI request and its answer as the hosted wing sees them (the HTTP layer reads and
//! writes them), the cookies it sets and reads, and [`Hosted`]: one request being answered.
//!
//! Owns: those types. Uses: the store and the context.

use serde_json::{Value, json};

use crate::reference::context::Ctx;
use crate::reference::store::Store;

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
    pub(super) fn html(status: u16, body: String) -> HostedResponse {
        HostedResponse {
            status,
            content_type: "text/html; charset=utf-8",
            location: None,
            cookies: Vec::new(),
            www_authenticate: None,
            body,
        }
    }

    pub(super) fn json(status: u16, body: &Value) -> HostedResponse {
        HostedResponse {
            content_type: "application/json;charset=UTF-8",
            ..HostedResponse::html(status, body.to_string())
        }
    }

    pub(super) fn redirect(location: String) -> HostedResponse {
        HostedResponse {
            location: Some(location),
            ..HostedResponse::html(302, String::new())
        }
    }

    pub(super) fn cookie(mut self, cookie: String) -> HostedResponse {
        self.cookies.push(cookie);
        self
    }
}

pub(super) fn cookie_value<'c>(header: Option<&'c str>, name: &str) -> Option<&'c str> {
    header?
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v)
}

pub(super) fn set_cookie(name: &str, value: &str, max_age_s: u64) -> String {
    format!("{name}={value}; Path=/; Max-Age={max_age_s}; HttpOnly; SameSite=Lax")
}

pub(super) fn token_error(status: u16, error: &str) -> HostedResponse {
    HostedResponse::json(status, &json!({ "error": error }))
}

/// One hosted-UI request being answered: the store, the context, the pool whose domain it
/// came to, and the request.
pub(super) struct Hosted<'s, 'c, 'r> {
    pub store: &'s mut Store,
    pub ctx: &'c Ctx<'c>,
    pub pool_id: &'c str,
    pub pool_name: &'c str,
    pub req: &'r HostedRequest<'r>,
}
