//! Steps about the wire (spec §1) and the shape of errors: raw requests no SDK would send,
//! and the assertions on exception names and messages every feature shares.
//!
//! Uses: the World, [`crate::cognito`], [`crate::outcome`], [`crate::vocabulary`].

use cucumber::{then, when};

use super::{ConformanceWorld, LastAnswer};
use crate::outcome::LastCall;
use crate::vocabulary::{CONTENT_TYPE, TARGET_PREFIX};

/// Sends `body` as it is to `operation` — framed as AWS JSON 1.1 but for the body — and
/// keeps the answer as the scenario's last.
async fn raw(world: &mut ConformanceWorld, operation: &str, body: &str) -> Result<(), String> {
    let auth = crate::cognito::PLACEHOLDER_SIGNATURE;
    let target = format!("{TARGET_PREFIX}.{operation}");
    let headers = [
        ("x-amz-target", target.as_str()),
        ("content-type", CONTENT_TYPE),
        ("authorization", auth),
    ];
    let (answer, retries) = world
        .client()
        .raw_retrying(&headers, body.as_bytes().to_vec())
        .await;
    world.retries += retries;
    world.unreplayable = Some(format!(
        "{operation} is sent as a raw request (framing or a body the AWS CLI would not send): use curl"
    ));
    let answer = answer.map_err(|e| e.to_string())?;
    let raw_headers = answer.amzn_headers.clone();
    world.responses.push(crate::report::snapshot::Response::raw(
        operation,
        answer.status,
        &answer.body,
        &crate::report::snapshot::Known {
            secrets: Some(world.client().secrets()),
            ..crate::report::snapshot::Known::default()
        },
    ));
    let answer = if (200..300).contains(&answer.status) {
        Ok(answer.body.clone())
    } else {
        Err(world.client().error_of(&answer))
    };
    world.note_call(operation, answer.as_ref().err());
    world.last = LastAnswer(Some(answer));
    world.last_headers = Some(raw_headers);
    Ok(())
}

/// The value of the last raw answer's header `name` (lower case).
fn last_header<'w>(world: &'w ConformanceWorld, name: &str) -> Result<Option<&'w str>, String> {
    let headers = world
        .last_headers
        .as_ref()
        .ok_or("the last request was not a raw one: its headers were not kept")?;
    Ok(headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str()))
}

#[then(expr = "the x-amzn-ErrorType header names {word}")]
fn error_type_header(world: &mut ConformanceWorld, exception: String) -> Result<(), String> {
    let value = last_header(world, "x-amzn-errortype")?
        .ok_or("the answer has no x-amzn-ErrorType header")?;
    // Smithy's rule for reading it: the name is what stands before the first ':' (AWS sends
    // `Name:` or `Name:<namespace URL>`), after any `#`.
    let name = value.split(':').next().unwrap_or("");
    let name = name.rsplit('#').next().unwrap_or("");
    if name != exception {
        return Err(format!(
            "x-amzn-ErrorType is {value:?}, which names {name:?}, not {exception}"
        ));
    }
    Ok(())
}

#[then("the x-amzn-ErrorMessage header is the body's message")]
fn error_message_header(world: &mut ConformanceWorld) -> Result<(), String> {
    let body_message = world.last_err()?.message.clone();
    let value = last_header(world, "x-amzn-errormessage")?
        .ok_or("the answer has no x-amzn-ErrorMessage header")?;
    if value != body_message {
        return Err(format!(
            "x-amzn-ErrorMessage is {value:?}, the body's message {body_message:?}"
        ));
    }
    Ok(())
}

#[when("a client sends DescribeUserPool for a user pool that does not exist")]
async fn no_such_pool(world: &mut ConformanceWorld) -> Result<(), String> {
    let region = world
        .ctx()
        .profile
        .region
        .clone()
        .unwrap_or_else(|| "us-east-1".into());
    let body = format!("{{\"UserPoolId\": \"{region}_NoSuchPool0\"}}");
    raw(world, "DescribeUserPool", &body).await
}

#[when(expr = "a client sends {word} a body that is not JSON")]
async fn not_json(world: &mut ConformanceWorld, operation: String) -> Result<(), String> {
    raw(world, &operation, "{\"PoolName\": ").await
}

/// Operations' required members, with a well-formed value each, for sending a request that
/// lacks exactly one of them.
const REQUIRED: &[(&str, &[(&str, &str)])] = &[
    (
        "DescribeUserPool",
        &[("UserPoolId", "\"us-east-1_AbCdEfGhI\"")],
    ),
    (
        "DescribeUserPoolClient",
        &[
            ("UserPoolId", "\"us-east-1_AbCdEfGhI\""),
            ("ClientId", "\"1example23456789\""),
        ],
    ),
    (
        "AdminGetUser",
        &[
            ("UserPoolId", "\"us-east-1_AbCdEfGhI\""),
            ("Username", "\"someone\""),
        ],
    ),
];

#[when(expr = "a client sends {word} without the required member {word}")]
async fn missing_member(
    world: &mut ConformanceWorld,
    operation: String,
    member: String,
) -> Result<(), String> {
    let Some((_, members)) = REQUIRED.iter().find(|(op, _)| *op == operation) else {
        let known: Vec<&str> = REQUIRED.iter().map(|(op, _)| *op).collect();
        return Err(format!(
            "the step knows the required members of {} only",
            known.join(", ")
        ));
    };
    if !members.iter().any(|(m, _)| *m == member) {
        return Err(format!("{member} is not a required member of {operation}"));
    }
    // Every other required member is there, so the request lacks exactly `member`.
    let body: Vec<String> = members
        .iter()
        .filter(|(m, _)| *m != member)
        .map(|(m, v)| format!("\"{m}\": {v}"))
        .collect();
    let body = format!("{{{}}}", body.join(", "));
    raw(world, &operation, &body).await
}

#[when(expr = "a client calls the operation {word}")]
async fn unknown_operation(world: &mut ConformanceWorld, operation: String) -> Result<(), String> {
    raw(world, &operation, "{}").await
}

#[then(expr = "the request fails with {word}")]
fn fails_with(world: &mut ConformanceWorld, exception: String) -> Result<(), String> {
    if world.last_err()?.is_unsupported() {
        // The scenario expects a refusal, so a target's "unsupported" answer is the behaviour
        // under test, judged on its merits: not a missing feature that makes it n/a.
        world.last_call = Some(LastCall::Answered);
    }
    let e = world.last_err()?;
    if e.kind.name() != exception {
        return Err(format!("failed with {e}, expected {exception}"));
    }
    if e.http_status != 400 {
        return Err(format!(
            "{} came with HTTP {}, expected 400",
            e.kind, e.http_status
        ));
    }
    Ok(())
}

#[then(expr = "the request fails with {word} and the message {string}")]
fn fails_with_message(
    world: &mut ConformanceWorld,
    exception: String,
    message: String,
) -> Result<(), String> {
    fails_with(world, exception)?;
    let e = world.last_err()?;
    if e.message == message {
        Ok(())
    } else {
        Err(format!("message {:?}, expected {message:?}", e.message))
    }
}

/// For texts whose trailing punctuation the spec marks uncertain (§9 Q12).
#[then(expr = "the request fails with {word} and a message starting {string}")]
fn fails_with_prefix(
    world: &mut ConformanceWorld,
    exception: String,
    prefix: String,
) -> Result<(), String> {
    fails_with(world, exception)?;
    let e = world.last_err()?;
    if e.message.starts_with(&prefix) {
        Ok(())
    } else {
        Err(format!(
            "message {:?} does not start with {prefix:?}",
            e.message
        ))
    }
}

#[then("the request succeeds")]
fn succeeds(world: &mut ConformanceWorld) -> Result<(), String> {
    world.last_ok().map(|_| ())
}

/// `@probe` scenarios end here: the answer is recorded, nothing is asserted.
#[then(expr = "the target's answer to {string} is recorded")]
fn record_observation(world: &mut ConformanceWorld, question: String) -> Result<(), String> {
    let seen = match &world.last.0 {
        None => return Err("no request was made".into()),
        Some(Ok(body)) => match body
            .get("ChallengeName")
            .and_then(serde_json::Value::as_str)
        {
            Some(challenge) => format!("challenge {challenge}"),
            None if body.get("AuthenticationResult").is_some() => "tokens".to_owned(),
            None => "success".to_owned(),
        },
        Some(Err(e)) => format!("{}: {}", e.kind, e.message),
    };
    world.observations.push(format!("{question} → {seen}"));
    Ok(())
}

#[when(expr = "a client sends {word} with {word} as a number")]
async fn member_as_number(
    world: &mut ConformanceWorld,
    operation: String,
    member: String,
) -> Result<(), String> {
    raw(world, &operation, &format!("{{\"{member}\": 42}}")).await
}

#[when(expr = "a client sends {word} with an extra member {word}")]
async fn extra_member(
    world: &mut ConformanceWorld,
    operation: String,
    member: String,
) -> Result<(), String> {
    raw(
        world,
        &operation,
        &format!("{{\"MaxResults\": 1, \"{member}\": true}}"),
    )
    .await
}
