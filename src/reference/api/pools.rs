//! Pools, app clients and users: the SigV4 administration operations of the reference
//! endpoint (spec §2.1, §2.2, §2.8, §2.13).
//!
//! Owns: those operations' handlers. Uses: the store, the wire, [`crate::vocabulary`].

use serde_json::{Map, Value, json};

use super::store::{
    AppClient, MfaMode, Pool, Store, User, UserStatus, new_client_id, new_client_secret,
    new_pool_id, new_uuid,
};
use super::store::{OAuthSettings, TimeUnit, TokenValidity};
use super::wire::{ApiError, ApiResult, Input, constraint, invalid, validation};
use super::{Ctx, epoch_secs, pool_mut, pool_ref, user_mut};
use crate::vocabulary::{Challenge, Exception, message};

/// Members CreateUserPool accepts; those the endpoint does not model are accepted and
/// ignored, so that templates written for AWS run unchanged.
const CREATE_POOL_MEMBERS: &[&str] = &[
    "PoolName",
    "MfaConfiguration",
    "Policies",
    "LambdaConfig",
    "AutoVerifiedAttributes",
    "AliasAttributes",
    "UsernameAttributes",
    "SmsVerificationMessage",
    "EmailVerificationMessage",
    "EmailVerificationSubject",
    "VerificationMessageTemplate",
    "SmsAuthenticationMessage",
    "DeviceConfiguration",
    "EmailConfiguration",
    "SmsConfiguration",
    "UserPoolTags",
    "AdminCreateUserConfig",
    "Schema",
    "UserPoolAddOns",
    "UsernameConfiguration",
    "AccountRecoverySetting",
    "DeletionProtection",
    "UserAttributeUpdateSettings",
    "UserPoolTier",
];

const CLIENT_MEMBERS: &[&str] = &[
    "UserPoolId",
    "ClientId",
    "ClientName",
    "GenerateSecret",
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
    "RefreshTokenRotation",
];

const FLOWS: &[&str] = &[
    "ADMIN_NO_SRP_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY",
    "USER_PASSWORD_AUTH",
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_CUSTOM_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_USER_AUTH",
];

fn mfa_mode(input: &Input) -> ApiResult<Option<MfaMode>> {
    match input.opt_string("MfaConfiguration")? {
        None => Ok(None),
        Some(v) => MfaMode::parse(v).map(Some).ok_or_else(|| {
            validation(&[constraint(
                Some(v),
                "MfaConfiguration",
                "Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
            )])
        }),
    }
}

fn describe_pool(pool: &Pool) -> Value {
    let mut out = json!({
        "Id": pool.id,
        "Name": pool.name,
        "Arn": pool.arn,
        "CreationDate": epoch_secs(pool.created_ms),
        "LastModifiedDate": epoch_secs(pool.modified_ms),
        "MfaConfiguration": pool.mfa.name(),
        "EstimatedNumberOfUsers": pool.users.len(),
        "Policies": { "PasswordPolicy": {
            "MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true,
            "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 7,
        }},
        "LambdaConfig": {},
        "UserPoolTags": {},
    });
    if let Some((domain, _)) = &pool.domain {
        out["Domain"] = json!(domain);
    }
    if let Some(c) = pool.device_config {
        out["DeviceConfiguration"] = json!({
            "ChallengeRequiredOnNewDevice": c.challenge_required_on_new_device,
            "DeviceOnlyRememberedOnUserPrompt": c.only_remembered_on_user_prompt,
        });
    }
    out
}

/// `DeviceConfiguration` of CreateUserPool: given at all, the pool tracks devices.
fn device_config(input: &Input) -> ApiResult<Option<super::store::DeviceConfig>> {
    let Some(c) = input.opt_struct("DeviceConfiguration")? else {
        return Ok(None);
    };
    c.allow(&[
        "ChallengeRequiredOnNewDevice",
        "DeviceOnlyRememberedOnUserPrompt",
    ])?;
    Ok(Some(super::store::DeviceConfig {
        challenge_required_on_new_device: c
            .opt_bool("ChallengeRequiredOnNewDevice")?
            .unwrap_or(false),
        only_remembered_on_user_prompt: c
            .opt_bool("DeviceOnlyRememberedOnUserPrompt")?
            .unwrap_or(false),
    }))
}

pub(super) fn create_user_pool(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(CREATE_POOL_MEMBERS)?;
    let name = input.string("PoolName")?;
    if name.is_empty() || name.chars().count() > 128 {
        return Err(validation(&[constraint(
            Some(name),
            "PoolName",
            "Member must have length between 1 and 128",
        )]));
    }
    let mfa = mfa_mode(input)?.unwrap_or(MfaMode::Off);
    let id = new_pool_id(ctx.region);
    let pool = Pool {
        arn: format!(
            "arn:aws:cognito-idp:{}:000000000000:userpool/{id}",
            ctx.region
        ),
        id: id.clone(),
        name: name.to_owned(),
        created_ms: ctx.now_ms,
        modified_ms: ctx.now_ms,
        mfa,
        totp_enabled: false,
        sms_config: None,
        device_config: device_config(input)?,
        domain: None,
        clients: Default::default(),
        users: Default::default(),
    };
    let described = describe_pool(&pool);
    store.pools.insert(id, pool);
    Ok(json!({ "UserPool": described }))
}

pub(super) fn delete_user_pool(store: &mut Store, _: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    input.allow(&["UserPoolId"])?;
    let id = input.string("UserPoolId")?;
    pool_ref(store, id)?;
    store.pools.remove(id);
    store.sessions.retain(|_, s| s.pool_id != id);
    store.refresh_tokens.retain(|_, g| g.pool_id != id);
    store.srp_pending.retain(|_, p| p.pool_id != id);
    store.domains.retain(|_, pool| pool != id);
    store.device_sessions.retain(|(pool, ..), _| pool != id);
    Ok(json!({}))
}

pub(super) fn describe_user_pool(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&["UserPoolId"])?;
    let pool = pool_ref(store, input.string("UserPoolId")?)?;
    Ok(json!({ "UserPool": describe_pool(pool) }))
}

/// A page of `items` after the position named by `token` (an index the endpoint handed out).
/// A limit of 0 means the default page of 60 (ListUsers' `Limit` may be 0): a page never
/// hands back the token it was given, so paging always ends.
pub(super) fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    limit: usize,
) -> ApiResult<(Vec<T>, Option<String>)> {
    let start = match token {
        None => 0,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|&i| i <= items.len())
            .ok_or_else(|| invalid(message::INVALID_PAGINATION_TOKEN))?,
    };
    let limit = if limit == 0 { 60 } else { limit };
    let end = start.saturating_add(limit).min(items.len());
    let next = (end < items.len()).then(|| end.to_string());
    Ok((items[start..end].to_vec(), next))
}

pub(super) fn list_user_pools(store: &mut Store, _: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    input.allow(&["MaxResults", "NextToken"])?;
    let max = input
        .opt_integer("MaxResults")?
        .ok_or_else(|| validation(&[constraint(None, "MaxResults", "Member must not be null")]))?;
    if !(1..=60).contains(&max) {
        return Err(validation(&[constraint(
            Some(&max.to_string()),
            "MaxResults",
            "Member must have value between 1 and 60",
        )]));
    }
    let all: Vec<Value> = store
        .pools
        .values()
        .map(|p| {
            json!({ "Id": p.id, "Name": p.name, "LambdaConfig": {},
                    "CreationDate": epoch_secs(p.created_ms), "LastModifiedDate": epoch_secs(p.modified_ms) })
        })
        .collect();
    let (items, next) = page(&all, input.opt_string("NextToken")?, max as usize)?;
    let mut out = json!({ "UserPools": items });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

/// The MFA configuration as SetUserPoolMfaConfig and GetUserPoolMfaConfig return it.
/// `SoftwareTokenMfaConfiguration` is always present (spec §9 Q10: a behaviour choice).
fn mfa_config(pool: &Pool) -> Value {
    let mut out = json!({
        "MfaConfiguration": pool.mfa.name(),
        "SoftwareTokenMfaConfiguration": { "Enabled": pool.totp_enabled },
    });
    if let Some(sms) = &pool.sms_config {
        out["SmsMfaConfiguration"] = sms.clone();
    }
    out
}

pub(super) fn set_user_pool_mfa_config(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&[
        "UserPoolId",
        "MfaConfiguration",
        "SoftwareTokenMfaConfiguration",
        "SmsMfaConfiguration",
        "EmailMfaConfiguration",
        "WebAuthnConfiguration",
    ])?;
    let mode = mfa_mode(input)?;
    let totp = input.opt_struct("SoftwareTokenMfaConfiguration")?;
    let totp_enabled = match &totp {
        Some(t) => Some(t.opt_bool("Enabled")?.unwrap_or(false)),
        None => None,
    };
    let sms = input.opt_struct("SmsMfaConfiguration")?;
    let email = input.opt_struct("EmailMfaConfiguration")?;
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    let mode = mode.unwrap_or(pool.mfa);
    if mode == MfaMode::Off {
        // spec §2.1: OFF with a factor configuration is refused; OFF alone is accepted.
        if totp.is_some() || email.is_some() {
            return Err(invalid(message::MFA_CONFIG_OFF_WITH_FACTOR));
        }
        pool.mfa = MfaMode::Off;
        pool.modified_ms = ctx.now_ms;
        return Ok(mfa_config(pool));
    }
    let totp_after = totp_enabled.unwrap_or(pool.totp_enabled);
    let sms_after = match &sms {
        Some(_) => input.get_raw("SmsMfaConfiguration"),
        None => pool.sms_config.clone(),
    };
    if !totp_after && sms_after.is_none() {
        return Err(invalid(message::MFA_CONFIG_NO_FACTOR));
    }
    pool.mfa = mode;
    pool.totp_enabled = totp_after;
    pool.sms_config = sms_after;
    pool.modified_ms = ctx.now_ms;
    Ok(mfa_config(pool))
}

pub(super) fn get_user_pool_mfa_config(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&["UserPoolId"])?;
    Ok(mfa_config(pool_ref(store, input.string("UserPoolId")?)?))
}

/// An access token lives an hour unless the app client says otherwise.
const DEFAULT_ACCESS_VALIDITY: TokenValidity = TokenValidity {
    value: 1,
    unit: TimeUnit::Hours,
};
/// So does an ID token.
const DEFAULT_ID_VALIDITY: TokenValidity = DEFAULT_ACCESS_VALIDITY;
/// A refresh token lives 30 days.
const DEFAULT_REFRESH_VALIDITY: TokenValidity = TokenValidity {
    value: 30,
    unit: TimeUnit::Days,
};

/// One token lifetime of a Create/UpdateUserPoolClient request: the value (or its default)
/// in its unit (or the default unit), checked as Cognito checks them — the service model's
/// range for the value and the unit's enum (a validation error), then the documented range
/// of the lifetime itself (InvalidParameterException "Invalid range for token validity.").
fn token_validity(
    input: &Input,
    units: Option<&Input>,
    token: &str,
    default: TokenValidity,
    model_max: i64,
    lifetime: std::ops::RangeInclusive<u64>,
) -> ApiResult<TokenValidity> {
    let member = format!("{token}TokenValidity");
    let unit_member = format!("{token}Token");
    let unit = match units
        .map(|u| u.opt_string(&unit_member))
        .transpose()?
        .flatten()
    {
        None => default.unit,
        Some(name) => TimeUnit::parse(name).ok_or_else(|| {
            let names: Vec<&str> = TimeUnit::ALL.iter().map(|u| u.name()).collect();
            validation(&[constraint(
                Some(name),
                &format!("TokenValidityUnits.{}", super::wire::camel(&unit_member)),
                &format!("Member must satisfy enum value set: [{}]", names.join(", ")),
            )])
        })?,
    };
    let value = match input.opt_integer(&member)? {
        // No value (or 0) is the default number — in the unit given, if one is: a unit
        // without a value can leave the lifetime out of range, as in Cognito.
        None | Some(0) => default.value,
        Some(v) if v < 1 => {
            return Err(validation(&[constraint(
                Some(&v.to_string()),
                &member,
                "Member must have value greater than or equal to 1",
            )]));
        }
        Some(v) if v > model_max => {
            return Err(validation(&[constraint(
                Some(&v.to_string()),
                &member,
                &format!("Member must have value less than or equal to {model_max}"),
            )]));
        }
        Some(v) => v.unsigned_abs(),
    };
    check_lifetime(TokenValidity { value, unit }, &lifetime)
}

fn check_lifetime(
    validity: TokenValidity,
    lifetime: &std::ops::RangeInclusive<u64>,
) -> ApiResult<TokenValidity> {
    if lifetime.contains(&validity.seconds()) {
        Ok(validity)
    } else {
        Err(invalid(message::INVALID_TOKEN_VALIDITY))
    }
}

/// Builds a client's settings from a Create/UpdateUserPoolClient request; what is omitted
/// takes its default, as UpdateUserPoolClient documents.
fn client_settings(input: &Input, pool_id: &str, client: &mut AppClient) -> ApiResult<()> {
    let flows = input.opt_strings("ExplicitAuthFlows")?.unwrap_or_else(|| {
        [
            "ALLOW_REFRESH_TOKEN_AUTH",
            "ALLOW_USER_SRP_AUTH",
            "ALLOW_CUSTOM_AUTH",
        ]
        .map(str::to_owned)
        .to_vec()
    });
    if let Some(bad) = flows.iter().find(|f| !FLOWS.contains(&f.as_str())) {
        return Err(validation(&[constraint(
            Some(bad),
            "ExplicitAuthFlows",
            &format!("Member must satisfy enum value set: [{}]", FLOWS.join(", ")),
        )]));
    }
    let legacy = flows.iter().any(|f| !f.starts_with("ALLOW_"));
    let modern = flows.iter().any(|f| f.starts_with("ALLOW_"));
    if legacy && modern {
        return Err(invalid(
            "ExplicitAuthFlows can't mix legacy values with values that begin with ALLOW_",
        ));
    }
    let validity = input.opt_integer("AuthSessionValidity")?.unwrap_or(3);
    if !(3..=15).contains(&validity) {
        return Err(validation(&[constraint(
            Some(&validity.to_string()),
            "AuthSessionValidity",
            "Member must have value between 3 and 15",
        )]));
    }
    let prevent = match input.opt_string("PreventUserExistenceErrors")? {
        None | Some("LEGACY") => false,
        Some("ENABLED") => true,
        Some(other) => {
            return Err(validation(&[constraint(
                Some(other),
                "PreventUserExistenceErrors",
                "Member must satisfy enum value set: [LEGACY, ENABLED]",
            )]));
        }
    };
    let units = input.opt_struct("TokenValidityUnits")?;
    if let Some(units) = &units {
        units.allow(&["AccessToken", "IdToken", "RefreshToken"])?;
    }
    // Five minutes to a day for access and ID tokens; an hour to ten years for refresh
    // tokens (TokenValidityUnitsType).
    let short = 300..=86_400;
    client.access_token_validity = token_validity(
        input,
        units.as_ref(),
        "Access",
        DEFAULT_ACCESS_VALIDITY,
        86_400,
        short.clone(),
    )?;
    client.id_token_validity = token_validity(
        input,
        units.as_ref(),
        "Id",
        DEFAULT_ID_VALIDITY,
        86_400,
        short,
    )?;
    client.refresh_token_validity = token_validity(
        input,
        units.as_ref(),
        "Refresh",
        DEFAULT_REFRESH_VALIDITY,
        315_360_000,
        3600..=315_360_000,
    )?;
    client.oauth = oauth_settings(input, client.secret.is_some(), pool_id)?;
    client.flows = flows;
    client.session_validity_minutes = validity as u64;
    client.prevent_user_existence_errors = prevent;
    if let Some(name) = input.opt_string("ClientName")? {
        client.name = name.to_owned();
    }
    Ok(())
}

/// The OAuth flows an app client may allow (OAuthFlowType).
const OAUTH_FLOWS: &[&str] = &["code", "implicit", "client_credentials"];

/// The scopes a client may allow without a resource server (the endpoint has none).
pub(super) const STANDARD_SCOPES: &[&str] = &[
    "phone",
    "email",
    "openid",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// Whether `url` may be a callback or logout URL: absolute, without a fragment, and HTTPS
/// unless it is `http://localhost` (CallbackURLs' documentation); an app scheme such as
/// `myapp://done` is allowed.
pub(super) fn redirect_url_allowed(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok || url.contains('#') || url.chars().any(char::is_whitespace) {
        return false;
    }
    if scheme.eq_ignore_ascii_case("http") {
        let authority = rest.split(['/', '?']).next().unwrap_or("");
        let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
        return host.eq_ignore_ascii_case("localhost");
    }
    !rest.is_empty() || !scheme.eq_ignore_ascii_case("https")
}

/// The OAuth members of a Create/UpdateUserPoolClient request, checked as spec §2.17 says.
fn oauth_settings(input: &Input, has_secret: bool, pool_id: &str) -> ApiResult<OAuthSettings> {
    let enabled = input
        .opt_bool("AllowedOAuthFlowsUserPoolClient")?
        .unwrap_or(false);
    let flows = input.opt_strings("AllowedOAuthFlows")?.unwrap_or_default();
    if let Some(bad) = flows.iter().find(|f| !OAUTH_FLOWS.contains(&f.as_str())) {
        return Err(validation(&[constraint(
            Some(bad),
            "AllowedOAuthFlows",
            &format!(
                "Member must satisfy enum value set: [{}]",
                OAUTH_FLOWS.join(", ")
            ),
        )]));
    }
    let scopes = input.opt_strings("AllowedOAuthScopes")?.unwrap_or_default();
    if let Some(bad) = scopes
        .iter()
        .find(|s| !STANDARD_SCOPES.contains(&s.as_str()))
    {
        return Err(ApiError::new(
            Exception::ScopeDoesNotExist,
            format!("Invalid scope requested: {}", super::wire::bounded(bad)),
        ));
    }
    let urls = |member: &str| -> ApiResult<Vec<String>> {
        let list = input.opt_strings(member)?.unwrap_or_default();
        if list.len() > 100 {
            return Err(validation(&[constraint(
                None,
                member,
                "Member must have length less than or equal to 100",
            )]));
        }
        if let Some(bad) = list
            .iter()
            .find(|u| u.is_empty() || u.len() > 1024 || !redirect_url_allowed(u))
        {
            return Err(invalid(format!(
                "{member} must be absolute URLs without a fragment, HTTPS unless http://localhost: {}",
                super::wire::bounded(bad)
            )));
        }
        Ok(list)
    };
    let callback_urls = urls("CallbackURLs")?;
    let logout_urls = urls("LogoutURLs")?;
    let default_redirect_uri = input.opt_string("DefaultRedirectURI")?.map(str::to_owned);
    if let Some(d) = &default_redirect_uri
        && !callback_urls.contains(d)
    {
        return Err(invalid(
            "DefaultRedirectURI must be one of the CallbackURLs.",
        ));
    }
    let identity_providers = input
        .opt_strings("SupportedIdentityProviders")?
        .unwrap_or_default();
    if let Some(bad) = identity_providers.iter().find(|p| *p != "COGNITO") {
        return Err(invalid(format!(
            "The provider {} does not exist for User Pool {pool_id}",
            super::wire::bounded(bad)
        )));
    }
    let has = |flow: &str| flows.iter().any(|f| f == flow);
    if enabled && (flows.is_empty() || scopes.is_empty()) {
        return Err(ApiError::new(
            Exception::InvalidOAuthFlow,
            message::OAUTH_FLOWS_AND_SCOPES_REQUIRED,
        ));
    }
    if has("client_credentials") && (has("code") || has("implicit")) {
        return Err(ApiError::new(
            Exception::InvalidOAuthFlow,
            message::CLIENT_CREDENTIALS_ALONE,
        ));
    }
    if has("client_credentials") && !has_secret {
        return Err(ApiError::new(
            Exception::InvalidOAuthFlow,
            message::CLIENT_CREDENTIALS_SECRET,
        ));
    }
    if enabled && (has("code") || has("implicit")) && callback_urls.is_empty() {
        return Err(ApiError::new(
            Exception::InvalidOAuthFlow,
            message::CALLBACK_URLS_REQUIRED,
        ));
    }
    Ok(OAuthSettings {
        enabled,
        flows,
        scopes,
        callback_urls,
        logout_urls,
        default_redirect_uri,
        identity_providers,
    })
}

fn describe_client(pool_id: &str, c: &AppClient) -> Value {
    let mut out = json!({
        "UserPoolId": pool_id,
        "ClientName": c.name,
        "ClientId": c.id,
        "ExplicitAuthFlows": c.flows,
        "AuthSessionValidity": c.session_validity_minutes,
        "PreventUserExistenceErrors": if c.prevent_user_existence_errors { "ENABLED" } else { "LEGACY" },
        "AccessTokenValidity": c.access_token_validity.value,
        "IdTokenValidity": c.id_token_validity.value,
        "RefreshTokenValidity": c.refresh_token_validity.value,
        "TokenValidityUnits": {
            "AccessToken": c.access_token_validity.unit.name(),
            "IdToken": c.id_token_validity.unit.name(),
            "RefreshToken": c.refresh_token_validity.unit.name(),
        },
        "CreationDate": epoch_secs(c.created_ms),
        "LastModifiedDate": epoch_secs(c.modified_ms),
        "EnableTokenRevocation": true,
    });
    if let Some(secret) = &c.secret {
        out["ClientSecret"] = json!(secret);
    }
    let o = &c.oauth;
    out["AllowedOAuthFlowsUserPoolClient"] = json!(o.enabled);
    for (member, list) in [
        ("AllowedOAuthFlows", &o.flows),
        ("AllowedOAuthScopes", &o.scopes),
        ("CallbackURLs", &o.callback_urls),
        ("LogoutURLs", &o.logout_urls),
        ("SupportedIdentityProviders", &o.identity_providers),
    ] {
        if !list.is_empty() {
            out[member] = json!(list);
        }
    }
    if let Some(d) = &o.default_redirect_uri {
        out["DefaultRedirectURI"] = json!(d);
    }
    out
}

pub(super) fn create_user_pool_client(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow_except(CLIENT_MEMBERS, &["ClientId"])?;
    let name = input.string("ClientName")?.to_owned();
    let generate_secret = input.opt_bool("GenerateSecret")?.unwrap_or(false);
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    let mut client = AppClient {
        id: new_client_id(),
        name,
        secret: generate_secret.then(new_client_secret),
        flows: Vec::new(),
        session_validity_minutes: 3,
        prevent_user_existence_errors: false,
        access_token_validity: DEFAULT_ACCESS_VALIDITY,
        id_token_validity: DEFAULT_ID_VALIDITY,
        refresh_token_validity: DEFAULT_REFRESH_VALIDITY,
        oauth: OAuthSettings::default(),
        created_ms: ctx.now_ms,
        modified_ms: ctx.now_ms,
    };
    let pool_id = pool.id.clone();
    client_settings(input, &pool_id, &mut client)?;
    let described = describe_client(&pool.id, &client);
    pool.clients.insert(client.id.clone(), client);
    Ok(json!({ "UserPoolClient": described }))
}

pub(super) fn update_user_pool_client(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow_except(CLIENT_MEMBERS, &["GenerateSecret"])?;
    let client_id = input.string("ClientId")?;
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    let pool_id = pool.id.clone();
    let client = pool.clients.get_mut(client_id).ok_or_else(|| {
        ApiError::new(
            Exception::ResourceNotFound,
            message::client_not_found(&super::wire::bounded(client_id)),
        )
    })?;
    let mut updated = client.clone();
    client_settings(input, &pool_id, &mut updated)?;
    updated.modified_ms = ctx.now_ms;
    *client = updated;
    Ok(json!({ "UserPoolClient": describe_client(&pool_id, client) }))
}

pub(super) fn describe_user_pool_client(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&["UserPoolId", "ClientId"])?;
    let client_id = input.string("ClientId")?;
    let pool = pool_ref(store, input.string("UserPoolId")?)?;
    let client = pool.clients.get(client_id).ok_or_else(|| {
        ApiError::new(
            Exception::ResourceNotFound,
            message::client_not_found(&super::wire::bounded(client_id)),
        )
    })?;
    Ok(json!({ "UserPoolClient": describe_client(&pool.id, client) }))
}

pub(super) fn delete_user_pool_client(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&["UserPoolId", "ClientId"])?;
    let client_id = input.string("ClientId")?.to_owned();
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    if pool.clients.remove(&client_id).is_none() {
        return Err(ApiError::new(
            Exception::ResourceNotFound,
            message::client_not_found(&super::wire::bounded(&client_id)),
        ));
    }
    store.sessions.retain(|_, s| s.client_id != client_id);
    store.refresh_tokens.retain(|_, g| g.client_id != client_id);
    Ok(json!({}))
}

/// Cognito's default password policy: 8 characters with upper, lower, number and symbol.
pub(super) fn check_password(password: &str) -> ApiResult<()> {
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

/// `UserAttributes` with `sub` first.
fn attributes(user: &User) -> Value {
    let mut list = vec![json!({ "Name": "sub", "Value": user.sub })];
    list.extend(
        user.attributes
            .iter()
            .filter(|(n, _)| n != "sub")
            .map(|(n, v)| json!({ "Name": n, "Value": v })),
    );
    Value::Array(list)
}

/// The user's MFA members, present only when set (spec §2.6: absent, not empty).
pub(super) fn mfa_members(user: &User, out: &mut Map<String, Value>) {
    let mut list = Vec::new();
    if user.sms_enabled {
        list.push(Challenge::SmsMfa.name());
    }
    if user.totp_enabled && user.token.is_some() {
        list.push(Challenge::SoftwareTokenMfa.name());
    }
    if !list.is_empty() {
        out.insert("UserMFASettingList".into(), json!(list));
    }
    if user.totp_preferred && user.token.is_some() {
        out.insert(
            "PreferredMfaSetting".into(),
            json!(Challenge::SoftwareTokenMfa.name()),
        );
    } else if user.sms_preferred {
        out.insert(
            "PreferredMfaSetting".into(),
            json!(Challenge::SmsMfa.name()),
        );
    }
}

/// The user as GetUser / AdminGetUser describe it (`admin` adds status and dates).
pub(super) fn describe_user(user: &User, admin: bool) -> Value {
    let mut out = Map::new();
    out.insert("Username".into(), json!(user.username));
    out.insert("UserAttributes".into(), attributes(user));
    if admin {
        out.insert("UserCreateDate".into(), json!(epoch_secs(user.created_ms)));
        out.insert(
            "UserLastModifiedDate".into(),
            json!(epoch_secs(user.modified_ms)),
        );
        out.insert("Enabled".into(), json!(user.enabled));
        out.insert("UserStatus".into(), json!(user.status.name()));
    }
    mfa_members(user, &mut out);
    Value::Object(out)
}

fn list_entry(user: &User) -> Value {
    json!({
        "Username": user.username,
        "Attributes": attributes(user),
        "UserCreateDate": epoch_secs(user.created_ms),
        "UserLastModifiedDate": epoch_secs(user.modified_ms),
        "Enabled": user.enabled,
        "UserStatus": user.status.name(),
    })
}

pub(super) fn admin_create_user(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&[
        "UserPoolId",
        "Username",
        "UserAttributes",
        "ValidationData",
        "TemporaryPassword",
        "ForceAliasCreation",
        "MessageAction",
        "DesiredDeliveryMediums",
        "ClientMetadata",
    ])?;
    let username = input.string("Username")?.to_owned();
    let password = match input.opt_string("TemporaryPassword")? {
        Some(p) => {
            check_password(p)?;
            p.to_owned()
        }
        // Nobody learns a generated password: the user cannot sign in until an admin sets one.
        None => format!("Aa1!{}", super::store::new_opaque(24)),
    };
    let attrs = input.opt_attributes("UserAttributes")?.unwrap_or_default();
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    if pool.users.contains_key(&username) {
        return Err(ApiError::new(
            Exception::UsernameExists,
            message::USERNAME_EXISTS,
        ));
    }
    let srp = crate::srp::Verifier::new(crate::srp::pool_name(&pool.id), &username, &password);
    let user = User {
        username: username.clone(),
        sub: new_uuid(),
        attributes: attrs,
        password,
        srp,
        status: UserStatus::ForceChangePassword,
        enabled: true,
        created_ms: ctx.now_ms,
        modified_ms: ctx.now_ms,
        token: None,
        pending: None,
        totp_enabled: false,
        totp_preferred: false,
        sms_enabled: false,
        sms_preferred: false,
        failed_sign_ins: 0,
        locked_until_ms: 0,
        device_group_key: None,
        devices: Default::default(),
        live_families: Default::default(),
    };
    let out = list_entry(&user);
    pool.users.insert(username, user);
    Ok(json!({ "User": out }))
}

pub(super) fn admin_set_user_password(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&["UserPoolId", "Username", "Password", "Permanent"])?;
    let password = input.string("Password")?;
    check_password(password)?;
    let permanent = input.opt_bool("Permanent")?.unwrap_or(false);
    let pool_id = input.string("UserPoolId")?;
    let user = user_mut(store, pool_id, input.string("Username")?)?;
    user.set_password(pool_id, password);
    user.status = if permanent {
        UserStatus::Confirmed
    } else {
        UserStatus::ForceChangePassword
    };
    user.modified_ms = ctx.now_ms;
    Ok(json!({}))
}

pub(super) fn admin_delete_user(store: &mut Store, _: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    input.allow(&["UserPoolId", "Username"])?;
    let pool_id = input.string("UserPoolId")?;
    let username = input.string("Username")?;
    user_mut(store, pool_id, username)?;
    pool_mut(store, pool_id)?.users.remove(username);
    store
        .sessions
        .retain(|_, s| !(s.pool_id == pool_id && s.username == username));
    store
        .refresh_tokens
        .retain(|_, g| !(g.pool_id == pool_id && g.username == username));
    Ok(json!({}))
}

pub(super) fn admin_get_user(store: &mut Store, _: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    input.allow(&["UserPoolId", "Username"])?;
    let user = user_mut(
        store,
        input.string("UserPoolId")?,
        input.string("Username")?,
    )?;
    Ok(describe_user(user, true))
}

pub(super) fn admin_set_enabled(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
    enabled: bool,
) -> ApiResult<Value> {
    input.allow(&["UserPoolId", "Username"])?;
    let user = user_mut(
        store,
        input.string("UserPoolId")?,
        input.string("Username")?,
    )?;
    user.enabled = enabled;
    user.modified_ms = ctx.now_ms;
    Ok(json!({}))
}

pub(super) fn list_users(store: &mut Store, _: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    input.allow(&[
        "UserPoolId",
        "AttributesToGet",
        "Limit",
        "PaginationToken",
        "Filter",
    ])?;
    let limit = input.opt_integer("Limit")?.unwrap_or(60);
    if !(0..=60).contains(&limit) {
        return Err(validation(&[constraint(
            Some(&limit.to_string()),
            "Limit",
            "Member must have value less than or equal to 60",
        )]));
    }
    let filter = input.opt_string("Filter")?.map(parse_filter).transpose()?;
    let pool = pool_ref(store, input.string("UserPoolId")?)?;
    let all: Vec<Value> = pool
        .users
        .values()
        .filter(|u| filter.as_ref().is_none_or(|f| f.matches(u)))
        .map(list_entry)
        .collect();
    let (items, next) = page(&all, input.opt_string("PaginationToken")?, limit as usize)?;
    let mut out = json!({ "Users": items });
    if let Some(next) = next {
        out["PaginationToken"] = json!(next);
    }
    Ok(out)
}

/// A ListUsers filter: `attribute = "value"` or `attribute ^= "prefix"`.
struct Filter {
    attribute: String,
    prefix: bool,
    value: String,
}

impl Filter {
    fn matches(&self, user: &User) -> bool {
        let actual = match self.attribute.as_str() {
            "username" => Some(user.username.as_str()),
            "sub" => Some(user.sub.as_str()),
            name => user.attribute(name),
        };
        actual.is_some_and(|a| {
            if self.prefix {
                a.starts_with(&self.value)
            } else {
                a == self.value
            }
        })
    }
}

fn parse_filter(text: &str) -> ApiResult<Filter> {
    let bad = || {
        invalid(format!(
            "Invalid search filter: {}",
            super::wire::bounded(text)
        ))
    };
    let (attribute, prefix, rest) = if let Some((a, r)) = text.split_once("^=") {
        (a, true, r)
    } else if let Some((a, r)) = text.split_once('=') {
        (a, false, r)
    } else {
        return Err(bad());
    };
    let value = rest
        .trim()
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .ok_or_else(bad)?;
    Ok(Filter {
        attribute: attribute.trim().to_owned(),
        prefix,
        value: value.to_owned(),
    })
}

/// A prefix domain as the API model constrains it: 1–63 characters of `[a-z0-9-]`, not
/// starting or ending with `-` (spec §2.16).
fn domain_prefix(input: &Input) -> ApiResult<String> {
    const PATTERN: &str = r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$";
    let domain = input.string("Domain")?;
    let shaped = (1..=63).contains(&domain.len())
        && domain
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !domain.starts_with('-')
        && !domain.ends_with('-');
    if shaped {
        Ok(domain.to_owned())
    } else {
        Err(validation(&[constraint(
            Some(domain),
            "domain",
            &format!("Member must satisfy regular expression pattern: {PATTERN}"),
        )]))
    }
}

pub(super) fn create_user_pool_domain(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&[
        "Domain",
        "UserPoolId",
        "CustomDomainConfig",
        "ManagedLoginVersion",
    ])?;
    let domain = domain_prefix(input)?;
    let pool_id = input.string("UserPoolId")?.to_owned();
    let version = input.opt_integer("ManagedLoginVersion")?;
    if version.is_some_and(|v| !(1..=2).contains(&v)) {
        return Err(invalid(
            "ManagedLoginVersion is 1 (hosted UI, classic) or 2 (managed login)",
        ));
    }
    if input.get_raw("CustomDomainConfig").is_some() {
        return Err(invalid(
            "Custom domains are not supported by the mfaspec reference endpoint: give a prefix domain",
        ));
    }
    if store.domains.contains_key(&domain) {
        return Err(invalid(message::DOMAIN_TAKEN));
    }
    let pool = pool_mut(store, &pool_id)?;
    if pool.domain.is_some() {
        return Err(invalid(message::POOL_HAS_DOMAIN));
    }
    pool.domain = Some((domain.clone(), version));
    store.domains.insert(domain, pool_id);
    Ok(match version {
        Some(v) => json!({ "ManagedLoginVersion": v }),
        None => json!({}),
    })
}

pub(super) fn describe_user_pool_domain(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&["Domain"])?;
    let domain = input.string("Domain")?;
    // An unknown domain is an empty description, not an error.
    let Some(pool_id) = store.domains.get(domain) else {
        return Ok(json!({ "DomainDescription": {} }));
    };
    let pool = pool_ref(store, pool_id)?;
    let version = pool.domain.as_ref().and_then(|(_, v)| *v);
    let mut description = json!({
        "UserPoolId": pool.id,
        "AWSAccountId": "000000000000",
        "Domain": domain,
        "CloudFrontDistribution": format!("{domain}.auth.{}.localhost", ctx.region),
        "Version": "1",
        "Status": "ACTIVE",
    });
    if let Some(v) = version {
        description["ManagedLoginVersion"] = json!(v);
    }
    Ok(json!({ "DomainDescription": description }))
}

pub(super) fn delete_user_pool_domain(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    input.allow(&["Domain", "UserPoolId"])?;
    let domain = input.string("Domain")?;
    let pool_id = input.string("UserPoolId")?;
    if store.domains.get(domain).map(String::as_str) != Some(pool_id) {
        return Err(invalid(message::NO_SUCH_DOMAIN));
    }
    store.domains.remove(domain);
    pool_mut(store, pool_id)?.domain = None;
    Ok(json!({}))
}
