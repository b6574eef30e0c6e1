//! Durable state for `mfaspec serve --state PATH`: the store and the token signing key in an
//! SQLite file, so that pools, users, TOTP secrets, the codes already used, sessions and
//! refresh tokens survive a restart, and tokens issued before it still verify.
//!
//! Every request that changed the store is written before it is answered, in one SQLite
//! transaction (WAL journal, `synchronous=NORMAL`): whatever kills the process afterwards,
//! `kill -9` included, the change is in the file. (An operating-system crash or a power
//! cut may lose the last transactions: SQLite's documented price of `NORMAL`, paid for a
//! sign-in rate close to the in-memory one.) One row an entry — a pool (without its users),
//! a user, a session, a refresh token, a hosted-UI code… — as JSON, and a request writes the
//! rows of the entries it changed ([`super::store::Tracked`] notes them), so a change costs
//! what it changed, not the size of the store.
//!
//! A file that is empty, not SQLite, damaged, or not mfaspec's is refused with its reason;
//! one written by a newer mfaspec (a higher `user_version`) is refused with both versions.
//! Never a silent empty start.
//!
//! Owns: the file's schema and the store's encoding in it. Uses: the store, the keys.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension as _};

use super::store::{Store, Tracked};

/// The schema this mfaspec writes and reads (SQLite's `user_version`).
pub const SCHEMA_VERSION: i64 = 1;

/// SQLite's `application_id` of an mfaspec state file: "mfas".
const APPLICATION_ID: i64 = 0x6D66_6173;

/// A state file that cannot be used; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// Not a state file this mfaspec can read, and why.
    #[error("state file `{path}`: {reason}")]
    Unusable {
        /// The file.
        path: PathBuf,
        /// Why, in a few words.
        reason: String,
    },
    /// Written by a newer mfaspec.
    #[error(
        "state file `{path}` was written by a newer mfaspec (schema {found}; this one reads schema {SCHEMA_VERSION}): run that version, or give another file"
    )]
    Newer {
        /// The file.
        path: PathBuf,
        /// Its schema version.
        found: i64,
    },
}

/// What a state file held at start.
pub(crate) struct Saved {
    pub store: Store,
    /// The signing key (PKCS#8 DER) and its `kid`.
    pub key: (Vec<u8>, String),
}

/// An open state file.
pub(crate) struct Durable {
    conn: Connection,
    path: PathBuf,
    /// How many emails the outbox had sent when it was last written.
    sent: u64,
}

/// The kinds of rows, one per map of the store.
mod kind {
    pub const POOL: &str = "pool";
    pub const USER: &str = "user";
    pub const SESSION: &str = "session";
    pub const REFRESH: &str = "refresh_token";
    pub const SRP: &str = "srp_challenge";
    pub const DOMAIN: &str = "domain";
    pub const DEVICE_SESSION: &str = "device_session";
    pub const FLOW: &str = "hosted_flow";
    pub const CODE: &str = "hosted_code";
    pub const BROWSER: &str = "hosted_session";
    pub const OUTBOX: &str = "outbox";
}

impl Durable {
    /// Opens `path`, creating it if it does not exist; returns what it holds, if anything.
    pub fn open(path: &Path) -> Result<(Durable, Option<Saved>), StateError> {
        let unusable = |reason: String| StateError::Unusable {
            path: path.to_owned(),
            reason,
        };
        let existed = match std::fs::metadata(path) {
            Ok(m) if m.len() == 0 => {
                return Err(unusable(
                    "the file is empty, so it is not an mfaspec state file (remove it, and mfaspec creates it afresh)".into(),
                ));
            }
            Ok(m) if !m.is_file() => return Err(unusable("not a regular file".into())),
            Ok(_) => true,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
            Err(e) => return Err(unusable(format!("cannot be read: {e}"))),
        };
        let conn =
            Connection::open(path).map_err(|e| unusable(format!("cannot be opened: {e}")))?;
        let sql = |e: rusqlite::Error| unusable(describe(&e));
        // One server a file: the lock is taken now and held until the server stops, so that
        // a second `serve` on the same file is refused instead of overwriting the first's.
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .and_then(|()| conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;"))
            .map_err(|e| match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy) => {
                    unusable("in use by another mfaspec serve".into())
                }
                _ => sql(e),
            })?;
        let mut durable = Durable {
            conn,
            path: path.to_owned(),
            sent: 0,
        };
        if !existed {
            durable.create().map_err(sql)?;
            return Ok((durable, None));
        }
        let conn = &durable.conn;
        let app: i64 = conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(sql)?;
        if app != APPLICATION_ID {
            return Err(unusable(
                "not an mfaspec state file (an SQLite database of something else)".into(),
            ));
        }
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        if version > SCHEMA_VERSION {
            return Err(StateError::Newer {
                path: path.to_owned(),
                found: version,
            });
        }
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(sql)?;
        if check != "ok" {
            return Err(unusable(format!("damaged ({check})")));
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        let row = |name: &str| -> Result<Option<Vec<u8>>, StateError> {
            conn.query_row("SELECT value FROM meta WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(sql)
        };
        let (Some(key), Some(kid)) = (row("signing_key")?, row("kid")?) else {
            return Err(unusable("it holds no signing key: damaged".into()));
        };
        let kid = String::from_utf8(kid).map_err(|_| unusable("its key id is not text".into()))?;
        let store = durable.load()?;
        Ok((
            durable,
            Some(Saved {
                store,
                key: (key, kid),
            }),
        ))
    }

    fn create(&mut self) -> rusqlite::Result<()> {
        self.conn
            .pragma_update(None, "application_id", APPLICATION_ID)?;
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
             CREATE TABLE entries (kind TEXT NOT NULL, key TEXT NOT NULL,
                                   owner TEXT NOT NULL DEFAULT '', json BLOB NOT NULL,
                                   PRIMARY KEY (kind, key));
             CREATE INDEX entries_by_owner ON entries (kind, owner);",
        )?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()
    }

    /// Every row, back into a store.
    fn load(&self) -> Result<Store, StateError> {
        let path = self.path.clone();
        let bad = move |what: String| StateError::Unusable {
            path: path.clone(),
            reason: what,
        };
        let mut statement = self
            .conn
            .prepare("SELECT kind, key, owner, json FROM entries ORDER BY kind, key")
            .map_err(|e| bad(describe(&e)))?;
        let rows = statement
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            })
            .map_err(|e| bad(describe(&e)))?;
        let mut store = Store::default();
        let mut users = Vec::new();
        for row in rows {
            let (kind, key, owner, json) = row.map_err(|e| bad(describe(&e)))?;
            let wrong =
                |e: serde_json::Error| bad(format!("its {kind} row {key} cannot be read ({e})"));
            match kind.as_str() {
                kind::POOL => put(&mut store.pools, &key, &json).map_err(wrong)?,
                kind::USER => users.push((owner, json)),
                kind::SESSION => put(&mut store.sessions, &key, &json).map_err(wrong)?,
                kind::REFRESH => put(&mut store.refresh_tokens, &key, &json).map_err(wrong)?,
                kind::SRP => put(&mut store.srp_pending, &key, &json).map_err(wrong)?,
                kind::DOMAIN => put(&mut store.domains, &key, &json).map_err(wrong)?,
                kind::DEVICE_SESSION => {
                    put(&mut store.device_sessions, &key, &json).map_err(wrong)?
                }
                kind::FLOW => put(&mut store.hosted.flows, &key, &json).map_err(wrong)?,
                kind::CODE => put(&mut store.hosted.codes, &key, &json).map_err(wrong)?,
                kind::BROWSER => put(&mut store.hosted.sessions, &key, &json).map_err(wrong)?,
                kind::OUTBOX => store.outbox = serde_json::from_slice(&json).map_err(wrong)?,
                other => {
                    return Err(bad(format!(
                        "a row of a kind this mfaspec does not know ({other})"
                    )));
                }
            }
        }
        for (owner, json) in users {
            let user: super::store::User = serde_json::from_slice(&json)
                .map_err(|e| bad(format!("a user row of pool {owner} cannot be read ({e})")))?;
            let pool = store
                .pools
                .peek_mut(&owner)
                .ok_or_else(|| bad(format!("a user of pool {owner}, which it does not hold")))?;
            pool.users.insert(user.username.clone(), user);
        }
        store.forget_changes();
        Ok(store)
    }

    /// Writes the signing key (once, when the file is new).
    pub fn save_key(&mut self, pkcs8: &[u8], kid: &str) -> Result<(), StateError> {
        let path = self.path.clone();
        let failed = |e: rusqlite::Error| write_failed(&path, &e);
        let tx = self.conn.transaction().map_err(failed)?;
        for (name, value) in [("signing_key", pkcs8), ("kid", kid.as_bytes())] {
            tx.execute(
                "INSERT OR REPLACE INTO meta (name, value) VALUES (?1, ?2)",
                rusqlite::params![name, value],
            )
            .map_err(failed)?;
        }
        tx.commit().map_err(failed)
    }

    /// Writes the entries of `store` that changed since the last call (all of them, the
    /// first time after a seed), in one transaction.
    pub fn save(&mut self, store: &mut Store) -> Result<(), StateError> {
        let path = self.path.clone();
        let failed = |e: rusqlite::Error| write_failed(&path, &e);
        let tx = self.conn.transaction().map_err(failed)?;
        {
            let mut w = Writer {
                put: tx
                    .prepare_cached(
                        "INSERT OR REPLACE INTO entries (kind, key, owner, json) VALUES (?1, ?2, ?3, ?4)",
                    )
                    .map_err(failed)?,
                delete: tx
                    .prepare_cached("DELETE FROM entries WHERE kind = ?1 AND key = ?2")
                    .map_err(failed)?,
                wrote: false,
            };
            for id in store.pools.take_changes() {
                let key = to_key(&id);
                match store.pools.peek_mut(&id) {
                    Some(pool) => {
                        w.put(kind::POOL, &key, "", &*pool).map_err(failed)?;
                        for username in pool.users.take_changes() {
                            let user_key = to_key(&(&id, &username));
                            match pool.users.get(&username) {
                                Some(u) => w.put(kind::USER, &user_key, &id, u),
                                None => w.delete(kind::USER, &user_key),
                            }
                            .map_err(failed)?;
                        }
                    }
                    None => {
                        w.delete(kind::POOL, &key).map_err(failed)?;
                        tx.execute(
                            "DELETE FROM entries WHERE kind = ?1 AND owner = ?2",
                            rusqlite::params![kind::USER, id],
                        )
                        .map_err(failed)?;
                        w.wrote = true;
                    }
                }
            }
            w.flush(kind::SESSION, &mut store.sessions)
                .map_err(failed)?;
            w.flush(kind::REFRESH, &mut store.refresh_tokens)
                .map_err(failed)?;
            w.flush(kind::SRP, &mut store.srp_pending).map_err(failed)?;
            w.flush(kind::DOMAIN, &mut store.domains).map_err(failed)?;
            w.flush(kind::DEVICE_SESSION, &mut store.device_sessions)
                .map_err(failed)?;
            w.flush(kind::FLOW, &mut store.hosted.flows)
                .map_err(failed)?;
            w.flush(kind::CODE, &mut store.hosted.codes)
                .map_err(failed)?;
            w.flush(kind::BROWSER, &mut store.hosted.sessions)
                .map_err(failed)?;
            if store.sent != self.sent {
                w.put(kind::OUTBOX, "\"all\"", "", &store.outbox)
                    .map_err(failed)?;
            }
            if !w.wrote {
                // Nothing changed: no transaction to commit.
                return Ok(());
            }
        }
        tx.commit().map_err(failed)?;
        self.sent = store.sent;
        Ok(())
    }
}

/// A row into `map`: its key and value are JSON.
fn put<K, V>(map: &mut Tracked<K, V>, key: &str, json: &[u8]) -> Result<(), serde_json::Error>
where
    K: Ord + Clone + serde::de::DeserializeOwned,
    V: serde::de::DeserializeOwned,
{
    map.insert(serde_json::from_str(key)?, serde_json::from_slice(json)?);
    Ok(())
}

/// A row's key: the JSON of the map's key.
fn to_key(key: &impl serde::Serialize) -> String {
    serde_json::to_string(key).unwrap_or_default()
}

/// The statements one save writes with.
struct Writer<'t> {
    put: rusqlite::CachedStatement<'t>,
    delete: rusqlite::CachedStatement<'t>,
    /// Whether anything was written.
    wrote: bool,
}

impl Writer<'_> {
    fn put(
        &mut self,
        kind: &str,
        key: &str,
        owner: &str,
        value: &impl serde::Serialize,
    ) -> rusqlite::Result<()> {
        let json = serde_json::to_vec(value)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
        self.put
            .execute(rusqlite::params![kind, key, owner, json])?;
        self.wrote = true;
        Ok(())
    }

    fn delete(&mut self, kind: &str, key: &str) -> rusqlite::Result<()> {
        self.delete.execute(rusqlite::params![kind, key])?;
        self.wrote = true;
        Ok(())
    }

    /// The rows of `map`'s changed keys.
    fn flush<K, V>(&mut self, kind: &str, map: &mut Tracked<K, V>) -> rusqlite::Result<()>
    where
        K: Ord + Clone + serde::Serialize,
        V: serde::Serialize,
    {
        for k in map.take_changes() {
            let key = to_key(&k);
            match map.get(&k) {
                Some(v) => self.put(kind, &key, "", v)?,
                None => self.delete(kind, &key)?,
            }
        }
        Ok(())
    }
}

fn write_failed(path: &Path, e: &rusqlite::Error) -> StateError {
    StateError::Unusable {
        path: path.to_owned(),
        reason: format!("cannot be written: {}", describe(e)),
    }
}

/// SQLite's error in a few words ("file is not a database", "database disk image is
/// malformed").
fn describe(e: &rusqlite::Error) -> String {
    match e {
        rusqlite::Error::SqliteFailure(_, Some(message)) => message.clone(),
        other => other.to_string(),
    }
}
