//! Deliberately broken implementations, one classic TOTP bug each: the catalogue's negative
//! controls. `mfaspec totp-adapter --broken NAME` serves one over the protocol, and
//! `tests/otpcheck.rs` checks that `totp-check` fails each (exit 1) on at least the cases
//! [`Bug::caught_by`] names — two or more independent cases per bug — while the unbroken
//! core conforms.
//!
//! Each is the RFCs' reading (the catalogue's own reference) with one thing done wrong, the
//! way real libraries have done it wrong.
//!
//! Owns: the bugs. Uses: [`super::catalogue`]'s reference, [`super::core`]'s trait.

use super::catalogue::{reference_code, reference_step};
use super::core::Implementation;
use super::protocol::{self, Answer, Kind, Request};

/// One classic bug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    /// The verifier compares only as many characters as the candidate has
    /// (`strncmp(code, candidate, strlen(candidate))`): a beginning of the code, or an empty
    /// string, is accepted.
    PrefixMatch,
    /// The verifier compares only as many characters as the code has
    /// (`strncmp(candidate, code, digits)`): the code with anything after it is accepted.
    ExtendedMatch,
    /// The verifier compares numbers, not strings: `81804`, `+81804` and ` 81804` are
    /// accepted for `081804`.
    NumericCompare,
    /// Window 0 is read as "no window given": the default (±1 step) is used instead.
    WidenWindow0,
    /// T0 is ignored.
    NoT0,
    /// The step is rounded instead of floored.
    Round,
    /// A time before the epoch is cast to an unsigned number, wrapping to a huge step.
    NegativeWrap,
    /// The counter is kept in 32 bits.
    Counter32,
    /// The time is kept in a signed 32-bit number.
    Time32,
    /// The window's lower edge wraps below step 0, to counter 2^64−1.
    Step0Wrap,
}

impl Bug {
    /// Every bug.
    pub const ALL: [Bug; 10] = [
        Bug::PrefixMatch,
        Bug::ExtendedMatch,
        Bug::NumericCompare,
        Bug::WidenWindow0,
        Bug::NoT0,
        Bug::Round,
        Bug::NegativeWrap,
        Bug::Counter32,
        Bug::Time32,
        Bug::Step0Wrap,
    ];

    /// Its name on the command line.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Bug::PrefixMatch => "prefix-match",
            Bug::ExtendedMatch => "extended-match",
            Bug::NumericCompare => "numeric-compare",
            Bug::WidenWindow0 => "widen-window-0",
            Bug::NoT0 => "no-t0",
            Bug::Round => "round",
            Bug::NegativeWrap => "negative-wrap",
            Bug::Counter32 => "counter-32",
            Bug::Time32 => "time-32",
            Bug::Step0Wrap => "step-0-wrap",
        }
    }

    /// The bug called `name`.
    pub fn parse(name: &str) -> Result<Bug, String> {
        Bug::ALL
            .into_iter()
            .find(|b| b.name() == name)
            .ok_or_else(|| {
                let names: Vec<&str> = Bug::ALL.iter().map(|b| b.name()).collect();
                format!(
                    "no broken implementation `{name}` (there are: {})",
                    names.join(", ")
                )
            })
    }

    /// Cases the catalogue must fail an implementation with this bug on (it may fail more).
    #[must_use]
    pub fn caught_by(self) -> &'static [&'static str] {
        match self {
            Bug::PrefixMatch => &[
                "verify.prefix4",
                "verify.prefix5",
                "verify.prefix_8",
                "verify.empty",
            ],
            Bug::ExtendedMatch => &["verify.extended", "verify.extended_8"],
            Bug::NumericCompare => &[
                "verify.zero_dropped",
                "verify.plus",
                "verify.space_for_zero",
            ],
            Bug::WidenWindow0 => &["verify.w0_behind", "verify.w0_ahead"],
            Bug::NoT0 => &["time.t0_44", "time.t0_big", "time.before_t0"],
            Bug::Round => &["time.t29", "time.p60_t59", "time.p60_t45"],
            Bug::NegativeWrap => &["time.negative", "time.negative_step", "time.negative_far"],
            Bug::Counter32 => &[
                "counter.c2_32",
                "counter.c2_32_plus1",
                "counter.t_c2_32",
                "counter.t_c2_32_plus",
            ],
            Bug::Time32 => &["time.y2038", "time.y2038_late"],
            Bug::Step0Wrap => &["verify.wrap", "verify.wrap_8", "verify.wrap_w2"],
        }
    }
}

/// An implementation with one [`Bug`].
#[derive(Debug, Clone, Copy)]
pub struct Broken(pub Bug);

impl Broken {
    /// The step at `time`, as this implementation computes it.
    fn step(self, period: u64, t0: u64, time: i64) -> Option<u64> {
        match self.0 {
            Bug::NoT0 => reference_step(period, 0, time),
            Bug::Round => {
                let elapsed = u64::try_from(time).ok()?.checked_sub(t0)?;
                (period > 0).then(|| (elapsed as f64 / period as f64).round() as u64)
            }
            Bug::NegativeWrap => (period > 0).then(|| (time as u64).wrapping_sub(t0) / period),
            Bug::Time32 => reference_step(period, t0, i64::from(time as i32)),
            Bug::Counter32 => reference_step(period, t0, time).map(|s| s & 0xffff_ffff),
            _ => reference_step(period, t0, time),
        }
    }

    fn code(request: &Request, counter: u64) -> Option<String> {
        reference_code(&Request {
            kind: Kind::Hotp { counter },
            ..request.clone()
        })
    }

    fn matches(self, candidate: &str, code: &str) -> bool {
        match self.0 {
            Bug::PrefixMatch => code.starts_with(candidate),
            Bug::ExtendedMatch => candidate.starts_with(code),
            Bug::NumericCompare => candidate.trim().parse::<u64>().ok() == code.parse::<u64>().ok(),
            _ => candidate == code,
        }
    }
}

impl Implementation for Broken {
    fn answer(&mut self, request: &Request) -> Answer {
        let no_code = || Answer::Reject("no code for these parameters".into());
        match request.kind {
            Kind::Hotp { counter } => {
                let counter = if self.0 == Bug::Counter32 {
                    counter & 0xffff_ffff
                } else {
                    counter
                };
                Broken::code(request, counter).map_or_else(no_code, Answer::Code)
            }
            Kind::Totp { period, t0, time } => self
                .step(period, t0, time)
                .and_then(|step| Broken::code(request, step))
                .map_or_else(no_code, Answer::Code),
            Kind::Verify {
                period,
                t0,
                time,
                window,
                ref code,
            } => {
                let Some(current) = self.step(period, t0, time) else {
                    return no_code();
                };
                let window = match window {
                    Some(0) if self.0 == Bug::WidenWindow0 => 1,
                    Some(w) => u64::from(w),
                    None => 1,
                };
                let (lowest, count) = if self.0 == Bug::Step0Wrap {
                    (current.wrapping_sub(window), 2 * window + 1)
                } else {
                    let lowest = current.saturating_sub(window);
                    (lowest, current.saturating_add(window) - lowest + 1)
                };
                let accepted = (0..count).any(|i| {
                    Broken::code(request, lowest.wrapping_add(i))
                        .is_some_and(|step_code| self.matches(code, &step_code))
                });
                Answer::Code(
                    if accepted {
                        protocol::ACCEPT
                    } else {
                        protocol::REFUSE
                    }
                    .into(),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bugs_are_named_and_parsed_back() {
        for bug in Bug::ALL {
            assert_eq!(Bug::parse(bug.name()), Ok(bug));
            assert!(bug.caught_by().len() >= 2, "{bug:?}");
        }
        assert!(Bug::parse("nope").unwrap_err().contains("prefix-match"));
    }
}
