//! Sign-in: InitiateAuth / AdminInitiateAuth, the challenge responses, and the sign-outs
//! (spec §2.7, §2.9–§2.12, §4 B1, B2, B4–B6, B8, B10). The rules they follow (which challenge
//! comes next, lockout, tokens) are the sign-in rules both wings share; USER_SRP_AUTH's own
//! steps are in [`super::srp`].
//!
//! Owns: those operations' handlers. Uses: the sign-in rules, sessions, the store, the wire,
//! the context, [`crate::totp`], [`crate::vocabulary`].

use serde_json::{Map, Value, json};

use super::srp;
use crate::reference::context::{Ctx, access, client_ref, pool_ref, user_mut, user_not_found};
use crate::reference::defect::Defect;
use crate::reference::session::{new_device_session, take_session};
use crate::reference::signin::{
    active_factors, challenge_with, check_code, check_password, check_secret_hash, issue_tokens,
    lockout_check, next_step, record_failure, required, tokens_for,
};
use crate::reference::store::{AppClient, Session, Step, Store, Tier, UserStatus};
use crate::reference::wire::{
    self, ApiError, ApiResult, Input, constraint, invalid, map_str, not_authorized, validation,
};
use crate::totp::{Code, Digits};
use crate::vocabulary::{AuthFlow, Challenge, Exception, message};

fn auth_flow(input: &Input) -> ApiResult<AuthFlow> {
    let text = input.string("AuthFlow")?;
    text.parse().map_err(|()| {
        let all: Vec<&str> = AuthFlow::ALL.iter().map(|f| f.name()).collect();
        validation(&[constraint(
            Some(text),
            "AuthFlow",
            &format!("Member must satisfy enum value set: [{}]", all.join(", ")),
        )])
    })
}

/// USERNAME + PASSWORD (+ SECRET_HASH), shared by both initiate operations.
fn password_sign_in(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    params: &Map<String, Value>,
) -> ApiResult<Value> {
    let username = required(params, "USERNAME")?;
    let password = required(params, "PASSWORD")?;
    check_secret_hash(client, username, params)?;
    let username = check_user_password(store, ctx, pool_id, client, username, password)?;
    next_step(store, ctx, pool_id, client, &username, None)
}

/// The password check of every password first factor: the user must exist (or the answer
/// hides that they do not), be enabled and not locked out, and the password must match.
/// Returns the internal username.
fn check_user_password(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    username: &str,
    password: &str,
) -> ApiResult<String> {
    let pool = pool_ref(store, pool_id)?;
    let Some(user) = pool.users.get(username) else {
        return Err(if client.prevent_user_existence_errors {
            not_authorized(message::INCORRECT_CREDENTIALS)
        } else {
            user_not_found()
        });
    };
    if !user.enabled {
        return Err(not_authorized(message::USER_DISABLED));
    }
    lockout_check(user, ctx.now_ms)?;
    let matches: bool =
        subtle::ConstantTimeEq::ct_eq(user.password.as_bytes(), password.as_bytes()).into();
    let username = user.username.clone();
    let user = user_mut(store, pool_id, &username)?;
    if !matches {
        record_failure(user, ctx.now_ms);
        return Err(not_authorized(message::INCORRECT_CREDENTIALS));
    }
    user.failed_sign_ins = 0;
    Ok(username)
}

/// The first factors USER_AUTH offers in a pool: a password, sent as it is or proven with
/// SRP (spec §2.18; the endpoint has no passwordless first factor yet).
const FIRST_FACTORS: [Challenge; 2] = [Challenge::Password, Challenge::PasswordSrp];

/// USER_AUTH, choice-based sign-in (spec §2.18): `{USERNAME, [PREFERRED_CHALLENGE],
/// [PASSWORD | SRP_A], [SECRET_HASH], [DEVICE_KEY]}`. With a preferred first factor the
/// endpoint goes on with it; without one (or with one it does not offer) it answers
/// SELECT_CHALLENGE with the `AvailableChallenges`. A password first factor leads to the
/// same MFA challenges as every other flow.
fn user_auth(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    params: &Map<String, Value>,
) -> ApiResult<Value> {
    if !client.allows("ALLOW_USER_AUTH") {
        return Err(invalid(message::USER_AUTH_NOT_ENABLED));
    }
    let tier = pool_ref(store, pool_id)?.tier;
    if tier == Tier::Lite {
        return Err(super::pools::unavailable(tier, "Choice-based sign-in"));
    }
    let username = required(params, "USERNAME")?;
    check_secret_hash(client, username, params)?;
    let device = map_str(params, "DEVICE_KEY");
    let preferred = map_str(params, "PREFERRED_CHALLENGE")
        .and_then(|c| c.parse::<Challenge>().ok())
        .filter(|c| FIRST_FACTORS.contains(c));
    match preferred {
        Some(Challenge::Password) => {
            let password = required(params, "PASSWORD")?;
            let username = check_user_password(store, ctx, pool_id, client, username, password)?;
            after_password(store, ctx, pool_id, client, &username, device)
        }
        Some(_) => srp::challenge(store, ctx, pool_id, client, params),
        None => {
            let pool = pool_ref(store, pool_id)?;
            let known = pool.users.get(username).map(|u| u.username.clone());
            let username = match known {
                Some(name) => name,
                // The same answer for a user who does not exist, when the client hides that.
                None if client.prevent_user_existence_errors => username.to_owned(),
                None => return Err(user_not_found()),
            };
            let session = new_device_session(
                store,
                ctx,
                pool_id,
                &client.id,
                &username,
                Step::Challenge(Challenge::SelectChallenge),
                device,
            )?;
            let available: Vec<&str> = FIRST_FACTORS.iter().map(|c| c.name()).collect();
            Ok(json!({
                "ChallengeName": Challenge::SelectChallenge.name(),
                "ChallengeParameters": {},
                "AvailableChallenges": available,
                "Session": session,
            }))
        }
    }
}

/// RespondToAuthChallenge `SELECT_CHALLENGE` (spec §2.18): `{USERNAME, ANSWER, …}` with the
/// first factor's own parameters in the same answer — `PASSWORD`, or `SRP_A`. An answer not
/// among the `AvailableChallenges` is refused and the session stays usable.
fn select_challenge(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    session_text: &str,
    responses: &Map<String, Value>,
) -> ApiResult<Value> {
    let step = Step::Challenge(Challenge::SelectChallenge);
    let answer = required(responses, "ANSWER")?;
    let Some(answer) = answer
        .parse::<Challenge>()
        .ok()
        .filter(|c| FIRST_FACTORS.contains(c))
    else {
        return Err(invalid(format!(
            "{} is not one of the AvailableChallenges",
            wire::bounded(answer)
        )));
    };
    let session = take_session(store, ctx, session_text, step, Some(&client.id), true)?;
    if session.pool_id != pool_id
        || Some(session.username.as_str()) != map_str(responses, "USERNAME")
    {
        return Err(not_authorized(message::SESSION_INVALID));
    }
    if answer == Challenge::PasswordSrp {
        return srp::challenge(store, ctx, pool_id, client, responses);
    }
    let password = required(responses, "PASSWORD")?;
    let username = check_user_password(store, ctx, pool_id, client, &session.username, password)?;
    let device = session.device_key.as_deref();
    after_password(store, ctx, pool_id, client, &username, device)
}

/// What follows USER_AUTH's PASSWORD first factor: the user's next step, as after every
/// password flow (the defect [`Defect::UserAuthSkipsMfa`] issues tokens instead).
fn after_password(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    username: &str,
    device: Option<&str>,
) -> ApiResult<Value> {
    if ctx.defect == Some(Defect::UserAuthSkipsMfa) {
        return issue_tokens(store, ctx, pool_id, client, username, true, device);
    }
    next_step(store, ctx, pool_id, client, username, device)
}

fn refresh_sign_in(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    params: &Map<String, Value>,
) -> ApiResult<Value> {
    let token = required(params, "REFRESH_TOKEN")?;
    let grant = store
        .refresh_tokens
        .get(token)
        .filter(|g| g.pool_id == pool_id && g.client_id == client.id && g.expires_ms > ctx.now_ms)
        .cloned()
        .ok_or_else(|| not_authorized(message::REFRESH_TOKEN_INVALID))?;
    if client.secret.is_some() {
        check_secret_hash(client, &grant.username, params)?;
    }
    let user = user_mut(store, pool_id, &grant.username)?;
    if !user.enabled {
        return Err(not_authorized(message::USER_DISABLED));
    }
    if !user.live_families.contains(&grant.family) {
        return Err(not_authorized(message::REFRESH_TOKEN_REVOKED));
    }
    // Tokens issued to a tracked device refresh only with its DEVICE_KEY (spec §2.15).
    if let Some(key) = &grant.device_key
        && map_str(params, "DEVICE_KEY") != Some(key.as_str())
    {
        return Err(not_authorized(message::REFRESH_TOKEN_INVALID));
    }
    let mut result = tokens_for(
        ctx,
        pool_id,
        client,
        user,
        &grant.family,
        grant.device_key.as_deref(),
    );
    // A refresh token from the hosted UI's token endpoint keeps the scopes it was granted:
    // refreshing through the API never widens them (spec §1.1).
    if let Some(scopes) = &grant.scopes {
        result["AccessToken"]["scope"] = json!(scopes.join(" "));
    }
    Ok(json!({ "AuthenticationResult": result, "ChallengeParameters": {} }))
}

fn unsupported_flow(flow: AuthFlow) -> ApiError {
    invalid(format!(
        "{} is not supported by the mfaspec reference endpoint",
        flow.name()
    ))
}

pub(super) fn initiate_auth(store: &mut Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let flow = auth_flow(input)?;
    let params = input.opt_string_map("AuthParameters")?.unwrap_or_default();
    let (pool_id, client) = client_ref(store, None, input.string("ClientId")?)?;
    match flow {
        AuthFlow::UserPasswordAuth => {
            if !client.allows("ALLOW_USER_PASSWORD_AUTH") {
                return Err(invalid(message::USER_PASSWORD_AUTH_NOT_ENABLED));
            }
            password_sign_in(store, ctx, &pool_id, &client, &params)
        }
        AuthFlow::UserSrpAuth => srp::initiate(store, ctx, &pool_id, &client, &params),
        AuthFlow::UserAuth => user_auth(store, ctx, &pool_id, &client, &params),
        AuthFlow::AdminUserPasswordAuth | AuthFlow::AdminNoSrpAuth => {
            Err(invalid(message::AUTH_METHOD_NOT_SUPPORTED))
        }
        AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
            refresh_sign_in(store, ctx, &pool_id, &client, &params)
        }
        other => Err(unsupported_flow(other)),
    }
}

pub(super) fn admin_initiate_auth(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let flow = auth_flow(input)?;
    let params = input.opt_string_map("AuthParameters")?.unwrap_or_default();
    let pool_id = input.string("UserPoolId")?;
    let (pool_id, client) = client_ref(store, Some(pool_id), input.string("ClientId")?)?;
    match flow {
        AuthFlow::AdminUserPasswordAuth | AuthFlow::AdminNoSrpAuth => {
            if !client.allows("ALLOW_ADMIN_USER_PASSWORD_AUTH") {
                return Err(invalid(message::AUTH_FLOW_NOT_ENABLED));
            }
            password_sign_in(store, ctx, &pool_id, &client, &params)
        }
        AuthFlow::UserPasswordAuth => Err(invalid(message::AUTH_METHOD_NOT_SUPPORTED)),
        AuthFlow::UserSrpAuth => srp::initiate(store, ctx, &pool_id, &client, &params),
        AuthFlow::UserAuth => user_auth(store, ctx, &pool_id, &client, &params),
        AuthFlow::RefreshTokenAuth | AuthFlow::RefreshToken => {
            refresh_sign_in(store, ctx, &pool_id, &client, &params)
        }
        other => Err(unsupported_flow(other)),
    }
}

fn respond(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
    admin_pool: Option<&str>,
) -> ApiResult<Value> {
    let challenge_text = input.string("ChallengeName")?;
    let challenge: Challenge = challenge_text.parse().map_err(|()| {
        validation(&[constraint(
            Some(challenge_text),
            "ChallengeName",
            "Member must satisfy enum value set: [SMS_MFA, SOFTWARE_TOKEN_MFA, SELECT_MFA_TYPE, MFA_SETUP, PASSWORD_VERIFIER, CUSTOM_CHALLENGE, SELECT_CHALLENGE, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER, ADMIN_NO_SRP_AUTH, NEW_PASSWORD_REQUIRED, SMS_OTP, EMAIL_OTP, WEB_AUTHN, PASSWORD, PASSWORD_SRP]",
        )])
    })?;
    let responses = input
        .opt_string_map("ChallengeResponses")?
        .unwrap_or_default();
    let (pool_id, client) = client_ref(store, admin_pool, input.string("ClientId")?)?;
    // Found by their SECRET_BLOCK, or by user and device: no Session needed (pycognito
    // sends none).
    if matches!(
        challenge,
        Challenge::PasswordVerifier | Challenge::DevicePasswordVerifier
    ) {
        let device = challenge == Challenge::DevicePasswordVerifier;
        return srp::answer(store, ctx, &pool_id, &client, &responses, device);
    }
    if challenge == Challenge::DeviceSrpAuth {
        let session = input.opt_string("Session")?;
        return srp::device_srp_auth(store, ctx, &pool_id, &client, &responses, session);
    }
    let session_text = input
        .opt_string("Session")?
        .ok_or_else(|| invalid(message::missing_parameter("Session")))?
        .to_owned();
    let username = required(&responses, "USERNAME")?.to_owned();
    check_secret_hash(&client, &username, &responses)?;
    if challenge == Challenge::SelectChallenge {
        return select_challenge(store, ctx, &pool_id, &client, &session_text, &responses);
    }
    // MFA_SETUP answered with an address sets up email MFA (as Amplify answers it); without
    // one it completes a TOTP setup verified with the session.
    let email_setup = challenge == Challenge::MfaSetup && map_str(&responses, "EMAIL").is_some();
    // The step the session must be at for this answer.
    let step = match challenge {
        Challenge::MfaSetup if !email_setup => Step::SetupVerified,
        other => Step::Challenge(other),
    };
    if challenge == Challenge::SoftwareTokenMfa {
        let has_token = pool_ref(store, &pool_id)?
            .users
            .get(&username)
            .is_some_and(|u| u.token.is_some());
        if !has_token {
            return Err(ApiError::new(
                Exception::SoftwareTokenMfaNotFound,
                message::TOTP_NOT_FOUND_FOR_USER,
            ));
        }
    }
    let session = take_session(store, ctx, &session_text, step, Some(&client.id), false)?;
    if session.pool_id != pool_id || session.username != username {
        return Err(not_authorized(message::SESSION_INVALID));
    }
    let device = session.device_key.as_deref();
    match challenge {
        Challenge::MfaSetup if email_setup => {
            let address = map_str(&responses, "EMAIL").unwrap_or_default().to_owned();
            set_up_email(
                store,
                ctx,
                &pool_id,
                &client,
                &session_text,
                &session,
                &address,
            )
        }
        Challenge::SoftwareTokenMfa | Challenge::MfaSetup => {
            if challenge == Challenge::SoftwareTokenMfa {
                check_totp_answer(store, ctx, &pool_id, &username, &responses)?;
            }
            take_session(store, ctx, &session_text, step, Some(&client.id), true)?;
            issue_tokens(store, ctx, &pool_id, &client, &username, true, device)
        }
        Challenge::EmailOtp => {
            let given = required(&responses, "EMAIL_OTP_CODE")?;
            let sent = session.email_code.clone().unwrap_or_default();
            let right: bool = !sent.is_empty()
                && (subtle::ConstantTimeEq::ct_eq(sent.as_bytes(), given.as_bytes()).into()
                    || (ctx.defect == Some(Defect::EmailOtpAcceptsAnyCode)
                        && given.len() == sent.len()));
            // A wrong code leaves the session usable (spec §2.20).
            if !right {
                return Err(ApiError::new(
                    Exception::CodeMismatch,
                    message::CODE_MISMATCH_OTP,
                ));
            }
            take_session(store, ctx, &session_text, step, Some(&client.id), true)?;
            if session.email_setup {
                let user = user_mut(store, &pool_id, &username)?;
                user.email_enabled = true;
                user.modified_ms = ctx.now_ms;
            }
            issue_tokens(store, ctx, &pool_id, &client, &username, true, device)
        }
        Challenge::SelectMfaType => {
            let text = required(&responses, "ANSWER")?;
            // The service model's text names the email answer EMAIL_MFA, its enum and
            // Amplify EMAIL_OTP: both are taken (spec §9 Q27).
            let answer = match text {
                "EMAIL_MFA" => Some(Challenge::EmailOtp),
                other => other.parse().ok().filter(|c| {
                    matches!(
                        c,
                        Challenge::SoftwareTokenMfa | Challenge::SmsMfa | Challenge::EmailOtp
                    )
                }),
            }
            .ok_or_else(|| invalid(format!("Invalid ANSWER {}", wire::bounded(text))))?;
            let pool = pool_ref(store, &pool_id)?;
            let user = pool.users.get(&username).ok_or_else(user_not_found)?;
            if !active_factors(pool, user).contains(&answer) {
                return Err(invalid(format!(
                    "{} is not enabled for the user",
                    answer.name()
                )));
            }
            take_session(store, ctx, &session_text, step, Some(&client.id), true)?;
            let mut params = Map::new();
            params.insert("USER_ID_FOR_SRP".into(), json!(username));
            challenge_with(
                store, ctx, &pool_id, &client, &username, answer, params, device,
            )
        }
        Challenge::NewPasswordRequired => {
            let password = required(&responses, "NEW_PASSWORD")?;
            check_password(password)?;
            let user = user_mut(store, &pool_id, &username)?;
            user.set_password(&pool_id, password);
            user.status = UserStatus::Confirmed;
            user.modified_ms = ctx.now_ms;
            take_session(store, ctx, &session_text, step, Some(&client.id), true)?;
            next_step(
                store,
                ctx,
                &pool_id,
                &client,
                &username,
                session.device_key.as_deref(),
            )
        }
        // The endpoint sends no text messages, so no SMS code can be right.
        Challenge::SmsMfa => Err(ApiError::new(
            Exception::CodeMismatch,
            message::CODE_MISMATCH,
        )),
        // Answered above, or never asked: a first factor is chosen through SELECT_CHALLENGE
        // with its parameters in the same answer.
        Challenge::PasswordVerifier
        | Challenge::DeviceSrpAuth
        | Challenge::DevicePasswordVerifier
        | Challenge::SelectChallenge
        | Challenge::Password
        | Challenge::PasswordSrp => Err(not_authorized(message::SESSION_INVALID)),
    }
}

/// MFA_SETUP answered with `{USERNAME, EMAIL}` (spec §2.20): the pool must offer email MFA;
/// the address becomes the user's `email`, a code goes to it, and the EMAIL_OTP challenge
/// that follows turns email MFA on for the user when it is answered rightly.
fn set_up_email(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    session_text: &str,
    session: &Session,
    address: &str,
) -> ApiResult<Value> {
    if pool_ref(store, pool_id)?.email_mfa.is_none() {
        return Err(invalid("Email MFA is not enabled for the user pool"));
    }
    if !address.contains('@') || address.chars().count() > 2048 {
        return Err(invalid(format!(
            "Invalid email address format: {}",
            wire::bounded(address)
        )));
    }
    let step = Step::Challenge(Challenge::MfaSetup);
    take_session(store, ctx, session_text, step, Some(&client.id), true)?;
    let user = user_mut(store, pool_id, &session.username)?;
    user.attributes.retain(|(name, _)| name != "email");
    user.attributes.push(("email".into(), address.to_owned()));
    user.modified_ms = ctx.now_ms;
    let mut params = Map::new();
    params.insert("USER_ID_FOR_SRP".into(), json!(session.username));
    let answer = challenge_with(
        store,
        ctx,
        pool_id,
        client,
        &session.username,
        Challenge::EmailOtp,
        params,
        session.device_key.as_deref(),
    )?;
    if let Some(id) = answer["Session"].as_str()
        && let Some(next) = store.sessions.get_mut(id)
    {
        next.email_setup = true;
    }
    Ok(answer)
}

/// The `SOFTWARE_TOKEN_MFA_CODE` of an answer, checked against the user's token. A wrong
/// code leaves the session usable (spec §9 Q1: a behaviour choice).
fn check_totp_answer(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    responses: &Map<String, Value>,
) -> ApiResult<()> {
    let text = required(responses, "SOFTWARE_TOKEN_MFA_CODE")?;
    let mismatch = ApiError::new(Exception::CodeMismatch, message::CODE_MISMATCH);
    // Not a six-digit code: nothing can match it (the map value has no model constraint).
    let code = Code::parse(text, Digits::SIX).map_err(|_| mismatch.clone())?;
    let user = user_mut(store, pool_id, username)?;
    let token = user.token.as_mut().ok_or_else(|| {
        ApiError::new(
            Exception::SoftwareTokenMfaNotFound,
            message::TOTP_NOT_FOUND_FOR_USER,
        )
    })?;
    check_code(token, &code, ctx.now_ms / 1000, mismatch)
}

pub(super) fn respond_to_auth_challenge(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    respond(store, ctx, input, None)
}

pub(super) fn admin_respond_to_auth_challenge(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let pool_id = input.string("UserPoolId")?.to_owned();
    respond(store, ctx, input, Some(&pool_id))
}

/// Revokes every token family of the user and drops their refresh tokens.
fn sign_out(store: &mut Store, pool_id: &str, username: &str) -> ApiResult<()> {
    user_mut(store, pool_id, username)?.live_families.clear();
    store
        .refresh_tokens
        .retain(|_, g| !(g.pool_id == pool_id && g.username == username));
    Ok(())
}

pub(super) fn global_sign_out(store: &mut Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let (pool_id, username) = access(store, ctx, input.string("AccessToken")?)?;
    sign_out(store, &pool_id, &username)?;
    Ok(json!({}))
}

pub(super) fn admin_user_global_sign_out(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    sign_out(
        store,
        input.string("UserPoolId")?,
        input.string("Username")?,
    )?;
    Ok(json!({}))
}
