//! What a run found: each scenario's [`Outcome`], the run's [`Summary`] (what
//! `outcomes.json` holds) and the exit code it comes to; and [`LastCall`], what the steps
//! note of each call for the outcome's sake. Below both the runner, which makes
//! outcomes, and the report layer, which renders them; imports neither.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::exit::Exit;

/// A scenario's outcome (docs/architecture.md, "Outcomes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Behaved as documented.
    Pass,
    /// Deviated, and the target's expectations do not list it.
    Fail,
    /// Deviated, as the expectations list.
    Xfail,
    /// Listed as expected to fail, but passed.
    Xpass,
    /// The target lacks a capability the scenario needs.
    #[serde(rename = "n/a")]
    NotApplicable,
    /// The harness could not run it.
    Error,
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Xfail => "xfail",
            Outcome::Xpass => "xpass",
            Outcome::NotApplicable => "n/a",
            Outcome::Error => "error",
        })
    }
}

/// How the last call of a scenario was answered, as far as its outcome cares. The step that
/// fails right after an `Unsupported` or `Refused` call failed because of that call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastCall {
    /// The target answered that it does not support the operation or a parameter of it
    /// (`what` names the operation and the target's words).
    Unsupported(String),
    /// mfaspec's own guard refused it: it would change a pool the run must not change.
    Refused(String),
    /// Any other answer: the scenario judges it.
    Answered,
}

/// `1 scenario`, `2 scenarios`: how the console and the reasons count.
#[must_use]
pub fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// One scenario's result, as `outcomes.json` holds it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ScenarioOutcome {
    /// `@id`, with the Examples row for an outline.
    pub id: String,
    /// The feature file's stem (`walkthrough` for `features/walkthrough.feature`).
    #[serde(default)]
    pub feature: String,
    /// The scenario's name.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why (the failure, the missing capability, the expectation's reason).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Retries its calls needed (throttling, server errors): a pass with retries is a pass,
    /// reported as such.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub retries: u32,
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if takes a reference
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The result of a run.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    /// The target profile's name.
    pub target: String,
    /// The target's version (the profile's `version:`, `--target-version`, or this build's
    /// for the embedded endpoint); absent when unknown (AWS itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_version: Option<String>,
    /// Every selected scenario.
    pub scenarios: Vec<ScenarioOutcome>,
    /// Expectation entries that matched no scenario of the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stale_expectations: Vec<String>,
    /// The expectations file applied (`fixtures/expectations/<target>.yaml` for a built-in
    /// one), if any: where to add an entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expectations: Option<String>,
    /// The profile file, for a target that is not built in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_source: Option<String>,
    /// `--endpoint`, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Where the reports were written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_dir: Option<String>,
    /// Wall time of the run, seconds.
    pub wall_seconds: f64,
    /// Retries the client made in all (throttling, server errors).
    #[serde(default)]
    pub retries: u64,
    /// Times the phone waited for a fresh TOTP step against a real clock, and how long.
    #[serde(default)]
    pub code_waits: u64,
    /// See `code_waits`, in seconds.
    #[serde(default)]
    pub code_wait_seconds: f64,
    /// Whether the run moved the target's clock instead of waiting (the reference endpoint).
    #[serde(default)]
    pub clock_controlled: bool,
    /// How the suite signed in where a scenario is not about the flow itself: `password` or
    /// `srp` (USER_SRP_AUTH); absent when nothing ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_in: Option<String>,
    /// Resources kept on purpose (`--keep-on-fail`), described.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<String>,
    /// Resources the end-of-run cleanup had to delete (what the scenarios left: a lost
    /// answer, an interrupted scenario), described.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub swept: Vec<String>,
    /// Resources the cleanup could not delete, with why: a harness error (exit 2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaked: Vec<String>,
    /// Each conformance profile's verdict over this run (`crate::claim`); a claimed one that
    /// is not met fails the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<ProfileVerdict>,
}

/// Whether a run met a conformance profile: every one of its scenarios ran and passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileVerdict {
    /// The profile's name.
    pub name: String,
    /// Whether the run claimed it (`--profile-claim`).
    #[serde(default)]
    pub claimed: bool,
    /// Whether every scenario of it passed.
    pub met: bool,
    /// How many scenarios it has.
    pub scenarios: usize,
    /// How many of them the run selected (the others are `not run`).
    #[serde(default)]
    pub selected: usize,
    /// How many of them passed.
    pub passed: usize,
    /// The first of those that did not pass (`scenarios - passed` in all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_passing: Vec<Shortfall>,
}

/// A scenario that keeps a profile from being met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    /// The scenario.
    pub id: String,
    /// Its outcome, or `not run` when the run left it out.
    pub outcome: String,
}

impl Summary {
    /// The documented exit code.
    #[must_use]
    pub fn exit_code(&self) -> Exit {
        let ran = self
            .scenarios
            .iter()
            .any(|s| s.outcome != Outcome::NotApplicable);
        if self.scenarios.iter().any(|s| s.outcome == Outcome::Error) || !self.leaked.is_empty() {
            Exit::Error
        } else if self
            .scenarios
            .iter()
            .any(|s| matches!(s.outcome, Outcome::Fail | Outcome::Xpass))
            || !self.stale_expectations.is_empty()
            || self.profiles.iter().any(|p| p.claimed && !p.met)
        {
            Exit::Failures
        } else if !ran {
            Exit::NothingSelected
        } else {
            Exit::Success
        }
    }

    /// How many scenarios ran (every outcome but n/a).
    #[must_use]
    pub fn ran(&self) -> usize {
        self.scenarios
            .iter()
            .filter(|s| s.outcome != Outcome::NotApplicable)
            .count()
    }

    /// Counts by outcome.
    #[must_use]
    pub fn counts(&self) -> BTreeMap<Outcome, usize> {
        let mut counts = BTreeMap::new();
        for s in &self.scenarios {
            *counts.entry(s.outcome).or_insert(0) += 1;
        }
        counts
    }
}
