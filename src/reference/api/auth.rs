//! Sign-in: InitiateAuth / AdminInitiateAuth and the challenge responses (spec §2.9–§2.12,
//! §4 B1, B2, B4–B6, B8, B10). Decides which challenge comes next and issues tokens.
//!
//! Owns: those operations' handlers. Uses: the store, the wire, [`crate::totp`],
//! [`crate::vocabulary`], [`crate::secret_hash`].

use serde_json::{Map, Value, json};

use super::admin::check_password;
use super::mfa::check_code;
use super::store::{
    AppClient, MfaMode, RefreshGrant, Step, Store, User, UserStatus, new_opaque, new_uuid,
};
use super::wire::{
    ApiError, ApiResult, Input, constraint, invalid, map_str, not_authorized, validation,
};
use super::{Ctx, client_ref, new_session, pool_ref, take_session, user_mut, user_not_found};
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

pub(super) fn required<'a>(params: &'a Map<String, Value>, key: &str) -> ApiResult<&'a str> {
    map_str(params, key).ok_or_else(|| invalid(message::missing_parameter(key)))
}

/// `SECRET_HASH` = Base64(HMAC-SHA256(client secret, username + client id)) (spec §2.13).
pub(super) fn check_secret_hash(
    client: &AppClient,
    username: &str,
    params: &Map<String, Value>,
) -> ApiResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(given) = map_str(params, "SECRET_HASH") else {
        return Err(not_authorized(message::secret_hash_missing(&client.id)));
    };
    let expected = crate::secret_hash::secret_hash(secret, username, &client.id);
    if subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), given.as_bytes()).into() {
        Ok(())
    } else {
        Err(not_authorized(message::secret_hash_mismatch(&client.id)))
    }
}

/// Which sign-in factors are active for `user` in a pool of `mode` (spec §4 B8: in an ON
/// pool a verified token is used without a preference call).
pub(super) fn active_factors(mode: MfaMode, sms_configured: bool, user: &User) -> Vec<Challenge> {
    let mut factors = Vec::new();
    if mode == MfaMode::Off {
        return factors;
    }
    if sms_configured && user.sms_enabled && user.attribute("phone_number").is_some() {
        factors.push(Challenge::SmsMfa);
    }
    if user.token.is_some() && (user.totp_enabled || mode == MfaMode::On) {
        factors.push(Challenge::SoftwareTokenMfa);
    }
    factors
}

fn json_list(items: &[&str]) -> String {
    serde_json::to_string(items).expect("a list of strings serialises")
}

/// Refuses a sign-in while `user` is locked out after wrong passwords.
pub(super) fn lockout_check(user: &User, now_ms: u64) -> ApiResult<()> {
    if now_ms < user.locked_until_ms {
        Err(not_authorized(message::PASSWORD_ATTEMPTS_EXCEEDED))
    } else {
        Ok(())
    }
}

/// Counts a wrong password: from the sixth in a row, sign-in is locked for 2^(n−5) seconds,
/// at most 15 minutes (spec §2.14).
pub(super) fn record_failure(user: &mut User, now_ms: u64) {
    user.failed_sign_ins = user.failed_sign_ins.saturating_add(1);
    if user.failed_sign_ins > 5 {
        let exponent = (user.failed_sign_ins - 5).min(10);
        let seconds = (1u64 << exponent).min(15 * 60);
        user.locked_until_ms = now_ms + seconds * 1000;
    }
}

/// What a successful first factor (or answered challenge) leads to. `device` is the DEVICE_KEY
/// the sign-in named, if any: a remembered device of a pool with ChallengeRequiredOnNewDevice
/// is asked for DEVICE_SRP_AUTH instead of the MFA factors (spec §2.15).
pub(super) fn next_step(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    username: &str,
    device: Option<&str>,
) -> ApiResult<Value> {
    let pool = pool_ref(store, pool_id)?;
    let user = pool.users.get(username).ok_or_else(user_not_found)?;
    let mut params = Map::new();
    params.insert("USER_ID_FOR_SRP".into(), json!(user.username));
    let remembered = device
        .and_then(|key| user.devices.get(key))
        .filter(|d| d.remembered && d.verifier.is_some());
    let device_auth = pool
        .device_config
        .is_some_and(|c| c.challenge_required_on_new_device);
    let challenge = if user.status == UserStatus::ForceChangePassword {
        let attrs: Map<String, Value> = user
            .attributes
            .iter()
            .filter(|(n, _)| n != "sub")
            .map(|(n, v)| (n.clone(), json!(v)))
            .collect();
        params.insert("requiredAttributes".into(), json!("[]"));
        params.insert(
            "userAttributes".into(),
            json!(Value::Object(attrs).to_string()),
        );
        Some(Challenge::NewPasswordRequired)
    } else if let (Some(d), true) = (remembered, device_auth) {
        params.insert("USERNAME".into(), json!(user.username));
        params.insert("DEVICE_KEY".into(), json!(d.key));
        Some(Challenge::DeviceSrpAuth)
    } else {
        let factors = active_factors(pool.mfa, pool.sms_config.is_some(), user);
        let preferred = factors.iter().copied().find(|f| match f {
            Challenge::SoftwareTokenMfa => user.totp_preferred,
            Challenge::SmsMfa => user.sms_preferred,
            _ => false,
        });
        match (factors.len(), preferred) {
            (0, _) if pool.mfa == MfaMode::On => {
                let mut can_setup = Vec::new();
                if pool.sms_config.is_some() {
                    can_setup.push(Challenge::SmsMfa.name());
                }
                if pool.totp_enabled {
                    can_setup.push(Challenge::SoftwareTokenMfa.name());
                }
                params.insert("MFAS_CAN_SETUP".into(), json!(json_list(&can_setup)));
                Some(Challenge::MfaSetup)
            }
            (0, _) => None,
            (1, _) => Some(factors[0]),
            (_, Some(p)) => Some(p),
            (_, None) => {
                let names: Vec<&str> = factors.iter().map(|f| f.name()).collect();
                params.insert("MFAS_CAN_CHOOSE".into(), json!(json_list(&names)));
                Some(Challenge::SelectMfaType)
            }
        }
    };
    match challenge {
        None => issue_tokens(store, ctx, pool_id, client, username, true, device),
        Some(challenge) => {
            match challenge {
                Challenge::SoftwareTokenMfa => {
                    let name = user.token.as_ref().and_then(|t| t.friendly_name.clone());
                    if let Some(name) = name {
                        params.insert("FRIENDLY_DEVICE_NAME".into(), json!(name));
                    }
                }
                Challenge::SmsMfa => {
                    let phone = user.attribute("phone_number").unwrap_or("");
                    let tail: String = phone
                        .chars()
                        .rev()
                        .take(4)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    params.insert("CODE_DELIVERY_DELIVERY_MEDIUM".into(), json!("SMS"));
                    params.insert(
                        "CODE_DELIVERY_DESTINATION".into(),
                        json!(format!("+*******{tail}")),
                    );
                }
                _ => {}
            }
            let session = super::new_device_session(
                store,
                ctx,
                pool_id,
                &client.id,
                username,
                Step::Challenge(challenge),
                device,
            )?;
            if challenge == Challenge::DeviceSrpAuth
                && let Some(key) = device
            {
                let id = (
                    pool_id.to_owned(),
                    client.id.clone(),
                    username.to_owned(),
                    key.to_owned(),
                );
                store.device_sessions.insert(id, session.clone());
            }
            Ok(json!({
                "ChallengeName": challenge.name(),
                "ChallengeParameters": params,
                "Session": session,
            }))
        }
    }
}

/// Access, ID and (optionally) refresh token for `username`, as `AuthenticationResult`. In a
/// pool that tracks devices, the tokens belong to the device the sign-in named (`device`,
/// if the user has it), or to a new one, announced as `NewDeviceMetadata` (spec §2.15).
pub(super) fn issue_tokens(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    username: &str,
    with_refresh: bool,
    device: Option<&str>,
) -> ApiResult<Value> {
    let family = new_uuid();
    let tracking = pool_ref(store, pool_id)?.device_config.is_some();
    let user = user_mut(store, pool_id, username)?;
    user.live_families.insert(family.clone());
    let known = device
        .filter(|key| user.devices.contains_key(*key))
        .map(str::to_owned);
    let mut new_device = None;
    let device_key = match (tracking, known) {
        (false, _) => None,
        (true, Some(key)) => {
            if let Some(d) = user.devices.get_mut(&key) {
                d.last_authenticated_ms = ctx.now_ms;
            }
            Some(key)
        }
        (true, None) => {
            let key = super::store::new_device_key(ctx.region);
            let group = user
                .device_group_key
                .get_or_insert_with(super::store::new_device_group_key)
                .clone();
            user.devices.insert(
                key.clone(),
                super::store::Device {
                    key: key.clone(),
                    verifier: None,
                    name: None,
                    remembered: false,
                    created_ms: ctx.now_ms,
                    modified_ms: ctx.now_ms,
                    last_authenticated_ms: ctx.now_ms,
                },
            );
            new_device = Some(json!({ "DeviceKey": key, "DeviceGroupKey": group }));
            Some(key)
        }
    };
    let mut result = tokens_for(ctx, pool_id, client, user, &family, device_key.as_deref());
    if let Some(metadata) = new_device {
        result["NewDeviceMetadata"] = metadata;
    }
    if with_refresh {
        let refresh = new_opaque(400);
        store.refresh_tokens.insert(
            refresh.clone(),
            RefreshGrant {
                pool_id: pool_id.to_owned(),
                client_id: client.id.clone(),
                username: username.to_owned(),
                family,
                expires_ms: ctx.now_ms + client.refresh_token_validity.seconds() * 1000,
                device_key,
                scopes: None,
            },
        );
        result["RefreshToken"] = json!(refresh);
    }
    Ok(json!({ "AuthenticationResult": result, "ChallengeParameters": {} }))
}

pub(super) fn tokens_for(
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    user: &User,
    family: &str,
    device_key: Option<&str>,
) -> Value {
    let now = ctx.now_ms / 1000;
    let iss = format!("{}/{pool_id}", ctx.issuer_base);
    let event_id = new_uuid();
    let access = json!({
        "sub": user.sub, "iss": iss, "client_id": client.id, "origin_jti": family,
        "event_id": event_id, "token_use": "access", "scope": "aws.cognito.signin.user.admin",
        "auth_time": now, "exp": now + client.access_token_validity.seconds(), "iat": now,
        "jti": new_uuid(), "username": user.username,
    });
    let mut access = access;
    if let Some(key) = device_key {
        access["device_key"] = json!(key);
    }
    let mut id = json!({
        "sub": user.sub, "iss": iss, "cognito:username": user.username, "origin_jti": family,
        "aud": client.id, "event_id": event_id, "token_use": "id", "auth_time": now,
        "exp": now + client.id_token_validity.seconds(), "iat": now, "jti": new_uuid(),
    });
    for (name, value) in &user.attributes {
        if name != "sub" {
            id[name] = json!(value);
        }
    }
    // The claims stand in for the tokens; `Endpoint::try_handle` signs them after the
    // store's lock is released.
    json!({
        "AccessToken": access,
        "ExpiresIn": client.access_token_validity.seconds(),
        "IdToken": id,
        "TokenType": "Bearer",
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
    next_step(store, ctx, pool_id, client, &username, None)
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
    let result = tokens_for(
        ctx,
        pool_id,
        client,
        user,
        &grant.family,
        grant.device_key.as_deref(),
    );
    Ok(json!({ "AuthenticationResult": result, "ChallengeParameters": {} }))
}

fn unsupported_flow(flow: AuthFlow) -> ApiError {
    invalid(format!(
        "{} is not supported by the mfaspec reference endpoint",
        flow.name()
    ))
}

pub(super) fn initiate_auth(store: &mut Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    input.allow(&[
        "AuthFlow",
        "AuthParameters",
        "ClientMetadata",
        "ClientId",
        "AnalyticsMetadata",
        "UserContextData",
        "Session",
    ])?;
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
        AuthFlow::UserSrpAuth => super::verifier::initiate(store, ctx, &pool_id, &client, &params),
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
    input.allow(&[
        "UserPoolId",
        "ClientId",
        "AuthFlow",
        "AuthParameters",
        "ClientMetadata",
        "AnalyticsMetadata",
        "ContextData",
        "Session",
    ])?;
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
        AuthFlow::UserSrpAuth => super::verifier::initiate(store, ctx, &pool_id, &client, &params),
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
        return super::verifier::answer(store, ctx, &pool_id, &client, &responses, device);
    }
    if challenge == Challenge::DeviceSrpAuth {
        let session = input.opt_string("Session")?;
        return super::verifier::device_srp_auth(
            store, ctx, &pool_id, &client, &responses, session,
        );
    }
    let session_text = input
        .opt_string("Session")?
        .ok_or_else(|| invalid(message::missing_parameter("Session")))?
        .to_owned();
    let username = required(&responses, "USERNAME")?.to_owned();
    check_secret_hash(&client, &username, &responses)?;
    // The step the session must be at for this answer.
    let step = match challenge {
        Challenge::MfaSetup => Step::SetupVerified,
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
    match challenge {
        Challenge::SoftwareTokenMfa => {
            let text = required(&responses, "SOFTWARE_TOKEN_MFA_CODE")?;
            let mismatch = ApiError::new(Exception::CodeMismatch, message::CODE_MISMATCH);
            // Not a six-digit code: nothing can match it (the map value has no model constraint).
            let code = Code::parse(text, Digits::SIX).map_err(|_| mismatch.clone())?;
            let user = user_mut(store, &pool_id, &username)?;
            let token = user.token.as_mut().ok_or_else(|| {
                ApiError::new(
                    Exception::SoftwareTokenMfaNotFound,
                    message::TOTP_NOT_FOUND_FOR_USER,
                )
            })?;
            // A wrong code leaves the session usable (spec §9 Q1: a behaviour choice).
            check_code(token, &code, ctx.now_ms / 1000, mismatch)?;
            take_session(store, ctx, &session_text, step, Some(&client.id), true)?;
            issue_tokens(
                store,
                ctx,
                &pool_id,
                &client,
                &username,
                true,
                session.device_key.as_deref(),
            )
        }
        Challenge::MfaSetup => {
            take_session(store, ctx, &session_text, step, Some(&client.id), true)?;
            issue_tokens(
                store,
                ctx,
                &pool_id,
                &client,
                &username,
                true,
                session.device_key.as_deref(),
            )
        }
        Challenge::SelectMfaType => {
            let answer = required(&responses, "ANSWER")?;
            let answer: Challenge = answer
                .parse()
                .ok()
                .filter(|c| matches!(c, Challenge::SoftwareTokenMfa | Challenge::SmsMfa))
                .ok_or_else(|| {
                    invalid(format!("Invalid ANSWER {}", super::wire::bounded(answer)))
                })?;
            let pool = pool_ref(store, &pool_id)?;
            let user = pool.users.get(&username).ok_or_else(user_not_found)?;
            if !active_factors(pool.mfa, pool.sms_config.is_some(), user).contains(&answer) {
                return Err(invalid(format!(
                    "{} is not enabled for the user",
                    answer.name()
                )));
            }
            let friendly = user.token.as_ref().and_then(|t| t.friendly_name.clone());
            take_session(store, ctx, &session_text, step, Some(&client.id), true)?;
            let mut params = Map::new();
            params.insert("USER_ID_FOR_SRP".into(), json!(username));
            if let (Challenge::SoftwareTokenMfa, Some(name)) = (answer, friendly) {
                params.insert("FRIENDLY_DEVICE_NAME".into(), json!(name));
            }
            let session = new_session(
                store,
                ctx,
                &pool_id,
                &client.id,
                &username,
                Step::Challenge(answer),
            )?;
            Ok(
                json!({ "ChallengeName": answer.name(), "ChallengeParameters": params, "Session": session }),
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
        // Answered above.
        Challenge::PasswordVerifier
        | Challenge::DeviceSrpAuth
        | Challenge::DevicePasswordVerifier => Err(not_authorized(message::SESSION_INVALID)),
    }
}

pub(super) fn respond_to_auth_challenge(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&[
        "ClientId",
        "ChallengeName",
        "Session",
        "ChallengeResponses",
        "AnalyticsMetadata",
        "UserContextData",
        "ClientMetadata",
    ])?;
    respond(store, ctx, input, None)
}

pub(super) fn admin_respond_to_auth_challenge(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&[
        "UserPoolId",
        "ClientId",
        "ChallengeName",
        "ChallengeResponses",
        "Session",
        "AnalyticsMetadata",
        "ContextData",
        "ClientMetadata",
    ])?;
    let pool_id = input.string("UserPoolId")?.to_owned();
    respond(store, ctx, input, Some(&pool_id))
}
