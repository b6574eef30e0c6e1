//! Conformance profiles a target can claim (`features/profiles.yaml`): named sets of
//! scenarios — the walk-through, the sign-in flows, the hosted UI, the wire — that a target
//! passes as a whole or not at all, as an OpenID Foundation certification profile. `mfaspec
//! run --profile-claim NAME` selects a profile's scenarios and fails unless it is met; every
//! run's `outcomes.json` says which profiles the target met ([`ProfileVerdict`]), and the
//! results page shows them per target and version.
//!
//! A profile is met when every one of its scenarios ran and passed: an expected failure
//! (xfail), an n/a (a capability the target lacks) or a scenario the run left out does not
//! meet it.
//!
//! Owns: the profiles' definitions and verdicts. Uses: [`crate::features`], [`crate::outcome`].

use std::collections::BTreeMap;

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use serde::Deserialize;

use crate::features::{Scenario, Suite};
use crate::outcome::{Outcome, ProfileVerdict, ScenarioOutcome, Shortfall};

/// The built-in definitions.
pub const DEFINITIONS: &str = include_str!("../features/profiles.yaml");

/// Where the built-in definitions are, as errors name them.
const SOURCE: &str = "features/profiles.yaml";

/// At most this many shortfalls are listed per verdict (the count says how many in all).
const SHORTFALLS_LISTED: usize = 12;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    title: String,
    #[serde(default)]
    features: Vec<String>,
    #[serde(default)]
    tags: Option<String>,
}

/// A named set of scenarios.
#[derive(Debug, Clone)]
pub struct ConformanceProfile {
    /// What `--profile-claim` names.
    pub name: String,
    /// One line on what it covers.
    pub title: String,
    features: Vec<String>,
    tags: Option<TagOperation>,
}

/// A claim that cannot be made: exit 2.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// `--profile-claim` names no profile.
    #[error("--profile-claim {name}: no such profile (known: {known})")]
    Unknown {
        /// The name given.
        name: String,
        /// The names there are.
        known: String,
    },
    /// The definitions do not parse (a broken build).
    #[error("{SOURCE}: {0}")]
    Definitions(String),
}

impl ConformanceProfile {
    /// Whether `scenario` belongs to it.
    #[must_use]
    pub fn contains(&self, scenario: &Scenario) -> bool {
        (self.features.is_empty() || self.features.contains(&scenario.feature))
            && self
                .tags
                .as_ref()
                .is_none_or(|t| t.eval(scenario.tags.iter().map(String::as_str)))
    }

    /// Its scenarios' ids in `suite`, in the suite's order.
    #[must_use]
    pub fn members(&self, suite: &Suite) -> Vec<String> {
        suite
            .scenarios
            .iter()
            .filter(|s| self.contains(s))
            .map(|s| s.id.to_string())
            .collect()
    }
}

/// The built-in profiles, in their file's order.
///
/// # Errors
/// The definitions do not parse.
pub fn builtin() -> Result<Vec<ConformanceProfile>, ClaimError> {
    parse(DEFINITIONS)
}

/// Profiles from `text` (the format of `features/profiles.yaml`).
///
/// # Errors
/// YAML that is not a list of profiles, a tag expression that does not parse, a name twice.
pub fn parse(text: &str) -> Result<Vec<ConformanceProfile>, ClaimError> {
    let entries: Vec<Entry> =
        serde_yaml::from_str(text).map_err(|e| ClaimError::Definitions(e.to_string()))?;
    let mut profiles: Vec<ConformanceProfile> = Vec::new();
    for e in entries {
        if profiles.iter().any(|p| p.name == e.name) {
            return Err(ClaimError::Definitions(format!(
                "profile `{}` is defined twice",
                e.name
            )));
        }
        let tags = match &e.tags {
            None => None,
            Some(expr) => Some(expr.parse::<TagOperation>().map_err(|_| {
                ClaimError::Definitions(format!(
                    "profile `{}`: `{expr}` is not a tag expression",
                    e.name
                ))
            })?),
        };
        profiles.push(ConformanceProfile {
            name: e.name,
            title: e.title,
            features: e.features,
            tags,
        });
    }
    Ok(profiles)
}

/// The names of `profiles`, comma-separated.
#[must_use]
pub fn names(profiles: &[ConformanceProfile]) -> String {
    profiles
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks that each of `claims` names one of `profiles`.
///
/// # Errors
/// The first name that is not a profile's.
pub fn check_claims(profiles: &[ConformanceProfile], claims: &[String]) -> Result<(), ClaimError> {
    for name in claims {
        if !profiles.iter().any(|p| &p.name == name) {
            return Err(ClaimError::Unknown {
                name: name.clone(),
                known: names(profiles),
            });
        }
    }
    Ok(())
}

/// Each profile's verdict over a run's outcomes; `claimed` ones marked.
#[must_use]
pub fn verdicts(
    profiles: &[ConformanceProfile],
    suite: &Suite,
    outcomes: &[ScenarioOutcome],
    claimed: &[String],
) -> Vec<ProfileVerdict> {
    let by_id: BTreeMap<&str, &ScenarioOutcome> =
        outcomes.iter().map(|o| (o.id.as_str(), o)).collect();
    profiles
        .iter()
        .filter_map(|p| {
            let members = p.members(suite);
            // A suite without the profile's scenarios (a features folder of one's own) says
            // nothing of it, unless it was claimed.
            if members.is_empty() && !claimed.contains(&p.name) {
                return None;
            }
            let mut passed = 0;
            let mut ran = 0;
            let mut short = Vec::new();
            for id in &members {
                let found = by_id.get(id.as_str());
                ran += usize::from(found.is_some());
                match found {
                    Some(o) if o.outcome == Outcome::Pass => passed += 1,
                    Some(o) => short.push(Shortfall {
                        id: id.clone(),
                        outcome: o.outcome.to_string(),
                    }),
                    None => short.push(Shortfall {
                        id: id.clone(),
                        outcome: "not run".into(),
                    }),
                }
            }
            let not_passing = short.len();
            short.truncate(SHORTFALLS_LISTED);
            Some(ProfileVerdict {
                name: p.name.clone(),
                claimed: claimed.contains(&p.name),
                met: !members.is_empty() && not_passing == 0,
                scenarios: members.len(),
                selected: ran,
                passed,
                not_passing: short,
            })
        })
        .collect()
}
