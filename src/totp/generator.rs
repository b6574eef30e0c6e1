//! HOTP (RFC 4226) and TOTP (RFC 6238) generators over a keyed secret, and verification of
//! a code against a window of time steps. Pure: the time is always an argument.

use std::fmt;

use subtle::ConditionallySelectable;

use super::algorithm::{Algorithm, Digits};
use super::code::Code;
use super::hmac::Keyed;
use super::replay::{AlreadyUsed, ReplayMemory};
use super::secret::Secret;
use super::sha_ni;
use super::window::Window;

/// Which HMAC implementation computes SHA-1 and SHA-256 codes. SHA-512 always uses the
/// portable path (no x86 CPU we target has SHA-512 instructions).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    /// The fused SHA-NI kernels where the CPU has SHA extensions, the portable path otherwise.
    #[default]
    Detect,
    /// RustCrypto's block functions with keyed states, never the fused kernels.
    Portable,
}

impl Backend {
    /// Whether [`Backend::Detect`] runs the fused SHA-NI kernels on this CPU.
    #[must_use]
    pub fn sha_ni_available() -> bool {
        sha_ni::available()
    }
}

/// An HOTP generator (RFC 4226): a secret keyed once for its algorithm, and a digit count.
#[derive(Clone)]
pub struct Hotp {
    keyed: Keyed,
    digits: Digits,
    backend: Backend,
}

impl Hotp {
    /// Keys `secret` for `algorithm`: the HMAC key states are computed here, once.
    #[must_use]
    pub fn new(algorithm: Algorithm, secret: &Secret, digits: Digits) -> Hotp {
        Hotp::with_backend(algorithm, secret, digits, Backend::Detect)
    }

    /// As [`Hotp::new`], with the implementation chosen.
    #[must_use]
    pub fn with_backend(
        algorithm: Algorithm,
        secret: &Secret,
        digits: Digits,
        backend: Backend,
    ) -> Hotp {
        Hotp {
            keyed: Keyed::new(algorithm, secret.expose_bytes()),
            digits,
            backend,
        }
    }

    /// The code for `counter`. Allocates nothing.
    #[inline]
    #[must_use]
    pub fn code(&self, counter: u64) -> Code {
        let [code] = self.codes([counter]);
        code
    }

    /// The codes for several counters, computed interleaved where the backend can.
    #[inline]
    #[must_use]
    pub fn codes<const N: usize>(&self, counters: [u64; N]) -> [Code; N] {
        let truncated = match (&self.keyed, self.backend) {
            (Keyed::Sha1(pads), Backend::Detect) => sha_ni::sha1_truncated_one_key(pads, counters),
            (Keyed::Sha256(pads), Backend::Detect) => sha_ni::sha256_truncated([pads; N], counters),
            _ => None,
        }
        .unwrap_or_else(|| counters.map(|c| self.keyed.truncated_portable(c)));
        truncated.map(|t| Code::new(t, self.digits))
    }

    /// One code for each of several generators — many users' secrets — each at its own
    /// counter, in one call. Where every generator is SHA-1 (or every one SHA-256) on the
    /// SHA-NI kernels, the lanes run interleaved, so that each round's latency in one lane
    /// hides behind the others: a server checking many users' codes at once pays less per
    /// code than one call each (`cargo bench --bench totp`, `sha1_batch`). Otherwise each
    /// code is computed on its own. Each code has its own generator's digits.
    #[must_use]
    pub fn batch<const N: usize>(generators: [&Hotp; N], counters: [u64; N]) -> [Code; N] {
        let sha1 = generators.map(|g| match (&g.keyed, g.backend) {
            (Keyed::Sha1(pads), Backend::Detect) => Some(pads),
            _ => None,
        });
        let sha256 = generators.map(|g| match (&g.keyed, g.backend) {
            (Keyed::Sha256(pads), Backend::Detect) => Some(pads),
            _ => None,
        });
        let truncated = all_some(sha1)
            .and_then(|pads| sha_ni::sha1_truncated(pads, counters))
            .or_else(|| all_some(sha256).and_then(|pads| sha_ni::sha256_truncated(pads, counters)));
        let mut codes = [Code::new(0, Digits::SIX); N];
        for (i, code) in codes.iter_mut().enumerate() {
            let t = match truncated {
                Some(t) => t[i],
                None => generators[i].keyed.truncated_portable(counters[i]),
            };
            *code = Code::new(t, generators[i].digits);
        }
        codes
    }

    /// RFC 4226 §5.3's `Snum` for `counter`: the 31-bit value of the dynamic truncation,
    /// before it is reduced to the code's digits. A code of any length `d` is
    /// `Snum mod 10^d` (beyond 10 digits it stops changing: `Snum` < 2^31).
    #[must_use]
    pub fn truncated(&self, counter: u64) -> u32 {
        self.keyed.truncated_portable(counter)
    }

    /// The digit count of the codes.
    #[must_use]
    pub fn digits(&self) -> Digits {
        self.digits
    }

    /// The algorithm the secret is keyed for.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        match self.keyed {
            Keyed::Sha1(_) => Algorithm::Sha1,
            Keyed::Sha256(_) => Algorithm::Sha256,
            Keyed::Sha512(_) => Algorithm::Sha512,
        }
    }
}

/// `Some` of every element when none is `None`.
fn all_some<T: Copy, const N: usize>(items: [Option<T>; N]) -> Option<[T; N]> {
    let first = items.iter().flatten().next().copied()?;
    if items.iter().any(Option::is_none) {
        return None;
    }
    Some(items.map(|item| item.unwrap_or(first)))
}

impl fmt::Debug for Hotp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hotp")
            .field("algorithm", &self.algorithm())
            .field("digits", &self.digits)
            .field("key", &"<redacted>")
            .finish()
    }
}

/// The step a verified code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepMatch {
    /// The TOTP time step `T` (RFC 6238 §4) whose code matched.
    pub step: u64,
    /// `step` minus the current step: −1 for the previous step, +1 for the next.
    pub offset: i64,
}

/// Why [`Totp::verify_once`] refused a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// No step in the window has this code (Cognito: `CodeMismatchException` at sign-in,
    /// `EnableSoftwareTokenMFAException` at setup).
    #[error("the code matches no time step in the window")]
    Mismatch,
    /// The code's step was already accepted (Cognito: `ExpiredCodeException` "Your software
    /// token has already been used once.").
    #[error(transparent)]
    AlreadyUsed(#[from] AlreadyUsed),
    /// The time lies before the generator's `T0`: no step to compare with.
    #[error(transparent)]
    Time(#[from] TotpError),
}

/// Invalid TOTP parameters, or a time before `T0`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TotpError {
    /// The time step `X` is zero.
    #[error("the period must be at least 1 second")]
    ZeroPeriod,
    /// The time lies before `T0`, where RFC 6238 defines no step.
    #[error("unix time {time} lies before T0 = {t0}")]
    BeforeT0 {
        /// The time asked for.
        time: u64,
        /// The generator's `T0`.
        t0: u64,
    },
}

/// The parameters of a TOTP generator other than the secret. The default is Cognito's:
/// SHA-1, 6 digits, 30-second steps from the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TotpParams {
    /// The HMAC hash function.
    pub algorithm: Algorithm,
    /// Digits per code.
    pub digits: Digits,
    /// The time step `X`, in seconds.
    pub period: u64,
    /// `T0`, the Unix time at which step 0 starts.
    pub t0: u64,
}

impl Default for TotpParams {
    fn default() -> Self {
        TotpParams {
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
            period: 30,
            t0: 0,
        }
    }
}

/// A TOTP generator and verifier (RFC 6238).
#[derive(Clone, Debug)]
pub struct Totp {
    hotp: Hotp,
    period: u64,
    t0: u64,
    /// `period == 30`, decided once: Cognito's period takes [`div30`].
    thirty: bool,
}

/// `x / 30` as the multiply and shift a constant divisor compiles to, written out: the
/// division sits on the critical path of every code, and the optimiser, seeing `x / 30` in
/// one arm and `x / period` in the other, merges them into one hardware divide (tens of
/// cycles) with the divisor selected. `0x8888_8888_8888_8889` is ⌈2^68 / 30⌉; the product's
/// error stays below one for every `u64` (tested against `/` on the edges and at random).
#[inline(always)]
fn div30(x: u64) -> u64 {
    ((u128::from(x) * 0x8888_8888_8888_8889) >> 68) as u64
}

impl Totp {
    /// A generator for `secret` with `params`.
    pub fn new(secret: &Secret, params: TotpParams) -> Result<Totp, TotpError> {
        Totp::with_backend(secret, params, Backend::Detect)
    }

    /// As [`Totp::new`], with the implementation chosen.
    pub fn with_backend(
        secret: &Secret,
        params: TotpParams,
        backend: Backend,
    ) -> Result<Totp, TotpError> {
        if params.period == 0 {
            return Err(TotpError::ZeroPeriod);
        }
        Ok(Totp {
            hotp: Hotp::with_backend(params.algorithm, secret, params.digits, backend),
            period: params.period,
            t0: params.t0,
            thirty: params.period == 30,
        })
    }

    /// Cognito's generator: SHA-1, 6 digits, 30 seconds.
    #[must_use]
    pub fn cognito(secret: &Secret) -> Totp {
        Totp::new(secret, TotpParams::default()).expect("the default period is 30 seconds")
    }

    /// The time step `T = floor((time − T0) / X)` that `unix_time` falls in.
    pub fn step_at(&self, unix_time: u64) -> Result<u64, TotpError> {
        match unix_time.checked_sub(self.t0) {
            // Cognito's 30-second period gets a constant divisor (a multiplication): the
            // division sits on the critical path of every code.
            Some(elapsed) if self.thirty => Ok(div30(elapsed)),
            Some(elapsed) => Ok(elapsed / self.period),
            None => Err(TotpError::BeforeT0 {
                time: unix_time,
                t0: self.t0,
            }),
        }
    }

    /// The code at `unix_time`.
    pub fn code_at(&self, unix_time: u64) -> Result<Code, TotpError> {
        Ok(self.hotp.code(self.step_at(unix_time)?))
    }

    /// The codes of several generators — many users' secrets — at `unix_time`, in one call,
    /// computed interleaved where they can be ([`Hotp::batch`]). Each generator keeps its own
    /// period, `T0` and digits.
    pub fn batch_at<const N: usize>(
        generators: [&Totp; N],
        unix_time: u64,
    ) -> Result<[Code; N], TotpError> {
        let mut steps = [0u64; N];
        for (step, totp) in steps.iter_mut().zip(generators) {
            *step = totp.step_at(unix_time)?;
        }
        Ok(Hotp::batch(generators.map(|t| &t.hotp), steps))
    }

    /// The code of time step `step`.
    #[inline]
    #[must_use]
    pub fn code_for_step(&self, step: u64) -> Code {
        self.hotp.code(step)
    }

    /// The Unix time at which `step` begins.
    #[must_use]
    pub fn step_start(&self, step: u64) -> u64 {
        self.t0.saturating_add(step.saturating_mul(self.period))
    }

    /// The time step `X` in seconds.
    #[must_use]
    pub fn period(&self) -> u64 {
        self.period
    }

    /// The generator's digit count.
    #[must_use]
    pub fn digits(&self) -> Digits {
        self.hotp.digits()
    }

    /// The generator's algorithm.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.hotp.algorithm()
    }

    /// Which step inside `window` around `unix_time` has the code `code`, if any.
    ///
    /// Every candidate is computed and compared in constant time, with no early exit, so the
    /// time taken does not tell which step matched. Should two steps share the code, the
    /// nearest to the current step wins, the earlier on a tie. A code of another width never
    /// matches. Steps before 0 or past `u64::MAX` are not candidates.
    pub fn verify(
        &self,
        code: &Code,
        unix_time: u64,
        window: Window,
    ) -> Result<Option<StepMatch>, TotpError> {
        let current = self.step_at(unix_time)?;
        if window == Window::COGNITO && (1..u64::MAX).contains(&current) {
            // The common case, three candidates in one interleaved pass.
            let codes = self.hotp.codes([current - 1, current, current + 1]);
            // Branch-free: a zero test per candidate, then the priority current > previous >
            // next, all as word arithmetic. The barrier keeps the optimiser from reasoning
            // about the differences (and so from branching on them), at the cost of one
            // round trip instead of subtle's one per operation.
            let diff = std::hint::black_box(codes.map(|c| c.packed() ^ code.packed()));
            // `d | -d` has its top bit set exactly when d ≠ 0 (packed codes are < 2^31).
            let [z_prev, z_cur, z_next] = diff.map(|d| ((d | d.wrapping_neg()) >> 31) ^ 1);
            let hit_prev = z_prev & (z_cur ^ 1);
            let hit_next = z_next & (z_cur ^ 1) & (z_prev ^ 1);
            let found = z_prev | z_cur | z_next;
            // Index into [previous, current, next]: 0, 1 or 2.
            let best = (1 ^ hit_prev) + hit_next;
            return Ok((found == 1).then(|| StepMatch {
                step: current - 1 + u64::from(best),
                offset: i64::from(best) - 1,
            }));
        }
        // Any other window: candidates nearest first (0, −1, +1, −2, +2 …).
        let mut found = subtle::Choice::from(0);
        let mut best_offset: i64 = 0;
        let reach = window.behind.max(window.ahead);
        for distance in 0..=i64::from(reach) {
            let candidates = if distance == 0 {
                [Some(0), None]
            } else {
                [
                    (distance <= i64::from(window.behind)).then_some(-distance),
                    (distance <= i64::from(window.ahead)).then_some(distance),
                ]
            };
            for offset in candidates.into_iter().flatten() {
                let Some(step) = current.checked_add_signed(offset) else {
                    continue;
                };
                let hit = self.hotp.code(step).ct_eq_choice(code) & !found;
                best_offset.conditional_assign(&offset, hit);
                found |= hit;
            }
        }
        Ok(bool::from(found).then(|| StepMatch {
            step: current.saturating_add_signed(best_offset),
            offset: best_offset,
        }))
    }

    /// Verifies `code` and, if it matches, records its step in `memory`: the server side of
    /// a sign-in. A code whose step `memory` has already accepted is refused, as Cognito
    /// refuses a reused code (spec §4 B2).
    pub fn verify_once(
        &self,
        code: &Code,
        unix_time: u64,
        window: Window,
        memory: &mut ReplayMemory,
    ) -> Result<StepMatch, Rejection> {
        let matched = self
            .verify(code, unix_time, window)?
            .ok_or(Rejection::Mismatch)?;
        memory.accept(matched.step)?;
        Ok(matched)
    }
}

#[cfg(test)]
mod div30_tests {
    use super::div30;

    #[test]
    fn div30_is_division_by_30() {
        let edges = [
            0,
            1,
            29,
            30,
            31,
            59,
            60,
            u64::MAX,
            u64::MAX - 1,
            u64::MAX - 29,
        ];
        for x in edges
            .into_iter()
            .chain((0..200_000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)))
        {
            assert_eq!(div30(x), x / 30, "{x}");
            let near = x - x % 30;
            for y in [near, near.saturating_sub(1), near.saturating_add(29)] {
                assert_eq!(div30(y), y / 30, "{y}");
            }
        }
    }
}
