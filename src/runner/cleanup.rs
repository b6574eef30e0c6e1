//! Deleting what mfaspec created — and nothing else. At the end of every run (also a failed
//! or interrupted one) [`sweep_run`] deletes what the ledger still lists and then every pool
//! (or, in an existing pool, every user) whose name starts with the run's own prefix
//! `mfaspec-<run id>-`, which also catches a resource whose creation answer was lost.
//! `mfaspec cleanup` ([`sweep_leftovers`]) removes leftovers of crashed runs: only names
//! that start with `mfaspec-`, optionally only those older than a given age.
//!
//! Owns: the sweeps. Uses: [`crate::cognito`] (client, ledger), [`crate::target`],
//! [`crate::vocabulary`].

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::cognito::{Client, Ledger, PREFIX, Resource};
use crate::target::Profile;
use crate::vocabulary::{Exception, Operation};

/// What a sweep did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Sweep {
    /// Deleted (or, in a dry run, would be deleted), described.
    pub deleted: Vec<String>,
    /// Could not be deleted, with why.
    pub left: Vec<String>,
    /// Seen and not touched: not ours (no prefix), too young, or kept on purpose.
    pub spared: usize,
}

/// A pool or user found by listing, with its age.
struct Found {
    resource: Resource,
    created: Option<f64>,
}

/// Every item under `items` of every page of `op`, following the `token` member.
async fn every_page(
    client: &Client,
    op: Operation,
    mut body: Value,
    token: &str,
    items: &str,
) -> Result<Vec<Value>, String> {
    let mut out = Vec::new();
    loop {
        let page = client
            .call(op, &body)
            .await
            .map_err(|e| format!("{op}: {e}"))?;
        out.extend(page[items].as_array().into_iter().flatten().cloned());
        match page[token].as_str() {
            Some(next) => body[token] = json!(next),
            None => return Ok(out),
        }
    }
}

async fn list_pools(client: &Client) -> Result<Vec<Found>, String> {
    let pools = every_page(
        client,
        Operation::ListUserPools,
        json!({ "MaxResults": 60 }),
        "NextToken",
        "UserPools",
    )
    .await?;
    Ok(pools
        .iter()
        .filter_map(|p| {
            Some(Found {
                resource: Resource::Pool {
                    id: p["Id"].as_str()?.to_owned(),
                    name: p["Name"].as_str()?.to_owned(),
                },
                created: p["CreationDate"].as_f64(),
            })
        })
        .collect())
}

async fn list_users(client: &Client, pool_id: &str, prefix: &str) -> Result<Vec<Found>, String> {
    let body = json!({ "UserPoolId": pool_id, "Limit": 60,
                       "Filter": format!("username ^= \"{prefix}\"") });
    let users = every_page(
        client,
        Operation::ListUsers,
        body,
        "PaginationToken",
        "Users",
    )
    .await
    .map_err(|e| format!("{e} (in {pool_id})"))?;
    Ok(users
        .iter()
        .filter_map(|u| {
            Some(Found {
                resource: Resource::User {
                    pool_id: pool_id.to_owned(),
                    username: u["Username"].as_str()?.to_owned(),
                },
                created: u["UserCreateDate"].as_f64(),
            })
        })
        .collect())
}

async fn delete(client: &Client, resource: &Resource) -> Result<(), String> {
    // A pool with a domain cannot be deleted on AWS: its domain goes first.
    if let Resource::Pool { id, .. } = resource
        && let Ok(pool) = client
            .call(Operation::DescribeUserPool, &json!({ "UserPoolId": id }))
            .await
        && let Some(domain) = pool["UserPool"]["Domain"].as_str()
    {
        let _ = client
            .call(
                Operation::DeleteUserPoolDomain,
                &json!({ "UserPoolId": id, "Domain": domain }),
            )
            .await;
    }
    let (op, body, gone): (Operation, Value, Exception) = match resource {
        Resource::Pool { id, .. } => (
            Operation::DeleteUserPool,
            json!({ "UserPoolId": id }),
            Exception::ResourceNotFound,
        ),
        Resource::User { pool_id, username } => (
            Operation::AdminDeleteUser,
            json!({ "UserPoolId": pool_id, "Username": username }),
            Exception::UserNotFound,
        ),
    };
    match client.call(op, &body).await {
        Ok(_) => Ok(()),
        Err(e) if e.kind == gone => Ok(()),
        Err(e) => Err(format!("{resource}: {e}")),
    }
}

fn protected(profile: &Profile) -> Vec<String> {
    profile.existing.iter().map(|e| e.pool_id.clone()).collect()
}

/// Deletes everything of run `run_id`: what the ledger lists, then every pool or user named
/// `mfaspec-<run id>-…` (never one kept with `--keep-on-fail`).
pub async fn sweep_run(client: &Client, profile: &Profile, run_id: &str) -> Sweep {
    let mut sweep = Sweep::default();
    let ledger = client.ledger().clone();
    for resource in ledger.outstanding() {
        match delete(client, &resource).await {
            Ok(()) => sweep.deleted.push(resource.to_string()),
            Err(e) => sweep.left.push(e),
        }
    }
    let prefix = format!("{PREFIX}{run_id}-");
    let kept = ledger.kept();
    let sweeper = client
        .clone()
        .with_ledger(Arc::new(Ledger::sweeper(protected(profile))));
    let found = match &profile.existing {
        None => list_pools(&sweeper).await,
        Some(existing) => list_users(&sweeper, &existing.pool_id, &prefix).await,
    };
    match found {
        Ok(found) => {
            for f in found {
                let name = match &f.resource {
                    Resource::Pool { name, .. } => name,
                    Resource::User { username, .. } => username,
                };
                if !name.starts_with(&prefix) || kept.contains(&f.resource) {
                    sweep.spared += 1;
                    continue;
                }
                match delete(&sweeper, &f.resource).await {
                    Ok(()) => sweep.deleted.push(f.resource.to_string()),
                    Err(e) => sweep.left.push(e),
                }
            }
        }
        // Only a run that may have created something can have left something.
        Err(e) if ledger.may_have_created() => sweep
            .left
            .push(format!("the sweep for {prefix}… could not list: {e}")),
        Err(_) => {}
    }
    sweep
}

/// `mfaspec cleanup`: deletes every pool (or, with `provisioning: existing`, every user of
/// the existing pool) whose name starts with `mfaspec-` and, with `older_than`, that is at
/// least that old. With `dry_run`, lists them and deletes nothing.
pub async fn sweep_leftovers(
    client: &Client,
    profile: &Profile,
    older_than: Option<Duration>,
    dry_run: bool,
) -> Result<Sweep, String> {
    let sweeper = client
        .clone()
        .with_ledger(Arc::new(Ledger::sweeper(protected(profile))));
    let found = match &profile.existing {
        None => list_pools(&sweeper).await?,
        Some(existing) => list_users(&sweeper, &existing.pool_id, PREFIX).await?,
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let mut sweep = Sweep::default();
    for f in found {
        let name = match &f.resource {
            Resource::Pool { name, .. } => name,
            Resource::User { username, .. } => username,
        };
        let old_enough = match (older_than, f.created) {
            (None, _) => true,
            (Some(age), Some(created)) => now - created >= age.as_secs_f64(),
            // No creation date: not provably old, so spared.
            (Some(_), None) => false,
        };
        if !name.starts_with(PREFIX) || !old_enough {
            sweep.spared += 1;
            continue;
        }
        if dry_run {
            sweep.deleted.push(f.resource.to_string());
            continue;
        }
        match delete(&sweeper, &f.resource).await {
            Ok(()) => sweep.deleted.push(f.resource.to_string()),
            Err(e) => sweep.left.push(e),
        }
    }
    Ok(sweep)
}

/// `2h`, `30m`, `90s`, `1d`, `45` (seconds).
pub fn parse_age(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map_or((text, ""), |i| text.split_at(i));
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not an age such as 2h, 30m, 90s or 1d"))?;
    let seconds = match unit {
        "" | "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use s, m, h or d"
            ));
        }
    };
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use super::parse_age;
    use std::time::Duration;

    #[test]
    fn ages() {
        assert_eq!(parse_age("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_age("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_age("45"), Ok(Duration::from_secs(45)));
        assert_eq!(parse_age("1d"), Ok(Duration::from_secs(86_400)));
        assert!(parse_age("2 weeks").is_err());
        assert!(parse_age("h").is_err());
    }
}
