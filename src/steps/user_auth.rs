//! Steps about choice-based sign-in, `USER_AUTH` (spec §2.18): starting it with or without a
//! preferred first factor, answering SELECT_CHALLENGE, and the checks that no flow issues
//! tokens without the TOTP code (`mfa_bypass.feature`).
//!
//! Uses: the World, the SRP and sign-in steps, [`crate::srp`], [`crate::vocabulary`].

use cucumber::{then, when};
use serde_json::{Value, json};

use super::ConformanceWorld;
use super::state::Hash;
use crate::srp;
use crate::vocabulary::{Challenge, Operation};

/// A first factor the steps can give: the password as it is, or proven with SRP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Factor {
    Password,
    PasswordSrp,
}

impl Factor {
    fn parse(text: &str) -> Result<Factor, String> {
        match text {
            "PASSWORD" => Ok(Factor::Password),
            "PASSWORD_SRP" => Ok(Factor::PasswordSrp),
            other => Err(format!("no step gives the first factor {other}")),
        }
    }

    fn challenge(self) -> Challenge {
        match self {
            Factor::Password => Challenge::Password,
            Factor::PasswordSrp => Challenge::PasswordSrp,
        }
    }
}

fn operation(name: &str) -> Result<Operation, String> {
    name.parse()
        .map_err(|()| format!("unknown operation {name}"))
}

/// USER_AUTH through `op` for the scenario's user, with `preferred` (and the factor's own
/// parameters: the password, or a fresh SRP_A whose exchange is kept for PASSWORD_VERIFIER).
async fn initiate(
    world: &mut ConformanceWorld,
    op: Operation,
    preferred: Option<Factor>,
) -> Result<(), String> {
    let username = world.username()?.to_owned();
    let mut params = json!({ "USERNAME": username });
    if let Some(hash) = super::srp::secret_hash(world, &username, &Hash::Right)? {
        params["SECRET_HASH"] = json!(hash);
    }
    let device_key = world.on_device.as_ref().map(|d| d.key.clone());
    if let Some(key) = &device_key {
        params["DEVICE_KEY"] = json!(key);
    }
    let mut exchange = None;
    match preferred {
        None => {}
        Some(Factor::Password) => {
            params["PREFERRED_CHALLENGE"] = json!(Challenge::Password.name());
            params["PASSWORD"] = json!(world.password.0);
        }
        Some(Factor::PasswordSrp) => {
            let client = srp::Client::new();
            let srp_a = client.srp_a();
            world.secret(&srp_a);
            params["PREFERRED_CHALLENGE"] = json!(Challenge::PasswordSrp.name());
            params["SRP_A"] = json!(srp_a);
            exchange = Some(client);
        }
    }
    let body = json!({ "ClientId": world.client_id()?, "AuthFlow": "USER_AUTH", "AuthParameters": params });
    let answer = world.initiate(op, body).await?;
    match exchange {
        Some(client) => super::srp::keep(world, client, Hash::Right, device_key, answer),
        None => world.record(answer),
    }
    Ok(())
}

/// Answers SELECT_CHALLENGE with `factor` and its parameters in the same response.
async fn select(world: &mut ConformanceWorld, factor: Factor) -> Result<(), String> {
    let username = world.username()?.to_owned();
    let mut responses = json!({ "USERNAME": username, "ANSWER": factor.challenge().name() });
    if let Some(hash) = super::srp::secret_hash(world, &username, &Hash::Right)? {
        responses["SECRET_HASH"] = json!(hash);
    }
    if factor == Factor::Password {
        responses["PASSWORD"] = json!(world.password.0);
        return super::sign_in::answer(world, Challenge::SelectChallenge, responses).await;
    }
    let client = srp::Client::new();
    let srp_a = client.srp_a();
    world.secret(&srp_a);
    responses["SRP_A"] = json!(srp_a);
    let device_key = world.on_device.as_ref().map(|d| d.key.clone());
    let body = json!({ "ClientId": world.client_id()?, "ChallengeName": Challenge::SelectChallenge.name(),
                       "Session": world.session()?, "ChallengeResponses": responses });
    let (op, body) = world.challenge_answer(body)?;
    let answer = world.call(op, &body).await;
    super::srp::keep(world, client, Hash::Right, device_key, answer);
    Ok(())
}

/// The `AvailableChallenges` of the last answer.
fn available(world: &ConformanceWorld) -> Result<Vec<String>, String> {
    let body = world.last_ok()?;
    let list = body
        .get("AvailableChallenges")
        .and_then(Value::as_array)
        .ok_or("the answer has no AvailableChallenges list")?;
    Ok(list
        .iter()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect())
}

#[when(regex = r"^the user starts choice-based sign-in with (InitiateAuth|AdminInitiateAuth)$")]
async fn start(world: &mut ConformanceWorld, op: String) -> Result<(), String> {
    initiate(world, operation(&op)?, None).await
}

#[when(
    regex = r"^the user signs in with USER_AUTH through (InitiateAuth|AdminInitiateAuth), preferring (PASSWORD|PASSWORD_SRP)$"
)]
async fn preferring(
    world: &mut ConformanceWorld,
    op: String,
    factor: String,
) -> Result<(), String> {
    initiate(world, operation(&op)?, Some(Factor::parse(&factor)?)).await
}

#[when("the user answers SELECT_CHALLENGE with PASSWORD and the password")]
async fn select_password(world: &mut ConformanceWorld) -> Result<(), String> {
    select(world, Factor::Password).await
}

#[when("the user answers SELECT_CHALLENGE with PASSWORD_SRP")]
async fn select_password_srp(world: &mut ConformanceWorld) -> Result<(), String> {
    select(world, Factor::PasswordSrp).await
}

/// A first factor the pool did not list: WEB_AUTHN, SMS_OTP or EMAIL_OTP, whichever is not
/// among the AvailableChallenges.
#[when("the user answers SELECT_CHALLENGE with a challenge that was not offered")]
async fn select_not_offered(world: &mut ConformanceWorld) -> Result<(), String> {
    let offered = available(world)?;
    let answer = ["WEB_AUTHN", "SMS_OTP", "EMAIL_OTP"]
        .into_iter()
        .find(|c| !offered.iter().any(|o| o == c))
        .ok_or("the pool offered every first factor")?;
    let responses = json!({ "USERNAME": world.username()?, "ANSWER": answer });
    super::sign_in::answer(world, Challenge::SelectChallenge, responses).await
}

#[then(expr = "the available challenges include {string}")]
fn available_include(world: &mut ConformanceWorld, items: String) -> Result<(), String> {
    super::sign_in::includes("AvailableChallenges", &available(world)?, &items)
}

/// The whole first factor through InitiateAuth: USER_AUTH, the factor given as preferred or
/// chosen in SELECT_CHALLENGE, and the password proven where it is SRP. A factor the target
/// does not offer makes the scenario n/a.
#[when(
    regex = r"^the user signs in with USER_AUTH, (preferring|choosing) (PASSWORD|PASSWORD_SRP)$"
)]
async fn whole_first_factor(
    world: &mut ConformanceWorld,
    how: String,
    factor: String,
) -> Result<(), String> {
    let factor = Factor::parse(&factor)?;
    if how == "preferring" {
        initiate(world, Operation::InitiateAuth, Some(factor)).await?;
    } else {
        initiate(world, Operation::InitiateAuth, None).await?;
        let selecting = world
            .last_ok()
            .is_ok_and(|b| b["ChallengeName"] == Challenge::SelectChallenge.name());
        if !selecting {
            return Ok(());
        }
        let name = factor.challenge().name();
        if !available(world)?.iter().any(|o| o == name) {
            return Err(super::pool::not_here(
                world,
                format!("the target did not offer {name} in SELECT_CHALLENGE"),
            ));
        }
        select(world, factor).await?;
    }
    if factor == Factor::PasswordSrp && super::srp::challenged(world) {
        super::srp::answer(world, super::srp::Claim::Right).await?;
    }
    Ok(())
}

#[when("the user signs in with USER_AUTH on the device, preferring PASSWORD_SRP")]
async fn on_device(world: &mut ConformanceWorld) -> Result<(), String> {
    world.on_device = Some(world.device.clone().ok_or("no device to sign in on")?);
    let mut result = initiate(world, Operation::InitiateAuth, Some(Factor::PasswordSrp)).await;
    if result.is_ok() && super::srp::challenged(world) {
        result = super::srp::answer(world, super::srp::Claim::Right).await;
    }
    world.on_device = None;
    result
}

/// What a sign-in's last answer is, in words, for the failures below.
fn what(body: &Value) -> String {
    match body.get("ChallengeName").and_then(Value::as_str) {
        Some(name) => format!("the challenge {name}"),
        None if body.get("AuthenticationResult").is_some() => "tokens".into(),
        None => "a success without tokens or a challenge".into(),
    }
}

#[then("the sign-in asks for the TOTP code or is refused")]
fn asks_or_refuses(world: &mut ConformanceWorld) -> Result<(), String> {
    let Ok(body) = world.last_ok() else {
        return world.last_err().map(|_| ());
    };
    if body.get("AuthenticationResult").is_some() {
        return Err(
            "the target issued tokens without the TOTP code: this flow bypasses MFA".into(),
        );
    }
    match body.get("ChallengeName").and_then(Value::as_str) {
        Some(name) if name == Challenge::SoftwareTokenMfa.name() => Ok(()),
        _ => Err(format!(
            "the sign-in went on to {}, not to SOFTWARE_TOKEN_MFA",
            what(body)
        )),
    }
}

#[then("the sign-in is refused")]
fn refused(world: &mut ConformanceWorld) -> Result<(), String> {
    match world.last_ok() {
        Err(_) => world.last_err().map(|_| ()),
        Ok(body) => Err(format!(
            "the target answered with {}, expected a refusal",
            what(body)
        )),
    }
}

#[when("the user refreshes the tokens with REFRESH_TOKEN_AUTH")]
async fn refresh(world: &mut ConformanceWorld) -> Result<(), String> {
    let token = world
        .refresh_token
        .clone()
        .ok_or("the user has no refresh token")?;
    let body = json!({ "ClientId": world.client_id()?, "AuthFlow": "REFRESH_TOKEN_AUTH",
                       "AuthParameters": { "REFRESH_TOKEN": token.0 } });
    let answer = world.initiate(Operation::InitiateAuth, body).await?;
    world.record(answer);
    Ok(())
}
