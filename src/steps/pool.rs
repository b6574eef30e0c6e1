//! Steps about user pools, their MFA configuration, app clients and users (spec §2.1, §2.2,
//! §2.13, walk-through step 0).

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::{ConformanceWorld, Redacted};
use crate::vocabulary::Operation;

async fn create_pool(world: &mut ConformanceWorld) -> Result<(), String> {
    let name = world.name("pool");
    let pool = world
        .call(Operation::CreateUserPool, &json!({ "PoolName": name }))
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
    create_pool(world).await?;
    let body = json!({ "UserPoolId": world.pool_id()?, "MfaConfiguration": mode.trim_matches('"'),
                       "SoftwareTokenMfaConfiguration": { "Enabled": true } });
    world
        .call(Operation::SetUserPoolMfaConfig, &body)
        .await
        .map(|_| ())
        .map_err(|e| format!("SetUserPoolMfaConfig: {e}"))
}

#[given("a user pool without MFA")]
async fn pool_without_mfa(world: &mut ConformanceWorld) -> Result<(), String> {
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
    let flows: Vec<String> = flows
        .split(',')
        .map(|f| format!("ALLOW_{}", f.trim()))
        .collect();
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
        crate::cognito::register_secret(s);
        Redacted(s.to_owned())
    });
    if secret && world.client_secret.is_none() {
        return Err("CreateUserPoolClient with GenerateSecret returned no ClientSecret".into());
    }
    Ok(())
}

#[given(expr = "an app client that allows {string}")]
async fn app_client(world: &mut ConformanceWorld, flows: String) -> Result<(), String> {
    create_app_client(world, &flows, false).await
}

/// Creates a confirmed user with a permanent password and `attributes`.
async fn create_confirmed_user(
    world: &mut ConformanceWorld,
    attributes: Value,
) -> Result<(), String> {
    let username = world.name("user");
    let pool_id = world.pool_id()?.to_owned();
    let create = json!({ "UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS",
                         "UserAttributes": attributes });
    world
        .call(Operation::AdminCreateUser, &create)
        .await
        .map_err(|e| format!("AdminCreateUser: {e}"))?;
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
async fn signed_in(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "ClientId": world.client_id()?, "AuthFlow": "USER_PASSWORD_AUTH",
                       "AuthParameters": { "USERNAME": world.username()?, "PASSWORD": world.password.0 } });
    let answer = world
        .call(Operation::InitiateAuth, &body)
        .await
        .map_err(|e| format!("InitiateAuth: {e}"))?;
    super::register_secrets(&answer);
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

#[given("a user pool with MFA OPTIONAL and both software token MFA and SMS MFA enabled")]
async fn pool_with_totp_and_sms(world: &mut ConformanceWorld) -> Result<(), String> {
    create_pool(world).await?;
    let body = json!({ "UserPoolId": world.pool_id()?, "MfaConfiguration": "OPTIONAL",
        "SoftwareTokenMfaConfiguration": { "Enabled": true },
        "SmsMfaConfiguration": { "SmsAuthenticationMessage": "Your code is {####}",
            "SmsConfiguration": { "SnsCallerArn": "arn:aws:iam::000000000000:role/mfaspec-sns" } } });
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
    let create = json!({ "UserPoolId": world.pool_id()?, "Username": username, "MessageAction": "SUPPRESS",
                         "TemporaryPassword": "Temporary-Pa55!" });
    world
        .call(Operation::AdminCreateUser, &create)
        .await
        .map_err(|e| format!("AdminCreateUser: {e}"))?;
    world.username = Some(username);
    crate::cognito::register_secret("Temporary-Pa55!");
    world.password = Redacted("Temporary-Pa55!".into());
    Ok(())
}

#[when(expr = "the administrator sets the pool's MFA configuration to {word} alone")]
async fn mfa_config_alone(world: &mut ConformanceWorld, mode: String) -> Result<(), String> {
    mfa_config_without_factor(world, mode).await
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
