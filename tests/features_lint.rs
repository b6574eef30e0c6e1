//! The features' own rules, checked before any endpoint is touched: every scenario has a
//! unique `@id`, an `@api`, a `@doc` citing a row of `docs/behaviour.md`'s Sources table,
//! exactly one of `@must`/`@should`/`@probe`, known `@requires` capabilities, `@walkthrough`
//! steps 1–9 with every step covered; tables are not ragged, outlines have examples, and
//! every step matches exactly one step definition (research: harness-anchors B.13). The
//! structural rules (ids, empty scenarios, misspelt keywords) are the feature index's own
//! (`mfaspec::features`), which `mfaspec run` applies too.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use mfaspec::features::Suite;
use mfaspec::target::CAPABILITIES;

/// The walk-through's steps that make API calls (docs/behaviour.md §5; steps 2–6 happen on
/// the phone and are exercised by adding the SecretCode to the authenticator app).
const WALKTHROUGH_STEPS: std::ops::RangeInclusive<u32> = 1..=9;

/// The tags of the Sources table of docs/behaviour.md: rows that start ``| `TAG` |``.
fn spec_sources() -> HashSet<String> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/behaviour.md"))
            .unwrap();
    text.lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split_once("` |").map(|(tag, _)| tag.to_owned()))
        .collect()
}

fn lint(dir: &Path, whole_suite: bool) -> Vec<String> {
    let sources = spec_sources();
    let (suite, structural) = match Suite::load_lenient(dir) {
        Ok(s) => s,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems: Vec<String> = structural.iter().map(ToString::to_string).collect();
    // Ragged tables: the parser truncates long rows, so count cells in the text.
    let files: BTreeSet<&str> = suite
        .features
        .iter()
        .filter_map(|f| f.path.as_deref().and_then(Path::to_str))
        .collect();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut width: Option<usize> = None;
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.starts_with('|') {
                let cells = line.matches('|').count() - 1;
                match width {
                    None => width = Some(cells),
                    Some(w) if w != cells => problems.push(format!(
                        "{file}:{}: table row has {cells} cells, the table {w}",
                        n + 1
                    )),
                    Some(_) => {}
                }
            } else {
                width = None;
            }
        }
    }
    let mut seen = HashSet::new();
    let mut covered = BTreeSet::new();
    for scenario in &suite.scenarios {
        if !seen.insert(scenario.id.base.clone()) {
            continue; // an outline's further rows: the same tags
        }
        let at = scenario.at();
        let id = &scenario.id.base;
        if id.split('.').count() != 3
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
        {
            problems.push(format!(
                "{at}: @id:{id} is not <area>.<operation>.<case> in lower snake case"
            ));
        }
        if scenario.values("api").next().is_none() {
            problems.push(format!("{at}: no @api tag"));
        }
        let docs: Vec<&str> = scenario.values("doc").collect();
        if docs.is_empty() {
            problems.push(format!("{at}: no @doc tag"));
        }
        for doc in docs {
            if !sources.contains(doc) {
                problems.push(format!(
                    "{at}: @doc:{doc} is not a source of docs/behaviour.md (its Sources table)"
                ));
            }
        }
        let strength = ["must", "should", "probe"]
            .iter()
            .filter(|t| scenario.has_tag(t))
            .count();
        if strength != 1 {
            problems.push(format!(
                "{at}: needs exactly one of @must, @should, @probe; has {strength}"
            ));
        }
        for capability in scenario.values("requires") {
            if !CAPABILITIES.iter().any(|(known, _)| *known == capability) {
                problems.push(format!(
                    "{at}: @requires:{capability} is not a known capability"
                ));
            }
        }
        for step in scenario.values("walkthrough") {
            match step.parse::<u32>() {
                Ok(n) if WALKTHROUGH_STEPS.contains(&n) => {
                    covered.insert(n);
                }
                _ => problems.push(format!("{at}: @walkthrough:{step} is not a step 1-9")),
            }
        }
    }
    if whole_suite {
        for step in WALKTHROUGH_STEPS {
            if !covered.contains(&step) {
                problems.push(format!(
                    "no scenario is tagged @walkthrough:{step}: every step of the walk-through is covered"
                ));
            }
        }
    }
    problems.extend(suite.unmatched_steps(&mfaspec::steps::collection()));
    problems.extend(unknown_messages(&suite));
    problems
}

/// Every message a step quotes (`the message "…"`, `a message starting "…"`) is a text of
/// `mfaspec::vocabulary::message`: the features and the endpoint say the same words.
fn unknown_messages(suite: &Suite) -> Vec<String> {
    let known = mfaspec::vocabulary::message::ALL;
    let mut problems = Vec::new();
    for (file, step) in suite.steps() {
        for (marker, exact) in [("the message \"", true), ("a message starting \"", false)] {
            let Some(rest) = step.value.split(marker).nth(1) else {
                continue;
            };
            let quoted = rest.split('"').next().unwrap_or("");
            let found = known.iter().any(|m| {
                if exact {
                    *m == quoted
                } else {
                    m.starts_with(quoted)
                }
            });
            if !found {
                problems.push(format!(
                    "{file}:{}: the message \"{quoted}\" is not one of mfaspec::vocabulary::message",
                    step.position.line
                ));
            }
        }
    }
    problems
}

#[test]
fn features_follow_the_suite_rules() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("features");
    let problems = lint(&dir, true);
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The lint catches what it claims to: broken features in a scratch folder.
#[test]
fn lint_reports_each_kind_of_problem() {
    let scratch = crate::support::scratch::Scratch::new("lint");
    let dir = &scratch.0;
    std::fs::write(
        dir.join("broken.feature"),
        "Feature: broken\n\n  @id:a.b.c @must @should @requires:teleport @walkthrough:12\n  Scenario: one\n    When the user frobnicates\n\n  @id:a.b.c @api:X @doc:NOPE @probe\n  Scenario Outline: two\n    When the user calls VerifySoftwareToken with the code \"<c>\"\n\n    Examples:\n      | c |\n      | 1 | 2 |\n\n  @id:a.b.d @api:X @doc:KC-REPOST @probe\n  Scenario: empty\n\n  @id:a.b.e @api:X @doc:KC-REPOST @must\n  Scenario: quotes\n    Then the request fails with NotAuthorizedException and the message \"Nobody says this\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("misspelt.feature"),
        "Feature: misspelt\n  Scenari: forgotten\n    When the user frobnicates\n",
    )
    .unwrap();
    let problems = lint(dir, true).join("\n");
    for expected in [
        "no @api tag",
        "no @doc tag",
        "exactly one of @must, @should, @probe; has 2",
        "@requires:teleport is not a known capability",
        "@walkthrough:12 is not a step 1-9",
        "no scenario is tagged @walkthrough:7",
        "no step definition matches `When the user frobnicates`",
        "@id:a.b.c is also used",
        "scenario `empty` has no steps",
        "misspelt.feature:2:3: `Scenari:` is not a Gherkin keyword",
        "table row has 2 cells, the table 1",
        "the message \"Nobody says this\" is not one of mfaspec::vocabulary::message",
    ] {
        assert!(
            problems.contains(expected),
            "missing {expected:?} in:\n{problems}"
        );
    }
}
