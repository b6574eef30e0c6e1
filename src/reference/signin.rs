//! The sign-in rules both wings follow, in one place: the password policy and check, the
//! SECRET_HASH, lockout after wrong passwords, which MFA factors are active, the TOTP code
//! check, what comes after a first factor (the next challenge, or tokens), and issuing tokens
//! (spec §2.9–§2.15, §4 B1, B2, B8).
//!
//! Owns: those rules. Uses: the store, the context, sessions, the wire, [`crate::totp`].
//! Knows neither wing: the API and the hosted UI call in here.

use serde_json::{Map, Value, json};

use super::context::{Ctx, pool_ref, user_mut, user_not_found};
use super::session::new_device_session;
use super::store::{
    self, AppClient, MfaMode, Pool, RefreshGrant, SoftwareToken, Step, Store, User, UserStatus,
    new_opaque, new_uuid,
};
use super::wire::{ApiError, ApiResult, invalid, map_str, not_authorized};
use crate::totp::{Code, Rejection, Totp, Window};
use crate::vocabulary::{Challenge, Exception, message};

/// Cognito's default password policy: 8 characters with upper, lower, number and symbol.
pub(crate) fn check_password(password: &str) -> ApiResult<()> {
    let problem = if password.chars().count() < 8 {
        Some(message::PASSWORD_TOO_SHORT)
    } else if !password.chars().any(char::is_uppercase) {
        Some(message::PASSWORD_NO_UPPER)
    } else if !password.chars().any(char::is_lowercase) {
        Some(message::PASSWORD_NO_LOWER)
    } else if !password.chars().any(|c| c.is_ascii_digit()) {
        Some(message::PASSWORD_NO_DIGIT)
    } else if !password.chars().any(|c| !c.is_alphanumeric()) {
        Some(message::PASSWORD_NO_SYMBOL)
    } else {
        None
    };
    match problem {
        Some(p) => Err(ApiError::new(
            Exception::InvalidPassword,
            message::password_policy(p),
        )),
        None => Ok(()),
    }
}

pub(crate) fn required<'a>(params: &'a Map<String, Value>, key: &str) -> ApiResult<&'a str> {
    map_str(params, key).ok_or_else(|| invalid(message::missing_parameter(key)))
}

/// `SECRET_HASH` = Base64(HMAC-SHA256(client secret, username + client id)) (spec §2.13).
pub(crate) fn check_secret_hash(
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

/// Which sign-in factors are active for `user` in `pool`, in the order Cognito lists them
/// (SMS, TOTP, email; spec §4 B8: in an ON pool a verified token is used without a
/// preference call; §2.20: email MFA once the user enabled it).
pub(crate) fn active_factors(pool: &Pool, user: &User) -> Vec<Challenge> {
    let mut factors = Vec::new();
    if pool.mfa == MfaMode::Off {
        return factors;
    }
    if pool.sms_config.is_some() && user.sms_enabled && user.attribute("phone_number").is_some() {
        factors.push(Challenge::SmsMfa);
    }
    if user.token.is_some() && (user.totp_enabled || pool.mfa == MfaMode::On) {
        factors.push(Challenge::SoftwareTokenMfa);
    }
    if pool.email_mfa.is_some() && user.email_enabled && user.attribute("email").is_some() {
        factors.push(Challenge::EmailOtp);
    }
    factors
}

/// The factor a user prefers, of those active.
fn preferred_factor(factors: &[Challenge], user: &User) -> Option<Challenge> {
    factors.iter().copied().find(|f| match f {
        Challenge::SoftwareTokenMfa => user.totp_preferred,
        Challenge::SmsMfa => user.sms_preferred,
        Challenge::EmailOtp => user.email_preferred,
        _ => false,
    })
}

/// `b***@example.com`: an address as CODE_DELIVERY_DESTINATION shows it (the shape in
/// LocalStack's documented example, spec §2.20).
pub(crate) fn masked_address(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// Emails a fresh code to `address` for `username` of `pool_id` (into the outbox: the
/// endpoint sends nothing) and returns the code.
pub(crate) fn email_code(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    username: &str,
    address: &str,
) -> ApiResult<String> {
    let config = pool_ref(store, pool_id)?
        .email_mfa
        .clone()
        .unwrap_or_default();
    let code = store::new_code(EMAIL_CODE_DIGITS);
    let template = config
        .message
        .unwrap_or_else(|| "Your verification code is {####}.".into());
    store.send(store::Mail {
        pool_id: pool_id.to_owned(),
        username: username.to_owned(),
        to: address.to_owned(),
        subject: config
            .subject
            .unwrap_or_else(|| "Your verification code".into()),
        body: template.replace("{####}", &code),
        code: code.clone(),
        sent_ms: ctx.now_ms,
    });
    Ok(code)
}

/// Digits in an emailed code (spec §9 Q28: AWS's length is not recorded).
pub(crate) const EMAIL_CODE_DIGITS: usize = 6;

fn json_list(items: &[&str]) -> String {
    serde_json::to_string(items).expect("a list of strings serialises")
}

/// Refuses a sign-in while `user` is locked out after wrong passwords.
pub(crate) fn lockout_check(user: &User, now_ms: u64) -> ApiResult<()> {
    if now_ms < user.locked_until_ms {
        Err(not_authorized(message::PASSWORD_ATTEMPTS_EXCEEDED))
    } else {
        Ok(())
    }
}

/// Counts a wrong password: from the sixth in a row, sign-in is locked for 2^(n−5) seconds,
/// at most 15 minutes (spec §2.14).
pub(crate) fn record_failure(user: &mut User, now_ms: u64) {
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
pub(crate) fn next_step(
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
        let factors = active_factors(pool, user);
        match (factors.len(), preferred_factor(&factors, user)) {
            (0, _) if pool.mfa == MfaMode::On => {
                let mut can_setup = Vec::new();
                if pool.sms_config.is_some() {
                    can_setup.push(Challenge::SmsMfa.name());
                }
                if pool.totp_enabled {
                    can_setup.push(Challenge::SoftwareTokenMfa.name());
                }
                if pool.email_mfa.is_some() {
                    can_setup.push(Challenge::EmailOtp.name());
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
        Some(challenge) => challenge_with(
            store, ctx, pool_id, client, username, challenge, params, device,
        ),
    }
}

/// The challenge `challenge` for `username`, with `params` and a new session: a factor's
/// own parameters are added here (the TOTP device's name, where an SMS or an email went),
/// and for EMAIL_OTP the code is emailed and kept with the session.
#[allow(clippy::too_many_arguments)]
pub(crate) fn challenge_with(
    store: &mut Store,
    ctx: &Ctx<'_>,
    pool_id: &str,
    client: &AppClient,
    username: &str,
    challenge: Challenge,
    mut params: Map<String, Value>,
    device: Option<&str>,
) -> ApiResult<Value> {
    let user = pool_ref(store, pool_id)?
        .users
        .get(username)
        .ok_or_else(user_not_found)?;
    let mut email = None;
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
        Challenge::EmailOtp => {
            let address = user.attribute("email").unwrap_or("").to_owned();
            params.insert("CODE_DELIVERY_DELIVERY_MEDIUM".into(), json!("EMAIL"));
            params.insert(
                "CODE_DELIVERY_DESTINATION".into(),
                json!(masked_address(&address)),
            );
            email = Some(address);
        }
        _ => {}
    }
    let session = new_device_session(
        store,
        ctx,
        pool_id,
        &client.id,
        username,
        Step::Challenge(challenge),
        device,
    )?;
    if let Some(address) = email {
        let code = email_code(store, ctx, pool_id, username, &address)?;
        if let Some(s) = store.sessions.get_mut(&session) {
            s.email_code = Some(code);
        }
    }
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

/// Access, ID and (optionally) refresh token for `username`, as `AuthenticationResult`. In a
/// pool that tracks devices, the tokens belong to the device the sign-in named (`device`,
/// if the user has it), or to a new one, announced as `NewDeviceMetadata` (spec §2.15).
pub(crate) fn issue_tokens(
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
            let key = store::new_device_key(ctx.region);
            let group = user
                .device_group_key
                .get_or_insert_with(store::new_device_group_key)
                .clone();
            user.devices.insert(
                key.clone(),
                store::Device {
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

pub(crate) fn tokens_for(
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
            id[name] = if ctx.defect == Some(super::defect::Defect::IdClaimsAsStrings) {
                json!(value)
            } else {
                crate::reference::tokens::id_claim(name, value)
            };
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

/// Checks `code` against `token` at the current time, with Cognito's ±1 step and the token's
/// replay memory. `mismatch` is the error for a wrong code.
pub(crate) fn check_code(
    token: &mut SoftwareToken,
    code: &Code,
    now_s: u64,
    mismatch: ApiError,
) -> ApiResult<()> {
    let totp = Totp::cognito(&token.secret);
    match totp.verify_once(code, now_s, Window::COGNITO, &mut token.replay) {
        Ok(_) => Ok(()),
        Err(Rejection::AlreadyUsed(_)) => Err(ApiError::new(
            Exception::ExpiredCode,
            message::CODE_ALREADY_USED,
        )),
        Err(Rejection::Mismatch | Rejection::Time(_)) => Err(mismatch),
    }
}
