//! TOTP enrolment and MFA preferences: AssociateSoftwareToken, VerifySoftwareToken and
//! Set/AdminSetUserMFAPreference (spec §2.3–§2.6, §4 B2, B3, B7, B15).
//!
//! Owns: those operations' handlers. Uses: the sign-in rules' code check, sessions, the
//! store, the wire, the context, [`crate::totp`], [`crate::vocabulary`].

use serde_json::{Value, json};

use crate::reference::context::{Ctx, access, pool_mut, user_mut};
use crate::reference::session::{new_session, take_session};
use crate::reference::signin::check_code;
use crate::reference::store::{MfaMode, SoftwareToken, Step, Store, User, new_totp_secret};
use crate::reference::wire::{ApiError, ApiResult, Input, constraint, invalid, validation};
use crate::totp::{Code, Digits, ReplayMemory};
use crate::vocabulary::{Challenge, Exception, message};

/// Who is enrolling: the holder of an access token, or of a setup session.
enum Caller {
    Token {
        pool_id: String,
        username: String,
    },
    Session {
        pool_id: String,
        client_id: String,
        username: String,
    },
}

/// The caller of AssociateSoftwareToken / VerifySoftwareToken: exactly one of `AccessToken`
/// and `Session` ("The request takes an access token or a session string, but not both.").
/// The session must be at `step`; it is consumed only when `consume` is set.
fn caller(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
    step: Step,
    consume: bool,
) -> ApiResult<Caller> {
    match (
        input.opt_string("AccessToken")?,
        input.opt_string("Session")?,
    ) {
        (Some(_), Some(_)) => Err(invalid(message::TOKEN_AND_SESSION)),
        (None, None) => Err(invalid(message::TOKEN_OR_SESSION)),
        (Some(token), None) => {
            let (pool_id, username) = access(store, ctx, token)?;
            Ok(Caller::Token { pool_id, username })
        }
        (None, Some(session)) => {
            let s = take_session(store, ctx, session, step, None, consume)?;
            Ok(Caller::Session {
                pool_id: s.pool_id,
                client_id: s.client_id,
                username: s.username,
            })
        }
    }
}

fn ids(caller: &Caller) -> (&str, &str) {
    match caller {
        Caller::Token { pool_id, username }
        | Caller::Session {
            pool_id, username, ..
        } => (pool_id, username),
    }
}

fn require_pool_totp(store: &mut Store, pool_id: &str) -> ApiResult<()> {
    if pool_mut(store, pool_id)?.totp_enabled {
        Ok(())
    } else {
        Err(ApiError::new(
            Exception::SoftwareTokenMfaNotFound,
            message::TOTP_NOT_ENABLED_BY_POOL,
        ))
    }
}

pub(super) fn associate_software_token(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    // Check everything before the session is consumed, so that a refused call leaves it usable.
    let who = caller(
        store,
        ctx,
        input,
        Step::Challenge(Challenge::MfaSetup),
        false,
    )?;
    let (pool_id, username) = ids(&who);
    let (pool_id, username) = (pool_id.to_owned(), username.to_owned());
    require_pool_totp(store, &pool_id)?;
    let secret = new_totp_secret();
    let secret_code = secret.to_base32();
    let user = user_mut(store, &pool_id, &username)?;
    // spec §4 B7 (current docs): the new secret replaces the old one only once verified.
    user.pending = Some(SoftwareToken {
        secret,
        friendly_name: None,
        replay: ReplayMemory::cognito(),
    });
    let mut out = json!({ "SecretCode": secret_code });
    if let Caller::Session { client_id, .. } = &who {
        let old = input.opt_string("Session")?.unwrap_or_default();
        take_session(
            store,
            ctx,
            old,
            Step::Challenge(Challenge::MfaSetup),
            None,
            true,
        )?;
        out["Session"] = json!(new_session(
            store,
            ctx,
            &pool_id,
            client_id,
            &username,
            Step::Verify
        )?);
    }
    Ok(out)
}

/// `UserCode`: exactly six digits (spec §2.4), reported as AWS's validation layer does.
fn user_code(input: &Input) -> ApiResult<Code> {
    let text = input.string("UserCode")?;
    let mut failures = Vec::new();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        failures.push(constraint(
            Some(text),
            "UserCode",
            "Member must satisfy regular expression pattern: [0-9]+",
        ));
    }
    let len = text.chars().count();
    if len < 6 {
        failures.push(constraint(
            Some(text),
            "UserCode",
            "Member must have length greater than or equal to 6",
        ));
    } else if len > 6 {
        failures.push(constraint(
            Some(text),
            "UserCode",
            "Member must have length less than or equal to 6",
        ));
    }
    if !failures.is_empty() {
        return Err(validation(&failures));
    }
    Code::parse(text, Digits::SIX).map_err(|e| invalid(e.to_string()))
}

pub(super) fn verify_software_token(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let code = user_code(input)?;
    let friendly = input.opt_string("FriendlyDeviceName")?.map(str::to_owned);
    let who = caller(store, ctx, input, Step::Verify, false)?;
    let (pool_id, username) = ids(&who);
    let (pool_id, username) = (pool_id.to_owned(), username.to_owned());
    require_pool_totp(store, &pool_id)?;
    let now_s = ctx.now_ms / 1000;
    let user = user_mut(store, &pool_id, &username)?;
    let mismatch = ApiError::new(
        Exception::EnableSoftwareTokenMfa,
        message::ENABLE_TOTP_MISMATCH,
    );
    // A wrong code leaves the pending secret (and the session) in place: spec §4 B3.
    match (&mut user.pending, &mut user.token) {
        (Some(pending), _) => check_code(pending, &code, now_s, mismatch)?,
        (None, Some(current)) => check_code(current, &code, now_s, mismatch)?,
        (None, None) => {
            return Err(ApiError::new(
                Exception::SoftwareTokenMfaNotFound,
                message::TOTP_NOT_FOUND_FOR_USER,
            ));
        }
    }
    if let Some(mut verified) = user.pending.take() {
        verified.friendly_name = friendly;
        user.token = Some(verified);
    } else if let (Some(name), Some(current)) = (friendly, user.token.as_mut()) {
        current.friendly_name = Some(name);
    }
    user.modified_ms = ctx.now_ms;
    let mut out = json!({ "Status": "SUCCESS" });
    if let Caller::Session { client_id, .. } = &who {
        // Verified through the MFA_SETUP flow: Cognito challenges with TOTP from the next
        // sign-in on, without a preference call (spec §4 B8).
        user.totp_enabled = true;
        let old = input.opt_string("Session")?.unwrap_or_default();
        take_session(store, ctx, old, Step::Verify, None, true)?;
        out["Session"] = json!(new_session(
            store,
            ctx,
            &pool_id,
            client_id,
            &username,
            Step::SetupVerified
        )?);
    }
    Ok(out)
}

/// One `*MfaSettings` structure: (Enabled, PreferredMfa), each optional.
fn settings(input: &Input, member: &str) -> ApiResult<Option<(Option<bool>, Option<bool>)>> {
    match input.opt_struct(member)? {
        None => Ok(None),
        Some(s) => Ok(Some((s.opt_bool("Enabled")?, s.opt_bool("PreferredMfa")?))),
    }
}

/// Applies MFA settings to `user`; `admin` selects AdminSetUserMFAPreference's rules.
fn apply_preferences(input: &Input, user: &mut User, mode: MfaMode, admin: bool) -> ApiResult<()> {
    let totp = settings(input, "SoftwareTokenMfaSettings")?;
    let sms = settings(input, "SMSMfaSettings")?;
    let email = settings(input, "EmailMfaSettings")?;
    if email.is_some_and(|(e, p)| e == Some(true) || p == Some(true))
        && user.attribute("email").is_none()
    {
        return Err(invalid(message::EMAIL_NO_DELIVERY_CONFIG));
    }
    if let Some((enabled, preferred)) = totp {
        let turning_on = enabled == Some(true) || preferred == Some(true);
        if user.token.is_none() {
            if admin {
                // spec §2.6: enabling without a verified token is refused; disabling succeeds.
                if turning_on {
                    return Err(invalid(message::TOTP_NO_DELIVERY_CONFIG));
                }
            } else if user.pending.is_some() {
                return Err(invalid(message::TOTP_NOT_VERIFIED));
            } else {
                return Err(invalid(message::TOTP_NOT_SET_UP));
            }
        }
    }
    if sms.is_some() && user.attribute("phone_number").is_none() {
        return Err(invalid(message::SMS_NO_PHONE));
    }
    if let (Some((enabled, preferred)), true) = (totp, user.token.is_some()) {
        // spec §4 B15: with MFA required, TOTP cannot be turned off, only (un)preferred.
        let enabled = match enabled {
            Some(false) if mode == MfaMode::On => Some(true),
            other => other,
        };
        apply_factor(
            &mut user.totp_enabled,
            &mut user.totp_preferred,
            enabled,
            preferred,
        );
        if user.totp_preferred {
            user.sms_preferred = false;
            user.email_preferred = false;
        }
    }
    if let Some((enabled, preferred)) = sms {
        apply_factor(
            &mut user.sms_enabled,
            &mut user.sms_preferred,
            enabled,
            preferred,
        );
        if user.sms_preferred {
            user.totp_preferred = false;
            user.email_preferred = false;
        }
    }
    if let Some((enabled, preferred)) = email {
        apply_factor(
            &mut user.email_enabled,
            &mut user.email_preferred,
            enabled,
            preferred,
        );
        if user.email_preferred {
            user.totp_preferred = false;
            user.sms_preferred = false;
        }
    }
    Ok(())
}

/// Enabled/PreferredMfa for one factor: preferring enables, disabling un-prefers.
fn apply_factor(
    enabled: &mut bool,
    preferred: &mut bool,
    set_enabled: Option<bool>,
    set_preferred: Option<bool>,
) {
    if let Some(e) = set_enabled {
        *enabled = e;
    }
    if let Some(p) = set_preferred {
        *preferred = p;
        if p {
            *enabled = true;
        }
    }
    if !*enabled {
        *preferred = false;
    }
}

pub(super) fn set_user_mfa_preference(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let (pool_id, username) = access(store, ctx, input.string("AccessToken")?)?;
    let mode = pool_mut(store, &pool_id)?.mfa;
    let user = user_mut(store, &pool_id, &username)?;
    apply_preferences(input, user, mode, false)?;
    user.modified_ms = ctx.now_ms;
    Ok(json!({}))
}

pub(super) fn admin_set_user_mfa_preference(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let pool_id = input.string("UserPoolId")?;
    let mode = pool_mut(store, pool_id)?.mfa;
    let user = user_mut(store, pool_id, input.string("Username")?)?;
    apply_preferences(input, user, mode, true)?;
    user.modified_ms = ctx.now_ms;
    Ok(json!({}))
}
