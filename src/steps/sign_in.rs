//! Steps about signing in: InitiateAuth / AdminInitiateAuth, the challenges and their
//! answers, and the tokens (spec §2.9–§2.12, walk-through step 9, §4 B1, B2, B5, B6).
//!
//! Uses: the World, [`crate::vocabulary`], [`crate::secret_hash`].

use cucumber::{then, when};
use serde_json::{Value, json};

use super::{ConformanceWorld, Flow, Redacted};
use crate::report::repro::CodeKind;
use crate::vocabulary::{Challenge, Operation};

async fn sign_in(
    world: &mut ConformanceWorld,
    op: Operation,
    flow_name: &str,
) -> Result<(), String> {
    let params = json!({ "USERNAME": world.username()?, "PASSWORD": world.password.0 });
    let body =
        json!({ "ClientId": world.client_id()?, "AuthFlow": flow_name, "AuthParameters": params });
    let answer = world.initiate(op, body).await?;
    world.record(answer);
    Ok(())
}

/// Signs in as the app does: with the password flow of `op`, or, when the run signs in with
/// SRP (`sign_in: srp`, or an existing app client that allows only it), with USER_SRP_AUTH
/// and its PASSWORD_VERIFIER answered — so that the scenario goes on from what follows.
async fn sign_in_as_the_app(world: &mut ConformanceWorld, op: Operation) -> Result<(), String> {
    if world.ctx().profile.signs_in_with_srp() {
        return super::srp::sign_in(world, op).await;
    }
    let flow = if op == Operation::AdminInitiateAuth {
        "ADMIN_USER_PASSWORD_AUTH"
    } else {
        "USER_PASSWORD_AUTH"
    };
    sign_in(world, op, flow).await
}

#[when("the user signs in with AdminInitiateAuth")]
async fn admin_sign_in(world: &mut ConformanceWorld) -> Result<(), String> {
    sign_in_as_the_app(world, Operation::AdminInitiateAuth).await
}

#[when("the user signs in with InitiateAuth")]
async fn public_sign_in(world: &mut ConformanceWorld) -> Result<(), String> {
    sign_in_as_the_app(world, Operation::InitiateAuth).await
}

#[when(expr = "the user signs in with InitiateAuth using the {word} flow")]
async fn public_sign_in_with(world: &mut ConformanceWorld, flow: String) -> Result<(), String> {
    sign_in(world, Operation::InitiateAuth, &flow).await
}

#[when(expr = "the user signs in with AdminInitiateAuth using the {word} flow")]
async fn admin_sign_in_with(world: &mut ConformanceWorld, flow: String) -> Result<(), String> {
    sign_in(world, Operation::AdminInitiateAuth, &flow).await
}

#[when(expr = "the user signs in with AdminInitiateAuth and the wrong password")]
async fn wrong_password(world: &mut ConformanceWorld) -> Result<(), String> {
    let saved = world.password.clone();
    world.secret("Wrong-Pa55word!");
    world.password = Redacted("Wrong-Pa55word!".into());
    let result = sign_in_as_the_app(world, Operation::AdminInitiateAuth).await;
    world.password = saved;
    result
}

#[then(expr = "the challenge is {string}")]
fn challenge_is(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    let body = world.last_ok()?;
    match body["ChallengeName"].as_str() {
        Some(c) if c == name => {}
        other => return Err(format!("ChallengeName is {other:?}, expected {name:?}")),
    }
    body["Session"]
        .as_str()
        .map(|_| ())
        .ok_or_else(|| "the challenge has no Session".into())
}

#[then(expr = "the challenge parameter {string} is {string}")]
fn challenge_parameter(
    world: &mut ConformanceWorld,
    name: String,
    value: String,
) -> Result<(), String> {
    let actual = &world.last_ok()?["ChallengeParameters"][&name];
    if actual.as_str() == Some(value.as_str()) {
        Ok(())
    } else {
        Err(format!(
            "ChallengeParameters.{name} is {actual}, expected {value:?}"
        ))
    }
}

/// The challenge parameter `name` of the last answer, a JSON array inside a string, as
/// MFAS_CAN_SETUP and MFAS_CAN_CHOOSE are (spec §2.9).
pub(super) fn parameter_list(world: &ConformanceWorld, name: &str) -> Result<Vec<String>, String> {
    let text = world.last_ok()?["ChallengeParameters"][name]
        .as_str()
        .ok_or_else(|| format!("ChallengeParameters.{name} is not a string"))?
        .to_owned();
    serde_json::from_str(&text)
        .map_err(|e| format!("ChallengeParameters.{name} = {text:?} is not a JSON list: {e}"))
}

/// Whether `list` (named `what` in the error) includes every one of the comma-separated
/// `items`, in any order.
pub(super) fn includes(what: &str, list: &[String], items: &str) -> Result<(), String> {
    let missing: Vec<&str> = items
        .split(',')
        .map(str::trim)
        .filter(|i| !list.iter().any(|l| l == i))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{what} is {list:?}; it lacks {}",
            missing.join(", ")
        ))
    }
}

/// `items` is comma-separated.
#[then(expr = "the challenge parameter {string} is a JSON list of {string}")]
fn challenge_parameter_list(
    world: &mut ConformanceWorld,
    name: String,
    items: String,
) -> Result<(), String> {
    let list = parameter_list(world, &name)?;
    let expected: Vec<String> = items.split(',').map(|i| i.trim().to_owned()).collect();
    if list == expected {
        Ok(())
    } else {
        Err(format!(
            "ChallengeParameters.{name} is {list:?}, expected {expected:?}"
        ))
    }
}

#[then(expr = "the challenge parameter {string} is the username")]
fn challenge_parameter_username(world: &mut ConformanceWorld, name: String) -> Result<(), String> {
    let username = world.username()?.to_owned();
    challenge_parameter(world, name, username)
}

pub(super) async fn answer(
    world: &mut ConformanceWorld,
    challenge: Challenge,
    responses: Value,
) -> Result<(), String> {
    let body = json!({ "ClientId": world.client_id()?, "ChallengeName": challenge.name(),
                       "Session": world.session()?, "ChallengeResponses": responses });
    let (op, body) = world.challenge_answer(body)?;
    let result = world.call(op, &body).await;
    world.record(result);
    Ok(())
}

async fn answer_code(world: &mut ConformanceWorld, code: String) -> Result<(), String> {
    let responses = json!({ "USERNAME": world.username()?, "SOFTWARE_TOKEN_MFA_CODE": code });
    answer(world, Challenge::SoftwareTokenMfa, responses).await
}

#[when("the user answers the challenge with a fresh code")]
async fn answer_fresh(world: &mut ConformanceWorld) -> Result<(), String> {
    let code = world.fresh_code().await?.to_string();
    answer_code(world, code).await
}

#[when(regex = r"^the user answers the challenge with the code of the (previous|next) step$")]
async fn answer_neighbour(world: &mut ConformanceWorld, which: String) -> Result<(), String> {
    let now = world.safe_now_s().await?;
    let offset = if which == "previous" { -1 } else { 1 };
    let code = world.phone()?.at_offset(now, offset);
    world.note_code(&code, CodeKind::Offset(offset));
    answer_code(world, code.to_string()).await
}

#[when(regex = r"^the user answers the challenge with the code of (\d+) steps ago$")]
async fn answer_stale(world: &mut ConformanceWorld, steps: i64) -> Result<(), String> {
    let now = world.safe_now_s().await?;
    let code = world.phone()?.at_offset(now, -steps);
    world.note_code(&code, CodeKind::Offset(-steps));
    answer_code(world, code.to_string()).await
}

#[when("the user answers the challenge with the code they used last")]
async fn answer_replay(world: &mut ConformanceWorld) -> Result<(), String> {
    let code = world.phone()?.last_code().ok_or("no code was used yet")?;
    // The same value as before: a reproduction sends the same code again.
    world.note_code(&code, CodeKind::Fresh);
    answer_code(world, code.to_string()).await
}

#[when("the user answers the challenge with a wrong code")]
async fn answer_wrong(world: &mut ConformanceWorld) -> Result<(), String> {
    let now = world.now_s().await;
    let code = world.phone()?.wrong(now);
    world.note_code(&code, CodeKind::Wrong);
    answer_code(world, code.to_string()).await
}

#[when("the user answers the MFA_SETUP challenge with the session")]
async fn answer_mfa_setup(world: &mut ConformanceWorld) -> Result<(), String> {
    let responses = json!({ "USERNAME": world.username()? });
    answer(world, Challenge::MfaSetup, responses).await
}

/// Moves a clock-controlled target's clock; against a real clock, waits (`@slow`).
#[when(regex = r"^(\d+) minutes pass$")]
async fn minutes_pass(world: &mut ConformanceWorld, minutes: u64) -> Result<(), String> {
    // Minutes pass only for a session to expire: without one there is nothing to wait for,
    // and against a real clock the wait would be minutes spent on a foregone failure.
    world
        .session()
        .map_err(|e| format!("{e}: no session to let expire"))?;
    world.pass_time(minutes * 60).await
}

#[then("the user receives access, ID and refresh tokens")]
fn tokens(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = world.last_ok()?;
    let result = &body["AuthenticationResult"];
    for field in ["AccessToken", "IdToken", "RefreshToken"] {
        if result[field].as_str().is_none_or(str::is_empty) {
            return Err(format!("AuthenticationResult has no {field}"));
        }
    }
    if result["TokenType"] != "Bearer" {
        return Err(format!(
            "TokenType is {}, expected \"Bearer\"",
            result["TokenType"]
        ));
    }
    let access = result["AccessToken"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    world.access_token = Some(Redacted(access));
    Ok(())
}

#[then(expr = "the ID token's {word} claim is the JSON boolean true")]
fn id_claim_is_true(world: &mut ConformanceWorld, claim: String) -> Result<(), String> {
    let body = world.last_ok()?;
    let id = body["AuthenticationResult"]["IdToken"]
        .as_str()
        .ok_or("AuthenticationResult has no IdToken")?;
    claim_is_true(&super::devices::claims(id)?, &claim)
}

/// Whether `claims[claim]` is `true` itself, not the string "true".
pub(in crate::steps) fn claim_is_true(claims: &Value, claim: &str) -> Result<(), String> {
    match &claims[claim] {
        Value::Bool(true) => Ok(()),
        Value::Null => Err(format!("the ID token has no {claim} claim")),
        other => Err(format!(
            "the ID token's {claim} is {other} ({}), not the JSON boolean true",
            match other {
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "not a boolean",
            }
        )),
    }
}

#[when("someone signs in with AdminInitiateAuth as a user that does not exist")]
async fn unknown_user(world: &mut ConformanceWorld) -> Result<(), String> {
    let saved = world.username.clone();
    world.username = Some(world.name("nobody"));
    let result = sign_in_as_the_app(world, Operation::AdminInitiateAuth).await;
    world.username = saved;
    result
}

async fn sign_in_with_hash(
    world: &mut ConformanceWorld,
    hash: Option<String>,
) -> Result<(), String> {
    if world.ctx().profile.signs_in_with_srp() {
        let username = world.username()?.to_owned();
        let hash = super::state::Hash::Given(hash);
        return super::srp::sign_in_with(
            world,
            Operation::InitiateAuth,
            username,
            hash,
            super::srp::Claim::Right,
        )
        .await;
    }
    let mut params = json!({ "USERNAME": world.username()?, "PASSWORD": world.password.0 });
    if let Some(h) = hash {
        params["SECRET_HASH"] = json!(h);
    }
    let body = json!({ "ClientId": world.client_id()?, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": params });
    world.flow = Flow::Public;
    let answer = world.call(Operation::InitiateAuth, &body).await;
    world.record(answer);
    Ok(())
}

#[when("the user signs in with InitiateAuth without a SECRET_HASH")]
async fn without_secret_hash(world: &mut ConformanceWorld) -> Result<(), String> {
    sign_in_with_hash(world, None).await
}

#[when("the user signs in with InitiateAuth with a wrong SECRET_HASH")]
async fn wrong_secret_hash(world: &mut ConformanceWorld) -> Result<(), String> {
    sign_in_with_hash(world, Some("bm90IHRoZSBoYXNo".into())).await
}

#[when("the user signs in with InitiateAuth with the right SECRET_HASH")]
async fn right_secret_hash(world: &mut ConformanceWorld) -> Result<(), String> {
    let secret = world
        .client_secret
        .clone()
        .ok_or("the app client has no secret")?;
    let hash = crate::secret_hash::secret_hash(&secret.0, world.username()?, world.client_id()?);
    sign_in_with_hash(world, Some(hash)).await
}

#[then("the message names the app client")]
fn message_names_client(world: &mut ConformanceWorld) -> Result<(), String> {
    let client_id = world.client_id()?.to_owned();
    let e = world.last_err()?;
    if e.message.contains(&client_id) {
        Ok(())
    } else {
        Err(format!(
            "message {:?} does not name the app client",
            e.message
        ))
    }
}

#[when(expr = "the user answers SELECT_MFA_TYPE with {word}")]
async fn answer_select(world: &mut ConformanceWorld, answer_name: String) -> Result<(), String> {
    let responses = json!({ "USERNAME": world.username()?, "ANSWER": answer_name });
    answer(world, Challenge::SelectMfaType, responses).await
}

#[when("the user answers NEW_PASSWORD_REQUIRED with a new password")]
async fn answer_new_password(world: &mut ConformanceWorld) -> Result<(), String> {
    world.password = Redacted("Mfaspec-Pa55word!".into());
    let responses = json!({ "USERNAME": world.username()?, "NEW_PASSWORD": world.password.0 });
    answer(world, Challenge::NewPasswordRequired, responses).await
}

#[when("the administrator disables the user")]
async fn disable_user(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "Username": world.username()? });
    world
        .call(Operation::AdminDisableUser, &body)
        .await
        .map(|_| ())
        .map_err(|e| format!("AdminDisableUser: {e}"))
}
