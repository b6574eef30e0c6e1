//! The run's secret registry: every secret the harness handles is registered, and nothing it
//! shows (logs, reports, errors) holds one; and the scrubbing of tokens from text.
//!
//! Owns: the registry. Uses nothing of the crate.

use std::collections::HashSet;
use std::fmt;
use std::sync::Mutex;

/// The secrets one run has handled (passwords, SecretCodes, sessions, tokens): every text
/// the harness shows is scrubbed of them, because some targets echo them in error messages.
/// Owned by the run's [`super::Client`] (and its clones), never process-wide: two runs in one
/// process keep their own.
#[derive(Default)]
pub struct Secrets(Mutex<HashSet<String>>);

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secrets(<{} redacted>)", self.lock().len())
    }
}

impl Secrets {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Remembers `secret` so that [`Secrets::scrub`] removes it from any text shown.
    pub fn register(&self, secret: &str) {
        if secret.len() >= 6 {
            self.lock().insert(secret.to_owned());
        }
    }

    /// Whether `value` is one of the registered secrets.
    #[must_use]
    pub fn contains(&self, value: &str) -> bool {
        self.lock().contains(value)
    }

    /// `text` without the registered secrets, nor anything token-shaped ([`scrub_tokens`]).
    #[must_use]
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in self.lock().iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), "<redacted>");
            }
        }
        scrub_tokens(&out)
    }
}

/// `text` with every JWT-shaped run, and every opaque run of 40 or more token characters
/// (sessions, refresh tokens), replaced by `<redacted>`: what needs no registry.
#[must_use]
pub fn scrub_tokens(out: &str) -> String {
    let token_char =
        |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '=' | '+' | '/');
    let mut result = String::with_capacity(out.len());
    let mut run = String::new();
    let flush = |run: &mut String, result: &mut String| {
        if run.len() >= 40 || (run.starts_with("eyJ") && run.len() >= 20) {
            result.push_str("<redacted>");
        } else {
            result.push_str(run);
        }
        run.clear();
    };
    for c in out.chars() {
        if token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut result);
            result.push(c);
        }
    }
    flush(&mut run, &mut result);
    result
}
