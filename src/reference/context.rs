//! What every handler of both wings is given besides the store ([`Ctx`]: the time, the
//! region, the issuer, the signing key and the SRP work done before the lock), and the
//! lookups they share: a pool, a user, an app client, the caller of an access token.
//!
//! Owns: the handler context and the lookups' errors. Uses: the store, the wire, the tokens,
//! [`crate::vocabulary`]. Knows neither wing.

use zeroize::Zeroizing;

use super::store::{AppClient, Pool, Store, User};
use super::tokens::{Keys, TokenProblem};
use super::wire::{self, ApiError, ApiResult, not_authorized};
use crate::srp::Ephemeral;
use crate::vocabulary::{Exception, message};

/// Everything a handler needs besides the store.
pub(crate) struct Ctx<'a> {
    pub now_ms: u64,
    pub region: &'a str,
    /// `http://<host>`: tokens' `iss` is this plus `/<userPoolId>`, where the JWKS lives.
    pub issuer_base: &'a str,
    pub keys: &'a Keys,
    /// SRP arithmetic done before the store was locked, for this request.
    pub srp: SrpWork,
    /// A deliberate defect of this endpoint, for a negative control.
    pub defect: Option<super::defect::Defect>,
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

/// The scope every user-pool operation authorised by an access token needs (spec §1.1).
pub(crate) const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// The pool and username an access token speaks for, or the error Cognito gives for it: a
/// token without [`ADMIN_SCOPE`] (one the token endpoint issued for other scopes) authorises
/// no user-pool operation (spec §1.1).
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
    if !claims.scopes.iter().any(|s| s == ADMIN_SCOPE)
        && ctx.defect != Some(super::defect::Defect::IgnoresScopes)
    {
        return Err(not_authorized(message::ACCESS_TOKEN_SCOPES));
    }
    Ok((claims.pool_id, claims.username))
}

/// Work done before the store is locked, for the one request it belongs to.
#[derive(Default)]
pub(crate) enum SrpWork {
    /// Nothing to do.
    #[default]
    None,
    /// A fresh `b` and `g^b`, for a USER_SRP_AUTH initiate.
    Ephemeral(Ephemeral),
    /// The key derived for the challenge with this SECRET_BLOCK (absent: no such challenge,
    /// or its SRP_A no longer checks).
    Key {
        secret_block: String,
        key: Option<Zeroizing<[u8; 16]>>,
    },
}
