//! `USER_SRP_AUTH` and its `PASSWORD_VERIFIER` challenge (spec §2.14), and a remembered
//! device's `DEVICE_SRP_AUTH` / `DEVICE_PASSWORD_VERIFIER` (spec §2.15), on [`crate::srp`].
//!
//! The expensive arithmetic happens outside the store's lock: [`prework`] makes the server's
//! ephemeral `g^b` before an initiate, and derives the session key (`S`, two exponentiations)
//! before a PASSWORD_VERIFIER answer, so that the handlers under the lock only do a
//! multiplication and an HMAC. The challenge is found by its `SECRET_BLOCK` alone (pycognito
//! sends no Session), and is bound to the app client and the user.
//!
//! Owns: those steps and the pre-lock work. Uses: the sign-in rules, sessions, the store,
//! the wire, the context, [`crate::srp`].

use std::sync::OnceLock;

use base64::Engine as _;
use serde_json::{Map, Value, json};

use crate::reference::context::{Ctx, SrpWork, pool_ref, user_mut, user_not_found};
use crate::reference::session::{new_device_session, take_session};
use crate::reference::signin::{
    check_secret_hash, issue_tokens, lockout_check, next_step, record_failure, required,
};
use crate::reference::store::{AppClient, SrpPending, Step, Store};
use crate::reference::wire::{self, ApiResult, Input, invalid, map_str, not_authorized};
use crate::srp::{self, Ephemeral, Timestamp, Verifier};
use crate::vocabulary::{AuthFlow, Challenge, Operation, message};

/// How far a TIMESTAMP may be from the endpoint's clock, in seconds. AWS's window is not
/// documented (spec §9 Q17: a behaviour choice; the suite probes it).
pub(crate) const TIMESTAMP_SKEW_SECS: u64 = 300;

/// The bytes of a SECRET_BLOCK (opaque to clients; it only names the challenge here).
const SECRET_BLOCK_BYTES: usize = 384;

/// Decides the pre-lock work for a request: `peek` runs with the store locked, briefly, to
/// copy a pending challenge out.
pub(crate) fn prework(
    op: Operation,
    input: &Input,
    peek: impl FnOnce(&str) -> Option<(String, srp::ServerChallenge)>,
) -> SrpWork {
    match op {
        Operation::InitiateAuth | Operation::AdminInitiateAuth => {
            let flow = input.opt_string("AuthFlow").ok().flatten();
            let preferred = || {
                input
                    .opt_string_map("AuthParameters")
                    .ok()
                    .flatten()
                    .is_some_and(|m| {
                        wire::map_str(&m, "PREFERRED_CHALLENGE")
                            == Some(Challenge::PasswordSrp.name())
                    })
            };
            if flow == Some(AuthFlow::UserSrpAuth.name())
                || (flow == Some(AuthFlow::UserAuth.name()) && preferred())
            {
                SrpWork::Ephemeral(Ephemeral::new())
            } else {
                SrpWork::None
            }
        }
        Operation::RespondToAuthChallenge | Operation::AdminRespondToAuthChallenge => {
            let name = input.opt_string("ChallengeName").ok().flatten();
            let answer = || {
                input
                    .opt_string_map("ChallengeResponses")
                    .ok()
                    .flatten()
                    .and_then(|m| wire::map_str(&m, "ANSWER").map(str::to_owned))
            };
            if name == Some(Challenge::DeviceSrpAuth.name())
                || (name == Some(Challenge::SelectChallenge.name())
                    && answer().as_deref() == Some(Challenge::PasswordSrp.name()))
            {
                return SrpWork::Ephemeral(Ephemeral::new());
            }
            if name != Some(Challenge::PasswordVerifier.name())
                && name != Some(Challenge::DevicePasswordVerifier.name())
            {
                return SrpWork::None;
            }
            let Some(block) = input
                .opt_string_map("ChallengeResponses")
                .ok()
                .flatten()
                .and_then(|m| wire::map_str(&m, "PASSWORD_CLAIM_SECRET_BLOCK").map(str::to_owned))
            else {
                return SrpWork::None;
            };
            let key = peek(&block).and_then(|(srp_a, challenge)| challenge.key(&srp_a).ok());
            SrpWork::Key {
                secret_block: block,
                key,
            }
        }
        _ => SrpWork::None,
    }
}

/// The pending challenge's SRP_A and server state, for [`prework`].
pub(crate) fn peek(store: &Store, secret_block: &str) -> Option<(String, srp::ServerChallenge)> {
    store
        .srp_pending
        .get(secret_block)
        .map(|p| (p.srp_a.clone(), p.challenge.clone()))
}

/// The salt shown for a user that does not exist, the same each time for the same name, so
/// that PreventUserExistenceErrors hides who exists.
fn decoy_verifier(pool_id: &str, username: &str) -> Verifier {
    use sha2::Digest as _;
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    let key = KEY.get_or_init(rand::random);
    let digest = sha2::Sha256::new()
        .chain_update(key)
        .chain_update(pool_id)
        .chain_update([0])
        .chain_update(username)
        .finalize();
    let mut salt = [0u8; 16];
    salt.copy_from_slice(&digest[..16]);
    salt[0] |= 1;
    Verifier::with_salt(&salt, "", "", &srp::to_hex(&digest[16..]))
}

/// InitiateAuth / AdminInitiateAuth `USER_SRP_AUTH`: `{USERNAME, SRP_A, [SECRET_HASH]}` →
/// `PASSWORD_VERIFIER {SALT, SRP_B, SECRET_BLOCK, USERNAME, USER_ID_FOR_SRP}`, no Session.
pub(super) fn initiate(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    params: &Map<String, Value>,
) -> ApiResult<Value> {
    if !client.allows("ALLOW_USER_SRP_AUTH") {
        return Err(invalid(message::USER_SRP_AUTH_NOT_ENABLED));
    }
    challenge(store, ctx, pool_id, client, params)
}

/// The PASSWORD_VERIFIER challenge for `{USERNAME, SRP_A, [SECRET_HASH], [DEVICE_KEY]}`: of
/// USER_SRP_AUTH, and of USER_AUTH's PASSWORD_SRP (preferred, or chosen in
/// SELECT_CHALLENGE).
pub(super) fn challenge(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    params: &Map<String, Value>,
) -> ApiResult<Value> {
    let username = required(params, "USERNAME")?;
    let srp_a = required(params, "SRP_A")?;
    check_secret_hash(client, username, params)?;
    srp::check_public(srp_a).map_err(|e| invalid(format!("SRP_A is invalid: {e}")))?;
    let SrpWork::Ephemeral(ephemeral) = &ctx.srp else {
        return Err(invalid("USER_SRP_AUTH: no server ephemeral was prepared"));
    };
    let pool = pool_ref(store, pool_id)?;
    let (user_id, verifier) = match pool.users.get(username) {
        Some(user) => {
            if !user.enabled {
                return Err(not_authorized(message::USER_DISABLED));
            }
            lockout_check(user, ctx.now_ms)?;
            (Some(user.username.clone()), user.srp.clone())
        }
        None if client.prevent_user_existence_errors => (None, decoy_verifier(pool_id, username)),
        None => return Err(user_not_found()),
    };
    let challenge = ephemeral
        .challenge(&verifier)
        .ok_or_else(|| invalid("SRP_B came out 0; start again"))?;
    let shown_id = user_id.clone().unwrap_or_else(|| username.to_owned());
    let srp_b = challenge.srp_b();
    let secret_block = keep_pending(
        store,
        ctx,
        SrpPending {
            username: user_id,
            device_key: map_str(params, "DEVICE_KEY").map(str::to_owned),
            ..pending(ctx, pool_id, client, srp_a, challenge)
        },
    );
    Ok(json!({
        "ChallengeName": Challenge::PasswordVerifier.name(),
        "ChallengeParameters": {
            "SALT": verifier.salt_hex(),
            "SECRET_BLOCK": secret_block,
            "SRP_B": srp_b,
            "USERNAME": shown_id,
            "USER_ID_FOR_SRP": shown_id,
        },
    }))
}

/// A password's challenge to `client` in `pool_id`, for no user and no device yet: it can be
/// answered for as long as the client's sessions last.
fn pending(
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    srp_a: &str,
    challenge: srp::ServerChallenge,
) -> SrpPending {
    SrpPending {
        pool_id: pool_id.to_owned(),
        client_id: client.id.clone(),
        username: None,
        srp_a: srp_a.to_owned(),
        challenge,
        expires_ms: ctx.now_ms + client.session_validity_minutes * 60 * 1000,
        device_key: None,
        for_device: false,
    }
}

/// Keeps `pending` under a fresh SECRET_BLOCK (random bytes, Base64: opaque to clients, it
/// only names the challenge), which it returns. Expired ones are swept now and then.
fn keep_pending(store: &mut Store, ctx: &Ctx<'_>, pending: SrpPending) -> String {
    let mut block = vec![0u8; SECRET_BLOCK_BYTES];
    rand::fill(&mut block[..]);
    let secret_block = base64::engine::general_purpose::STANDARD.encode(&block);
    if store.srp_pending.len() % 1024 == 1023 {
        let now = ctx.now_ms;
        store.srp_pending.retain(|_, p| p.expires_ms > now);
    }
    store.srp_pending.insert(secret_block.clone(), pending);
    secret_block
}

/// RespondToAuthChallenge / AdminRespondToAuthChallenge `PASSWORD_VERIFIER` (`{USERNAME,
/// PASSWORD_CLAIM_SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE, TIMESTAMP, [SECRET_HASH],
/// [DEVICE_KEY]}`) and, with `device`, `DEVICE_PASSWORD_VERIFIER` (the same with the
/// device's `DEVICE_KEY`, signed over its group key and key). Any failure is "Incorrect
/// username or password."; the challenge is used up either way.
pub(super) fn answer(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    responses: &Map<String, Value>,
    device: bool,
) -> ApiResult<Value> {
    let username = required(responses, "USERNAME")?;
    let block = required(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = required(responses, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = required(responses, "TIMESTAMP")?;
    check_secret_hash(client, username, responses)?;
    let answered_device = map_str(responses, "DEVICE_KEY");
    let incorrect = || not_authorized(message::INCORRECT_CREDENTIALS);
    let Some(pending) = store.srp_pending.remove(block) else {
        return Err(incorrect());
    };
    if pending.pool_id != pool_id || pending.client_id != client.id {
        return Err(incorrect());
    }
    let Some(user_id) = pending.username else {
        return Err(incorrect());
    };
    if user_id != username || ctx.now_ms >= pending.expires_ms {
        return Err(incorrect());
    }
    // A device's challenge is answered as DEVICE_PASSWORD_VERIFIER, a password's as
    // PASSWORD_VERIFIER; the device's claim names the device it was issued for.
    if pending.for_device != device
        || (pending.for_device && answered_device != pending.device_key.as_deref())
    {
        return Err(incorrect());
    }
    let stamp = Timestamp::parse(timestamp).map_err(|_| incorrect())?;
    if stamp.0.abs_diff(ctx.now_ms / 1000) > TIMESTAMP_SKEW_SECS {
        return Err(incorrect());
    }
    let key = match &ctx.srp {
        SrpWork::Key {
            secret_block,
            key: Some(key),
        } if secret_block == block => key,
        _ => return Err(incorrect()),
    };
    let block_bytes = srp::secret_block_bytes(block).map_err(|_| incorrect())?;
    let user = user_mut(store, pool_id, &user_id)?;
    let (prefix, id) = if pending.for_device {
        (
            user.device_group_key.clone().unwrap_or_default(),
            pending.device_key.clone().unwrap_or_default(),
        )
    } else {
        (srp::pool_name(pool_id).to_owned(), user_id.clone())
    };
    let expected = srp::claim(key, &prefix, &id, &block_bytes, timestamp);
    let given = base64::engine::general_purpose::STANDARD
        .decode(signature)
        .unwrap_or_default();
    if !user.enabled {
        return Err(not_authorized(message::USER_DISABLED));
    }
    lockout_check(user, ctx.now_ms)?;
    if !bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..], &given[..])) {
        if !pending.for_device {
            record_failure(user, ctx.now_ms);
        }
        return Err(incorrect());
    }
    if pending.for_device {
        // The device proved itself in place of the MFA factors.
        return issue_tokens(store, ctx, pool_id, client, &user_id, true, Some(&id));
    }
    user.failed_sign_ins = 0;
    let device = answered_device.map(str::to_owned).or(pending.device_key);
    next_step(store, ctx, pool_id, client, &user_id, device.as_deref())
}

/// RespondToAuthChallenge `DEVICE_SRP_AUTH` `{USERNAME, DEVICE_KEY, SRP_A, [SECRET_HASH]}`,
/// after a right password on a remembered device → `DEVICE_PASSWORD_VERIFIER {SALT, SRP_B,
/// SECRET_BLOCK, USERNAME, DEVICE_KEY}`. The DEVICE_SRP_AUTH session may be sent or not
/// (pycognito sends none): without it, the one the password step made for this user and
/// device is used.
pub(super) fn device_srp_auth(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    responses: &Map<String, Value>,
    session: Option<&str>,
) -> ApiResult<Value> {
    let username = required(responses, "USERNAME")?;
    let device_key = required(responses, "DEVICE_KEY")?;
    let srp_a = required(responses, "SRP_A")?;
    check_secret_hash(client, username, responses)?;
    srp::check_public(srp_a).map_err(|e| invalid(format!("SRP_A is invalid: {e}")))?;
    let id = (
        pool_id.to_owned(),
        client.id.clone(),
        username.to_owned(),
        device_key.to_owned(),
    );
    let session_id = match session {
        Some(s) => s.to_owned(),
        None => store
            .device_sessions
            .get(&id)
            .cloned()
            .ok_or_else(|| not_authorized(message::SESSION_INVALID))?,
    };
    let step = Step::Challenge(Challenge::DeviceSrpAuth);
    let taken = take_session(store, ctx, &session_id, step, Some(&client.id), true)?;
    store.device_sessions.remove(&id);
    if taken.pool_id != pool_id
        || taken.username != username
        || taken.device_key.as_deref() != Some(device_key)
    {
        return Err(not_authorized(message::SESSION_INVALID));
    }
    let SrpWork::Ephemeral(ephemeral) = &ctx.srp else {
        return Err(invalid("DEVICE_SRP_AUTH: no server ephemeral was prepared"));
    };
    let pool = pool_ref(store, pool_id)?;
    let user = pool.users.get(username).ok_or_else(user_not_found)?;
    let verifier = user
        .devices
        .get(device_key)
        .filter(|d| d.remembered)
        .and_then(|d| d.verifier.clone())
        .ok_or_else(|| not_authorized(message::INCORRECT_CREDENTIALS))?;
    let challenge = ephemeral
        .challenge(&verifier)
        .ok_or_else(|| invalid("SRP_B came out 0; start again"))?;
    let next = new_device_session(
        store,
        ctx,
        pool_id,
        &client.id,
        username,
        Step::Challenge(Challenge::DevicePasswordVerifier),
        Some(device_key),
    )?;
    let srp_b = challenge.srp_b();
    let secret_block = keep_pending(
        store,
        ctx,
        SrpPending {
            username: Some(username.to_owned()),
            device_key: Some(device_key.to_owned()),
            for_device: true,
            ..pending(ctx, pool_id, client, srp_a, challenge)
        },
    );
    Ok(json!({
        "ChallengeName": Challenge::DevicePasswordVerifier.name(),
        "ChallengeParameters": {
            "SALT": verifier.salt_hex(),
            "SECRET_BLOCK": secret_block,
            "SRP_B": srp_b,
            "USERNAME": username,
            "DEVICE_KEY": device_key,
        },
        "Session": next,
    }))
}
