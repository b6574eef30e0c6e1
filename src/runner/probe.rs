//! Before the first scenario: is the endpoint what the profile says it is? A mistaken setup
//! — a URL that is not Cognito, the wrong emulator, clock control the endpoint lacks, an
//! existing pool or app client that does not exist or cannot sign anyone in — is one clear
//! configuration error (exit 2), never a wall of conformance failures.
//!
//! Owns: the cheap calls whose answer shape is known, and their wording. Uses the client and
//! the profile.

use serde_json::{Value, json};

use super::error::{RunError, SetupError};
use crate::cognito::{Client, ErrorKind, RawAnswer};
use crate::target::{Location, Profile, SignIn};
use crate::vocabulary::{Exception, Operation};

/// The built-in profiles of emulators: pointed at mfaspec's own endpoint, they would test
/// mfaspec instead.
const EMULATORS: &[&str] = &["moto", "cognito-local", "ministack"];

/// Checks the endpoint `client` talks to against `profile`; returns how the run signs in
/// (the profile's `sign_in:`, else what an existing app client allows).
pub async fn check(client: &Client, profile: &Profile) -> Result<SignIn, RunError> {
    let url = client.endpoint().to_owned();
    let answer = client
        .call_unparsed(Operation::ListUserPools, &json!({ "MaxResults": 1 }))
        .await;
    let answer = match answer {
        Err(e) if e.kind == ErrorKind::Signing => return Err(RunError::Signing(e.message)),
        Err(e) => {
            return Err(RunError::Unreachable {
                endpoint: url,
                message: e.message,
            });
        }
        Ok(answer) => answer,
    };
    judge_list_pools(&url, &answer)?;
    if matches!(profile.endpoint, Location::Url(_)) {
        check_reference(client, profile).await?;
    }
    match &profile.existing {
        Some(existing) => check_existing(client, profile, existing).await,
        None => Ok(profile.sign_in.unwrap_or(SignIn::Password)),
    }
}

/// ListUserPools answers `{"UserPools": [...]}` or a Cognito-shaped error; anything else is
/// not a Cognito endpoint.
pub fn judge_list_pools(url: &str, answer: &RawAnswer) -> Result<(), RunError> {
    let is_list = (200..300).contains(&answer.status)
        && answer.body.get("UserPools").is_some_and(Value::is_array);
    if is_list {
        return Ok(());
    }
    if (200..300).contains(&answer.status) || !answer.is_aws_error() {
        return Err(SetupError::NotCognito {
            url: url.to_owned(),
            status: answer.status,
            body: describe(&answer.body),
        }
        .into());
    }
    let mut e = answer.error();
    e.message = crate::cognito::scrub_tokens(&e.message);
    match e.kind.exception() {
        Some(Exception::UnknownOperation) => Err(SetupError::UnknownOperation {
            url: url.to_owned(),
            source: e,
        }
        .into()),
        Some(
            Exception::UnrecognizedClient
            | Exception::InvalidSignature
            | Exception::IncompleteSignature
            | Exception::MissingAuthenticationToken
            | Exception::ExpiredToken,
        ) => Err(SetupError::CredentialsRefused {
            url: url.to_owned(),
            source: e,
        }
        .into()),
        // Cognito-shaped: AccessDenied (an IAM policy without ListUserPools) is the target's
        // business, not a mistaken URL.
        _ => Ok(()),
    }
}

/// A short, secret-free description of an answer body that is not what Cognito sends.
fn describe(body: &Value) -> String {
    match body {
        Value::String(text) if text.trim_start().starts_with('<') => "an HTML page".to_owned(),
        Value::String(text) if text.is_empty() => "an empty body".to_owned(),
        Value::String(text) => {
            let start: String = text.chars().take(60).collect();
            format!("the text `{}`", crate::cognito::scrub_tokens(start.trim()))
        }
        Value::Object(_) => "a JSON object that is not a ListUserPools answer".to_owned(),
        _ => "JSON that is not an object".to_owned(),
    }
}

/// What `GET /_mfaspec/about` says: mfaspec's reference endpoint, and whether its clock can
/// be moved.
async fn check_reference(client: &Client, profile: &Profile) -> Result<(), RunError> {
    let url = client.endpoint();
    let reference = client.reference_endpoint().await;
    let source = profile
        .source
        .clone()
        .unwrap_or_else(|| format!("the built-in profile `{}`", profile.name));
    match reference {
        Some(_) if EMULATORS.contains(&profile.name.as_str()) => {
            Err(SetupError::EmulatorIsReference {
                target: profile.name.clone(),
                url: url.to_owned(),
            }
            .into())
        }
        Some(false) if profile.clock_control => Err(SetupError::ServeWithoutClockControl {
            target: profile.name.clone(),
            profile: source,
            url: url.to_owned(),
        }
        .into()),
        None if profile.clock_control => Err(SetupError::NoClockControl {
            target: profile.name.clone(),
            profile: source,
            url: url.to_owned(),
        }
        .into()),
        _ => Ok(()),
    }
}

/// The existing pool and app client exist, and the client can sign someone in.
async fn check_existing(
    client: &Client,
    profile: &Profile,
    existing: &crate::target::ExistingPool,
) -> Result<SignIn, RunError> {
    let source = profile
        .source
        .clone()
        .unwrap_or_else(|| profile.name.clone());
    let region = profile.region.as_deref().unwrap_or("the default region");
    let config = client
        .call(
            Operation::GetUserPoolMfaConfig,
            &json!({ "UserPoolId": existing.pool_id }),
        )
        .await;
    if let Err(e) = config {
        return Err(SetupError::PoolUnreadable {
            profile: source,
            pool_id: existing.pool_id.clone(),
            region: region.to_owned(),
            source: e,
        }
        .into());
    }
    let app = client
        .call(
            Operation::DescribeUserPoolClient,
            &json!({ "UserPoolId": existing.pool_id, "ClientId": existing.client_id }),
        )
        .await
        .map_err(|e| SetupError::ClientUnreadable {
            profile: source.clone(),
            client_id: existing.client_id.clone(),
            pool_id: existing.pool_id.clone(),
            source: e,
        })?;
    let app = &app["UserPoolClient"];
    let has_secret = app
        .get("ClientSecret")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    match (&existing.client_secret_env, has_secret) {
        (None, true) => {
            return Err(SetupError::SecretNotNamed {
                profile: source,
                client_id: existing.client_id.clone(),
            }
            .into());
        }
        (Some(var), true) if std::env::var(var).map_or(true, |v| v.is_empty()) => {
            return Err(SetupError::SecretUnset {
                profile: source,
                variable: var.clone(),
            }
            .into());
        }
        _ => {}
    }
    let flows: Vec<&str> = app["ExplicitAuthFlows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let password = flows.iter().any(|f| {
        matches!(
            *f,
            "ALLOW_USER_PASSWORD_AUTH"
                | "USER_PASSWORD_AUTH"
                | "ALLOW_ADMIN_USER_PASSWORD_AUTH"
                | "ADMIN_NO_SRP_AUTH"
        )
    });
    let srp = flows.contains(&"ALLOW_USER_SRP_AUTH");
    let allowed = if flows.is_empty() {
        "none".to_owned()
    } else {
        flows.join(", ")
    };
    match (profile.sign_in, password, srp) {
        (Some(SignIn::Srp), _, false) => Err(SetupError::SrpNotAllowed {
            profile: source,
            client_id: existing.client_id.clone(),
            allowed,
        }
        .into()),
        (Some(SignIn::Srp), _, true) => Ok(SignIn::Srp),
        (Some(SignIn::Password), false, _) => Err(SetupError::PasswordNotAllowed {
            profile: source,
            client_id: existing.client_id.clone(),
            allowed,
        }
        .into()),
        (_, true, _) => Ok(SignIn::Password),
        (None, false, true) if profile.has("auth.srp") => Ok(SignIn::Srp),
        (None, false, true) => Err(SetupError::OnlySrp {
            profile: source,
            client_id: existing.client_id.clone(),
        }
        .into()),
        (None, false, false) => Err(SetupError::NoSignInFlow {
            profile: source,
            client_id: existing.client_id.clone(),
            allowed,
        }
        .into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: Value) -> RawAnswer {
        RawAnswer {
            status,
            body,
            amzn_headers: Vec::new(),
        }
    }

    #[test]
    fn only_cognito_shaped_answers_pass() {
        let url = "http://127.0.0.1:1";
        assert!(judge_list_pools(url, &answer(200, json!({ "UserPools": [] }))).is_ok());
        assert!(
            judge_list_pools(
                url,
                &answer(
                    400,
                    json!({ "__type": "AccessDeniedException", "message": "no" })
                )
            )
            .is_ok()
        );
        for (status, body, says) in [
            (200, json!({ "ok": true }), "a JSON object"),
            (
                404,
                Value::String("<html>nope</html>".into()),
                "an HTML page",
            ),
            (
                404,
                Value::String("Not Found".into()),
                "the text `Not Found`",
            ),
            (
                404,
                json!({ "__type": "UnknownOperationException", "message": "No such route" }),
                "does not know ListUserPools",
            ),
            (
                400,
                json!({ "__type": "UnrecognizedClientException", "message": "bad token" }),
                "refused mfaspec's credentials",
            ),
        ] {
            let e = judge_list_pools(url, &answer(status, body))
                .unwrap_err()
                .to_string();
            assert!(e.contains(says), "{e:?} should say {says:?}");
        }
    }
}
