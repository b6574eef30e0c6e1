//! A target's expected failures (`fixtures/expectations/<target>.yaml`, built in, or
//! `--expectations FILE`): loading them, applying them to outcomes (fail → xfail, pass →
//! xpass), and finding the stale entries.
//!
//! Owns: the expectations schema. Uses: [`crate::outcome`], [`crate::features`],
//! [`crate::builtin`].

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::error::RunError;
use crate::features::{ScenarioId, Suite};
use crate::outcome::{Outcome, ScenarioOutcome};

/// The file's contents.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// Scenarios the target is known to fail, each with why.
    #[serde(default)]
    pub expected_failures: Vec<Expected>,
    /// Where they came from, as a person would name the file to edit.
    #[serde(skip)]
    pub source: Option<String>,
}

/// One expected failure.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// The scenario's `@id` (an outline's rows all at once).
    pub id: String,
    /// What the target does instead, with its name and version.
    pub reason: String,
}

/// Where the built-in expectations of `target` live in the source tree.
#[must_use]
pub fn builtin_path(target: &str) -> String {
    format!("fixtures/expectations/{target}.yaml")
}

impl Expectations {
    /// `explicit`, else the built-in file of `target` (an emulator's), else none.
    pub fn load(target: &str, explicit: Option<&Path>) -> Result<Expectations, RunError> {
        let (text, source) = match explicit {
            Some(path) => (
                std::fs::read_to_string(path).map_err(|e| RunError::Expectations {
                    path: path.to_owned(),
                    location: String::new(),
                    message: e.to_string(),
                    source: Box::new(e),
                })?,
                path.display().to_string(),
            ),
            None => {
                let file = format!("{target}.yaml");
                match crate::builtin::file(crate::builtin::EXPECTATIONS, &file) {
                    Some(text) => (text.to_owned(), builtin_path(target)),
                    // A target with no known deviations.
                    None => return Ok(Expectations::default()),
                }
            }
        };
        let mut expectations: Expectations =
            serde_yaml::from_str(&text).map_err(|e| RunError::Expectations {
                location: e
                    .location()
                    .map(|l| format!(": line {}, column {}", l.line(), l.column()))
                    .unwrap_or_default(),
                message: e.to_string(),
                path: PathBuf::from(&source),
                source: Box::new(e),
            })?;
        expectations.source = Some(source);
        Ok(expectations)
    }

    /// The listed base ids.
    #[must_use]
    pub fn ids(&self) -> HashSet<String> {
        self.expected_failures
            .iter()
            .map(|e| e.id.clone())
            .collect()
    }

    /// Applies the entries to `scenarios` (fail → xfail with the expected reason, pass →
    /// xpass) and returns the stale ones: entries whose scenario the suite does not have, or
    /// that ran only as n/a (a missing capability needs no expectation). Scenarios a tag
    /// filter left out do not make an entry stale.
    pub fn apply(&self, scenarios: &mut [ScenarioOutcome], suite: &Suite) -> Vec<String> {
        let listed: BTreeMap<&str, &str> = self
            .expected_failures
            .iter()
            .map(|e| (e.id.as_str(), e.reason.as_str()))
            .collect();
        let mut matched = HashSet::new();
        let mut ran = HashSet::new();
        for s in scenarios.iter_mut() {
            let base = ScenarioId::base_of(&s.id).to_owned();
            if s.outcome != Outcome::NotApplicable {
                ran.insert(base.clone());
            }
            let Some(reason) = listed.get(base.as_str()) else {
                continue;
            };
            matched.insert(base);
            match s.outcome {
                Outcome::Fail => {
                    s.outcome = Outcome::Xfail;
                    s.reason = Some(format!("expected: {reason}"));
                }
                Outcome::Pass => {
                    s.outcome = Outcome::Xpass;
                    s.reason = Some(format!("listed as expected to fail ({reason}) but passed"));
                }
                _ => {}
            }
        }
        listed
            .keys()
            .filter(|id| !suite.has_base(id) || (matched.contains(**id) && !ran.contains(**id)))
            .map(|id| (*id).to_owned())
            .collect()
    }
}
