//! `mfaspec serve --seed FILE`: pools, app clients, domains and users that exist when the
//! server starts, from a YAML file — with ids that may be given, so an app's configuration
//! can be static.
//!
//! Each entry goes through the endpoint's own operations (CreateUserPool,
//! SetUserPoolMfaConfig, CreateUserPoolClient, CreateUserPoolDomain, AdminCreateUser,
//! AdminSetUserPassword, AdminSetUserMFAPreference), so a seed is held to exactly the rules
//! a request is; what no operation can set (a given id, a known TOTP secret, a remembered
//! device) is then set in the store. Every error names the file, the line and column of
//! the entry, and its path in the file (`pools[0].users[1].totp.secret`).
//!
//! Owns: the seed file's format. Uses: the store; the endpoint only through [`Target`].

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{Value, json};

use super::store::{Device, SoftwareToken, Store};
use crate::totp::{ReplayMemory, Secret};
use crate::vocabulary::Operation;

/// What a seed is applied to: the endpoint (which implements this, so that the seed needs
/// nothing of it but these three).
pub trait Target {
    /// One operation, as a signed request: its answer, or the error as `Exception: message`.
    fn call(&self, op: Operation, body: &Value) -> Result<Value, String>;
    /// The region of pool ids.
    fn region(&self) -> &str;
    /// Runs `change` on the store, under its lock.
    fn with_store(&self, change: &mut dyn FnMut(&mut Store));
}

/// A seed file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("seed file `{path}`{location}: {message}")]
pub struct SeedError {
    /// The file.
    pub path: PathBuf,
    /// `: line L, column C` (and the entry's path), where known.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

/// A parsed seed file, not yet applied. Its `Debug` shows the file and counts only: a seed
/// holds passwords and TOTP secrets.
pub struct Seed {
    path: PathBuf,
    file: SeedFile,
    /// Where each entry starts: its path (`pools[0].clients[1]`) → (line, column).
    positions: HashMap<String, (usize, usize)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    #[serde(default)]
    pools: Vec<PoolSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PoolSeed {
    /// `<region>_<alphanumerics>`; made up when absent.
    id: Option<String>,
    name: String,
    /// `OFF`, `ON` or `OPTIONAL` (default `OFF`).
    mfa: Option<String>,
    /// Software token MFA enabled (default: whenever `mfa` is not `OFF`).
    totp: Option<bool>,
    /// Email MFA with its message and subject (`{####}` in the message).
    email_mfa: Option<EmailSeed>,
    /// `LITE`, `ESSENTIALS` (default) or `PLUS`.
    plan: Option<String>,
    /// Device tracking (`DeviceConfiguration`).
    devices: Option<DeviceConfigSeed>,
    /// A prefix domain for the hosted UI.
    domain: Option<String>,
    #[serde(default)]
    clients: Vec<ClientSeed>,
    #[serde(default)]
    users: Vec<UserSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmailSeed {
    message: Option<String>,
    subject: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceConfigSeed {
    #[serde(default)]
    challenge_required_on_new_device: bool,
    #[serde(default)]
    only_remembered_on_user_prompt: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClientSeed {
    /// Made up when absent.
    id: Option<String>,
    name: String,
    /// A client secret to use; or `generate_secret: true` for a new one.
    secret: Option<String>,
    #[serde(default)]
    generate_secret: bool,
    /// `ExplicitAuthFlows` (default: SRP and refresh, as the console's default).
    flows: Option<Vec<String>>,
    oauth: Option<OAuthSeed>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OAuthSeed {
    #[serde(default = "code_flow")]
    flows: Vec<String>,
    scopes: Vec<String>,
    callback_urls: Vec<String>,
    #[serde(default)]
    logout_urls: Vec<String>,
}

fn code_flow() -> Vec<String> {
    vec!["code".into()]
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserSeed {
    username: String,
    /// A permanent password (the user is CONFIRMED).
    password: Option<String>,
    /// A temporary one instead (FORCE_CHANGE_PASSWORD).
    temporary_password: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, String>,
    #[serde(default = "yes")]
    enabled: bool,
    totp: Option<TotpSeed>,
    email_mfa: Option<FactorSeed>,
    #[serde(default)]
    devices: Vec<DeviceSeed>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TotpSeed {
    /// The Base32 secret the user's authenticator app holds.
    secret: String,
    /// Verified (VerifySoftwareToken done); when false the secret is associated only.
    #[serde(default = "yes")]
    verified: bool,
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default = "yes")]
    preferred: bool,
    device_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactorSeed {
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default)]
    preferred: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeviceSeed {
    /// `<region>_<uuid>`.
    key: String,
    name: Option<String>,
    #[serde(default = "yes")]
    remembered: bool,
    /// `DeviceSecretVerifierConfig` as ConfirmDevice takes it (base64).
    password_verifier: String,
    salt: String,
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (pools, users) = self.counts();
        f.debug_struct("Seed")
            .field("path", &self.path)
            .field("pools", &pools)
            .field("users", &users)
            .finish_non_exhaustive()
    }
}

impl Seed {
    /// Reads and parses `path`; errors name line and column.
    pub fn load(path: &Path) -> Result<Seed, SeedError> {
        let text = std::fs::read_to_string(path).map_err(|e| SeedError {
            path: path.to_owned(),
            location: String::new(),
            message: format!("cannot be read: {e}"),
        })?;
        Seed::parse(&text, path)
    }

    /// Parses seed text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Seed, SeedError> {
        let file: SeedFile = serde_yaml::from_str(text).map_err(|e| {
            let (location, message) = crate::yaml::error_parts(&e);
            SeedError {
                path: path.to_owned(),
                location,
                message,
            }
        })?;
        Ok(Seed {
            path: path.to_owned(),
            file,
            positions: positions(text),
        })
    }

    /// How many pools and users the seed holds.
    #[must_use]
    pub fn counts(&self) -> (usize, usize) {
        (
            self.file.pools.len(),
            self.file.pools.iter().map(|p| p.users.len()).sum(),
        )
    }

    fn error(&self, at: &str, message: impl Into<String>) -> SeedError {
        // The entry itself, or the nearest entry above it that has a position.
        let mut key = at.to_owned();
        let place = loop {
            if let Some(p) = self.positions.get(&key) {
                break Some(*p);
            }
            match key.rfind(['.', '[']) {
                Some(i) => key.truncate(i),
                None => break None,
            }
        };
        SeedError {
            path: self.path.clone(),
            location: match place {
                Some((line, column)) => format!(": line {line}, column {column} ({at})"),
                None => format!(" ({at})"),
            },
            message: message.into(),
        }
    }

    /// Creates what the seed describes in `endpoint`.
    pub fn apply(&self, endpoint: &dyn Target) -> Result<(), SeedError> {
        let mut pool_ids: Vec<String> = Vec::new();
        for (p, pool) in self.file.pools.iter().enumerate() {
            let at = format!("pools[{p}]");
            if let Some(id) = &pool.id
                && pool_ids.contains(id)
            {
                return Err(self.error(&format!("{at}.id"), format!("a second pool {id}")));
            }
            let pool_id = self.pool(endpoint, pool, &at)?;
            pool_ids.push(pool_id.clone());
            for (c, client) in pool.clients.iter().enumerate() {
                self.client(endpoint, &pool_id, client, &format!("{at}.clients[{c}]"))?;
            }
            if let Some(domain) = &pool.domain {
                endpoint
                    .call(
                        Operation::CreateUserPoolDomain,
                        &json!({ "UserPoolId": pool_id, "Domain": domain }),
                    )
                    .map_err(|m| self.error(&format!("{at}.domain"), m))?;
            }
            for (u, user) in pool.users.iter().enumerate() {
                self.user(endpoint, &pool_id, user, &format!("{at}.users[{u}]"))?;
            }
        }
        Ok(())
    }

    fn pool(&self, endpoint: &dyn Target, pool: &PoolSeed, at: &str) -> Result<String, SeedError> {
        let mut create = json!({ "PoolName": pool.name });
        if let Some(plan) = &pool.plan {
            create["UserPoolTier"] = json!(plan);
        }
        if let Some(d) = &pool.devices {
            create["DeviceConfiguration"] = json!({
                "ChallengeRequiredOnNewDevice": d.challenge_required_on_new_device,
                "DeviceOnlyRememberedOnUserPrompt": d.only_remembered_on_user_prompt });
        }
        let created = endpoint
            .call(Operation::CreateUserPool, &create)
            .map_err(|m| self.error(at, m))?;
        let made = created["UserPool"]["Id"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let pool_id = match &pool.id {
            Some(id) => {
                let ok = id.split_once('_').is_some_and(|(region, rest)| {
                    region == endpoint.region()
                        && !rest.is_empty()
                        && rest.len() <= 50
                        && rest.chars().all(|c| c.is_ascii_alphanumeric())
                });
                if !ok {
                    return Err(self.error(
                        &format!("{at}.id"),
                        format!(
                            "{id:?} is not a pool id of this region: expected {}_ and letters or digits",
                            endpoint.region()
                        ),
                    ));
                }
                endpoint.with_store(&mut |store| rename_pool(store, &made, id));
                id.clone()
            }
            None => made,
        };
        let mode = pool.mfa.as_deref().unwrap_or("OFF");
        let totp = pool.totp.unwrap_or(mode != "OFF");
        let mut config = json!({ "UserPoolId": pool_id, "MfaConfiguration": mode,
                                 "SoftwareTokenMfaConfiguration": { "Enabled": totp } });
        if let Some(e) = &pool.email_mfa {
            config["EmailMfaConfiguration"] = json!({});
            if let Some(m) = &e.message {
                config["EmailMfaConfiguration"]["Message"] = json!(m);
            }
            if let Some(s) = &e.subject {
                config["EmailMfaConfiguration"]["Subject"] = json!(s);
            }
        }
        // A new pool's MFA is OFF with nothing configured: only a change is asked for (AWS
        // refuses a configuration beside OFF).
        if mode != "OFF" || totp || pool.email_mfa.is_some() {
            endpoint
                .call(Operation::SetUserPoolMfaConfig, &config)
                .map_err(|m| self.error(&format!("{at}.mfa"), m))?;
        }
        Ok(pool_id)
    }

    fn client(
        &self,
        endpoint: &dyn Target,
        pool_id: &str,
        client: &ClientSeed,
        at: &str,
    ) -> Result<(), SeedError> {
        let flows = client.flows.clone().unwrap_or_else(|| {
            vec![
                "ALLOW_USER_SRP_AUTH".into(),
                "ALLOW_REFRESH_TOKEN_AUTH".into(),
            ]
        });
        let mut create = json!({ "UserPoolId": pool_id, "ClientName": client.name,
            "ExplicitAuthFlows": flows,
            "GenerateSecret": client.generate_secret || client.secret.is_some() });
        if let Some(o) = &client.oauth {
            create["AllowedOAuthFlowsUserPoolClient"] = json!(true);
            create["AllowedOAuthFlows"] = json!(o.flows);
            create["AllowedOAuthScopes"] = json!(o.scopes);
            create["CallbackURLs"] = json!(o.callback_urls);
            if !o.logout_urls.is_empty() {
                create["LogoutURLs"] = json!(o.logout_urls);
            }
            create["SupportedIdentityProviders"] = json!(["COGNITO"]);
        }
        let created = endpoint
            .call(Operation::CreateUserPoolClient, &create)
            .map_err(|m| self.error(at, m))?;
        let made = created["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if let Some(id) = &client.id
            && !(1..=128).contains(&id.len())
        {
            return Err(self.error(&format!("{at}.id"), "a client id is 1 to 128 characters"));
        }
        if let Some(id) = &client.id
            && !id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '+')
        {
            return Err(self.error(
                &format!("{at}.id"),
                format!("{id:?} is not a client id: letters, digits, _ and + only"),
            ));
        }
        let mut taken = false;
        if let Some(id) = &client.id {
            endpoint.with_store(&mut |s| {
                taken = s
                    .pools
                    .get(pool_id)
                    .is_some_and(|p| p.clients.contains_key(id));
            });
        }
        if taken {
            return Err(self.error(&format!("{at}.id"), "a second client with this id"));
        }
        endpoint.with_store(&mut |store| {
            let Some(pool) = store.pools.get_mut(pool_id) else {
                return;
            };
            let Some(mut c) = pool.clients.remove(&made) else {
                return;
            };
            if let Some(id) = &client.id {
                c.id.clone_from(id);
            }
            if let Some(secret) = &client.secret {
                c.secret = Some(secret.clone());
            }
            pool.clients.insert(c.id.clone(), c);
        });
        Ok(())
    }

    fn user(
        &self,
        endpoint: &dyn Target,
        pool_id: &str,
        user: &UserSeed,
        at: &str,
    ) -> Result<(), SeedError> {
        let attributes: Vec<Value> = user
            .attributes
            .iter()
            .map(|(k, v)| json!({ "Name": k, "Value": v }))
            .collect();
        let mut create = json!({ "UserPoolId": pool_id, "Username": user.username,
                                 "UserAttributes": attributes, "MessageAction": "SUPPRESS" });
        let (password, permanent) = match (&user.password, &user.temporary_password) {
            (Some(p), None) => (p, true),
            (None, Some(p)) => (p, false),
            _ => {
                return Err(self.error(
                    at,
                    "give the user either password (permanent) or temporary_password",
                ));
            }
        };
        create["TemporaryPassword"] = json!(password);
        endpoint
            .call(Operation::AdminCreateUser, &create)
            .map_err(|m| self.error(at, m))?;
        if permanent {
            endpoint
                .call(
                    Operation::AdminSetUserPassword,
                    &json!({ "UserPoolId": pool_id, "Username": user.username,
                         "Password": password, "Permanent": true }),
                )
                .map_err(|m| self.error(&format!("{at}.password"), m))?;
        }
        if !user.enabled {
            endpoint
                .call(
                    Operation::AdminDisableUser,
                    &json!({ "UserPoolId": pool_id, "Username": user.username }),
                )
                .map_err(|m| self.error(at, m))?;
        }
        if let Some(t) = &user.totp {
            let secret = Secret::from_base32(&t.secret)
                .map_err(|e| self.error(&format!("{at}.totp.secret"), e.to_string()))?;
            if secret.len() < 10 {
                return Err(self.error(
                    &format!("{at}.totp.secret"),
                    "a TOTP secret of fewer than 80 bits (16 Base32 characters)",
                ));
            }
            let mut token = Some(SoftwareToken {
                secret,
                friendly_name: t.device_name.clone(),
                replay: ReplayMemory::cognito(),
            });
            endpoint.with_store(&mut |store| {
                if let Some(u) = store
                    .pools
                    .get_mut(pool_id)
                    .and_then(|p| p.users.get_mut(&user.username))
                {
                    if t.verified {
                        u.token = token.take();
                    } else {
                        u.pending = token.take();
                    }
                }
            });
            if t.verified && t.enabled {
                endpoint.call(Operation::AdminSetUserMFAPreference,
                    &json!({ "UserPoolId": pool_id, "Username": user.username,
                             "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": t.preferred } }),
                )
                .map_err(|m| self.error(&format!("{at}.totp"), m))?;
            }
        }
        if let Some(e) = &user.email_mfa {
            endpoint.call(Operation::AdminSetUserMFAPreference,
                &json!({ "UserPoolId": pool_id, "Username": user.username,
                         "EmailMfaSettings": { "Enabled": e.enabled, "PreferredMfa": e.preferred } }),
            )
            .map_err(|m| self.error(&format!("{at}.email_mfa"), m))?;
        }
        for (d, device) in user.devices.iter().enumerate() {
            let at = format!("{at}.devices[{d}]");
            let b64 = |s: &str, what: &str| {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .map_err(|_| self.error(&format!("{at}.{what}"), "not base64"))
            };
            let verifier = crate::srp::Verifier {
                salt: b64(&device.salt, "salt")?,
                v: b64(&device.password_verifier, "password_verifier")?,
            };
            let ok = device
                .key
                .split_once('_')
                .is_some_and(|(r, rest)| r == endpoint.region() && !rest.is_empty());
            if !ok {
                return Err(self.error(
                    &format!("{at}.key"),
                    format!("a device key is {}_<uuid>", endpoint.region()),
                ));
            }
            endpoint.with_store(&mut |store| {
                if let Some(u) = store
                    .pools
                    .get_mut(pool_id)
                    .and_then(|p| p.users.get_mut(&user.username))
                {
                    if u.device_group_key.is_none() {
                        u.device_group_key = Some(super::store::new_device_group_key());
                    }
                    u.devices.insert(
                        device.key.clone(),
                        Device {
                            key: device.key.clone(),
                            verifier: Some(verifier.clone()),
                            name: device.name.clone(),
                            remembered: device.remembered,
                            created_ms: 0,
                            modified_ms: 0,
                            last_authenticated_ms: 0,
                        },
                    );
                }
            });
        }
        Ok(())
    }
}

/// Gives the pool made as `from` the id `to` (before it has clients or users).
fn rename_pool(store: &mut Store, from: &str, to: &str) {
    if let Some(mut pool) = store.pools.remove(from) {
        pool.arn = pool.arn.replace(from, to);
        pool.id = to.to_owned();
        store.pools.insert(to.to_owned(), pool);
    }
}

/// Where each node of `text` starts, by its path (`pools[0].users[1].totp`).
fn positions(text: &str) -> HashMap<String, (usize, usize)> {
    use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
    use yaml_rust2::scanner::Marker;

    enum Frame {
        Map { key: Option<String> },
        Seq { next: usize },
    }
    struct Walk {
        stack: Vec<Frame>,
        path: Vec<String>,
        out: HashMap<String, (usize, usize)>,
    }
    impl Walk {
        fn joined(&self) -> String {
            let mut s = String::new();
            for part in &self.path {
                if part.starts_with('[') || s.is_empty() {
                    s.push_str(part);
                } else {
                    s.push('.');
                    s.push_str(part);
                }
            }
            s
        }
        /// A node begins: returns whether it is a map's key (not a value).
        fn begin(&mut self, mark: Marker, key_text: Option<&str>) -> bool {
            match self.stack.last_mut() {
                Some(Frame::Map { key }) if key.is_none() => {
                    let k = key_text.unwrap_or("?").to_owned();
                    *key = Some(k.clone());
                    self.path.push(k);
                    let at = self.joined();
                    self.out.insert(at, (mark.line(), mark.col() + 1));
                    return true;
                }
                Some(Frame::Seq { next }) => {
                    self.path.push(format!("[{next}]"));
                    *next += 1;
                    let at = self.joined();
                    self.out.insert(at, (mark.line(), mark.col() + 1));
                }
                _ => {}
            }
            false
        }
        /// A value node ended: its map entry or sequence item is done.
        fn end_value(&mut self) {
            match self.stack.last_mut() {
                Some(Frame::Map { key }) if key.is_some() => {
                    *key = None;
                    self.path.pop();
                }
                Some(Frame::Seq { .. }) => {
                    self.path.pop();
                }
                _ => {}
            }
        }
    }
    impl MarkedEventReceiver for Walk {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            match ev {
                // `begin` records the node; a scalar or alias that was a value (not a key)
                // also ends its entry.
                Event::Scalar(text, ..) if !self.begin(mark, Some(&text)) => self.end_value(),
                Event::Alias(_) if !self.begin(mark, None) => self.end_value(),
                Event::MappingStart(..) => {
                    self.begin(mark, None);
                    self.stack.push(Frame::Map { key: None });
                }
                Event::SequenceStart(..) => {
                    self.begin(mark, None);
                    self.stack.push(Frame::Seq { next: 0 });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    self.stack.pop();
                    self.end_value();
                }
                _ => {}
            }
        }
    }
    let mut walk = Walk {
        stack: Vec::new(),
        path: Vec::new(),
        out: HashMap::new(),
    };
    // serde_yaml has read the file already; a scanner error here only loses positions.
    let _ = Parser::new_from_str(text).load(&mut walk, false);
    // A block mapping's event is marked after its first key: an entry starts where the
    // first of its children does, if that is earlier.
    let mut out = walk.out.clone();
    for (path, place) in &walk.out {
        let mut parent = path.as_str();
        while let Some(i) = parent.rfind(['.', '[']) {
            parent = &parent[..i];
            if let Some(p) = out.get_mut(parent)
                && *place < *p
            {
                *p = *place;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::positions;

    #[test]
    fn entries_are_found_by_their_path() {
        let text = "pools:\n  - name: a\n    users:\n      - username: bob\n        totp:\n          secret: X\n      - username: eve\n";
        let p = positions(text);
        assert_eq!(p.get("pools"), Some(&(1, 1)));
        assert_eq!(p.get("pools[0]"), Some(&(2, 5)));
        assert_eq!(p.get("pools[0].users[0]"), Some(&(4, 9)));
        assert_eq!(p.get("pools[0].users[0].totp.secret"), Some(&(6, 11)));
        assert_eq!(p.get("pools[0].users[1]"), Some(&(7, 9)));
    }
}
