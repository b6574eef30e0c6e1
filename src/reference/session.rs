//! Challenge sessions (the `Session` strings of sign-in and MFA setup): made at a step, valid
//! for the app client's AuthSessionValidity, used once (spec §4 B5, B6).
//!
//! Owns: the sessions' rules. Uses: the store, the context, the wire.

use super::context::{Ctx, pool_ref};
use super::store::{Session, Step, Store, new_opaque};
use super::wire::{ApiResult, not_authorized};
use crate::vocabulary::message;

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
            email_code: None,
            email_setup: false,
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
