//! The hosted UI (spec §2.17): the pages and OAuth 2.0 endpoints a user pool's prefix domain
//! serves, reached at `http://<prefix>.auth.<region>.localhost:<port>/` (browsers send
//! `*.localhost` to loopback): `/oauth2/authorize` (authorization code flow with `state`,
//! `scope`, PKCE S256, `nonce`, `login_hint`), `/login`, the TOTP code page `/mfa`, the TOTP
//! setup page `/mfa-setup` (`login`), `/oauth2/token` (authorization_code and
//! refresh_token), `/oauth2/userInfo` and `/logout` (`oauth`), and `/error`.
//!
//! Owns: the routing of hosted-UI requests. Uses: the sign-in rules, the store, the context,
//! the markup. Never the AWS JSON operations (`api/`).

mod exchange;
mod login;
mod oauth;
mod pages;

pub use exchange::{HostedRequest, HostedResponse};

use crate::markup::decode_form;
use crate::reference::context::Ctx;
use crate::reference::store::Store;
use crate::reference::wire;
use exchange::{Hosted, token_error};

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
                wire::bounded(host)
            ),
        ),
    )
}

/// The answer when a handler failed.
#[must_use]
pub fn internal_error() -> HostedResponse {
    HostedResponse::html(500, pages::error("", "Internal error."))
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
            let q = decode_form(req.query);
            let reason = q.get("error").map_or("invalid_request", String::as_str);
            HostedResponse::html(400, pages::error(&pool_name, reason))
        }
        (_, "/oauth2/token") => token_error(405, "invalid_request"),
        _ => HostedResponse::html(404, pages::error(&pool_name, "No such page.")),
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
}
