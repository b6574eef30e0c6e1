//! Target profiles: where a run sends its requests and what that target can do. Profiles are
//! YAML: built in (`fixtures/targets/<name>.yaml`, embedded in the binary) or any file; they
//! name where credentials come from, never the credentials.
//!
//! Owns: the profile schema, its validation and the capability names. Uses nothing of the
//! harness; knows nothing of Gherkin or of the endpoint's internals.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Where the endpoint is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// Start mfaspec's reference endpoint in-process on a free loopback port.
    Embedded,
    /// An endpoint that is already running.
    Url(String),
    /// Real AWS: `https://cognito-idp.<region>.amazonaws.com`, signed with the AWS SDK's
    /// default credential chain. Only a profile that says `endpoint: aws` reaches AWS. The
    /// URL, when set (`--endpoint`, `AWS_ENDPOINT_URL…`), sends the signed requests elsewhere.
    Aws(Option<String>),
}

/// How the run gets pools and app clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provisioning {
    /// A fresh pool per scenario.
    Create,
    /// The pool and app client a team already runs (`existing:` in the profile): mfaspec
    /// creates only users there — if the profile allows it — and never changes the pool.
    Existing,
}

/// The pool and app client of `provisioning: existing`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExistingPool {
    /// The user pool id (`us-east-1_AbC…`).
    pub pool_id: String,
    /// The app client id.
    pub client_id: String,
    /// The environment variable that holds the app client's secret, if it has one: the
    /// profile names where the secret comes from, never the secret.
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// Whether mfaspec may create (and delete) users named `mfaspec-<run>-…` in the pool.
    /// Without it, every scenario that needs a user of its own is n/a.
    #[serde(default)]
    pub create_users: bool,
}

/// Capabilities a profile can declare; scenarios tagged `@requires:<capability>` need them.
pub const CAPABILITIES: &[(&str, &str)] = &[
    (
        "admin.api",
        "AdminInitiateAuth, AdminRespondToAuthChallenge, AdminSetUserMFAPreference",
    ),
    ("totp.verifies_codes", "wrong TOTP codes are refused"),
    (
        "totp.session_setup",
        "MFA_SETUP through Session-based AssociateSoftwareToken / VerifySoftwareToken",
    ),
    (
        "challenge.select_mfa_type",
        "SMS MFA can be configured beside TOTP, so SELECT_MFA_TYPE can arise",
    ),
    (
        "time.control",
        "the clock can be moved (POST /_mfaspec/clock)",
    ),
    (
        "wire.raw",
        "malformed requests reach the target and are answered",
    ),
    ("auth.srp", "USER_SRP_AUTH"),
    (
        "hosted_ui",
        "a hosted UI on user pool domains: /oauth2/authorize, the sign-in, TOTP code and TOTP setup pages, /oauth2/token",
    ),
    (
        "devices",
        "remembered devices: DeviceConfiguration, NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH and the device operations",
    ),
    (
        "auth.user_auth",
        "choice-based sign-in: ALLOW_USER_AUTH, USER_AUTH, SELECT_CHALLENGE with PASSWORD and PASSWORD_SRP",
    ),
    (
        "plan.lite",
        "pools can be made on the Lite plan (UserPoolTier LITE)",
    ),
    (
        "plan.plus",
        "pools can be made on the Plus plan (UserPoolTier PLUS; AWS bills it per user)",
    ),
];

/// A loaded target profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The profile's name: a plain identifier (it names the report folder).
    pub name: String,
    /// The file it was read from; `None` for a built-in profile.
    pub source: Option<String>,
    /// The version of the target the profile describes (`version:`), as reports and issue
    /// texts name it; the built-in emulators' profiles carry what `scripts/peers.sh` installs.
    pub version: Option<String>,
    /// Where requests go.
    pub endpoint: Location,
    /// The region in requests; `None` (`region: default`) takes the AWS default chain's.
    pub region: Option<String>,
    /// How pools are provisioned.
    pub provisioning: Provisioning,
    /// The pool and app client, for `provisioning: existing`.
    pub existing: Option<ExistingPool>,
    /// What the target can do; scenarios tagged `@requires:<capability>` need it.
    pub capabilities: Vec<String>,
    /// At most this many scenarios at once.
    pub concurrency: usize,
    /// Whether the target's clock can be moved (`POST /_mfaspec/clock`).
    pub clock_control: bool,
    /// How many steps either side of the current one the target accepts for a *fresh*
    /// code (Cognito: 1). With 0 the phone only ever hands out the current step's code and
    /// waits for the next step when that one is used, so that scenarios about something else
    /// do not fail on a target without a skew window. It does not change what the window
    /// scenarios assert.
    pub totp_window: u32,
    /// Attempts per call, the first included, when the target throttles or fails (default 8).
    pub max_attempts: u32,
    /// The target's replay rule, where it is known (`replay_rule:`): with `same_step` the
    /// phone may hand out an unused *older* step's code too, so a clock-controlled run never
    /// waits; otherwise it only hands out steps newer than any it used, which works under
    /// either rule (spec §9 Q2).
    pub replay_rule: Option<crate::totp::ReplayPolicy>,
    /// How the suite signs in where a scenario is not about the flow itself (`sign_in:`).
    /// `None`: with the password flows, unless an existing pool's app client allows only
    /// USER_SRP_AUTH, which the runner finds out before the run.
    pub sign_in: Option<SignIn>,
    /// Where a pool domain's hosted UI is (`hosted_ui_url:`), a template of `{prefix}`,
    /// `{region}` and `{endpoint}` (the profile's endpoint URL). `None`: AWS's
    /// `https://{prefix}.auth.{region}.amazoncognito.com` for `endpoint: aws`, else
    /// `http://{prefix}.auth.{region}.localhost:<the endpoint's port>` (the reference endpoint's).
    pub hosted_ui_url: Option<String>,
    /// Where the suite reads emailed codes (`mail:`), for a target that is not mfaspec's own
    /// endpoint (whose outbox it reads without being told).
    pub mail: Option<Mail>,
}

/// A profile's `mail:`: how to read a code that was emailed to a user of the run.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mail {
    /// A command run with `sh -c`, the address as its argument (`$1`), that prints the newest
    /// code sent to that address (it waits for the message itself). It never gets to see a
    /// password or a secret; mfaspec never prints what it prints.
    pub command: String,
    /// The domain of the users' addresses (`mfaspec-<run>-user-1@<domain>`): one whose mail
    /// the command can read.
    pub domain: String,
}

/// How the suite signs a user in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignIn {
    /// `USER_PASSWORD_AUTH` / `ADMIN_USER_PASSWORD_AUTH`.
    Password,
    /// `USER_SRP_AUTH` (and its PASSWORD_VERIFIER), as Amplify and the mobile SDKs do.
    Srp,
}

impl SignIn {
    /// The profile's word for it.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            SignIn::Password => "password",
            SignIn::Srp => "srp",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: String,
    #[serde(default)]
    version: Option<String>,
    endpoint: String,
    #[serde(default = "default_region")]
    region: String,
    #[serde(default = "default_provisioning", alias = "provision")]
    provisioning: Provisioning,
    #[serde(default)]
    existing: Option<ExistingPool>,
    #[serde(default)]
    capabilities: Vec<String>,
    #[serde(default = "default_concurrency")]
    concurrency: usize,
    #[serde(default)]
    clock_control: bool,
    #[serde(default = "default_window")]
    totp_window: u32,
    #[serde(default = "default_attempts")]
    max_attempts: u32,
    #[serde(default)]
    replay_rule: ReplayRule,
    #[serde(default)]
    sign_in: Option<SignIn>,
    #[serde(default)]
    hosted_ui_url: Option<String>,
    #[serde(default)]
    mail: Option<Mail>,
}

/// `replay_rule:` in a profile file.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ReplayRule {
    #[default]
    Unknown,
    SameStep,
    Monotonic,
}

fn default_region() -> String {
    "us-east-1".into()
}
fn default_provisioning() -> Provisioning {
    Provisioning::Create
}
fn default_concurrency() -> usize {
    8
}
fn default_window() -> u32 {
    1
}
fn default_attempts() -> u32 {
    8
}

/// A profile that cannot be read; names the file and, for YAML errors, line and column.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The file cannot be read.
    #[error("failed to read target profile `{path}`: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The YAML is not a profile.
    #[error("failed to parse target profile `{path}`{location}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// `: line L, column C`, where known.
        location: String,
        /// What is wrong.
        message: String,
        /// The YAML parser's error.
        #[source]
        source: serde_yaml::Error,
    },
    /// A value is out of range.
    #[error("target profile `{path}`: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// No built-in profile of that name and no such file.
    #[error("no target `{0}`: expected a file or one of the built-in names: {builtin}", builtin = BUILTIN.join(", "))]
    Unknown(String),
}

/// Built-in profile names: `fixtures/targets/<name>.yaml`, embedded in the binary.
pub const BUILTIN: &[&str] = &[
    "reference",
    "moto",
    "cognito-local",
    "ministack",
    "fakecloud",
    "localemu",
    "cognitox",
    "aws",
];

impl Profile {
    /// A built-in name or a path.
    pub fn resolve(name_or_path: &str) -> Result<Profile, ProfileError> {
        let path = Path::new(name_or_path);
        if path.exists() {
            return Profile::load(path);
        }
        let file = format!("{name_or_path}.yaml");
        match crate::builtin::file(crate::builtin::PROFILES, &file) {
            Some(text) => {
                let mut profile = Profile::parse(text, &Path::new("fixtures/targets").join(&file))?;
                profile.source = None;
                Ok(profile)
            }
            None => Err(ProfileError::Unknown(name_or_path.to_owned())),
        }
    }

    /// Reads a profile file.
    pub fn load(path: &Path) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|source| ProfileError::Read {
            path: path.to_owned(),
            source,
        })?;
        Profile::parse(&text, path)
    }

    /// Parses profile text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Profile, ProfileError> {
        let file: ProfileFile = serde_yaml::from_str(text).map_err(|e| {
            let (location, message) = crate::yaml::error_parts(&e);
            ProfileError::Parse {
                path: path.to_owned(),
                location,
                message,
                source: e,
            }
        })?;
        let invalid = |message: String| ProfileError::Invalid {
            path: path.to_owned(),
            message,
        };
        let endpoint = match file.endpoint.as_str() {
            "embedded" => Location::Embedded,
            "aws" => Location::Aws(None),
            url if url.starts_with("http://") || url.starts_with("https://") => {
                Location::Url(url.to_owned())
            }
            other => {
                return Err(invalid(format!(
                    "endpoint `{other}` is not `embedded`, `aws` or an http(s) URL"
                )));
            }
        };
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if file.name.is_empty() || file.name.starts_with('.') || !file.name.chars().all(plain) {
            return Err(invalid(format!(
                "name `{}` is not a plain name (letters, digits, `-`, `_`, `.`, not starting with `.`): it names the report folder",
                file.name
            )));
        }
        for capability in &file.capabilities {
            if capability == "time.control" {
                return Err(invalid(format!(
                    "capabilities: `time.control` follows from `clock_control: {}`; remove it from the list",
                    file.clock_control
                )));
            }
            if !CAPABILITIES.iter().any(|(known, _)| known == capability) {
                let known: Vec<&str> = CAPABILITIES.iter().map(|(k, _)| *k).collect();
                let line = text
                    .lines()
                    .position(|l| {
                        l.split('#')
                            .next()
                            .unwrap_or("")
                            .contains(capability.as_str())
                    })
                    .map(|n| format!("line {}: ", n + 1))
                    .unwrap_or_default();
                return Err(invalid(format!(
                    "{line}capabilities: `{capability}` is not a capability mfaspec knows; the known ones are {}",
                    known.join(", ")
                )));
            }
        }
        if file.totp_window > 1 {
            return Err(invalid(format!(
                "totp_window {} is not 0 or 1",
                file.totp_window
            )));
        }
        if !(1..=30).contains(&file.max_attempts) {
            return Err(invalid(format!(
                "max_attempts {} is not between 1 and 30",
                file.max_attempts
            )));
        }
        if file.concurrency == 0 {
            return Err(invalid("concurrency must be at least 1".into()));
        }
        if let Some(version) = &file.version
            && (version.trim().is_empty() || version.chars().any(char::is_whitespace))
        {
            return Err(invalid(format!(
                "version `{version}` is empty or has spaces: write it as the target names it, e.g. 5.2.6"
            )));
        }
        match (file.provisioning, &file.existing) {
            (Provisioning::Existing, None) => {
                return Err(invalid(
                    "provisioning: existing needs `existing:` with pool_id and client_id".into(),
                ));
            }
            (Provisioning::Create, Some(_)) => {
                return Err(invalid(
                    "`existing:` is only for provisioning: existing".into(),
                ));
            }
            _ => {}
        }
        if file.sign_in == Some(SignIn::Srp) && !file.capabilities.iter().any(|c| c == "auth.srp") {
            return Err(invalid(
                "sign_in: srp needs the capability auth.srp (the target must do USER_SRP_AUTH)"
                    .into(),
            ));
        }
        if let Some(url) = &file.hosted_ui_url {
            if !file.capabilities.iter().any(|c| c == "hosted_ui") {
                return Err(invalid(
                    "hosted_ui_url needs the capability hosted_ui (the target must serve a hosted UI)".into(),
                ));
            }
            if !(url.starts_with("http://")
                || url.starts_with("https://")
                || url.starts_with("{endpoint}"))
            {
                return Err(invalid(format!(
                    "hosted_ui_url `{url}` is not an http:// or https:// URL template (nor one starting with {{endpoint}})"
                )));
            }
        }
        if let Some(mail) = &file.mail {
            if mail.command.trim().is_empty() {
                return Err(invalid("mail.command is empty: name a command that prints the newest code sent to the address it is given".into()));
            }
            let domain_ok = !mail.domain.is_empty()
                && mail
                    .domain
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !domain_ok {
                return Err(invalid(format!(
                    "mail.domain `{}` is not a domain name",
                    mail.domain
                )));
            }
        }
        if file.region == "default" && !matches!(endpoint, Location::Aws(_)) {
            return Err(invalid(
                "region: default (the AWS default chain's) is only for endpoint: aws".into(),
            ));
        }
        Ok(Profile {
            name: file.name,
            source: Some(path.display().to_string()),
            version: file.version,
            endpoint,
            region: (file.region != "default").then_some(file.region),
            provisioning: file.provisioning,
            existing: file.existing,
            capabilities: file.capabilities,
            concurrency: file.concurrency,
            clock_control: file.clock_control,
            totp_window: file.totp_window,
            max_attempts: file.max_attempts,
            replay_rule: match file.replay_rule {
                ReplayRule::Unknown => None,
                ReplayRule::SameStep => Some(crate::totp::ReplayPolicy::SameStep),
                ReplayRule::Monotonic => Some(crate::totp::ReplayPolicy::Monotonic),
            },
            sign_in: file.sign_in,
            hosted_ui_url: file.hosted_ui_url,
            mail: file.mail,
        })
    }

    /// The region requests go to, where the profile names one.
    #[must_use]
    pub fn region_or_default(&self) -> &str {
        self.region.as_deref().unwrap_or("us-east-1")
    }

    /// Whether the suite signs in with USER_SRP_AUTH.
    #[must_use]
    pub fn signs_in_with_srp(&self) -> bool {
        self.sign_in == Some(SignIn::Srp)
    }

    /// Whether the target has `capability` (`time.control` is `clock_control`).
    #[must_use]
    pub fn has(&self, capability: &str) -> bool {
        if capability == "time.control" {
            return self.clock_control;
        }
        self.capabilities.iter().any(|c| c == capability)
    }
}
