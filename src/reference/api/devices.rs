//! Remembered devices (spec §2.15): ConfirmDevice, UpdateDeviceStatus, ListDevices,
//! GetDevice, ForgetDevice and their Admin variants. Devices come into being when tokens are
//! issued in a pool with a `DeviceConfiguration` (the sign-in rules' `issue_tokens`); their
//! sign-in, DEVICE_SRP_AUTH, is in [`super::srp`].
//!
//! Owns: those operations. Uses: the store, the wire, the context, [`crate::srp`].

use base64::Engine as _;
use serde_json::{Value, json};

use crate::reference::context::{Ctx, access, epoch_secs, pool_ref, user_mut};
use crate::reference::store::{Device, Store, User};
use crate::reference::wire::{ApiError, ApiResult, Input, constraint, invalid, page, validation};
use crate::srp::Verifier;
use crate::vocabulary::{Exception, message};

fn not_found() -> ApiError {
    ApiError::new(Exception::ResourceNotFound, message::DEVICE_NOT_FOUND)
}

/// `DeviceType`, as ListDevices and GetDevice return it.
fn describe(device: &Device) -> Value {
    let mut attributes = vec![json!({
        "Name": "device_status",
        "Value": if device.remembered { "remembered" } else { "not_remembered" },
    })];
    if let Some(name) = &device.name {
        attributes.push(json!({ "Name": "device_name", "Value": name }));
    }
    attributes.push(json!({ "Name": "last_ip_used", "Value": "127.0.0.1" }));
    json!({
        "DeviceKey": device.key,
        "DeviceAttributes": attributes,
        "DeviceCreateDate": epoch_secs(device.created_ms),
        "DeviceLastModifiedDate": epoch_secs(device.modified_ms),
        "DeviceLastAuthenticatedDate": epoch_secs(device.last_authenticated_ms),
    })
}

/// The user an AccessToken names, and its pool.
fn token_user(store: &Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<(String, String)> {
    access(store, ctx, input.string("AccessToken")?)
}

/// The user an Admin request names.
fn admin_user(input: &Input) -> ApiResult<(String, String)> {
    Ok((
        input.string("UserPoolId")?.to_owned(),
        input.string("Username")?.to_owned(),
    ))
}

fn device_mut<'s>(user: &'s mut User, key: &str) -> ApiResult<&'s mut Device> {
    user.devices.get_mut(key).ok_or_else(not_found)
}

/// The base64 `DeviceSecretVerifierConfig` members, as bytes.
fn b64(input: &Input, member: &str) -> ApiResult<Vec<u8>> {
    let text = input.string(member)?;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()
        .filter(|b| !b.is_empty() && b.len() <= 1024)
        .ok_or_else(|| {
            invalid(format!(
                "DeviceSecretVerifierConfig.{member} is not Base64 of at most 1024 bytes"
            ))
        })
}

pub(super) fn confirm_device(store: &mut Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let (pool_id, username) = token_user(store, ctx, input)?;
    let key = input.string("DeviceKey")?.to_owned();
    let config = input
        .opt_struct("DeviceSecretVerifierConfig")?
        .ok_or_else(|| invalid(message::missing_parameter("DeviceSecretVerifierConfig")))?;
    config.allow(&["PasswordVerifier", "Salt"])?;
    let verifier = Verifier {
        salt: b64(&config, "Salt")?,
        v: b64(&config, "PasswordVerifier")?,
    };
    let name = input.opt_string("DeviceName")?.map(str::to_owned);
    if name
        .as_ref()
        .is_some_and(|n| n.is_empty() || n.chars().count() > 1024)
    {
        return Err(validation(&[constraint(
            name.as_deref(),
            "deviceName",
            "Member must have length between 1 and 1024",
        )]));
    }
    let prompt = pool_ref(store, &pool_id)?
        .device_config
        .is_some_and(|c| c.only_remembered_on_user_prompt);
    let user = user_mut(store, &pool_id, &username)?;
    let device = device_mut(user, &key)?;
    device.verifier = Some(verifier);
    device.name = name;
    device.remembered = !prompt;
    device.modified_ms = ctx.now_ms;
    Ok(json!({ "UserConfirmationNecessary": prompt }))
}

fn set_status(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
    pool_id: &str,
    username: &str,
) -> ApiResult<Value> {
    let key = input.string("DeviceKey")?;
    let remembered = match input.opt_string("DeviceRememberedStatus")? {
        Some("remembered") => true,
        Some("not_remembered") | None => false,
        Some(other) => {
            return Err(validation(&[constraint(
                Some(other),
                "deviceRememberedStatus",
                "Member must satisfy enum value set: [remembered, not_remembered]",
            )]));
        }
    };
    let user = user_mut(store, pool_id, username)?;
    let device = device_mut(user, key)?;
    device.remembered = remembered && device.verifier.is_some();
    device.modified_ms = ctx.now_ms;
    Ok(json!({}))
}

pub(super) fn update_device_status(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let (pool_id, username) = token_user(store, ctx, input)?;
    set_status(store, ctx, input, &pool_id, &username)
}

pub(super) fn admin_update_device_status(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let (pool_id, username) = admin_user(input)?;
    set_status(store, ctx, input, &pool_id, &username)
}

/// The user's confirmed devices (a device is listed once ConfirmDevice gave it a verifier),
/// a page at a time.
fn list(store: &mut Store, input: &Input, pool_id: &str, username: &str) -> ApiResult<Value> {
    let limit = input.opt_integer("Limit")?.unwrap_or(60);
    if !(0..=60).contains(&limit) {
        return Err(validation(&[constraint(
            Some(&limit.to_string()),
            "limit",
            "Member must have value less than or equal to 60",
        )]));
    }
    let token = input.opt_string("PaginationToken")?;
    let user = user_mut(store, pool_id, username)?;
    let devices: Vec<Value> = user
        .devices
        .values()
        .filter(|d| d.verifier.is_some())
        .map(describe)
        .collect();
    let (devices, next) = page(&devices, token, limit as usize)?;
    let mut out = json!({ "Devices": devices });
    if let Some(next) = next {
        out["PaginationToken"] = json!(next);
    }
    Ok(out)
}

pub(super) fn list_devices(store: &mut Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let (pool_id, username) = token_user(store, ctx, input)?;
    list(store, input, &pool_id, &username)
}

pub(super) fn admin_list_devices(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let (pool_id, username) = admin_user(input)?;
    list(store, input, &pool_id, &username)
}

fn get(store: &mut Store, input: &Input, pool_id: &str, username: &str) -> ApiResult<Value> {
    let key = input.string("DeviceKey")?;
    let user = user_mut(store, pool_id, username)?;
    let device = user
        .devices
        .get(key)
        .filter(|d| d.verifier.is_some())
        .ok_or_else(not_found)?;
    Ok(json!({ "Device": describe(device) }))
}

pub(super) fn get_device(store: &mut Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let (pool_id, username) = token_user(store, ctx, input)?;
    get(store, input, &pool_id, &username)
}

pub(super) fn admin_get_device(store: &mut Store, _: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let (pool_id, username) = admin_user(input)?;
    get(store, input, &pool_id, &username)
}

fn forget(store: &mut Store, input: &Input, pool_id: &str, username: &str) -> ApiResult<Value> {
    let key = input.string("DeviceKey")?;
    let user = user_mut(store, pool_id, username)?;
    user.devices.remove(key).ok_or_else(not_found)?;
    Ok(json!({}))
}

pub(super) fn forget_device(store: &mut Store, ctx: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let (pool_id, username) = token_user(store, ctx, input)?;
    forget(store, input, &pool_id, &username)
}

pub(super) fn admin_forget_device(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let (pool_id, username) = admin_user(input)?;
    forget(store, input, &pool_id, &username)
}
