//! The harness's authenticator app: it holds a scenario's secret and hands out the code a
//! scenario asks for — fresh, from a neighbouring step, stale, already used, or wrong — and
//! never reuses a code by accident. Pure: the time is always an argument; the steps decide
//! whether to wait or to move a clock-controlled target's clock.

use std::collections::HashSet;
use std::fmt;

use crate::totp::{Base32Error, Code, Secret, Totp};

/// Seconds before a step boundary inside which no code is handed out for a target whose
/// clock cannot be moved: the request could reach the server in the next step.
pub const BOUNDARY_MARGIN_S: u64 = 3;

/// A phone with one TOTP secret, set up from Cognito's `SecretCode`.
pub struct Phone {
    totp: Totp,
    used: HashSet<u64>,
    last: Option<u64>,
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Phone")
            .field("secret", &"<redacted>")
            .field("used_steps", &self.used.len())
            .finish()
    }
}

impl Phone {
    /// Sets up the phone with a `SecretCode` (Base32, time-based, SHA-1, 6 digits, 30 s).
    pub fn from_secret_code(secret_code: &str) -> Result<Phone, Base32Error> {
        Ok(Phone {
            totp: Totp::cognito(&Secret::from_base32(secret_code)?),
            used: HashSet::new(),
            last: None,
        })
    }

    /// Seconds until `now_s` is safely inside a step: 0 unless the boundary is closer than
    /// [`BOUNDARY_MARGIN_S`].
    #[must_use]
    pub fn wait_before_code(now_s: u64) -> u64 {
        let left = 30 - now_s % 30;
        if left <= BOUNDARY_MARGIN_S {
            left + 1
        } else {
            0
        }
    }

    fn step(&self, now_s: u64) -> u64 {
        self.totp.step_at(now_s).unwrap_or(0)
    }

    fn take(&mut self, step: u64) -> Code {
        self.used.insert(step);
        self.last = Some(step);
        self.totp.code_for_step(step)
    }

    /// A code the server has not seen: the current step's if unused, else the next or the
    /// previous step's (both inside Cognito's ±1 window), else `None`: the scenario must
    /// wait for (or move the clock to) a new step.
    pub fn fresh(&mut self, now_s: u64) -> Option<Code> {
        let c = self.step(now_s);
        let used_codes: HashSet<u32> = self
            .used
            .iter()
            .map(|&s| self.totp.code_for_step(s).value())
            .collect();
        let pick = [c, c + 1, c.saturating_sub(1)].into_iter().find(|s| {
            !self.used.contains(s) && !used_codes.contains(&self.totp.code_for_step(*s).value())
        })?;
        Some(self.take(pick))
    }

    /// The current step's code only, if unused (for targets without a skew window).
    pub fn current(&mut self, now_s: u64) -> Option<Code> {
        let c = self.step(now_s);
        (!self.used.contains(&c)).then(|| self.take(c))
    }

    /// The code `offset` steps from now (−1: previous, +1: next, −3: three steps old).
    pub fn at_offset(&mut self, now_s: u64, offset: i64) -> Code {
        let step = self.step(now_s).saturating_add_signed(offset);
        self.take(step)
    }

    /// The code handed out last (to replay it), if any.
    #[must_use]
    pub fn last_code(&self) -> Option<Code> {
        self.last.map(|s| self.totp.code_for_step(s))
    }

    /// A six-digit code that matches no step within ±3 of now.
    #[must_use]
    pub fn wrong(&self, now_s: u64) -> Code {
        let c = self.step(now_s);
        let near: HashSet<u32> = (c.saturating_sub(3)..=c + 3)
            .map(|s| self.totp.code_for_step(s).value())
            .collect();
        let value = (0u32..)
            .map(|n| (n * 7919 + 123_457) % 1_000_000)
            .find(|v| !near.contains(v))
            .unwrap_or(0);
        Code::new(value, crate::totp::Digits::SIX)
    }
}
