//! Steps about user pools, their MFA configuration, app clients and users (spec §2.1, §2.2,
//! §2.13, walk-through step 0).
//!
//! Uses: the World, [`crate::target`], [`crate::vocabulary`].

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::{ConformanceWorld, Redacted};
use crate::vocabulary::Operation;

/// With `provisioning: existing`, the scenario cannot run on this pool: `n/a`, with why.
pub(super) fn not_here(world: &mut ConformanceWorld, why: String) -> String {
    world.not_applicable = Some(why.clone());
    why
}

/// The existing pool, if the profile names one.
fn existing(world: &ConformanceWorld) -> Option<crate::target::ExistingPool> {
    world.ctx().profile.existing.clone()
}

/// With `provisioning: existing`, checks that the pool's MFA configuration is `mode` with
/// the factors `totp` and `sms` as given; otherwise the scenario is `n/a`.
pub(super) async fn existing_pool_is(
    world: &mut ConformanceWorld,
    mode: &str,
    totp: bool,
    sms: bool,
) -> Result<(), String> {
    let Some(pool) = existing(world) else {
        return Ok(());
    };
    world.pool_id = Some(pool.pool_id.clone());
    let config = world
        .call(
            Operation::GetUserPoolMfaConfig,
            &json!({ "UserPoolId": pool.pool_id }),
        )
        .await
        .map_err(|e| format!("GetUserPoolMfaConfig: {e}"))?;
    let has_totp = config["SoftwareTokenMfaConfiguration"]["Enabled"] == true;
    let has_sms = config
        .get("SmsMfaConfiguration")
        .is_some_and(|v| !v.is_null());
    let actual = config["MfaConfiguration"].as_str().unwrap_or("OFF");
    if actual == mode && has_totp == totp && has_sms == sms {
        Ok(())
    } else {
        Err(not_here(
            world,
            format!(
                "the existing pool {} has MfaConfiguration {actual} (software token {}, SMS {}); this scenario needs {mode} (software token {}, SMS {})",
                pool.pool_id,
                on_off(has_totp),
                on_off(has_sms),
                on_off(totp),
                on_off(sms)
            ),
        ))
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

async fn create_pool(world: &mut ConformanceWorld) -> Result<(), String> {
    create_pool_with(world, json!({})).await
}

/// Creates the scenario's pool with `settings` (CreateUserPool members) besides its name.
pub(super) async fn create_pool_with(
    world: &mut ConformanceWorld,
    settings: Value,
) -> Result<(), String> {
    let name = world.name("pool");
    // Tagged with the run, so that a person (or a policy) can see whose it is.
    let mut body = json!({ "PoolName": name,
                           "UserPoolTags": { "mfaspec:run": world.ctx().run_id } });
    for (k, v) in settings.as_object().into_iter().flatten() {
        body[k] = v.clone();
    }
    let pool = world
        .call(Operation::CreateUserPool, &body)
        .await
        .map_err(|e| format!("CreateUserPool: {e}"))?;
    let id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("CreateUserPool returned no Id")?
        .to_owned();
    world.created_pools.push(id.clone());
    world.pool_id = Some(id);
    Ok(())
}

#[given(expr = "a user pool with MFA {word} and software token MFA enabled")]
async fn pool_with_totp(world: &mut ConformanceWorld, mode: String) -> Result<(), String> {
    if existing(world).is_some() {
        return existing_pool_is(world, mode.trim_matches('"'), true, false).await;
    }
    create_pool(world).await?;
    set_mfa_config(world, mode.trim_matches('"'), json!({})).await
}

/// SetUserPoolMfaConfig on the scenario's pool: MFA `mode` with software token MFA enabled,
/// and the other members of `extra` (another factor's configuration).
pub(super) async fn set_mfa_config(
    world: &mut ConformanceWorld,
    mode: &str,
    extra: Value,
) -> Result<(), String> {
    let mut body = json!({ "UserPoolId": world.pool_id()?, "MfaConfiguration": mode,
                           "SoftwareTokenMfaConfiguration": { "Enabled": true } });
    for (k, v) in extra.as_object().into_iter().flatten() {
        body[k] = v.clone();
    }
    world
        .call(Operation::SetUserPoolMfaConfig, &body)
        .await
        .map(|_| ())
        .map_err(|e| format!("SetUserPoolMfaConfig: {e}"))
}

#[given("a user pool without MFA")]
async fn pool_without_mfa(world: &mut ConformanceWorld) -> Result<(), String> {
    if existing(world).is_some() {
        return existing_pool_is(world, "OFF", false, false).await;
    }
    create_pool(world).await
}

#[when(
    expr = "the administrator sets the pool's MFA configuration to {word} with no factor enabled"
)]
async fn mfa_config_without_factor(
    world: &mut ConformanceWorld,
    mode: String,
) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "MfaConfiguration": mode });
    let answer = world.call(Operation::SetUserPoolMfaConfig, &body).await;
    world.record(answer);
    Ok(())
}

#[when(
    expr = "the administrator sets the pool's MFA configuration to {word} with software token MFA enabled"
)]
async fn mfa_config_with_totp(world: &mut ConformanceWorld, mode: String) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "MfaConfiguration": mode, "SoftwareTokenMfaConfiguration": { "Enabled": true } });
    let answer = world.call(Operation::SetUserPoolMfaConfig, &body).await;
    world.record(answer);
    Ok(())
}

/// Creates the scenario's app client. `flows` is a comma-separated list of auth flows
/// without the `ALLOW_` prefix.
async fn create_app_client(
    world: &mut ConformanceWorld,
    flows: &str,
    secret: bool,
) -> Result<(), String> {
    create_app_client_checking(world, flows, secret, false).await
}

/// As [`create_app_client`]; with `srp_matters`, an existing client must also agree with the
/// scenario on ALLOW_USER_SRP_AUTH (it does anyway when the scenario lists it).
async fn create_app_client_checking(
    world: &mut ConformanceWorld,
    flows: &str,
    secret: bool,
    srp_matters: bool,
) -> Result<(), String> {
    let mut flows: Vec<String> = flows
        .split(',')
        .map(|f| format!("ALLOW_{}", f.trim()))
        .collect();
    if let Some(pool) = existing(world) {
        let srp_matters = srp_matters || flows.iter().any(|f| f == "ALLOW_USER_SRP_AUTH");
        return existing_client_is(world, &pool, &flows, secret, srp_matters).await;
    }
    // Signing in with SRP, the scenario's client lets the app do so — unless the scenario is
    // about a client without it.
    let srp = "ALLOW_USER_SRP_AUTH".to_owned();
    if world.ctx().profile.signs_in_with_srp() && !srp_matters && !flows.contains(&srp) {
        flows.push(srp);
    }
    let name = world.name("client");
    let body = json!({ "UserPoolId": world.pool_id()?, "ClientName": name, "ExplicitAuthFlows": flows,
                       "GenerateSecret": secret });
    let client = world
        .call(Operation::CreateUserPoolClient, &body)
        .await
        .map_err(|e| format!("CreateUserPoolClient: {e}"))?;
    let c = &client["UserPoolClient"];
    world.client_id = Some(c["ClientId"].as_str().ok_or("no ClientId")?.to_owned());
    world.client_secret = c["ClientSecret"].as_str().map(|s| {
        world.secret(s);
        Redacted(s.to_owned())
    });
    if secret && world.client_secret.is_none() {
        return Err("CreateUserPoolClient with GenerateSecret returned no ClientSecret".into());
    }
    Ok(())
}

/// The flows whose presence or absence the suite asserts; an existing client must agree with
/// a scenario on each of them (ALLOW_USER_SRP_AUTH only where the scenario names it).
const TOGGLED_FLOWS: &[&str] = &[
    "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
];

/// With `provisioning: existing`: the profile's app client must allow exactly the scenario's
/// flows (of [`TOGGLED_FLOWS`]) and have a secret exactly when the scenario's has one, whose
/// value is in the environment variable the profile names; otherwise `n/a`.
async fn existing_client_is(
    world: &mut ConformanceWorld,
    pool: &crate::target::ExistingPool,
    flows: &[String],
    secret: bool,
    srp_matters: bool,
) -> Result<(), String> {
    let described = world
        .call(
            Operation::DescribeUserPoolClient,
            &json!({ "UserPoolId": pool.pool_id, "ClientId": pool.client_id }),
        )
        .await
        .map_err(|e| format!("DescribeUserPoolClient: {e}"))?;
    let c = &described["UserPoolClient"];
    let allowed: Vec<&str> = c["ExplicitAuthFlows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let srp: &[&str] = if srp_matters {
        &["ALLOW_USER_SRP_AUTH"]
    } else {
        &[]
    };
    // Signing in with SRP, a password flow the scenario's client allows only so that the app
    // can sign in is allowed by an SRP-only client too (the steps sign in with SRP); one the
    // scenario's client must lack, the existing one must lack.
    let by_srp =
        world.ctx().profile.signs_in_with_srp() && allowed.contains(&"ALLOW_USER_SRP_AUTH");
    let mismatched: Vec<&str> = TOGGLED_FLOWS
        .iter()
        .chain(srp)
        .copied()
        .filter(|f| {
            let wanted = flows.iter().any(|x| x == f);
            let password_flow = *f != "ALLOW_REFRESH_TOKEN_AUTH" && *f != "ALLOW_USER_SRP_AUTH";
            let has = allowed.contains(f) || (wanted && by_srp && password_flow);
            has != wanted
        })
        .collect();
    if !mismatched.is_empty() {
        return Err(not_here(
            world,
            format!(
                "the existing app client {} differs from this scenario's on {}",
                pool.client_id,
                mismatched.join(", ")
            ),
        ));
    }
    let has_secret = c.get("ClientSecret").is_some_and(|v| !v.is_null());
    if has_secret != secret {
        return Err(not_here(
            world,
            format!(
                "the existing app client {} {} a secret; this scenario's {}",
                pool.client_id,
                if has_secret { "has" } else { "has no" },
                if secret { "has one" } else { "has none" }
            ),
        ));
    }
    world.client_id = Some(pool.client_id.clone());
    if secret {
        let var = pool.client_secret_env.as_deref().unwrap_or("");
        let value = std::env::var(var).map_err(|_| {
            not_here(
                world,
                format!("the app client's secret is not in the environment variable `{var}` (existing.client_secret_env)"),
            )
        })?;
        world.secret(&value);
        world.client_secret = Some(Redacted(value));
    }
    Ok(())
}

#[given(expr = "an app client that allows {string}")]
async fn app_client(world: &mut ConformanceWorld, flows: String) -> Result<(), String> {
    create_app_client(world, &flows, false).await
}

#[given(expr = "an app client that allows {string} and not USER_SRP_AUTH")]
async fn app_client_without_srp(world: &mut ConformanceWorld, flows: String) -> Result<(), String> {
    create_app_client_checking(world, &flows, false, true).await
}

/// With `provisioning: existing`, users are created only if the profile allows it.
fn may_create_users(world: &mut ConformanceWorld) -> Result<(), String> {
    match existing(world) {
        Some(pool) if !pool.create_users => Err(not_here(
            world,
            format!(
                "the scenario needs a user of its own, and the profile does not allow creating users in {} (existing.create_users)",
                pool.pool_id
            ),
        )),
        _ => Ok(()),
    }
}

/// A user in a pool the scenario did not create is deleted when the scenario ends.
fn note_user(world: &mut ConformanceWorld, pool_id: &str, username: &str) {
    if !world.created_pools.iter().any(|p| p == pool_id) {
        world
            .created_users
            .push((pool_id.to_owned(), username.to_owned()));
    }
}

/// Creates a confirmed user with a permanent password and `attributes`.
pub(super) async fn create_confirmed_user(
    world: &mut ConformanceWorld,
    attributes: Value,
) -> Result<(), String> {
    let username = world.name("user");
    let pool_id = world.pool_id()?.to_owned();
    may_create_users(world)?;
    let create = json!({ "UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS",
                         "UserAttributes": attributes });
    world
        .call(Operation::AdminCreateUser, &create)
        .await
        .map_err(|e| format!("AdminCreateUser: {e}"))?;
    note_user(world, &pool_id, &username);
    let password = json!({ "UserPoolId": pool_id, "Username": username, "Password": world.password.0, "Permanent": true });
    world
        .call(Operation::AdminSetUserPassword, &password)
        .await
        .map_err(|e| format!("AdminSetUserPassword: {e}"))?;
    world.username = Some(username);
    Ok(())
}

#[given("a confirmed user")]
async fn confirmed_user(world: &mut ConformanceWorld) -> Result<(), String> {
    create_confirmed_user(world, json!([])).await
}

/// Signs in with the password alone (the pool asks no MFA of this user yet).
#[given("the user is signed in with their password")]
pub(super) async fn signed_in(world: &mut ConformanceWorld) -> Result<(), String> {
    let answer = if world.ctx().profile.signs_in_with_srp() {
        super::srp::sign_in(world, Operation::InitiateAuth).await?;
        world.last_ok()?.clone()
    } else {
        let body = json!({ "ClientId": world.client_id()?, "AuthFlow": "USER_PASSWORD_AUTH",
                           "AuthParameters": { "USERNAME": world.username()?, "PASSWORD": world.password.0 } });
        world
            .call(Operation::InitiateAuth, &body)
            .await
            .map_err(|e| format!("InitiateAuth: {e}"))?
    };
    let token = answer["AuthenticationResult"]["AccessToken"]
        .as_str()
        .ok_or_else(|| {
            format!(
                "expected tokens, got challenge {}",
                answer.get("ChallengeName").unwrap_or(&Value::Null)
            )
        })?;
    world.access_token = Some(Redacted(token.to_owned()));
    Ok(())
}

#[given(expr = "an app client with a secret that allows {string}")]
async fn app_client_with_secret(world: &mut ConformanceWorld, flows: String) -> Result<(), String> {
    create_app_client(world, &flows, true).await
}

/// The IAM role Cognito would send SMS through: `MFASPEC_SNS_CALLER_ARN` (real AWS checks
/// the role), else a made-up one that emulators and the reference endpoint accept. No SMS is
/// ever sent: the scenario chooses TOTP.
fn sns_caller_arn() -> String {
    std::env::var("MFASPEC_SNS_CALLER_ARN")
        .unwrap_or_else(|_| "arn:aws:iam::000000000000:role/mfaspec-sns".into())
}

#[given("a user pool with MFA OPTIONAL and both software token MFA and SMS MFA enabled")]
async fn pool_with_totp_and_sms(world: &mut ConformanceWorld) -> Result<(), String> {
    if existing(world).is_some() {
        return existing_pool_is(world, "OPTIONAL", true, true).await;
    }
    create_pool(world).await?;
    let body = json!({ "UserPoolId": world.pool_id()?, "MfaConfiguration": "OPTIONAL",
        "SoftwareTokenMfaConfiguration": { "Enabled": true },
        "SmsMfaConfiguration": { "SmsAuthenticationMessage": "Your code is {####}",
            "SmsConfiguration": { "SnsCallerArn": sns_caller_arn() } } });
    world
        .call(Operation::SetUserPoolMfaConfig, &body)
        .await
        .map(|_| ())
        .map_err(|e| format!("SetUserPoolMfaConfig: {e}"))
}

#[given("a confirmed user with a phone number")]
async fn confirmed_user_with_phone(world: &mut ConformanceWorld) -> Result<(), String> {
    let phone = json!([{ "Name": "phone_number", "Value": "+15555550100" }, { "Name": "phone_number_verified", "Value": "true" }]);
    create_confirmed_user(world, phone).await
}

#[given("a user with a temporary password")]
async fn temporary_password_user(world: &mut ConformanceWorld) -> Result<(), String> {
    let username = world.name("user");
    let pool_id = world.pool_id()?.to_owned();
    may_create_users(world)?;
    let create = json!({ "UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS",
                         "TemporaryPassword": "Temporary-Pa55!" });
    world
        .call(Operation::AdminCreateUser, &create)
        .await
        .map_err(|e| format!("AdminCreateUser: {e}"))?;
    note_user(world, &pool_id, &username);
    world.username = Some(username);
    world.secret("Temporary-Pa55!");
    world.password = Redacted("Temporary-Pa55!".into());
    Ok(())
}

#[when(expr = "the administrator sets the pool's MFA configuration to {word} alone")]
async fn mfa_config_alone(world: &mut ConformanceWorld, mode: String) -> Result<(), String> {
    mfa_config_without_factor(world, mode).await
}

#[then("the pool's software token MFA is enabled")]
async fn software_token_mfa_enabled(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()? });
    let config = world
        .call(Operation::GetUserPoolMfaConfig, &body)
        .await
        .map_err(|e| format!("GetUserPoolMfaConfig: {e}"))?;
    match config.get("SoftwareTokenMfaConfiguration") {
        Some(t) if t["Enabled"] == true => Ok(()),
        Some(t) => Err(format!(
            "SoftwareTokenMfaConfiguration is {t}, expected Enabled: true"
        )),
        None => Err("GetUserPoolMfaConfig has no SoftwareTokenMfaConfiguration".into()),
    }
}

#[then(expr = "the pool's MFA configuration is {word}")]
async fn mfa_config_is(world: &mut ConformanceWorld, mode: String) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()? });
    let config = world
        .call(Operation::GetUserPoolMfaConfig, &body)
        .await
        .map_err(|e| format!("GetUserPoolMfaConfig: {e}"))?;
    if config["MfaConfiguration"] == mode.as_str() {
        Ok(())
    } else {
        Err(format!(
            "MfaConfiguration is {}, expected {mode}",
            config["MfaConfiguration"]
        ))
    }
}
