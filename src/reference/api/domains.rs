//! Prefix domains: Create/Describe/DeleteUserPoolDomain (spec §2.16), the way to a pool's
//! hosted UI.
//!
//! Owns: those operations. Uses: the store, the wire, the context, [`crate::vocabulary`].

use serde_json::{Value, json};

use crate::reference::context::{Ctx, pool_mut, pool_ref};
use crate::reference::store::Store;
use crate::reference::wire::{ApiResult, Input, constraint, invalid, validation};
use crate::vocabulary::message;

/// A prefix domain as the API model constrains it: 1–63 characters of `[a-z0-9-]`, not
/// starting or ending with `-` (spec §2.16).
fn domain_prefix(input: &Input) -> ApiResult<String> {
    const PATTERN: &str = r"^[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?$";
    let domain = input.string("Domain")?;
    let shaped = (1..=63).contains(&domain.len())
        && domain
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !domain.starts_with('-')
        && !domain.ends_with('-');
    if shaped {
        Ok(domain.to_owned())
    } else {
        Err(validation(&[constraint(
            Some(domain),
            "domain",
            &format!("Member must satisfy regular expression pattern: {PATTERN}"),
        )]))
    }
}

pub(super) fn create_user_pool_domain(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let domain = domain_prefix(input)?;
    let pool_id = input.string("UserPoolId")?.to_owned();
    let version = input.opt_integer("ManagedLoginVersion")?;
    if version.is_some_and(|v| !(1..=2).contains(&v)) {
        return Err(invalid(
            "ManagedLoginVersion is 1 (hosted UI, classic) or 2 (managed login)",
        ));
    }
    if input.get_raw("CustomDomainConfig").is_some() {
        return Err(invalid(
            "Custom domains are not supported by the mfaspec reference endpoint: give a prefix domain",
        ));
    }
    if store.domains.contains_key(&domain) {
        return Err(invalid(message::DOMAIN_TAKEN));
    }
    let pool = pool_mut(store, &pool_id)?;
    if pool.domain.is_some() {
        return Err(invalid(message::POOL_HAS_DOMAIN));
    }
    pool.domain = Some((domain.clone(), version));
    if let Err(e) = super::pools::check_tier(pool) {
        pool.domain = None;
        return Err(e);
    }
    store.domains.insert(domain, pool_id);
    Ok(match version {
        Some(v) => json!({ "ManagedLoginVersion": v }),
        None => json!({}),
    })
}

pub(super) fn describe_user_pool_domain(
    store: &mut Store,
    ctx: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let domain = input.string("Domain")?;
    // An unknown domain is an empty description, not an error.
    let Some(pool_id) = store.domains.get(domain) else {
        return Ok(json!({ "DomainDescription": {} }));
    };
    let pool = pool_ref(store, pool_id)?;
    let version = pool.domain.as_ref().and_then(|(_, v)| *v);
    let mut description = json!({
        "UserPoolId": pool.id,
        "AWSAccountId": "000000000000",
        "Domain": domain,
        "CloudFrontDistribution": format!("{domain}.auth.{}.localhost", ctx.region),
        "Version": "1",
        "Status": "ACTIVE",
    });
    if let Some(v) = version {
        description["ManagedLoginVersion"] = json!(v);
    }
    Ok(json!({ "DomainDescription": description }))
}

pub(super) fn delete_user_pool_domain(
    store: &mut Store,
    _: &Ctx<'_>,
    input: &Input,
) -> ApiResult<Value> {
    let domain = input.string("Domain")?;
    let pool_id = input.string("UserPoolId")?;
    if store.domains.get(domain).map(String::as_str) != Some(pool_id) {
        return Err(invalid(message::NO_SUCH_DOMAIN));
    }
    store.domains.remove(domain);
    pool_mut(store, pool_id)?.domain = None;
    Ok(json!({}))
}
