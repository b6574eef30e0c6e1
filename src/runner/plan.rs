//! Which scenarios a run runs, before anything is sent: those the tag expression selects,
//! less those that need a capability the target lacks (`n/a`, with the capability named),
//! split into the concurrent phase and the serial one (scenarios that move the clock of a
//! clock-controlled target run alone, after the others). Pure.
//!
//! Owns: selection. Uses: [`crate::features`], [`crate::target`], [`crate::outcome`].

use std::collections::BTreeSet;

use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;

use crate::features::Suite;
use crate::outcome::{Outcome, ScenarioOutcome};
use crate::target::Profile;

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

/// Keeps only the scenarios whose id `keep` accepts (runnable or n/a).
pub fn retain(plan: &mut Plan, keep: impl Fn(&str) -> bool) {
    plan.concurrent.retain(|id| keep(id));
    plan.serial.retain(|id| keep(id));
    plan.not_applicable.retain(|o| keep(&o.id));
}

/// Moves the runnable scenarios that need `capability` to `n/a` with `reason`: the target has
/// it, but this machine cannot exercise it (no browser for the hosted UI).
pub fn set_aside(plan: &mut Plan, suite: &Suite, capability: &str, reason: &str) {
    for scenario in &suite.scenarios {
        if !scenario.values("requires").any(|c| c == capability) {
            continue;
        }
        let id = scenario.id.to_string();
        if plan.concurrent.remove(&id) | plan.serial.remove(&id) {
            plan.not_applicable.push(ScenarioOutcome {
                id,
                feature: scenario.feature.clone(),
                name: scenario.name.clone(),
                outcome: Outcome::NotApplicable,
                reason: Some(reason.to_owned()),
                retries: 0,
            });
        }
    }
}

/// Every planned scenario ends with exactly one outcome: one that has none did not run (an
/// `error`, exit 2), and a second outcome for the same scenario is an `error` too.
#[must_use]
pub fn account_for_plan(plan: &Plan, outcomes: Vec<ScenarioOutcome>) -> Vec<ScenarioOutcome> {
    let mut by_id: std::collections::BTreeMap<String, Vec<ScenarioOutcome>> =
        std::collections::BTreeMap::new();
    for o in outcomes {
        by_id.entry(o.id.clone()).or_default().push(o);
    }
    let mut out = Vec::new();
    let planned: std::collections::BTreeSet<&String> = plan
        .runnable()
        .chain(plan.not_applicable.iter().map(|o| &o.id))
        .collect();
    for (id, mut found) in by_id {
        if !planned.contains(&id) {
            for mut o in found {
                o.outcome = Outcome::Error;
                o.reason = Some("ran, but was not planned: the harness lost track of it".into());
                out.push(o);
            }
            continue;
        }
        if found.len() > 1 {
            let mut first = found.swap_remove(0);
            first.outcome = Outcome::Error;
            first.reason = Some(format!(
                "ended {} times, not once: the harness ran it more than once",
                found.len() + 1
            ));
            out.push(first);
        } else {
            out.extend(found);
        }
    }
    let have: std::collections::BTreeSet<String> = out.iter().map(|o| o.id.clone()).collect();
    for id in planned {
        if !have.contains(id) {
            out.push(ScenarioOutcome {
                id: id.clone(),
                feature: String::new(),
                name: String::new(),
                outcome: Outcome::Error,
                reason: Some("planned, but it never ran: no outcome was recorded".into()),
                retries: 0,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exit::Exit;
    use crate::outcome::Summary;

    fn outcome(id: &str, outcome: Outcome) -> ScenarioOutcome {
        ScenarioOutcome {
            id: id.into(),
            feature: "f".into(),
            name: id.into(),
            outcome,
            reason: None,
            retries: 0,
        }
    }

    #[test]
    fn every_planned_scenario_ends_with_exactly_one_outcome() {
        let mut plan = Plan::default();
        plan.concurrent
            .extend(["a".to_owned(), "b".to_owned(), "c".to_owned()]);
        plan.serial.insert("d".to_owned());
        plan.not_applicable
            .push(outcome("e", Outcome::NotApplicable));
        let found = vec![
            outcome("a", Outcome::Pass),
            outcome("b", Outcome::Pass),
            outcome("b", Outcome::Fail),
            outcome("d", Outcome::Pass),
            outcome("e", Outcome::NotApplicable),
            outcome("z", Outcome::Pass),
        ];
        let mut out = account_for_plan(&plan, found);
        out.sort_by(|x, y| x.id.cmp(&y.id));
        let got: Vec<(&str, Outcome)> = out.iter().map(|o| (o.id.as_str(), o.outcome)).collect();
        assert_eq!(
            got,
            [
                ("a", Outcome::Pass),
                ("b", Outcome::Error), // ended twice
                ("c", Outcome::Error), // never ran
                ("d", Outcome::Pass),
                ("e", Outcome::NotApplicable),
                ("z", Outcome::Error), // ran, unplanned
            ]
        );
        assert!(out[2].reason.as_deref().unwrap().contains("never ran"));
        let summary = Summary {
            scenarios: out,
            ..Summary::default()
        };
        assert_eq!(summary.exit_code(), Exit::Error);
    }
}
