//! App clients: Create/Update/Describe/DeleteUserPoolClient, their auth flows, token
//! validities and OAuth settings (spec §2.2, §2.13, §2.17).
//!
//! Owns: those operations and the clients' validation. Uses: the store, the wire, the
//! context, [`crate::vocabulary`].

use serde_json::{Value, json};

use crate::reference::context::{Ctx, epoch_secs, pool_mut, pool_ref};
use crate::reference::store::{
    AppClient, OAuthSettings, Store, TimeUnit, TokenValidity, new_client_id, new_client_secret,
};
use crate::reference::wire::{self, ApiError, ApiResult, Input, constraint, invalid, validation};
use crate::vocabulary::{Exception, message};

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
                &format!("TokenValidityUnits.{}", wire::camel(&unit_member)),
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
pub(crate) const STANDARD_SCOPES: &[&str] = &[
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
            format!("Invalid scope requested: {}", wire::bounded(bad)),
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
                wire::bounded(bad)
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
            wire::bounded(bad)
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
    let client_id = input.string("ClientId")?;
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    let pool_id = pool.id.clone();
    let client = pool.clients.get_mut(client_id).ok_or_else(|| {
        ApiError::new(
            Exception::ResourceNotFound,
            message::client_not_found(&wire::bounded(client_id)),
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
    let client_id = input.string("ClientId")?;
    let pool = pool_ref(store, input.string("UserPoolId")?)?;
    let client = pool.clients.get(client_id).ok_or_else(|| {
        ApiError::new(
            Exception::ResourceNotFound,
            message::client_not_found(&wire::bounded(client_id)),
        )
    })?;
    Ok(json!({ "UserPoolClient": describe_client(&pool.id, client) }))
}

pub(super) fn delete_user_pool_client(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let client_id = input.string("ClientId")?.to_owned();
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    if pool.clients.remove(&client_id).is_none() {
        return Err(ApiError::new(
            Exception::ResourceNotFound,
            message::client_not_found(&wire::bounded(&client_id)),
        ));
    }
    store.sessions.retain(|_, s| s.client_id != client_id);
    store.refresh_tokens.retain(|_, g| g.client_id != client_id);
    Ok(json!({}))
}
