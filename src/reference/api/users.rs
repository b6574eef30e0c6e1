//! Users: AdminCreateUser, AdminSetUserPassword, AdminDeleteUser, AdminGetUser, GetUser,
//! AdminDisableUser / AdminEnableUser and ListUsers, and how a user is described with their
//! MFA settings (spec §2.6, §2.8).
//!
//! Owns: those operations. Uses: the store, the wire, the context, the sign-in rules'
//! password policy, [`crate::vocabulary`].

use serde_json::{Map, Value, json};

use crate::reference::context::{Ctx, access, epoch_secs, pool_mut, pool_ref, user_mut};
use crate::reference::signin::check_password;
use crate::reference::store::{self, Store, User, UserStatus, new_uuid};
use crate::reference::wire::{
    self, ApiError, ApiResult, Input, constraint, invalid, page, validation,
};
use crate::vocabulary::{Challenge, Exception, message};

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
    if user.email_enabled {
        list.push(Challenge::EmailOtp.name());
    }
    if !list.is_empty() {
        out.insert("UserMFASettingList".into(), json!(list));
    }
    let preferred = if user.totp_preferred && user.token.is_some() {
        Some(Challenge::SoftwareTokenMfa)
    } else if user.sms_preferred {
        Some(Challenge::SmsMfa)
    } else if user.email_preferred {
        Some(Challenge::EmailOtp)
    } else {
        None
    };
    if let Some(p) = preferred {
        out.insert("PreferredMfaSetting".into(), json!(p.name()));
    }
}

/// GetUserAuthFactors (spec §2.20): the user's MFA settings and the first factors they can
/// sign in with (`PASSWORD`: the endpoint has no passwordless first factor).
pub(super) fn get_user_auth_factors(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let (pool_id, username) = access(store, ctx, input.string("AccessToken")?)?;
    let user = user_mut(store, &pool_id, &username)?;
    let mut out = Map::new();
    out.insert("Username".into(), json!(user.username));
    mfa_members(user, &mut out);
    out.insert(
        "ConfiguredUserAuthFactors".into(),
        json!([Challenge::Password.name()]),
    );
    Ok(Value::Object(out))
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
    let username = input.string("Username")?.to_owned();
    let password = match input.opt_string("TemporaryPassword")? {
        Some(p) => {
            check_password(p)?;
            p.to_owned()
        }
        // Nobody learns a generated password: the user cannot sign in until an admin sets one.
        None => format!("Aa1!{}", store::new_opaque(24)),
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
        email_enabled: false,
        email_preferred: false,
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
    let bad = || invalid(format!("Invalid search filter: {}", wire::bounded(text)));
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

pub(super) fn get_user(store: &mut Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let (pool_id, username) = access(store, ctx, input.string("AccessToken")?)?;
    Ok(describe_user(user_mut(store, &pool_id, &username)?, false))
}
