//! User pools: Create/Delete/DescribeUserPool, ListUserPools and the pool's MFA
//! configuration, Set/GetUserPoolMfaConfig (spec §2.1).
//!
//! Owns: those operations. Uses: the store, the wire, the context, [`crate::vocabulary`].

use serde_json::{Value, json};

use crate::reference::context::{Ctx, epoch_secs, pool_mut, pool_ref};
use crate::reference::store::{DeviceConfig, EmailMfa, MfaMode, Pool, Store, Tier, new_pool_id};
use crate::reference::wire::{ApiError, ApiResult, Input, constraint, invalid, page, validation};
use crate::vocabulary::{Exception, message};

/// `UserPoolTier`, if given.
fn tier(input: &Input) -> ApiResult<Option<Tier>> {
    match input.opt_string("UserPoolTier")? {
        None => Ok(None),
        Some(v) => Tier::parse(v).map(Some).ok_or_else(|| {
            validation(&[constraint(
                Some(v),
                "UserPoolTier",
                "Member must satisfy enum value set: [LITE, ESSENTIALS, PLUS]",
            )])
        }),
    }
}

/// `UserPoolAddOns.AdvancedSecurityMode`, if the add-ons are given (`OFF` when they are
/// given without it).
fn threat_protection(input: &Input) -> ApiResult<Option<String>> {
    let Some(addons) = input.opt_struct("UserPoolAddOns")? else {
        return Ok(None);
    };
    addons.allow(&["AdvancedSecurityMode", "AdvancedSecurityAdditionalFlows"])?;
    let mode = addons.opt_string("AdvancedSecurityMode")?.unwrap_or("OFF");
    if !["OFF", "AUDIT", "ENFORCED"].contains(&mode) {
        return Err(validation(&[constraint(
            Some(mode),
            "userPoolAddOns.advancedSecurityMode",
            "Member must satisfy enum value set: [OFF, AUDIT, ENFORCED]",
        )]));
    }
    Ok(Some(mode.to_owned()))
}

/// Refuses a pool whose settings need a higher plan than its own: threat protection needs
/// Plus, managed login (a domain's version 2) Essentials (spec §2.19).
pub(crate) fn check_tier(pool: &Pool) -> ApiResult<()> {
    let mut features = Vec::new();
    if pool.threat_protection != "OFF" && pool.tier != Tier::Plus {
        features.push("Threat Protection");
    }
    if pool.tier == Tier::Lite && pool.email_mfa.is_some() {
        features.push("Email MFA");
    }
    if pool.tier == Tier::Lite && matches!(pool.domain, Some((_, Some(2)))) {
        features.push("Managed Login");
    }
    if features.is_empty() {
        Ok(())
    } else {
        Err(unavailable(pool.tier, &features.join(", ")))
    }
}

/// FeatureUnavailableInTierException for `features` on `tier` (spec §2.19).
pub(crate) fn unavailable(tier: Tier, features: &str) -> ApiError {
    ApiError::new(
        Exception::FeatureUnavailableInTier,
        message::feature_unavailable_in_tier(tier.name(), features),
    )
}

fn mfa_mode(input: &Input) -> ApiResult<Option<MfaMode>> {
    match input.opt_string("MfaConfiguration")? {
        None => Ok(None),
        Some(v) => MfaMode::parse(v).map(Some).ok_or_else(|| {
            validation(&[constraint(
                Some(v),
                "MfaConfiguration",
                "Member must satisfy enum value set: [OFF, ON, OPTIONAL]",
            )])
        }),
    }
}

fn describe_pool(pool: &Pool) -> Value {
    let mut out = json!({
        "Id": pool.id,
        "Name": pool.name,
        "Arn": pool.arn,
        "CreationDate": epoch_secs(pool.created_ms),
        "LastModifiedDate": epoch_secs(pool.modified_ms),
        "MfaConfiguration": pool.mfa.name(),
        "EstimatedNumberOfUsers": pool.users.len(),
        "Policies": { "PasswordPolicy": {
            "MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true,
            "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 7,
        }},
        "LambdaConfig": {},
        "UserPoolTags": {},
        "UserPoolTier": pool.tier.name(),
        "UserPoolAddOns": { "AdvancedSecurityMode": pool.threat_protection },
    });
    if let Some((domain, _)) = &pool.domain {
        out["Domain"] = json!(domain);
    }
    if let Some(c) = pool.device_config {
        out["DeviceConfiguration"] = json!({
            "ChallengeRequiredOnNewDevice": c.challenge_required_on_new_device,
            "DeviceOnlyRememberedOnUserPrompt": c.only_remembered_on_user_prompt,
        });
    }
    out
}

/// `DeviceConfiguration` of CreateUserPool: given at all, the pool tracks devices.
fn device_config(input: &Input) -> ApiResult<Option<DeviceConfig>> {
    let Some(c) = input.opt_struct("DeviceConfiguration")? else {
        return Ok(None);
    };
    c.allow(&[
        "ChallengeRequiredOnNewDevice",
        "DeviceOnlyRememberedOnUserPrompt",
    ])?;
    Ok(Some(DeviceConfig {
        challenge_required_on_new_device: c
            .opt_bool("ChallengeRequiredOnNewDevice")?
            .unwrap_or(false),
        only_remembered_on_user_prompt: c
            .opt_bool("DeviceOnlyRememberedOnUserPrompt")?
            .unwrap_or(false),
    }))
}

pub(super) fn create_user_pool(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let name = input.string("PoolName")?;
    if name.is_empty() || name.chars().count() > 128 {
        return Err(validation(&[constraint(
            Some(name),
            "PoolName",
            "Member must have length between 1 and 128",
        )]));
    }
    let mfa = mfa_mode(input)?.unwrap_or(MfaMode::Off);
    let id = new_pool_id(ctx.region);
    let pool = Pool {
        arn: format!(
            "arn:aws:cognito-idp:{}:000000000000:userpool/{id}",
            ctx.region
        ),
        id: id.clone(),
        name: name.to_owned(),
        created_ms: ctx.now_ms,
        modified_ms: ctx.now_ms,
        mfa,
        tier: tier(input)?.unwrap_or_default(),
        threat_protection: threat_protection(input)?.unwrap_or_else(|| "OFF".into()),
        totp_enabled: false,
        email_mfa: None,
        sms_config: None,
        device_config: device_config(input)?,
        domain: None,
        clients: Default::default(),
        users: Default::default(),
    };
    check_tier(&pool)?;
    let described = describe_pool(&pool);
    store.pools.insert(id, pool);
    Ok(json!({ "UserPool": described }))
}

/// UpdateUserPool (spec §2.19): what it is given is set. `UserPoolAddOns` and
/// `DeviceConfiguration` left out go back to their defaults, as the operation documents;
/// `UserPoolTier` and `MfaConfiguration` left out stay as they are (behaviour choices). A
/// plan that lacks a feature the pool keeps is FeatureUnavailableInTierException, and
/// nothing changes.
pub(super) fn update_user_pool(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let mode = mfa_mode(input)?;
    let tier = tier(input)?;
    let threat = threat_protection(input)?.unwrap_or_else(|| "OFF".into());
    let devices = device_config(input)?;
    let name = input.opt_string("PoolName")?.map(str::to_owned);
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    let before = (
        pool.tier,
        pool.threat_protection.clone(),
        pool.device_config,
        pool.mfa,
    );
    pool.tier = tier.unwrap_or(pool.tier);
    pool.threat_protection = threat;
    pool.device_config = devices;
    if let Some(mode) = mode {
        if mode != MfaMode::Off && !pool.totp_enabled && pool.sms_config.is_none() {
            (
                pool.tier,
                pool.threat_protection,
                pool.device_config,
                pool.mfa,
            ) = before;
            return Err(invalid(message::MFA_CONFIG_NO_FACTOR));
        }
        pool.mfa = mode;
    }
    if let Err(e) = check_tier(pool) {
        (
            pool.tier,
            pool.threat_protection,
            pool.device_config,
            pool.mfa,
        ) = before;
        return Err(e);
    }
    if let Some(name) = name {
        pool.name = name;
    }
    pool.modified_ms = ctx.now_ms;
    Ok(json!({}))
}

pub(super) fn delete_user_pool(store: &mut Store, _: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let id = input.string("UserPoolId")?;
    pool_ref(store, id)?;
    store.pools.remove(id);
    store.sessions.retain(|_, s| s.pool_id != id);
    store.refresh_tokens.retain(|_, g| g.pool_id != id);
    store.srp_pending.retain(|_, p| p.pool_id != id);
    store.domains.retain(|_, pool| pool != id);
    store.device_sessions.retain(|(pool, ..), _| pool != id);
    Ok(json!({}))
}

pub(super) fn describe_user_pool(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let pool = pool_ref(store, input.string("UserPoolId")?)?;
    Ok(json!({ "UserPool": describe_pool(pool) }))
}

pub(super) fn list_user_pools(store: &mut Store, _: &Ctx<'_>, input: &Input) -> ApiResult<Value> {
    let max = input
        .opt_integer("MaxResults")?
        .ok_or_else(|| validation(&[constraint(None, "MaxResults", "Member must not be null")]))?;
    if !(1..=60).contains(&max) {
        return Err(validation(&[constraint(
            Some(&max.to_string()),
            "MaxResults",
            "Member must have value between 1 and 60",
        )]));
    }
    let all: Vec<Value> = store
        .pools
        .values()
        .map(|p| {
            json!({ "Id": p.id, "Name": p.name, "LambdaConfig": {},
                    "CreationDate": epoch_secs(p.created_ms), "LastModifiedDate": epoch_secs(p.modified_ms) })
        })
        .collect();
    let (items, next) = page(&all, input.opt_string("NextToken")?, max as usize)?;
    let mut out = json!({ "UserPools": items });
    if let Some(next) = next {
        out["NextToken"] = json!(next);
    }
    Ok(out)
}

/// The MFA configuration as SetUserPoolMfaConfig and GetUserPoolMfaConfig return it.
/// `SoftwareTokenMfaConfiguration` is always present (spec §9 Q10: a behaviour choice).
fn mfa_config(pool: &Pool) -> Value {
    let mut out = json!({
        "MfaConfiguration": pool.mfa.name(),
        "SoftwareTokenMfaConfiguration": { "Enabled": pool.totp_enabled },
    });
    if let Some(sms) = &pool.sms_config {
        out["SmsMfaConfiguration"] = sms.clone();
    }
    if let Some(email) = &pool.email_mfa {
        let mut config = json!({});
        if let Some(m) = &email.message {
            config["Message"] = json!(m);
        }
        if let Some(s) = &email.subject {
            config["Subject"] = json!(s);
        }
        out["EmailMfaConfiguration"] = config;
    }
    out
}

/// `EmailMfaConfiguration {Message, Subject}`, checked as the service model constrains it:
/// a message of 6–20,000 characters with the `{####}` placeholder, a subject of 1–140
/// (spec §2.20).
fn email_mfa(input: &Input) -> ApiResult<Option<EmailMfa>> {
    let Some(config) = input.opt_struct("EmailMfaConfiguration")? else {
        return Ok(None);
    };
    config.allow(&["Message", "Subject"])?;
    let message = config.opt_string("Message")?.map(str::to_owned);
    if let Some(m) = &message {
        let length = m.chars().count();
        if !(6..=20_000).contains(&length) || !m.contains("{####}") {
            return Err(validation(&[constraint(
                Some(m),
                "emailMfaConfiguration.message",
                EMAIL_MESSAGE_PATTERN,
            )]));
        }
    }
    let subject = config.opt_string("Subject")?.map(str::to_owned);
    if let Some(s) = &subject
        && !(1..=140).contains(&s.chars().count())
    {
        return Err(validation(&[constraint(
            Some(s),
            "emailMfaConfiguration.subject",
            "Member must have length between 1 and 140",
        )]));
    }
    Ok(Some(EmailMfa { message, subject }))
}

/// The constraint a message without its placeholder breaks (the service model's pattern).
const EMAIL_MESSAGE_PATTERN: &str = r"Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*\{####\}[\p{L}\p{M}\p{S}\p{N}\p{P}\s*]*";

pub(super) fn set_user_pool_mfa_config(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let mode = mfa_mode(input)?;
    let totp = input.opt_struct("SoftwareTokenMfaConfiguration")?;
    let totp_enabled = match &totp {
        Some(t) => Some(t.opt_bool("Enabled")?.unwrap_or(false)),
        None => None,
    };
    let sms = input.opt_struct("SmsMfaConfiguration")?;
    let email = email_mfa(input)?;
    let pool = pool_mut(store, input.string("UserPoolId")?)?;
    let mode = mode.unwrap_or(pool.mfa);
    if mode == MfaMode::Off {
        // spec §2.1: OFF with a factor configuration is refused; OFF alone is accepted.
        if totp.is_some() || email.is_some() {
            return Err(invalid(message::MFA_CONFIG_OFF_WITH_FACTOR));
        }
        pool.mfa = MfaMode::Off;
        pool.modified_ms = ctx.now_ms;
        return Ok(mfa_config(pool));
    }
    let totp_after = totp_enabled.unwrap_or(pool.totp_enabled);
    let sms_after = match &sms {
        Some(_) => input.get_raw("SmsMfaConfiguration"),
        None => pool.sms_config.clone(),
    };
    // EmailMfaConfigType has no `Enabled`: a request without it turns email MFA off, which
    // is how a pool leaves it before a move to Lite (spec §2.20). TOTP and SMS left out stay.
    let email_after = email;
    if !totp_after && sms_after.is_none() && email_after.is_none() {
        return Err(invalid(message::MFA_CONFIG_NO_FACTOR));
    }
    if pool.tier == Tier::Lite && email_after.is_some() {
        return Err(unavailable(pool.tier, "Email MFA"));
    }
    pool.mfa = mode;
    pool.totp_enabled = totp_after;
    pool.sms_config = sms_after;
    pool.email_mfa = email_after;
    pool.modified_ms = ctx.now_ms;
    Ok(mfa_config(pool))
}

pub(super) fn get_user_pool_mfa_config(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    Ok(mfa_config(pool_ref(store, input.string("UserPoolId")?)?))
}
