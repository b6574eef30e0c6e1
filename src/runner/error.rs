//! [`RunError`]: a run that could not happen — a configuration or harness error (exit 2), or
//! an interrupted run (130/143, after its cleanup). Each variant says what and where, and
//! how to fix it where there is a fix.

use std::path::PathBuf;

use crate::cognito::CognitoError;
use crate::exit::Exit;
use crate::features::FeatureError;
use crate::target::ProfileError;

/// A run that could not happen: exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// A bad target profile.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// A bad expectations file.
    #[error("failed to parse expectations `{path}`{location}: {message}")]
    Expectations {
        /// The file.
        path: PathBuf,
        /// `: line L, column C`.
        location: String,
        /// What is wrong.
        message: String,
        /// The reader's or the parser's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A feature file that cannot run.
    #[error(transparent)]
    Features(#[from] FeatureError),
    /// Steps that match no step definition, or more than one.
    #[error("{} step(s) of the features match no step definition or more than one:\n  {}", .0.len(), .0.join("\n  "))]
    Steps(Vec<String>),
    /// Bad command-line input.
    #[error("{0}")]
    Usage(String),
    /// The endpoint answers, but not as the profile says it should: a mistaken setup.
    #[error(transparent)]
    Setup(Box<SetupError>),
    /// `--record DIR` cannot be written.
    #[error("--record `{path}` cannot be written: {source}")]
    Record {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// `--profile-claim` names no profile.
    #[error(transparent)]
    Claim(#[from] crate::claim::ClaimError),
    /// A bad tag expression.
    #[error("invalid tag expression `{0}`")]
    Tags(String),
    /// The embedded endpoint did not start.
    #[error("starting the reference endpoint: {0}")]
    Embedded(#[source] crate::reference::StartError),
    /// The endpoint does not answer.
    #[error("the endpoint {endpoint} does not answer: {message}")]
    Unreachable {
        /// The URL.
        endpoint: String,
        /// What went wrong.
        message: String,
    },
    /// The run was interrupted (Ctrl-C, SIGTERM); what it had created is deleted.
    #[error("interrupted by {signal}: {}", cleanup_note(.deleted, .left))]
    Interrupted {
        /// `SIGINT` or `SIGTERM`.
        signal: &'static str,
        /// [`Exit::Interrupted`] (SIGINT) or [`Exit::Terminated`] (SIGTERM).
        exit: Exit,
        /// What the cleanup deleted.
        deleted: Vec<String>,
        /// What it could not delete (with why), to remove by hand or with `mfaspec cleanup`.
        left: Vec<String>,
    },
    /// A request could not be signed (the credentials the chain found do not work).
    #[error("{0}")]
    Signing(String),
    /// The target cannot be reached as it is: the embedded endpoint outside a run, or no AWS
    /// credentials to sign with.
    #[error(transparent)]
    Target(#[from] crate::target::TargetError),
    /// Reports could not be written.
    #[error("writing reports to `{path}`: {source}")]
    Reports {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

impl RunError {
    /// 130 or 143 for an interrupted run, else 2.
    #[must_use]
    pub fn exit_code(&self) -> Exit {
        match self {
            RunError::Interrupted { exit, .. } => *exit,
            _ => Exit::Error,
        }
    }
}

fn cleanup_note(deleted: &[String], left: &[String]) -> String {
    let mut note = if deleted.is_empty() {
        "nothing of this run was left to delete".to_owned()
    } else {
        format!("deleted {}", deleted.join(", "))
    };
    if !left.is_empty() {
        note.push_str(&format!(
            "; COULD NOT DELETE {} (remove with `mfaspec cleanup`)",
            left.join(", ")
        ));
    }
    note
}

/// What to check when an endpoint is not what a Cognito URL should be.
const CHECK_THE_URL: &str =
    "check the URL: it is the service's root, such as http://127.0.0.1:9339, with no path";

/// The endpoint answers, but not as the profile says it should: a mistaken setup, found before
/// any scenario runs (exit 2). Each says what to change; a Cognito answer behind it is its
/// source.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// ListUserPools was answered with something that is not Cognito's.
    #[error(
        "the endpoint {url} is not Cognito-compatible: it answered ListUserPools with HTTP {status} and {body}; {CHECK_THE_URL}"
    )]
    NotCognito {
        /// The endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// A secret-free description of the body.
        body: String,
    },
    /// ListUserPools is an unknown operation there.
    #[error("the endpoint {url} does not know ListUserPools ({}: {}): it is not a Cognito endpoint, or the URL has a path; {CHECK_THE_URL}", .source.kind, .source.message)]
    UnknownOperation {
        /// The endpoint.
        url: String,
        /// Its answer.
        source: CognitoError,
    },
    /// The endpoint refused the credentials.
    #[error("the endpoint {url} refused mfaspec's credentials ({}: {}): check the AWS credentials and region the profile uses", .source.kind, .source.message)]
    CredentialsRefused {
        /// The endpoint.
        url: String,
        /// Its answer.
        source: CognitoError,
    },
    /// An emulator's profile points at mfaspec's own endpoint.
    #[error(
        "target `{target}` is an emulator, but {url} is mfaspec's own reference endpoint (`mfaspec serve`): start {target} there, or run --target reference"
    )]
    EmulatorIsReference {
        /// The target.
        target: String,
        /// The endpoint.
        url: String,
    },
    /// The profile wants clock control; the mfaspec serve there has none.
    #[error(
        "target `{target}` wants clock control ({profile}: clock_control: true), but the mfaspec serve at {url} was started without it: restart it as `mfaspec serve --clock-control`, or set clock_control: false"
    )]
    ServeWithoutClockControl {
        /// The target.
        target: String,
        /// Where the profile comes from.
        profile: String,
        /// The endpoint.
        url: String,
    },
    /// The profile wants clock control from an endpoint that is not mfaspec's.
    #[error(
        "target `{target}` says clock_control: true ({profile}), but {url} has no clock control: only `mfaspec serve --clock-control` has it; set clock_control: false for this target"
    )]
    NoClockControl {
        /// The target.
        target: String,
        /// Where the profile comes from.
        profile: String,
        /// The endpoint.
        url: String,
    },
    /// The clock could not be frozen.
    #[error("the profile says clock_control, but {url}: {}", .source.message)]
    ClockRefused {
        /// The endpoint.
        url: String,
        /// Its answer.
        source: CognitoError,
    },
    /// The existing pool cannot be read.
    #[error("{profile}: existing.pool_id `{pool_id}` cannot be read in {region} ({}: {}): check the pool id and the region", .source.kind, .source.message)]
    PoolUnreadable {
        /// Where the profile comes from.
        profile: String,
        /// The pool.
        pool_id: String,
        /// The region asked.
        region: String,
        /// The answer.
        source: CognitoError,
    },
    /// The existing app client cannot be read.
    #[error("{profile}: existing.client_id `{client_id}` cannot be read in pool {pool_id} ({}: {}): check the app client id", .source.kind, .source.message)]
    ClientUnreadable {
        /// Where the profile comes from.
        profile: String,
        /// The app client.
        client_id: String,
        /// The pool.
        pool_id: String,
        /// The answer.
        source: CognitoError,
    },
    /// The app client has a secret the profile does not say where to find.
    #[error(
        "{profile}: app client `{client_id}` has a secret: name the environment variable that holds it in existing.client_secret_env"
    )]
    SecretNotNamed {
        /// Where the profile comes from.
        profile: String,
        /// The app client.
        client_id: String,
    },
    /// The variable that should hold the secret is not set.
    #[error(
        "{profile}: existing.client_secret_env names `{variable}`, which is not set: export the app client's secret in it"
    )]
    SecretUnset {
        /// Where the profile comes from.
        profile: String,
        /// The variable.
        variable: String,
    },
    /// `sign_in: srp` with an app client that does not allow it.
    #[error(
        "{profile}: sign_in: srp, but app client `{client_id}` does not allow ALLOW_USER_SRP_AUTH (it allows {allowed})"
    )]
    SrpNotAllowed {
        /// Where the profile comes from.
        profile: String,
        /// The app client.
        client_id: String,
        /// The flows it allows.
        allowed: String,
    },
    /// `sign_in: password` with an app client that allows no password flow.
    #[error(
        "{profile}: sign_in: password, but app client `{client_id}` allows neither ALLOW_USER_PASSWORD_AUTH nor ALLOW_ADMIN_USER_PASSWORD_AUTH (it allows {allowed})"
    )]
    PasswordNotAllowed {
        /// Where the profile comes from.
        profile: String,
        /// The app client.
        client_id: String,
        /// The flows it allows.
        allowed: String,
    },
    /// An app client that allows only SRP, on a profile without `auth.srp`.
    #[error(
        "{profile}: app client `{client_id}` allows only ALLOW_USER_SRP_AUTH of the sign-in flows: add the capability auth.srp so that the suite signs in with it"
    )]
    OnlySrp {
        /// Where the profile comes from.
        profile: String,
        /// The app client.
        client_id: String,
    },
    /// An app client that allows no flow mfaspec signs in with.
    #[error(
        "{profile}: app client `{client_id}` allows none of the flows mfaspec signs in with (ALLOW_USER_SRP_AUTH, ALLOW_USER_PASSWORD_AUTH, ALLOW_ADMIN_USER_PASSWORD_AUTH; it allows {allowed}): no scenario could sign in"
    )]
    NoSignInFlow {
        /// Where the profile comes from.
        profile: String,
        /// The app client.
        client_id: String,
        /// The flows it allows.
        allowed: String,
    },
}

impl From<SetupError> for RunError {
    fn from(e: SetupError) -> Self {
        RunError::Setup(Box::new(e))
    }
}
