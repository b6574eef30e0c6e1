//! A call's failure, normalised: an [`ErrorKind`] (a vocabulary [`Exception`], a name the
//! vocabulary does not know, or one of the harness's own failures), the message and the HTTP
//! status; and which failures are retried.
//!
//! Owns: the error. Uses: [`crate::vocabulary`].

use std::fmt;

use crate::vocabulary::Exception;

/// What went wrong with a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The target answered with an exception the vocabulary knows.
    Exception(Exception),
    /// The target answered with an exception name the vocabulary does not know (an
    /// emulator's own, such as cognito-local's `Unsupported`).
    Other(String),
    /// No answer arrived (connection refused, reset, timed out).
    Transport,
    /// The request could not be signed (no AWS credentials, no region).
    Signing,
    /// mfaspec's own guard refused to send it (see [`super::Ledger`]).
    Refused,
    /// The reference endpoint's control protocol did not answer as asked.
    Control,
}

impl ErrorKind {
    /// An exception name as the target wrote it (`__type` without any Smithy namespace).
    #[must_use]
    pub fn from_name(name: &str) -> ErrorKind {
        name.parse()
            .map_or_else(|()| ErrorKind::Other(name.to_owned()), ErrorKind::Exception)
    }

    /// The vocabulary's exception, if it is one.
    #[must_use]
    pub fn exception(&self) -> Option<Exception> {
        match self {
            ErrorKind::Exception(e) => Some(*e),
            _ => None,
        }
    }

    /// The exception's name, or the harness failure's.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            ErrorKind::Exception(e) => e.name(),
            ErrorKind::Other(name) => name,
            ErrorKind::Transport => "TransportError",
            ErrorKind::Signing => "SigningError",
            ErrorKind::Refused => "MfaspecRefused",
            ErrorKind::Control => "ControlError",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq<Exception> for ErrorKind {
    fn eq(&self, other: &Exception) -> bool {
        *self == ErrorKind::Exception(*other)
    }
}

/// A Cognito error answer, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CognitoError {
    /// What kind of error.
    pub kind: ErrorKind,
    /// The `message` (or `Message`).
    pub message: String,
    /// The HTTP status; 0 when no answer arrived.
    pub http_status: u16,
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (HTTP {}): {}",
            self.kind, self.http_status, self.message
        )
    }
}

impl std::error::Error for CognitoError {}

impl CognitoError {
    /// Whether the target says it does not support the call — an emulator's own answer for
    /// a feature it lacks (cognito-local: `Unsupported`, "Cognito Local unsupported feature").
    /// Cognito's UnsupportedOperationException is a modelled error, not this.
    #[must_use]
    pub fn is_unsupported(&self) -> bool {
        self.kind == ErrorKind::Other("Unsupported".into())
            || self.message.contains("unsupported feature")
    }
}
