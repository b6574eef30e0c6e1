//! Steps about feature plans, `UserPoolTier` (spec §2.19): pools made or moved on a plan,
//! and what a plan refuses. Each of these scenarios makes its own pool: with
//! `provisioning: existing` they are n/a, since mfaspec never changes an existing pool.
//!
//! Uses: the World, the pool steps, [`crate::vocabulary`].

use cucumber::{given, then, when};
use serde_json::json;

use super::ConformanceWorld;
use crate::vocabulary::Operation;

/// A plan's wire name, checked.
fn plan(name: &str) -> Result<&str, String> {
    match name {
        "LITE" | "ESSENTIALS" | "PLUS" => Ok(name),
        other => Err(format!("{other} is not a plan (LITE, ESSENTIALS, PLUS)")),
    }
}

/// `n/a` with `provisioning: existing`.
fn own_pool_only(world: &mut ConformanceWorld) -> Result<(), String> {
    if world.ctx().profile.existing.is_some() {
        return Err(super::pool::not_here(
            world,
            "the scenario makes a pool of its own on a given plan, and mfaspec never changes an existing pool".into(),
        ));
    }
    Ok(())
}

#[given("a new user pool")]
async fn new_pool(world: &mut ConformanceWorld) -> Result<(), String> {
    own_pool_only(world)?;
    super::pool::create_pool_with(world, json!({})).await
}

#[given(regex = r"^a new user pool on the (\w+) plan$")]
async fn new_pool_on(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    own_pool_only(world)?;
    super::pool::create_pool_with(world, json!({ "UserPoolTier": plan(&name)? })).await
}

#[given(regex = r"^a user pool on the (\w+) plan with MFA (\w+) and software token MFA enabled$")]
async fn pool_on_with_totp(
    world: &mut ConformanceWorld,
    name: String,
    mode: String,
) -> Result<(), String> {
    new_pool_on(world, name).await?;
    super::pool::set_mfa_config(world, &mode, json!({})).await
}

#[then(expr = "the pool's plan is {string}")]
async fn plan_is(world: &mut ConformanceWorld, expected: String) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()? });
    let pool = world
        .call(Operation::DescribeUserPool, &body)
        .await
        .map_err(|e| format!("DescribeUserPool: {e}"))?;
    let tier = &pool["UserPool"]["UserPoolTier"];
    if tier.as_str() == Some(expected.as_str()) {
        Ok(())
    } else {
        Err(format!(
            "DescribeUserPool's UserPoolTier is {tier}, expected {expected:?}"
        ))
    }
}

#[when(regex = r"^the administrator moves the pool to the (\w+) plan$")]
async fn move_pool(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "UserPoolTier": plan(&name)? });
    let answer = world.call(Operation::UpdateUserPool, &body).await;
    world.record(answer);
    Ok(())
}

#[when(
    regex = r"^the administrator creates a pool on the (\w+) plan with threat protection enforced$"
)]
async fn pool_with_threat_protection(
    world: &mut ConformanceWorld,
    name: String,
) -> Result<(), String> {
    own_pool_only(world)?;
    let pool_name = world.name("pool");
    let body = json!({ "PoolName": pool_name, "UserPoolTier": plan(&name)?,
                       "UserPoolAddOns": { "AdvancedSecurityMode": "ENFORCED" },
                       "UserPoolTags": { "mfaspec:run": world.ctx().run_id } });
    let answer = world.call(Operation::CreateUserPool, &body).await;
    // A pool the target made anyway is still the run's to delete.
    if let Ok(made) = &answer
        && let Some(id) = made["UserPool"]["Id"].as_str()
    {
        world.created_pools.push(id.to_owned());
    }
    world.record(answer);
    Ok(())
}

#[when("the administrator gives the pool a domain with managed login")]
async fn managed_login_domain(world: &mut ConformanceWorld) -> Result<(), String> {
    let pool_id = world.pool_id()?.to_owned();
    let prefix = world.name("ui");
    let body = json!({ "UserPoolId": pool_id, "Domain": prefix, "ManagedLoginVersion": 2 });
    let answer = world.call(Operation::CreateUserPoolDomain, &body).await;
    if answer.is_ok() {
        world.created_domains.push((pool_id, prefix));
    }
    world.record(answer);
    Ok(())
}

/// Makes an app client that allows USER_AUTH (recording the refusal, if the pool refuses
/// it) and signs in with USER_AUTH, preferring PASSWORD.
#[when("the user tries USER_AUTH, preferring PASSWORD, at a new app client that allows it")]
async fn try_user_auth(world: &mut ConformanceWorld) -> Result<(), String> {
    let name = world.name("client");
    let body = json!({ "UserPoolId": world.pool_id()?, "ClientName": name,
                       "ExplicitAuthFlows": ["ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] });
    let client = world.call(Operation::CreateUserPoolClient, &body).await;
    let client_id = match &client {
        Ok(c) => c["UserPoolClient"]["ClientId"].as_str().map(str::to_owned),
        Err(_) => None,
    };
    let Some(client_id) = client_id else {
        world.record(client);
        return Ok(());
    };
    world.client_id = Some(client_id.clone());
    let body = json!({ "ClientId": client_id, "AuthFlow": "USER_AUTH",
                       "AuthParameters": { "USERNAME": world.username()?,
                                           "PREFERRED_CHALLENGE": "PASSWORD",
                                           "PASSWORD": world.password.0 } });
    let answer = world.initiate(Operation::InitiateAuth, body).await?;
    world.record(answer);
    Ok(())
}
