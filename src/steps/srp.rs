//! Steps about `USER_SRP_AUTH` (spec §2.14): starting the exchange, answering the
//! `PASSWORD_VERIFIER` challenge — rightly, or wrongly in each of the ways AWS refuses — and
//! what the challenge carries. The math is [`crate::srp`]'s; the TIMESTAMP is the target's
//! time (its own clock where it can be read).
//!
//! Uses: the World, [`crate::srp`], [`crate::secret_hash`], [`crate::vocabulary`].

use cucumber::{then, when};
use serde_json::{Value, json};

use super::ConformanceWorld;
use super::state::{Hash, SrpExchange};
use crate::srp::{self, Timestamp};
use crate::vocabulary::{Challenge, Operation};

/// The SECRET_HASH to send for `username`, if any.
pub(super) fn secret_hash(
    world: &ConformanceWorld,
    username: &str,
    hash: &Hash,
) -> Result<Option<String>, String> {
    Ok(match hash {
        Hash::Given(given) => given.clone(),
        Hash::Right => match &world.client_secret {
            Some(secret) => Some(crate::secret_hash::secret_hash(
                &secret.0,
                username,
                world.client_id()?,
            )),
            None => None,
        },
    })
}

/// How the claim is made wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Claim {
    Right,
    WrongPassword,
    WrongSignature,
    ZeroPaddedDay,
    WrongWeekday,
    HourOld,
}

/// USER_SRP_AUTH through `op`: records the answer (the PASSWORD_VERIFIER challenge, or an
/// error) and keeps the exchange for the answer.
pub(super) async fn start(
    world: &mut ConformanceWorld,
    op: Operation,
    username: String,
    hash: Hash,
) -> Result<(), String> {
    let exchange = srp::Client::new();
    let srp_a = exchange.srp_a();
    world.secret(&srp_a);
    let mut params = json!({ "USERNAME": username, "SRP_A": srp_a });
    if let Some(h) = secret_hash(world, &username, &hash)? {
        params["SECRET_HASH"] = json!(h);
    }
    // On a remembered device, the DEVICE_KEY goes with the initiate and the claim, as
    // pycognito sends it (Amplify only with the claim).
    let device_key = world.on_device.as_ref().map(|d| d.key.clone());
    if let Some(key) = &device_key {
        params["DEVICE_KEY"] = json!(key);
    }
    let body = json!({ "ClientId": world.client_id()?, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": params });
    let answer = world.initiate(op, body).await?;
    keep(world, exchange, hash, device_key, answer);
    Ok(())
}

/// Records `answer` to a request that carried `exchange`'s SRP_A (USER_SRP_AUTH, or
/// USER_AUTH's PASSWORD_SRP) and, if it is the PASSWORD_VERIFIER challenge, keeps the
/// exchange for [`answer`].
pub(super) fn keep(
    world: &mut ConformanceWorld,
    exchange: srp::Client,
    hash: Hash,
    device_key: Option<String>,
    answer: Result<Value, crate::cognito::CognitoError>,
) {
    let mut kept = SrpExchange {
        client: Some(exchange),
        hash,
        device_key,
        ..SrpExchange::default()
    };
    if let Ok(body) = &answer {
        let parameters = &body["ChallengeParameters"];
        for key in ["SECRET_BLOCK", "SRP_B", "SALT"] {
            if let Some(v) = parameters.get(key).and_then(Value::as_str) {
                world.secret(v);
            }
        }
        if body["ChallengeName"] == Challenge::PasswordVerifier.name() {
            kept.had_session = Some(body.get("Session").is_some_and(Value::is_string));
            kept.parameters = Some(super::Redacted(parameters.clone()));
        }
    }
    world.srp = kept;
    world.record(answer);
}

/// Whether a PASSWORD_VERIFIER challenge is waiting for its answer.
pub(super) fn challenged(world: &ConformanceWorld) -> bool {
    world.srp.parameters.is_some()
}

/// Answers the PASSWORD_VERIFIER challenge kept by [`start`], made wrong as `claim` says.
pub(super) async fn answer(world: &mut ConformanceWorld, claim: Claim) -> Result<(), String> {
    let parameters = world
        .srp
        .parameters
        .take()
        .ok_or("no PASSWORD_VERIFIER challenge to answer")?
        .0;
    let exchange = world.srp.client.take().ok_or("no SRP exchange in flight")?;
    let now = Timestamp(world.now_s().await);
    let timestamp = match claim {
        Claim::ZeroPaddedDay => now.format_zero_padded(),
        Claim::WrongWeekday => now.format_wrong_weekday(),
        Claim::HourOld => Timestamp(now.0.saturating_sub(3600)).format(),
        _ => now.format(),
    };
    let password = if claim == Claim::WrongPassword {
        "Wrong-Pa55word!".to_owned()
    } else {
        world.password.0.clone()
    };
    let mut responses = exchange
        .password_verifier(&parameters, world.pool_id()?, &password, &timestamp)
        .map_err(|e| format!("the PASSWORD_VERIFIER challenge cannot be answered: {e}"))?;
    if claim == Claim::WrongSignature {
        responses.insert(
            "PASSWORD_CLAIM_SIGNATURE".into(),
            json!("bm90IHRoZSBzaWduYXR1cmUgYXQgYWxsLCBub3QgYXQgYWxs"),
        );
    }
    if let Some(v) = responses
        .get("PASSWORD_CLAIM_SIGNATURE")
        .and_then(Value::as_str)
    {
        world.secret(v);
    }
    let user_id = responses["USERNAME"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let hash = std::mem::take(&mut world.srp.hash);
    if let Some(h) = secret_hash(world, &user_id, &hash)? {
        responses.insert("SECRET_HASH".into(), json!(h));
    }
    if let Some(key) = world.srp.device_key.take() {
        responses.insert("DEVICE_KEY".into(), json!(key));
    }
    let mut body = json!({ "ClientId": world.client_id()?, "ChallengeName": Challenge::PasswordVerifier.name(),
                           "ChallengeResponses": responses });
    // The Session, when the challenge had one (Amplify passes it on; pycognito never does).
    if world.srp.had_session == Some(true)
        && let Some(session) = &world.session
    {
        body["Session"] = json!(session.0);
    }
    let (op, body) = world.challenge_answer(body)?;
    let answer = world.call(op, &body).await;
    world.record(answer);
    Ok(())
}

/// The whole exchange: USER_SRP_AUTH, then the claim (`claim`) if the challenge came.
pub(super) async fn sign_in_with(
    world: &mut ConformanceWorld,
    op: Operation,
    username: String,
    hash: Hash,
    claim: Claim,
) -> Result<(), String> {
    start(world, op, username, hash).await?;
    if world.srp.parameters.is_some() {
        answer(world, claim).await?;
    }
    Ok(())
}

/// The whole exchange for the scenario's user, rightly.
pub(super) async fn sign_in(world: &mut ConformanceWorld, op: Operation) -> Result<(), String> {
    let username = world.username()?.to_owned();
    sign_in_with(world, op, username, Hash::Right, Claim::Right).await
}

#[when(regex = r"^the user signs in with SRP through (InitiateAuth|AdminInitiateAuth)$")]
async fn srp_sign_in(world: &mut ConformanceWorld, op: String) -> Result<(), String> {
    sign_in(world, op.parse().map_err(|()| "unknown operation")?).await
}

#[when(regex = r"^the user starts SRP through (InitiateAuth|AdminInitiateAuth)$")]
async fn srp_start(world: &mut ConformanceWorld, op: String) -> Result<(), String> {
    let username = world.username()?.to_owned();
    start(
        world,
        op.parse().map_err(|()| "unknown operation")?,
        username,
        Hash::Right,
    )
    .await
}

#[when("someone starts SRP through InitiateAuth as a user that does not exist")]
async fn srp_start_unknown(world: &mut ConformanceWorld) -> Result<(), String> {
    let nobody = world.name("nobody");
    start(world, Operation::InitiateAuth, nobody, Hash::Right).await
}

#[when(
    regex = r"^the user answers PASSWORD_VERIFIER (rightly|with the wrong password|with a wrong signature|with a zero-padded day in TIMESTAMP|with the wrong weekday in TIMESTAMP|with a TIMESTAMP an hour old)$"
)]
async fn srp_answer(world: &mut ConformanceWorld, how: String) -> Result<(), String> {
    let claim = match how.as_str() {
        "rightly" => Claim::Right,
        "with the wrong password" => Claim::WrongPassword,
        "with a wrong signature" => Claim::WrongSignature,
        "with a zero-padded day in TIMESTAMP" => Claim::ZeroPaddedDay,
        "with the wrong weekday in TIMESTAMP" => Claim::WrongWeekday,
        _ => Claim::HourOld,
    };
    answer(world, claim).await
}

#[then(
    "the challenge is PASSWORD_VERIFIER with SALT, SRP_B, SECRET_BLOCK, USERNAME and USER_ID_FOR_SRP"
)]
fn password_verifier_parameters(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = world.last_ok()?;
    if body["ChallengeName"] != Challenge::PasswordVerifier.name() {
        return Err(format!(
            "ChallengeName is {}, expected PASSWORD_VERIFIER",
            body["ChallengeName"]
        ));
    }
    let p = &body["ChallengeParameters"];
    let missing: Vec<&str> = [
        "SALT",
        "SRP_B",
        "SECRET_BLOCK",
        "USERNAME",
        "USER_ID_FOR_SRP",
    ]
    .into_iter()
    .filter(|k| p.get(*k).and_then(Value::as_str).is_none_or(str::is_empty))
    .collect();
    if !missing.is_empty() {
        return Err(format!("ChallengeParameters lack {}", missing.join(", ")));
    }
    for key in ["SALT", "SRP_B"] {
        let text = p[key].as_str().unwrap_or_default();
        if srp::hex_bytes(text).is_none() {
            return Err(format!("ChallengeParameters.{key} is not hex"));
        }
    }
    Ok(())
}

#[then("whether the PASSWORD_VERIFIER challenge carried a Session is recorded")]
fn probe_session(world: &mut ConformanceWorld) -> Result<(), String> {
    let seen = match world.srp.had_session {
        Some(true) => "a Session",
        Some(false) => "no Session",
        None => return Err("no PASSWORD_VERIFIER challenge came".into()),
    };
    world.observations.push(format!(
        "Q18: does PASSWORD_VERIFIER carry a Session → {seen}"
    ));
    Ok(())
}
