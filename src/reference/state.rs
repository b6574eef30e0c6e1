//! Durable state for `mfaspec serve --state PATH`: the store and the token signing key in an
//! SQLite file, so that pools, users, TOTP secrets, the codes already used, sessions and
//! refresh tokens survive a restart, and tokens issued before it still verify.
//!
//! Every request that changed the store is written before it is answered, in one SQLite
//! transaction (WAL journal, `synchronous=NORMAL`): whatever kills the process afterwards,
//! `kill -9` included, the change is in the file. (An operating-system crash or a power
//! cut may lose the last transactions: SQLite's documented price of `NORMAL`, paid for a
//! sign-in rate close to the in-memory one.) The store is written whole, as JSON, when it
//! differs from what was last written: simple and atomic, and cheap for the test-sized
//! states `serve` holds (its cost grows with the number of users: thousands are fine).
//!
//! A file that is empty, not SQLite, damaged, or not mfaspec's is refused with its reason;
//! one written by a newer mfaspec (a higher `user_version`) is refused with both versions.
//! Never a silent empty start.
//!
//! Owns: the file's schema and the store's encoding in it. Uses: the store, the keys.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension as _};

use super::store::Store;

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
    /// The store as last written, to skip a write that would change nothing.
    last: Vec<u8>,
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
            last: Vec::new(),
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
        let json: Vec<u8> = conn
            .query_row("SELECT json FROM store WHERE id = 1", [], |r| r.get(0))
            .optional()
            .map_err(sql)?
            .ok_or_else(|| unusable("it holds no store: damaged".into()))?;
        let store: Store = serde_json::from_slice(&json)
            .map_err(|e| unusable(format!("its store cannot be read ({e})")))?;
        durable.last = json;
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
             CREATE TABLE store (id INTEGER PRIMARY KEY CHECK (id = 1), json BLOB NOT NULL);",
        )?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()
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

    /// Writes `store` if it differs from what was last written.
    pub fn save(&mut self, store: &Store) -> Result<(), StateError> {
        let json = serde_json::to_vec(store).map_err(|e| StateError::Unusable {
            path: self.path.clone(),
            reason: format!("the store cannot be encoded ({e})"),
        })?;
        if json == self.last {
            return Ok(());
        }
        self.conn
            .execute(
                "INSERT OR REPLACE INTO store (id, json) VALUES (1, ?1)",
                [&json],
            )
            .map_err(|e| write_failed(&self.path, &e))?;
        self.last = json;
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
