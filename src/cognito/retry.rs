//! How throttled and failed calls are retried, and which failures are.
//!
//! Owns: the retry policy. Uses: [`super::error`], [`crate::vocabulary`].

use std::time::Duration;

use super::error::{CognitoError, ErrorKind};
use crate::vocabulary::Exception;

/// How throttled and failed calls are retried: exponential backoff with full jitter
/// (AWS's "standard" retry mode), inside the client, never by re-running a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included.
    pub max_attempts: u32,
    /// The first backoff's upper bound.
    pub base: Duration,
    /// No backoff is longer.
    pub cap: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base: Duration::from_millis(50),
            cap: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (1-based): uniform in [0, min(cap, base·2^(retry−1))].
    #[must_use]
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base
            .saturating_mul(1u32 << retry.saturating_sub(1).min(20))
            .min(self.cap);
        ceiling.mul_f64(rand::random::<f64>())
    }
}

impl CognitoError {
    /// Throttling (`TooManyRequestsException`, `LimitExceededException`, `ThrottlingException`)
    /// or a server-side failure (`InternalErrorException`, HTTP 500/502/503/504) — what the
    /// AWS SDKs retry. An emulator's "unsupported" answer is not retried.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        retryable_kind(&self.kind)
            || (matches!(self.http_status, 500 | 502 | 503 | 504) && !self.is_unsupported())
    }

    /// Whether the harness's own guard refused the call (see [`super::Ledger`]).
    #[must_use]
    pub fn is_refused(&self) -> bool {
        self.kind == ErrorKind::Refused
    }
}

/// Whether an error says "throttled" or "failed inside the service".
pub(super) fn retryable_kind(kind: &ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::Exception(
            Exception::TooManyRequests
                | Exception::LimitExceeded
                | Exception::Throttling
                | Exception::InternalError
        )
    )
}
