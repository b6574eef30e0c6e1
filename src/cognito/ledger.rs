//! What a run has created, and what it must never touch. The client writes every pool and
//! user it creates here the moment the answer arrives — inside the request's own task, so an
//! interrupted scenario's calls still land — and strikes them out when they are deleted.
//! Whatever is left when the run ends (or is interrupted) is deleted by the runner.
//!
//! The guard: a pool named in the profile (`provisioning: existing`) is never deleted or
//! reconfigured, a pool is deleted only if this run created it (or, for `mfaspec cleanup`,
//! its name has the prefix), and a user is deleted only if its name has the prefix.
//!
//! Owns: what the run created and the guard. Uses: [`crate::vocabulary`].

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde_json::Value;

use crate::vocabulary::{Exception, Operation};

/// The prefix of every resource name mfaspec creates.
pub const PREFIX: &str = "mfaspec-";

/// A short id for a run: 8 lower-case letters and digits, so that resource names
/// (`mfaspec-<run id>-…`) stay valid wherever Cognito takes them.
#[must_use]
pub fn run_id() -> String {
    use rand::RngExt as _;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..8)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// A created resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Resource {
    /// A user pool: id and name.
    Pool {
        /// `us-east-1_…`
        id: String,
        /// `mfaspec-<run>-pool-N`
        name: String,
    },
    /// A user in a pool mfaspec did not create (`provisioning: existing`).
    User {
        /// The pool.
        pool_id: String,
        /// `mfaspec-<run>-user-N`
        username: String,
    },
}

impl std::fmt::Display for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Resource::Pool { id, name } => write!(f, "user pool {id} ({name})"),
            Resource::User { pool_id, username } => write!(f, "user {username} in {pool_id}"),
        }
    }
}

#[derive(Default)]
struct State {
    pools: BTreeMap<String, String>,
    users: BTreeSet<(String, String)>,
    /// Kept on purpose (`--keep-on-fail`): never swept.
    kept: BTreeSet<Resource>,
}

/// The run's record of resources, calls in flight and retries.
#[derive(Default)]
pub struct Ledger {
    protected_pools: HashSet<String>,
    sweeper: bool,
    /// No guard at all: for driving an endpoint the caller owns (tests, benchmarks).
    unguarded: bool,
    state: Mutex<State>,
    in_flight: AtomicUsize,
    idle: tokio::sync::Notify,
    retries: AtomicU64,
    /// Creations that succeeded, or whose answer never came or was a server error (so the
    /// resource may exist).
    creations: AtomicU64,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("protected_pools", &self.protected_pools)
            .field("in_flight", &self.in_flight.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// Why the guard refused a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl Ledger {
    /// A ledger that guards `protected_pools` (the profile's existing pool).
    #[must_use]
    pub fn new(protected_pools: impl IntoIterator<Item = String>) -> Ledger {
        Ledger {
            protected_pools: protected_pools.into_iter().collect(),
            ..Ledger::default()
        }
    }

    /// A ledger whose guard lets everything through: for tests and benchmarks that drive an
    /// endpoint of their own (a reference endpoint they started), never for a run.
    #[must_use]
    pub fn unguarded() -> Ledger {
        Ledger {
            unguarded: true,
            ..Ledger::default()
        }
    }

    /// For `mfaspec cleanup`: pools it did not create may be deleted — the caller checks
    /// their names — but protected pools still may not.
    #[must_use]
    pub fn sweeper(protected_pools: impl IntoIterator<Item = String>) -> Ledger {
        Ledger {
            sweeper: true,
            ..Ledger::new(protected_pools)
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether `op` on `body` may be sent.
    pub fn check(&self, op: Operation, body: &Value) -> Result<(), Refusal> {
        if self.unguarded {
            return Ok(());
        }
        let pool = body.get("UserPoolId").and_then(Value::as_str).unwrap_or("");
        let changes_pool = matches!(
            op,
            Operation::DeleteUserPool
                | Operation::SetUserPoolMfaConfig
                | Operation::CreateUserPoolClient
                | Operation::UpdateUserPoolClient
                | Operation::DeleteUserPoolClient
                | Operation::CreateUserPoolDomain
                | Operation::DeleteUserPoolDomain
        );
        if changes_pool && self.protected_pools.contains(pool) {
            return Err(Refusal(format!(
                "{op} on the existing pool {pool}: mfaspec never changes a pool it did not create"
            )));
        }
        if op == Operation::DeleteUserPool && !self.sweeper && !self.lock().pools.contains_key(pool)
        {
            return Err(Refusal(format!(
                "DeleteUserPool {pool}: this run did not create it"
            )));
        }
        if op == Operation::AdminDeleteUser {
            let user = body.get("Username").and_then(Value::as_str).unwrap_or("");
            if !user.starts_with(PREFIX) {
                return Err(Refusal(format!(
                    "AdminDeleteUser {user}: only users named {PREFIX}… are deleted"
                )));
            }
        }
        Ok(())
    }

    /// Notes that a creation was attempted and may have succeeded: `status` is 200 for a
    /// success, 0 for no answer, 5xx for a server error.
    pub fn note_creation(&self, op: Operation, status: u16) {
        if matches!(op, Operation::CreateUserPool | Operation::AdminCreateUser)
            && (status == 0 || status == 200 || status >= 500)
        {
            self.creations.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Whether the run may have created anything at all.
    #[must_use]
    pub fn may_have_created(&self) -> bool {
        self.creations.load(Ordering::Relaxed) > 0
    }

    /// Notes what a successful (or not-found) answer created or removed.
    pub fn note(&self, op: Operation, body: &Value, answer: Result<&Value, Option<Exception>>) {
        let pool = body
            .get("UserPoolId")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let user = body
            .get("Username")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let mut state = self.lock();
        match (op, answer) {
            (Operation::CreateUserPool, Ok(v)) => {
                if let (Some(id), Some(name)) = (
                    v["UserPool"]["Id"].as_str(),
                    v["UserPool"]["Name"]
                        .as_str()
                        .or_else(|| body.get("PoolName").and_then(Value::as_str)),
                ) {
                    state.pools.insert(id.to_owned(), name.to_owned());
                }
            }
            (Operation::DeleteUserPool, Ok(_) | Err(Some(Exception::ResourceNotFound))) => {
                state.pools.remove(&pool);
                state.users.retain(|(p, _)| *p != pool);
            }
            (Operation::AdminCreateUser, Ok(_)) if self.protected_pools.contains(&pool) => {
                state.users.insert((pool, user));
            }
            (Operation::AdminDeleteUser, Ok(_) | Err(Some(Exception::UserNotFound))) => {
                state.users.remove(&(pool, user));
            }
            _ => {}
        }
    }

    /// Everything created and not yet deleted, except what is kept.
    #[must_use]
    pub fn outstanding(&self) -> Vec<Resource> {
        let state = self.lock();
        let pools = state.pools.iter().map(|(id, name)| Resource::Pool {
            id: id.clone(),
            name: name.clone(),
        });
        let users = state
            .users
            .iter()
            .map(|(pool_id, username)| Resource::User {
                pool_id: pool_id.clone(),
                username: username.clone(),
            });
        pools
            .chain(users)
            .filter(|r| !state.kept.contains(r))
            .collect()
    }

    /// Marks `resource` as kept (`--keep-on-fail`): the end-of-run cleanup leaves it.
    pub fn keep(&self, resource: Resource) {
        self.lock().kept.insert(resource);
    }

    /// Everything kept on purpose.
    #[must_use]
    pub fn kept(&self) -> Vec<Resource> {
        self.lock().kept.iter().cloned().collect()
    }

    /// The pool's name, if this run created it.
    #[must_use]
    pub fn pool_name(&self, id: &str) -> Option<String> {
        self.lock().pools.get(id).cloned()
    }

    pub(super) fn started(&self) {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
    }

    pub(super) fn finished(&self) {
        if self.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    pub(super) fn retried(&self) {
        self.retries.fetch_add(1, Ordering::Relaxed);
    }

    /// Retries made so far (throttling and server errors).
    #[must_use]
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    /// Calls that have been sent and not yet answered.
    #[must_use]
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    /// Waits until no call is in flight, or `limit` passes; returns how many still are.
    pub async fn settle(&self, limit: std::time::Duration) -> usize {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let idle = self.idle.notified();
            if self.in_flight() == 0 {
                return 0;
            }
            if tokio::time::timeout_at(deadline, idle).await.is_err() {
                return self.in_flight();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn guards_existing_pools_foreign_pools_and_unprefixed_users() {
        let ledger = Ledger::new(["us-east-1_team".to_owned()]);
        let team = json!({ "UserPoolId": "us-east-1_team" });
        assert!(ledger.check(Operation::DeleteUserPool, &team).is_err());
        assert!(
            ledger
                .check(Operation::SetUserPoolMfaConfig, &team)
                .is_err()
        );
        assert!(
            ledger
                .check(Operation::CreateUserPoolClient, &team)
                .is_err()
        );
        assert!(ledger.check(Operation::AdminCreateUser, &team).is_ok());
        assert!(ledger.check(Operation::GetUserPoolMfaConfig, &team).is_ok());
        // A pool this run did not create is not deleted…
        let other = json!({ "UserPoolId": "us-east-1_other" });
        assert!(ledger.check(Operation::DeleteUserPool, &other).is_err());
        // …one it created is.
        ledger.note(
            Operation::CreateUserPool,
            &json!({ "PoolName": "mfaspec-r-pool-1" }),
            Ok(&json!({ "UserPool": { "Id": "us-east-1_mine", "Name": "mfaspec-r-pool-1" } })),
        );
        assert!(
            ledger
                .check(
                    Operation::DeleteUserPool,
                    &json!({ "UserPoolId": "us-east-1_mine" })
                )
                .is_ok()
        );
        // The sweeper may delete unlisted pools, never protected ones.
        let sweeper = Ledger::sweeper(["us-east-1_team".to_owned()]);
        assert!(sweeper.check(Operation::DeleteUserPool, &other).is_ok());
        assert!(sweeper.check(Operation::DeleteUserPool, &team).is_err());
        // Users: only prefixed ones are deleted.
        let bob = json!({ "UserPoolId": "us-east-1_team", "Username": "bob" });
        assert!(ledger.check(Operation::AdminDeleteUser, &bob).is_err());
        let ours = json!({ "UserPoolId": "us-east-1_team", "Username": "mfaspec-r-user-1" });
        assert!(ledger.check(Operation::AdminDeleteUser, &ours).is_ok());
    }

    #[test]
    fn tracks_what_is_created_deleted_and_kept() {
        let ledger = Ledger::new(["us-east-1_team".to_owned()]);
        let created = json!({ "UserPool": { "Id": "us-east-1_a", "Name": "mfaspec-r-pool-1" } });
        ledger.note(Operation::CreateUserPool, &json!({}), Ok(&created));
        let user = json!({ "UserPoolId": "us-east-1_team", "Username": "mfaspec-r-user-2" });
        ledger.note(Operation::AdminCreateUser, &user, Ok(&json!({})));
        // Users of pools mfaspec created go with their pool: not tracked one by one.
        ledger.note(
            Operation::AdminCreateUser,
            &json!({ "UserPoolId": "us-east-1_a", "Username": "mfaspec-r-user-3" }),
            Ok(&json!({})),
        );
        assert_eq!(ledger.outstanding().len(), 2);
        ledger.keep(Resource::Pool {
            id: "us-east-1_a".into(),
            name: "mfaspec-r-pool-1".into(),
        });
        assert_eq!(ledger.outstanding().len(), 1);
        assert!(matches!(&ledger.kept()[..], [Resource::Pool { id, .. }] if id == "us-east-1_a"));
        ledger.note(
            Operation::AdminDeleteUser,
            &user,
            Err(Some(Exception::UserNotFound)),
        );
        assert!(ledger.outstanding().is_empty());
        ledger.note(
            Operation::DeleteUserPool,
            &json!({ "UserPoolId": "us-east-1_a" }),
            Ok(&json!({})),
        );
        assert!(ledger.pool_name("us-east-1_a").is_none());
    }
}
