//! Steps about the software token: AssociateSoftwareToken, the authenticator app,
//! VerifySoftwareToken and MFA preferences (spec §2.3–§2.6, walk-through steps 1–8).
//!
//! Uses: the World, [`crate::oracle`], [`crate::vocabulary`].

use cucumber::{given, then, when};
use serde_json::json;

use super::{ConformanceWorld, Redacted};
use crate::oracle::Phone;
use crate::vocabulary::Operation;

async fn associate(world: &mut ConformanceWorld, body: serde_json::Value) {
    let answer = world.call(Operation::AssociateSoftwareToken, &body).await;
    keep_secret(world, answer.as_ref().ok());
    world.record(answer);
}

#[when("the user calls AssociateSoftwareToken with their access token")]
async fn associate_with_token(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "AccessToken": world.access_token()? });
    associate(world, body).await;
    Ok(())
}

#[when("the user calls AssociateSoftwareToken with the session")]
async fn associate_with_session(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "Session": world.session()? });
    associate(world, body).await;
    Ok(())
}

#[when("the user calls AssociateSoftwareToken again with the first session")]
async fn associate_with_first_session(world: &mut ConformanceWorld) -> Result<(), String> {
    let first = world.first_session.clone().ok_or("no first session")?;
    let answer = world
        .call(
            Operation::AssociateSoftwareToken,
            &json!({ "Session": first.0 }),
        )
        .await;
    world.last = super::LastAnswer(Some(answer));
    Ok(())
}

fn keep_secret(world: &mut ConformanceWorld, body: Option<&serde_json::Value>) {
    if let Some(code) = body.and_then(|b| b["SecretCode"].as_str()) {
        world.secret_code = Some(Redacted(code.to_owned()));
    }
}

/// A second user of the same pool signs in with their own password and asks for a secret of
/// their own; the scenario's user is left as it was (API-AST: "a unique private key that
/// Amazon Cognito generates").
#[when("another confirmed user signs in and calls AssociateSoftwareToken")]
async fn another_user_associates(world: &mut ConformanceWorld) -> Result<(), String> {
    let (username, token) = (world.username.clone(), world.access_token.clone());
    let result = async {
        super::pool::create_confirmed_user(world, json!([])).await?;
        super::pool::signed_in(world).await?;
        let body = json!({ "AccessToken": world.access_token()? });
        let answer = world
            .call(Operation::AssociateSoftwareToken, &body)
            .await
            .map_err(|e| format!("the other user's AssociateSoftwareToken: {e}"))?;
        answer["SecretCode"]
            .as_str()
            .map(|s| Redacted(s.to_owned()))
            .ok_or_else(|| "the other user's answer has no SecretCode".to_owned())
    }
    .await;
    world.username = username;
    world.access_token = token;
    world.other_secret_code = Some(result?);
    Ok(())
}

#[then("the two users' SecretCodes differ")]
fn secret_codes_differ(world: &mut ConformanceWorld) -> Result<(), String> {
    let mine = world
        .secret_code
        .as_ref()
        .ok_or("the user was given no SecretCode")?;
    let theirs = world
        .other_secret_code
        .as_ref()
        .ok_or("the other user was given no SecretCode")?;
    if mine.0 == theirs.0 {
        Err("both users were given the same SecretCode".into())
    } else {
        Ok(())
    }
}

#[then("the response contains a SecretCode")]
fn has_secret_code(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = world.last_ok()?;
    let code = body["SecretCode"]
        .as_str()
        .ok_or("no SecretCode in the response")?;
    // BOTO: min length 16, [A-Za-z0-9]+.
    if code.len() < 16 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(format!(
            "SecretCode of {} characters does not match [A-Za-z0-9]{{16,}}",
            code.len()
        ));
    }
    Ok(())
}

#[when("the user adds the SecretCode to their authenticator app as a time-based key")]
fn set_up_phone(world: &mut ConformanceWorld) -> Result<(), String> {
    let code = world
        .secret_code
        .as_ref()
        .ok_or("no SecretCode was received")?;
    world.phone = Some(
        Phone::from_secret_code(&code.0)
            .map_err(|e| format!("the SecretCode is not Base32: {e}"))?,
    );
    world.phone_key = Some(code.clone());
    Ok(())
}

async fn verify(
    world: &mut ConformanceWorld,
    code: String,
    device: Option<&str>,
    with_session: bool,
) -> Result<(), String> {
    let mut body = json!({ "UserCode": code });
    if with_session {
        body["Session"] = json!(world.session()?);
    } else {
        body["AccessToken"] = json!(world.access_token()?);
    }
    if let Some(name) = device {
        body["FriendlyDeviceName"] = json!(name);
    }
    let answer = world.call(Operation::VerifySoftwareToken, &body).await;
    world.record(answer);
    Ok(())
}

async fn fresh_code(world: &mut ConformanceWorld) -> Result<String, String> {
    Ok(world.fresh_code().await?.to_string())
}

#[when(
    expr = "the user calls VerifySoftwareToken with a fresh code and the friendly device name {string}"
)]
async fn verify_fresh(world: &mut ConformanceWorld, device: String) -> Result<(), String> {
    let code = fresh_code(world).await?;
    verify(world, code, Some(&device), false).await
}

#[when(
    expr = "the user calls VerifySoftwareToken with the session, a fresh code and the friendly device name {string}"
)]
async fn verify_fresh_session(world: &mut ConformanceWorld, device: String) -> Result<(), String> {
    let code = fresh_code(world).await?;
    verify(world, code, Some(&device), true).await
}

#[when("the user calls VerifySoftwareToken with a wrong code")]
async fn verify_wrong(world: &mut ConformanceWorld) -> Result<(), String> {
    let now = world.now_s().await;
    let code = world.phone()?.wrong(now);
    world.note_code(&code, crate::report::repro::CodeKind::Wrong);
    verify(world, code.to_string(), None, false).await
}

#[when(expr = "the user calls VerifySoftwareToken with the code {string}")]
async fn verify_literal(world: &mut ConformanceWorld, code: String) -> Result<(), String> {
    verify(world, code, None, false).await
}

#[when("the user calls VerifySoftwareToken with the first session")]
async fn verify_first_session(world: &mut ConformanceWorld) -> Result<(), String> {
    let first = world.first_session.clone().ok_or("no first session")?;
    let answer = world
        .call(
            Operation::VerifySoftwareToken,
            &json!({ "Session": first.0, "UserCode": "123456" }),
        )
        .await;
    world.last = super::LastAnswer(Some(answer));
    Ok(())
}

#[then(expr = "the response status is {string}")]
fn status_is(world: &mut ConformanceWorld, status: String) -> Result<(), String> {
    let body = world.last_ok()?;
    match body["Status"].as_str() {
        Some(s) if s == status => Ok(()),
        other => Err(format!("Status is {other:?}, expected {status:?}")),
    }
}

#[then("the response includes a session")]
fn has_session(world: &mut ConformanceWorld) -> Result<(), String> {
    world.last_ok()?["Session"]
        .as_str()
        .map(|_| ())
        .ok_or_else(|| "no Session in the response".into())
}

async fn set_preference(world: &mut ConformanceWorld, admin: bool) -> Result<(), String> {
    let settings = json!({ "Enabled": true, "PreferredMfa": true });
    let (op, body) = if admin {
        (
            Operation::AdminSetUserMFAPreference,
            json!({ "UserPoolId": world.pool_id()?, "Username": world.username()?, "SoftwareTokenMfaSettings": settings }),
        )
    } else {
        (
            Operation::SetUserMFAPreference,
            json!({ "AccessToken": world.access_token()?, "SoftwareTokenMfaSettings": settings }),
        )
    };
    let answer = world.call(op, &body).await;
    world.record(answer);
    Ok(())
}

#[when("the user sets software token MFA as enabled and preferred")]
async fn user_preference(world: &mut ConformanceWorld) -> Result<(), String> {
    set_preference(world, false).await
}

#[when("an administrator sets software token MFA as enabled and preferred for the user")]
async fn admin_preference(world: &mut ConformanceWorld) -> Result<(), String> {
    set_preference(world, true).await
}

#[given(expr = "the user has set up TOTP with the friendly device name {string}")]
async fn set_up_totp(world: &mut ConformanceWorld, device: String) -> Result<(), String> {
    associate_with_token(world).await?;
    world.last_ok()?;
    set_up_phone(world)?;
    verify_fresh(world, device).await?;
    status_is(world, "SUCCESS".into())?;
    user_preference(world).await?;
    world.last_ok().map(|_| ())
}

#[then(expr = "the user's preferred MFA is {string}")]
async fn preferred_mfa(world: &mut ConformanceWorld, expected: String) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "Username": world.username()? });
    let user = world
        .call(Operation::AdminGetUser, &body)
        .await
        .map_err(|e| format!("AdminGetUser: {e}"))?;
    let list = user["UserMFASettingList"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if user["PreferredMfaSetting"].as_str() != Some(expected.as_str())
        || !list.iter().any(|v| v == expected.as_str())
    {
        return Err(format!(
            "PreferredMfaSetting {:?}, UserMFASettingList {:?}; expected {expected}",
            user["PreferredMfaSetting"], list
        ));
    }
    Ok(())
}

#[given("the user signs out everywhere with GlobalSignOut")]
#[when("the user signs out everywhere with GlobalSignOut")]
async fn global_sign_out(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "AccessToken": world.access_token()? });
    world
        .call(Operation::GlobalSignOut, &body)
        .await
        .map(|_| ())
        .map_err(|e| format!("GlobalSignOut: {e}"))
}

#[when("the user calls VerifySoftwareToken with their access token and the code \"123456\"")]
async fn verify_with_token_literal(world: &mut ConformanceWorld) -> Result<(), String> {
    verify(world, "123456".into(), None, false).await
}

#[given(
    expr = "the user has set up TOTP without a preference, with the friendly device name {string}"
)]
async fn set_up_totp_no_preference(
    world: &mut ConformanceWorld,
    device: String,
) -> Result<(), String> {
    associate_with_token(world).await?;
    world.last_ok()?;
    set_up_phone(world)?;
    verify_fresh(world, device).await?;
    status_is(world, "SUCCESS".into())
}

#[given("the user enables software token MFA and SMS MFA, preferring neither")]
async fn enable_both(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "AccessToken": world.access_token()?,
        "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": false },
        "SMSMfaSettings": { "Enabled": true, "PreferredMfa": false } });
    world
        .call(Operation::SetUserMFAPreference, &body)
        .await
        .map(|_| ())
        .map_err(|e| format!("SetUserMFAPreference: {e}"))
}

#[then("the user has no MFA settings")]
async fn no_mfa_settings(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "Username": world.username()? });
    let user = world
        .call(Operation::AdminGetUser, &body)
        .await
        .map_err(|e| format!("AdminGetUser: {e}"))?;
    for member in ["UserMFASettingList", "PreferredMfaSetting"] {
        if let Some(v) = user.get(member) {
            return Err(format!(
                "{member} is {v}; AWS leaves it out (absent, not empty)"
            ));
        }
    }
    Ok(())
}

#[then(expr = "the user's MFA settings do not list {string}")]
async fn settings_do_not_list(world: &mut ConformanceWorld, factor: String) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "Username": world.username()? });
    let user = world
        .call(Operation::AdminGetUser, &body)
        .await
        .map_err(|e| format!("AdminGetUser: {e}"))?;
    let listed = user["UserMFASettingList"]
        .as_array()
        .is_some_and(|l| l.iter().any(|v| v == factor.as_str()));
    if listed || user["PreferredMfaSetting"] == factor.as_str() {
        return Err(format!(
            "the user's MFA settings name {factor}: {:?} / {:?}",
            user["UserMFASettingList"], user["PreferredMfaSetting"]
        ));
    }
    Ok(())
}

#[when("the user calls AssociateSoftwareToken with an access token that is not one")]
async fn associate_with_garbage(world: &mut ConformanceWorld) -> Result<(), String> {
    let answer = world
        .call(
            Operation::AssociateSoftwareToken,
            &json!({ "AccessToken": "not-an-access-token" }),
        )
        .await;
    world.record(answer);
    Ok(())
}

#[when("an administrator sets software token MFA as enabled for the user")]
async fn admin_enable_totp(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "Username": world.username()?,
                       "SoftwareTokenMfaSettings": { "Enabled": true } });
    let answer = world
        .call(Operation::AdminSetUserMFAPreference, &body)
        .await;
    world.record(answer);
    Ok(())
}
