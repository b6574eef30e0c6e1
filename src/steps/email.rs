//! Steps about email MFA (spec §2.20): pools with `EmailMfaConfiguration`, users with an
//! address and email MFA turned on, the EMAIL_OTP challenge answered with the code from
//! their inbox, and MFA_SETUP answered with an address.
//!
//! The inbox: mfaspec's own endpoint keeps every email it would send in its outbox
//! (`GET /_mfaspec/outbox`); any other target needs a profile's `mail:` command that prints
//! the newest code sent to an address. Without either, a scenario that must read a code is
//! `n/a` ("no inbox for this target") — never a pass. Codes are secrets: registered before
//! use, never printed.
//!
//! Uses: the World, the pool and sign-in steps, [`crate::target`], [`crate::vocabulary`].

use cucumber::{given, then, when};
use serde_json::{Value, json};

use super::world::Inbox;
use super::{ConformanceWorld, Redacted};
use crate::vocabulary::{Challenge, Operation};

/// The message the suite's pools send codes in.
const MESSAGE: &str = "Your mfaspec sign-in code is {####}";

impl ConformanceWorld {
    /// The run's inbox, found out once: the profile's command, else the outbox of mfaspec's
    /// own endpoint, else none.
    async fn inbox(&self) -> Inbox {
        let ctx = self.ctx();
        ctx.inbox
            .get_or_init(|| async {
                if let Some(mail) = &ctx.profile.mail {
                    Inbox::Command(mail.clone())
                } else if ctx.client.reference_endpoint().await.is_some() {
                    Inbox::Outbox
                } else {
                    Inbox::None
                }
            })
            .await
            .clone()
    }

    /// `n/a` unless the run can read mail.
    async fn need_inbox(&mut self) -> Result<(), String> {
        if matches!(self.inbox().await, Inbox::None) {
            return Err(super::pool::not_here(
                self,
                "no inbox for this target: mfaspec reads emailed codes from `mfaspec serve`'s outbox, or with the command a profile names in `mail:`".into(),
            ));
        }
        Ok(())
    }

    /// The newest code emailed to the user.
    async fn emailed_code(&mut self) -> Result<String, String> {
        let address = self.email.clone().ok_or("the user has no email address")?;
        let code = match self.inbox().await {
            Inbox::Outbox => self
                .client()
                .outbox_code(&address)
                .await
                .map_err(|e| e.to_string())?,
            Inbox::Command(mail) => run_command(&mail.command, &address).await?,
            Inbox::None => None,
        }
        .ok_or_else(|| format!("no code was emailed to {address}"))?;
        self.secret(&code);
        Ok(code)
    }
}

/// Runs a profile's mail command with `address` as `$1` (at most two minutes) and takes the
/// last run of 4 to 10 digits it prints. What it prints is never shown.
async fn run_command(command: &str, address: &str) -> Result<Option<String>, String> {
    let child = tokio::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{command} \"$1\""))
        .arg("mfaspec-mail")
        .arg(address)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(std::time::Duration::from_secs(120), child)
        .await
        .map_err(|_| format!("the mail command `{command}` did not finish within 2 minutes"))?
        .map_err(|e| format!("the mail command `{command}` could not run: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "the mail command `{command}` failed ({})",
            output.status
        ));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    Ok(text
        .split(|c: char| !c.is_ascii_digit())
        .rfind(|run| (4..=10).contains(&run.len()))
        .map(str::to_owned))
}

/// Creates the scenario's pool with MFA `mode`, TOTP and email MFA.
async fn pool_with_email(world: &mut ConformanceWorld, mode: &str) -> Result<(), String> {
    if world.ctx().profile.existing.is_some() {
        return Err(super::pool::not_here(
            world,
            "the scenario makes a pool of its own with email MFA, and mfaspec never changes an existing pool".into(),
        ));
    }
    super::pool::create_pool_with(world, json!({})).await?;
    let email =
        json!({ "EmailMfaConfiguration": { "Message": MESSAGE, "Subject": "Your mfaspec code" } });
    super::pool::set_mfa_config(world, mode, email).await
}

#[given(regex = r"^a user pool with MFA (\w+) and software token and email MFA enabled$")]
async fn email_pool(world: &mut ConformanceWorld, mode: String) -> Result<(), String> {
    world.need_inbox().await?;
    pool_with_email(world, &mode).await
}

/// The same, for scenarios that read no mail (the configuration and the preferences).
#[given(
    regex = r"^a user pool with MFA (\w+) and software token and email MFA enabled, whose mail is not read$"
)]
async fn email_pool_unread(world: &mut ConformanceWorld, mode: String) -> Result<(), String> {
    pool_with_email(world, &mode).await
}

#[given("a confirmed user with an email address")]
async fn user_with_email(world: &mut ConformanceWorld) -> Result<(), String> {
    let domain = world
        .ctx()
        .profile
        .mail
        .as_ref()
        .map_or_else(|| "example.com".to_owned(), |m| m.domain.clone());
    let address = format!("{}@{domain}", world.name("mail"));
    super::pool::create_confirmed_user(
        world,
        json!([{ "Name": "email", "Value": address }, { "Name": "email_verified", "Value": "true" }]),
    )
    .await?;
    world.email = Some(address);
    Ok(())
}

/// SetUserMFAPreference (or the admin one) with `EmailMfaSettings`, recorded.
async fn email_preference(
    world: &mut ConformanceWorld,
    admin: bool,
    preferred: bool,
) -> Result<(), String> {
    let settings = json!({ "Enabled": true, "PreferredMfa": preferred });
    let (op, body) = if admin {
        (
            Operation::AdminSetUserMFAPreference,
            json!({ "UserPoolId": world.pool_id()?, "Username": world.username()?, "EmailMfaSettings": settings }),
        )
    } else {
        (
            Operation::SetUserMFAPreference,
            json!({ "AccessToken": world.access_token()?, "EmailMfaSettings": settings }),
        )
    };
    let answer = world.call(op, &body).await;
    world.record(answer);
    Ok(())
}

#[given(regex = r"^the user enables email MFA(, preferring it| without a preference)$")]
async fn enable_email(world: &mut ConformanceWorld, how: String) -> Result<(), String> {
    email_preference(world, false, how == ", preferring it").await?;
    world
        .last_ok()
        .map(|_| ())
        .map_err(|e| format!("SetUserMFAPreference: {e}"))
}

#[when(regex = r"^(the user|an administrator) turns on email MFA for the user, preferring it$")]
async fn turn_on_email(world: &mut ConformanceWorld, who: String) -> Result<(), String> {
    email_preference(world, who == "an administrator", true).await
}

/// Answers EMAIL_OTP with `code`, remembered as the last one used.
async fn answer_email(world: &mut ConformanceWorld, code: String) -> Result<(), String> {
    let responses = json!({ "USERNAME": world.username()?, "EMAIL_OTP_CODE": code });
    super::sign_in::answer(world, Challenge::EmailOtp, responses).await?;
    world.email_code = Some(Redacted(code));
    Ok(())
}

#[when("the user answers EMAIL_OTP with the code from their email")]
async fn answer_emailed(world: &mut ConformanceWorld) -> Result<(), String> {
    let code = world.emailed_code().await?;
    answer_email(world, code).await
}

/// The emailed code with its last digit changed: wrong, and the same length.
#[when("the user answers EMAIL_OTP with a wrong code")]
async fn answer_email_wrong(world: &mut ConformanceWorld) -> Result<(), String> {
    let mut code = world.emailed_code().await?.into_bytes();
    if let Some(last) = code.last_mut() {
        *last = if *last == b'9' { b'0' } else { *last + 1 };
    }
    let code = String::from_utf8(code).map_err(|e| e.to_string())?;
    let responses = json!({ "USERNAME": world.username()?, "EMAIL_OTP_CODE": code });
    super::sign_in::answer(world, Challenge::EmailOtp, responses).await
}

#[when("the user answers EMAIL_OTP with the code they used last")]
async fn answer_email_reused(world: &mut ConformanceWorld) -> Result<(), String> {
    let code = world
        .email_code
        .clone()
        .ok_or("no emailed code was used yet")?
        .0;
    let responses = json!({ "USERNAME": world.username()?, "EMAIL_OTP_CODE": code });
    super::sign_in::answer(world, Challenge::EmailOtp, responses).await
}

#[when("the user answers MFA_SETUP with their email address")]
async fn answer_setup_email(world: &mut ConformanceWorld) -> Result<(), String> {
    let address = world.email.clone().ok_or("the user has no email address")?;
    let responses = json!({ "USERNAME": world.username()?, "EMAIL": address });
    super::sign_in::answer(world, Challenge::MfaSetup, responses).await
}

/// The email factor as the target named it in MFAS_CAN_CHOOSE (spec §9 Q27).
fn offered_email_factor(world: &ConformanceWorld) -> Result<String, String> {
    let list = super::sign_in::parameter_list(world, "MFAS_CAN_CHOOSE")?;
    list.iter()
        .find(|f| f.starts_with("EMAIL"))
        .cloned()
        .ok_or_else(|| format!("MFAS_CAN_CHOOSE {list:?} offers no email factor"))
}

#[when("the user answers SELECT_MFA_TYPE with the email factor it offered")]
async fn choose_email(world: &mut ConformanceWorld) -> Result<(), String> {
    let factor = offered_email_factor(world)?;
    let responses = json!({ "USERNAME": world.username()?, "ANSWER": factor });
    super::sign_in::answer(world, Challenge::SelectMfaType, responses).await
}

#[then(expr = "the challenge parameter {string} includes {string}")]
fn parameter_includes(
    world: &mut ConformanceWorld,
    name: String,
    items: String,
) -> Result<(), String> {
    let list = super::sign_in::parameter_list(world, &name)?;
    super::sign_in::includes(&format!("ChallengeParameters.{name}"), &list, &items)
}

#[then("the email factor's name in MFAS_CAN_CHOOSE is recorded")]
fn record_email_name(world: &mut ConformanceWorld) -> Result<(), String> {
    let seen = offered_email_factor(world).unwrap_or_else(|e| e);
    world
        .observations
        .push(format!("Q27: the email factor in MFAS_CAN_CHOOSE → {seen}"));
    Ok(())
}

#[then("the code went to the user's email address")]
fn delivered_by_email(world: &mut ConformanceWorld) -> Result<(), String> {
    let p = &world.last_ok()?["ChallengeParameters"];
    if p["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" {
        return Err(format!(
            "CODE_DELIVERY_DELIVERY_MEDIUM is {}, expected \"EMAIL\"",
            p["CODE_DELIVERY_DELIVERY_MEDIUM"]
        ));
    }
    match p["CODE_DELIVERY_DESTINATION"].as_str() {
        Some(d) if !d.is_empty() => Ok(()),
        _ => Err("the challenge has no CODE_DELIVERY_DESTINATION".into()),
    }
}

#[when(regex = r"^the administrator sets the pool's MFA configuration to (\w+) with email MFA$")]
async fn config_with_email(world: &mut ConformanceWorld, mode: String) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "MfaConfiguration": mode,
                       "EmailMfaConfiguration": { "Message": MESSAGE } });
    let answer = world.call(Operation::SetUserPoolMfaConfig, &body).await;
    world.record(answer);
    Ok(())
}

#[when("the administrator sets the pool's email MFA message to one without the {####} placeholder")]
async fn config_without_placeholder(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()?, "MfaConfiguration": "OPTIONAL",
                       "SoftwareTokenMfaConfiguration": { "Enabled": true },
                       "EmailMfaConfiguration": { "Message": "Your code is 1234" } });
    let answer = world.call(Operation::SetUserPoolMfaConfig, &body).await;
    world.record(answer);
    Ok(())
}

#[then("the pool's email MFA message reads back")]
async fn email_config_reads_back(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "UserPoolId": world.pool_id()? });
    let config = world
        .call(Operation::GetUserPoolMfaConfig, &body)
        .await
        .map_err(|e| format!("GetUserPoolMfaConfig: {e}"))?;
    let message = &config["EmailMfaConfiguration"]["Message"];
    if message == MESSAGE {
        Ok(())
    } else {
        Err(format!(
            "EmailMfaConfiguration.Message is {message}, expected {MESSAGE:?}"
        ))
    }
}

/// The user's MFA members as `op` (GetUser or GetUserAuthFactors, with the access token)
/// returns them.
async fn mfa_settings(world: &mut ConformanceWorld, op: &str) -> Result<Value, String> {
    let op: Operation = op.parse().map_err(|()| format!("unknown operation {op}"))?;
    let body = json!({ "AccessToken": world.access_token()? });
    world
        .call(op, &body)
        .await
        .map_err(|e| format!("{}: {e}", op.name()))
}

#[then(
    regex = r"^(GetUser|GetUserAuthFactors) lists EMAIL_OTP among the user's MFA settings, preferred$"
)]
async fn lists_email(world: &mut ConformanceWorld, op: String) -> Result<(), String> {
    let user = mfa_settings(world, &op).await?;
    let listed = user["UserMFASettingList"]
        .as_array()
        .is_some_and(|l| l.iter().any(|v| v == "EMAIL_OTP"));
    if listed && user["PreferredMfaSetting"] == "EMAIL_OTP" {
        Ok(())
    } else {
        Err(format!(
            "{op}: UserMFASettingList {}, PreferredMfaSetting {}; expected EMAIL_OTP in both",
            user["UserMFASettingList"], user["PreferredMfaSetting"]
        ))
    }
}

#[then("GetUserAuthFactors lists PASSWORD among the user's sign-in factors")]
async fn auth_factors_password(world: &mut ConformanceWorld) -> Result<(), String> {
    let user = mfa_settings(world, "GetUserAuthFactors").await?;
    let factors = &user["ConfiguredUserAuthFactors"];
    if factors
        .as_array()
        .is_some_and(|l| l.iter().any(|v| v == "PASSWORD"))
    {
        Ok(())
    } else {
        Err(format!(
            "ConfiguredUserAuthFactors is {factors}, expected it to list PASSWORD"
        ))
    }
}

#[given("the user enables software token MFA without a preference")]
async fn enable_totp_unpreferred(world: &mut ConformanceWorld) -> Result<(), String> {
    let body = json!({ "AccessToken": world.access_token()?,
                       "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": false } });
    world
        .call(Operation::SetUserMFAPreference, &body)
        .await
        .map(|_| ())
        .map_err(|e| format!("SetUserMFAPreference: {e}"))
}
