//! [`RunError`]: a run that could not happen — a configuration or harness error (exit 2), or
//! an interrupted run (130/143, after its cleanup). Each variant says what and where, and
//! how to fix it where there is a fix.

use std::path::PathBuf;

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
    #[error("{0}")]
    Setup(String),
    /// `--record DIR` cannot be written.
    #[error("--record `{path}` cannot be written: {source}")]
    Record {
        /// The folder.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A bad tag expression.
    #[error("invalid tag expression `{0}`")]
    Tags(String),
    /// The embedded endpoint did not start.
    #[error("starting the reference endpoint: {0}")]
    Embedded(String),
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
