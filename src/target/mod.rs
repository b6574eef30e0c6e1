//! Target profiles: where a run sends its requests and what that target can do. Profiles are
//! YAML (`fixtures/targets/<name>.yaml`, or any file); they name where credentials come from,
//! never the credentials. Knows nothing of Gherkin or of the endpoint's internals.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Where the endpoint is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// Start mfaspec's reference endpoint in-process on a free loopback port.
    Embedded,
    /// An endpoint that is already running.
    Url(String),
}

/// How the run gets pools and app clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provisioning {
    /// A fresh pool per scenario.
    Create,
    /// Given pool and app client ids (issue 6).
    Existing,
}

/// A loaded target profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// The profile's name.
    pub name: String,
    /// Where requests go.
    pub endpoint: Endpoint,
    /// The region in requests.
    pub region: String,
    /// How pools are provisioned.
    pub provisioning: Provisioning,
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfileFile {
    name: String,
    endpoint: String,
    #[serde(default = "default_region")]
    region: String,
    #[serde(default = "default_provisioning")]
    provisioning: Provisioning,
    #[serde(default)]
    capabilities: Vec<String>,
    #[serde(default = "default_concurrency")]
    concurrency: usize,
    #[serde(default)]
    clock_control: bool,
    #[serde(default = "default_window")]
    totp_window: u32,
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

/// Built-in profile names, resolved to `fixtures/targets/<name>.yaml`.
pub const BUILTIN: &[&str] = &["reference", "moto", "cognito-local", "ministack"];

/// The folder of the built-in profiles.
#[must_use]
pub fn builtin_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/targets")
}

impl Profile {
    /// A built-in name or a path.
    pub fn resolve(name_or_path: &str) -> Result<Profile, ProfileError> {
        let path = Path::new(name_or_path);
        if path.exists() {
            return Profile::load(path);
        }
        if BUILTIN.contains(&name_or_path) {
            return Profile::load(&builtin_dir().join(format!("{name_or_path}.yaml")));
        }
        Err(ProfileError::Unknown(name_or_path.to_owned()))
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
        let file: ProfileFile = serde_yaml::from_str(text).map_err(|e| ProfileError::Parse {
            path: path.to_owned(),
            location: e
                .location()
                .map(|l| format!(": line {}, column {}", l.line(), l.column()))
                .unwrap_or_default(),
            message: e
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or("")
                .to_owned(),
        })?;
        let invalid = |message: String| ProfileError::Invalid {
            path: path.to_owned(),
            message,
        };
        let endpoint = match file.endpoint.as_str() {
            "embedded" => Endpoint::Embedded,
            url if url.starts_with("http://") || url.starts_with("https://") => {
                Endpoint::Url(url.to_owned())
            }
            other => {
                return Err(invalid(format!(
                    "endpoint `{other}` is neither `embedded` nor an http(s) URL"
                )));
            }
        };
        if file.totp_window > 1 {
            return Err(invalid(format!(
                "totp_window {} is not 0 or 1",
                file.totp_window
            )));
        }
        if file.concurrency == 0 {
            return Err(invalid("concurrency must be at least 1".into()));
        }
        Ok(Profile {
            name: file.name,
            endpoint,
            region: file.region,
            provisioning: file.provisioning,
            capabilities: file.capabilities,
            concurrency: file.concurrency,
            clock_control: file.clock_control,
            totp_window: file.totp_window,
        })
    }

    /// Whether the target has `capability`.
    #[must_use]
    pub fn has(&self, capability: &str) -> bool {
        self.capabilities.iter().any(|c| c == capability)
    }
}
