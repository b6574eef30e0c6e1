//! From a finished scenario to its outcome and reason, before expectations apply: a pure
//! function, tested case by case.
//!
//! Owns: the rules that make a failure `n/a` or a harness `error`, and the wording of a
//! pass's reason (a probe's observations, retries). Uses: [`crate::outcome`] only.

use crate::outcome::{LastCall, Outcome, plural};

/// How cucumber says the scenario ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Every step passed.
    Passed,
    /// A step failed, with its message.
    Failed(String),
    /// A step matched no definition (the run's preflight rules this out).
    Undefined,
    /// The scenario could not start (its World could not be made).
    HookFailed(String),
}

/// What the runner knows of a finished scenario.
#[derive(Debug, Clone, Copy)]
pub struct Finished<'a> {
    /// How it ended.
    pub ending: &'a Ending,
    /// Its last call, if it made one.
    pub last_call: Option<&'a LastCall>,
    /// Set by a step that found the target, as configured, cannot run the scenario (an
    /// existing pool whose configuration differs), right before it failed.
    pub declared_not_applicable: Option<&'a str>,
    /// What a `@probe` saw.
    pub observations: &'a [String],
    /// Calls retried after throttling or a server error.
    pub retries: u32,
}

/// cucumber's wrapping of a step's error message, which says nothing a reader needs.
const CUCUMBER_PREFIX: &str = "Step panicked. Captured output: ";

/// The outcome and reason of a finished scenario.
#[must_use]
pub fn classify(finished: &Finished<'_>) -> (Outcome, Option<String>) {
    match finished.ending {
        Ending::Passed => {
            let reason = if !finished.observations.is_empty() {
                // A @probe asserts nothing; what it saw is its result.
                Some(format!("observed: {}", finished.observations.join("; ")))
            } else if finished.retries > 0 {
                Some(format!(
                    "passed after {}",
                    plural(finished.retries as usize, "retried call")
                ))
            } else {
                None
            };
            (Outcome::Pass, reason)
        }
        Ending::Failed(message) => {
            if let Some(why) = finished.declared_not_applicable {
                return (Outcome::NotApplicable, Some(why.to_owned()));
            }
            match finished.last_call {
                Some(LastCall::Unsupported(what)) => (
                    Outcome::NotApplicable,
                    Some(format!("the target does not support {what}")),
                ),
                Some(LastCall::Refused(why)) => (Outcome::NotApplicable, Some(why.clone())),
                Some(LastCall::Answered) | None => {
                    let message = message.strip_prefix(CUCUMBER_PREFIX).unwrap_or(message);
                    (Outcome::Fail, Some(message.trim().to_owned()))
                }
            }
        }
        Ending::Undefined => (
            Outcome::Error,
            Some("a step matched no step definition".to_owned()),
        ),
        Ending::HookFailed(why) => (
            Outcome::Error,
            Some(format!("the scenario could not start: {why}")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finished<'a>(ending: &'a Ending, last_call: Option<&'a LastCall>) -> Finished<'a> {
        Finished {
            ending,
            last_call,
            declared_not_applicable: None,
            observations: &[],
            retries: 0,
        }
    }

    #[test]
    fn a_pass_is_a_pass_with_retries_or_observations_as_its_reason() {
        let passed = Ending::Passed;
        assert_eq!(classify(&finished(&passed, None)), (Outcome::Pass, None));
        let retried = Finished {
            retries: 1,
            ..finished(&passed, None)
        };
        assert_eq!(
            classify(&retried).1.as_deref(),
            Some("passed after 1 retried call")
        );
        let observations = ["Q1: tokens".to_owned()];
        let probe = Finished {
            observations: &observations,
            retries: 3,
            ..finished(&passed, None)
        };
        assert_eq!(classify(&probe).1.as_deref(), Some("observed: Q1: tokens"));
    }

    #[test]
    fn a_failure_is_n_a_only_when_its_own_call_was_unsupported_or_refused() {
        let failed = Ending::Failed(format!("{CUCUMBER_PREFIX}expected SUCCESS"));
        let unsupported = LastCall::Unsupported("AdminSetUserMFAPreference: unsupported".into());
        assert_eq!(
            classify(&finished(&failed, Some(&unsupported))),
            (
                Outcome::NotApplicable,
                Some("the target does not support AdminSetUserMFAPreference: unsupported".into())
            )
        );
        let refused = LastCall::Refused("would change the existing pool".into());
        assert_eq!(
            classify(&finished(&failed, Some(&refused))).0,
            Outcome::NotApplicable
        );
        // An earlier call was unsupported, but the scenario went on: the call that failed was
        // answered, so this is a failure (the World then holds `Answered` as its last call).
        assert_eq!(
            classify(&finished(&failed, Some(&LastCall::Answered))),
            (Outcome::Fail, Some("expected SUCCESS".into()))
        );
        assert_eq!(classify(&finished(&failed, None)).0, Outcome::Fail);
        let declared = Finished {
            declared_not_applicable: Some("the pool's MFA is OFF"),
            ..finished(&failed, Some(&LastCall::Answered))
        };
        assert_eq!(
            classify(&declared),
            (Outcome::NotApplicable, Some("the pool's MFA is OFF".into()))
        );
    }

    #[test]
    fn undefined_steps_and_failed_starts_are_harness_errors() {
        assert_eq!(
            classify(&finished(&Ending::Undefined, None)).0,
            Outcome::Error
        );
        let hook = Ending::HookFailed("no context".into());
        assert_eq!(
            classify(&finished(&hook, None)),
            (
                Outcome::Error,
                Some("the scenario could not start: no context".into())
            )
        );
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "scenario"), "1 scenario");
        assert_eq!(plural(0, "scenario"), "0 scenarios");
        assert_eq!(plural(2, "time"), "2 times");
    }
}
