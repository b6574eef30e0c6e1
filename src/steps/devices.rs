//! Steps about remembered devices (spec §2.15): a pool that tracks them, the
//! NewDeviceMetadata a sign-in brings, ConfirmDevice with a device verifier, the device's
//! status, DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER in place of the TOTP challenge, the
//! device operations and their Admin variants, and refreshing on a device.
//!
//! Uses: the World, [`crate::srp`] (the device secret and its claim).

use base64::Engine as _;
use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::state::DeviceState;
use super::{ConformanceWorld, Redacted};
use crate::srp::{self, DeviceSecret, Timestamp};
use crate::vocabulary::{Challenge, Operation};

/// The pool's `DeviceConfiguration` for each way of remembering.
fn device_configuration(how: &str) -> Result<Value, String> {
    match how {
        "always" => Ok(
            json!({ "ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": false }),
        ),
        "when the user opts in" => Ok(
            json!({ "ChallengeRequiredOnNewDevice": true, "DeviceOnlyRememberedOnUserPrompt": true }),
        ),
        other => Err(format!("unknown way of remembering devices: {other}")),
    }
}

#[given(
    regex = r"^a user pool with MFA (OPTIONAL|ON) and software token MFA enabled that remembers devices (always|when the user opts in)$"
)]
async fn pool_with_devices(
    world: &mut ConformanceWorld,
    mode: String,
    how: String,
) -> Result<(), String> {
    let config = device_configuration(&how)?;
    if let Some(pool) = world.ctx().profile.existing.clone() {
        world.pool_id = Some(pool.pool_id.clone());
        let described = world
            .call(
                Operation::DescribeUserPool,
                &json!({ "UserPoolId": pool.pool_id }),
            )
            .await
            .map_err(|e| format!("DescribeUserPool: {e}"))?;
        let actual = &described["UserPool"]["DeviceConfiguration"];
        let same = [
            "ChallengeRequiredOnNewDevice",
            "DeviceOnlyRememberedOnUserPrompt",
        ]
        .iter()
        .all(|k| actual[*k].as_bool().unwrap_or(false) == config[*k].as_bool().unwrap_or(false));
        if !same || actual.is_null() {
            return Err(super::pool::not_here(
                world,
                format!(
                    "the existing pool {} remembers devices differently ({actual}); this scenario needs {config}",
                    pool.pool_id
                ),
            ));
        }
        return super::pool::existing_pool_is(world, &mode, true, false).await;
    }
    super::pool::create_pool_with(world, json!({ "DeviceConfiguration": config })).await?;
    super::pool::set_mfa_config(world, &mode, json!({})).await
}

#[then(
    regex = r"^the pool's device configuration reads back as remembering devices (always|when the user opts in)$"
)]
async fn configuration_reads_back(world: &mut ConformanceWorld, how: String) -> Result<(), String> {
    let expected = device_configuration(&how)?;
    let body = json!({ "UserPoolId": world.pool_id()? });
    let described = world
        .call(Operation::DescribeUserPool, &body)
        .await
        .map_err(|e| format!("DescribeUserPool: {e}"))?;
    let actual = &described["UserPool"]["DeviceConfiguration"];
    if *actual == expected {
        Ok(())
    } else {
        Err(format!(
            "DeviceConfiguration is {actual}, expected {expected}"
        ))
    }
}

/// The claims of a JWT (its payload), unverified: the suite reads, the target signs.
pub(in crate::steps) fn claims(token: &str) -> Result<Value, String> {
    let payload = token.split('.').nth(1).ok_or("the token is not a JWT")?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|e| format!("the token's payload is not base64url: {e}"))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("the token's payload is not JSON: {e}"))
}

#[then("the tokens come with NewDeviceMetadata for a new device")]
fn new_device_metadata(world: &mut ConformanceWorld) -> Result<(), String> {
    let result = world.last_ok()?["AuthenticationResult"].clone();
    let metadata = &result["NewDeviceMetadata"];
    let key = metadata["DeviceKey"].as_str().ok_or_else(|| {
        format!(
            "AuthenticationResult has no NewDeviceMetadata.DeviceKey ({})",
            keys(&result)
        )
    })?;
    let group = metadata["DeviceGroupKey"]
        .as_str()
        .ok_or("NewDeviceMetadata has no DeviceGroupKey")?;
    // `<region>_<uuid>`, at most 55 characters (the API's DeviceKeyType).
    let shaped = key.len() <= 55
        && key.split_once('_').is_some_and(|(region, uuid)| {
            !region.is_empty()
                && !uuid.is_empty()
                && uuid.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        });
    if !shaped {
        return Err(format!("DeviceKey {key:?} is not <region>_<uuid>"));
    }
    world.device = Some(DeviceState {
        key: key.to_owned(),
        group_key: group.to_owned(),
        password: None,
    });
    Ok(())
}

fn keys(v: &Value) -> String {
    v.as_object()
        .map(|m| m.keys().cloned().collect::<Vec<_>>().join(", "))
        .unwrap_or_default()
}

#[then("the tokens come without NewDeviceMetadata")]
fn no_new_device(world: &mut ConformanceWorld) -> Result<(), String> {
    let result = &world.last_ok()?["AuthenticationResult"];
    if result["AccessToken"].is_null() {
        return Err("no tokens came".into());
    }
    if result
        .get("NewDeviceMetadata")
        .is_some_and(|m| !m.is_null())
    {
        return Err("AuthenticationResult has NewDeviceMetadata: a remembered device was taken for a new one".into());
    }
    Ok(())
}

#[then("the access token names the device in its device_key claim")]
fn device_key_claim(world: &mut ConformanceWorld) -> Result<(), String> {
    let device = world.device.clone().ok_or("no device yet")?;
    let token = world.last_ok()?["AuthenticationResult"]["AccessToken"]
        .as_str()
        .ok_or("no access token")?
        .to_owned();
    let claims = claims(&token)?;
    if claims["device_key"] == device.key.as_str() {
        Ok(())
    } else {
        Err(format!(
            "the access token's device_key is {}, expected the device's",
            claims["device_key"]
        ))
    }
}

#[when(regex = r"^the user confirms the device(?: as (\S+))?$")]
async fn confirm(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    let mut device = world.device.clone().ok_or("no device to confirm")?;
    let secret = DeviceSecret::new(&device.group_key, &device.key);
    world.secret(&secret.password);
    world.secret(&secret.verifier_b64);
    let mut body = json!({ "AccessToken": world.access_token()?, "DeviceKey": device.key,
        "DeviceSecretVerifierConfig": { "PasswordVerifier": secret.verifier_b64, "Salt": secret.salt_b64 } });
    if !name.is_empty() {
        body["DeviceName"] = json!(name);
    }
    let answer = world.call(Operation::ConfirmDevice, &body).await;
    if answer.is_ok() {
        device.password = Some(Redacted(secret.password.to_string()));
        world.device = Some(device);
    }
    world.record(answer);
    Ok(())
}

#[then(regex = r"^UserConfirmationNecessary is (true|false)$")]
fn confirmation_necessary(world: &mut ConformanceWorld, value: String) -> Result<(), String> {
    let actual = &world.last_ok()?["UserConfirmationNecessary"];
    if actual.as_bool() == Some(value == "true") {
        Ok(())
    } else {
        Err(format!(
            "UserConfirmationNecessary is {actual}, expected {value}"
        ))
    }
}

async fn set_status(world: &mut ConformanceWorld, status: &str, admin: bool) -> Result<(), String> {
    let device = world.device.clone().ok_or("no device")?;
    let (op, body) = if admin {
        (
            Operation::AdminUpdateDeviceStatus,
            json!({ "UserPoolId": world.pool_id()?, "Username": world.username()?, "DeviceKey": device.key,
                    "DeviceRememberedStatus": status }),
        )
    } else {
        (
            Operation::UpdateDeviceStatus,
            json!({ "AccessToken": world.access_token()?, "DeviceKey": device.key, "DeviceRememberedStatus": status }),
        )
    };
    let answer = world.call(op, &body).await;
    world.record(answer);
    Ok(())
}

#[when("the user marks the device as remembered")]
async fn remember(world: &mut ConformanceWorld) -> Result<(), String> {
    set_status(world, "remembered", false).await
}

#[when("an administrator marks the device as not remembered")]
async fn admin_unremember(world: &mut ConformanceWorld) -> Result<(), String> {
    set_status(world, "not_remembered", true).await
}

#[when(regex = r"^(the user|an administrator) forgets the device$")]
async fn forget(world: &mut ConformanceWorld, who: String) -> Result<(), String> {
    let device = world.device.clone().ok_or("no device")?;
    let (op, body) = if who == "the user" {
        (
            Operation::ForgetDevice,
            json!({ "AccessToken": world.access_token()?, "DeviceKey": device.key }),
        )
    } else {
        (
            Operation::AdminForgetDevice,
            json!({ "UserPoolId": world.pool_id()?, "Username": world.username()?, "DeviceKey": device.key }),
        )
    };
    let answer = world.call(op, &body).await;
    world.record(answer);
    Ok(())
}

#[when(
    regex = r"^the user signs in with SRP on the device through (InitiateAuth|AdminInitiateAuth)$"
)]
async fn sign_in_on_device(world: &mut ConformanceWorld, op: String) -> Result<(), String> {
    world.on_device = Some(world.device.clone().ok_or("no device to sign in on")?);
    let result = super::srp::sign_in(world, op.parse().map_err(|()| "unknown operation")?).await;
    world.on_device = None;
    result
}

/// DEVICE_SRP_AUTH, then the DEVICE_PASSWORD_VERIFIER claim made with `password`; the
/// Sessions passed on (as Amplify does) or not (as pycognito does).
async fn device_auth(
    world: &mut ConformanceWorld,
    with_session: bool,
    wrong: bool,
) -> Result<(), String> {
    let device = world.device.clone().ok_or("no device")?;
    let password = if wrong {
        "bm90IHRoZSBkZXZpY2UgcGFzc3dvcmQ=".to_owned()
    } else {
        device
            .password
            .clone()
            .ok_or("the device was never confirmed")?
            .0
    };
    let exchange = srp::Client::new();
    let srp_a = exchange.srp_a();
    world.secret(&srp_a);
    let username = world.username()?.to_owned();
    let mut body = json!({ "ClientId": world.client_id()?, "ChallengeName": Challenge::DeviceSrpAuth.name(),
        "ChallengeResponses": { "USERNAME": username, "DEVICE_KEY": device.key, "SRP_A": srp_a } });
    if with_session {
        body["Session"] = json!(world.session()?);
    }
    let (op, body) = world.challenge_answer(body)?;
    let answer = world.call(op, &body).await;
    let challenge = match answer {
        Ok(v) => v,
        Err(e) => {
            world.record(Err(e));
            return Ok(());
        }
    };
    if challenge["ChallengeName"] != Challenge::DevicePasswordVerifier.name() {
        let name = challenge["ChallengeName"].clone();
        world.record(Ok(challenge));
        return Err(format!(
            "DEVICE_SRP_AUTH was answered with {name}, expected DEVICE_PASSWORD_VERIFIER"
        ));
    }
    let p = &challenge["ChallengeParameters"];
    for key in ["SECRET_BLOCK", "SRP_B", "SALT"] {
        if let Some(v) = p[key].as_str() {
            world.secret(v);
        }
    }
    let get = |k: &str| {
        p[k].as_str()
            .ok_or_else(|| format!("DEVICE_PASSWORD_VERIFIER has no {k}"))
    };
    let block = get("SECRET_BLOCK")?.to_owned();
    let proof = exchange
        .proof(
            get("SALT")?,
            get("SRP_B")?,
            &device.group_key,
            &device.key,
            &password,
        )
        .map_err(|e| format!("DEVICE_PASSWORD_VERIFIER cannot be answered: {e}"))?;
    let timestamp = Timestamp(world.now_s().await).format();
    let block_bytes = srp::secret_block_bytes(&block).map_err(|e| e.to_string())?;
    let signature = proof.signature(&device.group_key, &device.key, &block_bytes, &timestamp);
    world.secret(&signature);
    let mut body = json!({ "ClientId": world.client_id()?, "ChallengeName": Challenge::DevicePasswordVerifier.name(),
        "ChallengeResponses": { "USERNAME": username, "DEVICE_KEY": device.key,
            "PASSWORD_CLAIM_SECRET_BLOCK": block, "PASSWORD_CLAIM_SIGNATURE": signature, "TIMESTAMP": timestamp } });
    if with_session && let Some(s) = challenge["Session"].as_str() {
        body["Session"] = json!(s);
    }
    let (op, body) = world.challenge_answer(body)?;
    let answer = world.call(op, &body).await;
    world.record(answer);
    Ok(())
}

#[when(
    regex = r"^the device answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER( without the Sessions| with a wrong device password)?$"
)]
async fn answer_device(world: &mut ConformanceWorld, how: String) -> Result<(), String> {
    match how.as_str() {
        "" => device_auth(world, true, false).await,
        " without the Sessions" => device_auth(world, false, false).await,
        _ => device_auth(world, true, true).await,
    }
}

#[when(regex = r"^(the user|an administrator) lists the user's devices$")]
async fn list(world: &mut ConformanceWorld, who: String) -> Result<(), String> {
    let (op, body) = if who == "the user" {
        (
            Operation::ListDevices,
            json!({ "AccessToken": world.access_token()? }),
        )
    } else {
        (
            Operation::AdminListDevices,
            json!({ "UserPoolId": world.pool_id()?, "Username": world.username()? }),
        )
    };
    let answer = world.call(op, &body).await;
    world.record(answer);
    Ok(())
}

#[when(regex = r"^(the user|an administrator) gets the device$")]
async fn get(world: &mut ConformanceWorld, who: String) -> Result<(), String> {
    let device = world.device.clone().ok_or("no device")?;
    let (op, body) = if who == "the user" {
        (
            Operation::GetDevice,
            json!({ "AccessToken": world.access_token()?, "DeviceKey": device.key }),
        )
    } else {
        (
            Operation::AdminGetDevice,
            json!({ "UserPoolId": world.pool_id()?, "Username": world.username()?, "DeviceKey": device.key }),
        )
    };
    let answer = world.call(op, &body).await;
    world.record(answer);
    Ok(())
}

fn attribute<'a>(device: &'a Value, name: &str) -> Option<&'a str> {
    device["DeviceAttributes"]
        .as_array()?
        .iter()
        .find(|a| a["Name"] == name)?["Value"]
        .as_str()
}

fn check_device(device: &Value, key: &str, status: &str, name: &str) -> Result<(), String> {
    if device["DeviceKey"] != key {
        return Err(format!(
            "DeviceKey is {}, expected the device's",
            device["DeviceKey"]
        ));
    }
    let actual = attribute(device, "device_status");
    if actual != Some(status) {
        return Err(format!("device_status is {actual:?}, expected {status:?}"));
    }
    let actual = attribute(device, "device_name");
    if actual != Some(name) {
        return Err(format!("device_name is {actual:?}, expected {name:?}"));
    }
    for date in ["DeviceCreateDate", "DeviceLastModifiedDate"] {
        if !device[date].is_number() {
            return Err(format!("{date} is not a date ({})", device[date]));
        }
    }
    Ok(())
}

#[then(regex = r#"^the device is listed as (remembered|not_remembered), named "([^"]+)"$"#)]
fn listed(world: &mut ConformanceWorld, status: String, name: String) -> Result<(), String> {
    let device = world.device.clone().ok_or("no device")?;
    let body = world.last_ok()?;
    let devices = body["Devices"]
        .as_array()
        .ok_or("the answer has no Devices list")?;
    let found = devices
        .iter()
        .find(|d| d["DeviceKey"] == device.key.as_str())
        .ok_or_else(|| format!("the device is not among the {} listed", devices.len()))?;
    check_device(found, &device.key, &status, &name)
}

#[then("no device is listed")]
fn none_listed(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = world.last_ok()?;
    match body["Devices"].as_array() {
        Some(d) if d.is_empty() => Ok(()),
        Some(d) => Err(format!("{} devices are listed", d.len())),
        None => Err("the answer has no Devices list".into()),
    }
}

#[then(regex = r#"^the device is (remembered|not_remembered), named "([^"]+)"$"#)]
fn got(world: &mut ConformanceWorld, status: String, name: String) -> Result<(), String> {
    let device = world.device.clone().ok_or("no device")?;
    let body = world.last_ok()?;
    check_device(&body["Device"], &device.key, &status, &name)
}

#[then("whether a device not remembered is listed is recorded")]
fn probe_listed(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = world.last_ok()?;
    let seen = match body["Devices"].as_array() {
        Some(d) if d.is_empty() => "not listed",
        Some(_) => "listed",
        None => "no Devices list",
    };
    world
        .observations
        .push(format!("Q19: is a device not remembered listed → {seen}"));
    Ok(())
}

#[when(regex = r"^the user refreshes the tokens (with|without) the device key$")]
async fn refresh(world: &mut ConformanceWorld, with: String) -> Result<(), String> {
    let token = world.refresh_token.clone().ok_or("no refresh token yet")?.0;
    let mut params = json!({ "REFRESH_TOKEN": token });
    if with == "with" {
        params["DEVICE_KEY"] = json!(world.device.clone().ok_or("no device")?.key);
    }
    let body = json!({ "ClientId": world.client_id()?, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": params });
    let answer = world.call(Operation::InitiateAuth, &body).await;
    world.record(answer);
    Ok(())
}

#[then("the user receives new access and ID tokens")]
fn refreshed(world: &mut ConformanceWorld) -> Result<(), String> {
    let result = &world.last_ok()?["AuthenticationResult"];
    for field in ["AccessToken", "IdToken"] {
        if result[field].as_str().is_none_or(str::is_empty) {
            return Err(format!("AuthenticationResult has no {field}"));
        }
    }
    Ok(())
}
