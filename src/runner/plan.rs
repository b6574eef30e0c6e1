//! Which scenarios a run runs, before anything is sent: those the tag expression selects,
//! less those that need a capability the target lacks (`n/a`, with the capability named),
//! split into the concurrent phase and the serial one (scenarios that move the clock of a
//! clock-controlled target run alone, after the others). Pure.
//!
//! Owns: selection. Uses: [`crate::features`], [`crate::profile`], [`crate::outcome`].

use std::collections::BTreeSet;

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;

use crate::features::Suite;
use crate::outcome::{Outcome, ScenarioOutcome};
use crate::profile::Profile;

/// The run's plan.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    /// Ids to run concurrently.
    pub concurrent: BTreeSet<String>,
    /// Ids to run one at a time, after the concurrent ones.
    pub serial: BTreeSet<String>,
    /// Selected scenarios the target cannot run, with why.
    pub not_applicable: Vec<ScenarioOutcome>,
}

impl Plan {
    /// Every id that will run.
    pub fn runnable(&self) -> impl Iterator<Item = &String> {
        self.concurrent.iter().chain(&self.serial)
    }

    /// How many scenarios the plan holds, runnable or not.
    #[must_use]
    pub fn len(&self) -> usize {
        self.concurrent.len() + self.serial.len() + self.not_applicable.len()
    }

    /// Whether the tag expression selected nothing.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Plans a run of `suite` against `profile`.
#[must_use]
pub fn plan(suite: &Suite, profile: &Profile, filter: Option<&TagOperation>) -> Plan {
    let mut plan = Plan::default();
    for scenario in &suite.scenarios {
        if let Some(filter) = filter
            && !filter.eval(scenario.tags.iter().map(String::as_str))
        {
            continue;
        }
        let missing: Vec<&str> = scenario
            .values("requires")
            .filter(|c| !profile.has(c))
            .collect();
        let id = scenario.id.to_string();
        if !missing.is_empty() {
            plan.not_applicable.push(ScenarioOutcome {
                id,
                feature: scenario.feature.clone(),
                name: scenario.name.clone(),
                outcome: Outcome::NotApplicable,
                reason: Some(format!(
                    "target `{}` lacks {}",
                    profile.name,
                    missing.join(", ")
                )),
                retries: 0,
            });
            continue;
        }
        // Against a real clock, `@slow` scenarios just wait, concurrently.
        let moves_time = profile.clock_control
            && (scenario.has_tag("slow")
                || scenario.values("requires").any(|c| c == "time.control"));
        if moves_time {
            plan.serial.insert(id);
        } else {
            plan.concurrent.insert(id);
        }
    }
    plan
}
