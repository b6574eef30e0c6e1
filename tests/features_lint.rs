//! The features' own rules, checked before any endpoint is touched: every scenario has a
//! unique `@id`, an `@api`, a `@doc` citing a source of the spec, exactly one of
//! `@must`/`@should`/`@probe`, known `@requires` capabilities, `@walkthrough` steps 1–9;
//! tables are not ragged, outlines have examples, and every step matches exactly one step
//! definition (research: harness-anchors B.13).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use cucumber::World as _;
use mfaspec::runner::{default_features, parse_features};
use mfaspec::steps::ConformanceWorld;

/// Capabilities a profile can declare (fixtures/targets/*.yaml).
const CAPABILITIES: &[&str] = &[
    "admin.api",
    "totp.verifies_codes",
    "totp.session_setup",
    "challenge.select_mfa_type",
    "time.control",
    "wire.raw",
    "auth.srp",
];

fn spec_sources() -> HashSet<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/spec-sources.txt"),
    )
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(str::to_owned)
        .collect()
}

fn lint(dir: &Path) -> Vec<String> {
    let sources = spec_sources();
    let steps = ConformanceWorld::collection();
    let mut problems = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let features = match parse_features(dir) {
        Ok(f) => f,
        Err(e) => return vec![e.to_string()],
    };
    for (path, feature) in &features {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        // Ragged tables: the parser truncates long rows, so count cells in the text.
        let text = std::fs::read_to_string(path).unwrap();
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
        let backgrounds: Vec<&cucumber::gherkin::Step> = feature
            .background
            .iter()
            .flat_map(|b| b.steps.iter())
            .collect();
        for scenario in &feature.scenarios {
            let at = format!("{file}:{}", scenario.position.line);
            let tags: Vec<&str> = scenario
                .tags
                .iter()
                .map(|t| t.trim_start_matches('@'))
                .collect();
            let values = |key: &str| -> Vec<&str> {
                tags.iter().filter_map(|t| t.strip_prefix(key)).collect()
            };
            match values("id:").as_slice() {
                [id] => {
                    if let Some(first) = ids.insert((*id).to_owned(), at.clone()) {
                        problems.push(format!("{at}: @id:{id} is also used at {first}"));
                    }
                    if id.split('.').count() != 3
                        || !id.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'
                        })
                    {
                        problems.push(format!(
                            "{at}: @id:{id} is not <area>.<operation>.<case> in lower snake case"
                        ));
                    }
                }
                other => problems.push(format!("{at}: needs exactly one @id, has {}", other.len())),
            }
            if values("api:").is_empty() {
                problems.push(format!("{at}: no @api tag"));
            }
            let docs = values("doc:");
            if docs.is_empty() {
                problems.push(format!("{at}: no @doc tag"));
            }
            for doc in docs {
                if !sources.contains(doc) {
                    problems.push(format!(
                        "{at}: @doc:{doc} is not a source of the spec (fixtures/spec-sources.txt)"
                    ));
                }
            }
            let strength = tags
                .iter()
                .filter(|t| matches!(**t, "must" | "should" | "probe"))
                .count();
            if strength != 1 {
                problems.push(format!(
                    "{at}: needs exactly one of @must, @should, @probe; has {strength}"
                ));
            }
            for capability in values("requires:") {
                if !CAPABILITIES.contains(&capability) {
                    problems.push(format!(
                        "{at}: @requires:{capability} is not a known capability"
                    ));
                }
            }
            for step in values("walkthrough:") {
                if !step.parse::<u32>().is_ok_and(|n| (1..=9).contains(&n)) {
                    problems.push(format!("{at}: @walkthrough:{step} is not a step 1-9"));
                }
            }
            if scenario.keyword.contains("Outline")
                && scenario.examples.iter().all(|e| e.table.is_none())
            {
                problems.push(format!("{at}: a Scenario Outline without Examples"));
            }
            for step in backgrounds.iter().copied().chain(scenario.steps.iter()) {
                // Outline placeholders stand for values; any value of the examples will do.
                let mut step = step.clone();
                if let Some(row) = scenario
                    .examples
                    .first()
                    .and_then(|e| e.table.as_ref())
                    .and_then(|t| t.rows.get(1))
                {
                    let header = &scenario.examples[0].table.as_ref().unwrap().rows[0];
                    for (name, value) in header.iter().zip(row) {
                        step.value = step.value.replace(&format!("<{name}>"), value);
                    }
                }
                match steps.find(&step) {
                    Ok(Some(_)) => {}
                    Ok(None) => problems.push(format!(
                        "{file}:{}: no step definition matches `{} {}`",
                        step.position.line,
                        step.keyword.trim(),
                        step.value
                    )),
                    Err(e) => problems.push(format!(
                        "{file}:{}: `{}` is ambiguous: {e}",
                        step.position.line, step.value
                    )),
                }
            }
        }
    }
    problems
}

#[test]
fn features_follow_the_suite_rules() {
    let problems = lint(&default_features());
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The lint catches what it claims to: a broken feature in a scratch folder.
#[test]
fn lint_reports_each_kind_of_problem() {
    let dir = std::env::temp_dir().join(format!("mfaspec-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("broken.feature"),
        "Feature: broken\n\n  @id:a.b.c @must @should @requires:teleport\n  Scenario: one\n    When the user frobnicates\n\n  @id:a.b.c @api:X @doc:NOPE @probe\n  Scenario Outline: two\n    When the user calls VerifySoftwareToken with the code \"<c>\"\n\n    Examples:\n      | c |\n      | 1 | 2 |\n",
    )
    .unwrap();
    let problems = lint(&dir).join("\n");
    std::fs::remove_dir_all(&dir).unwrap();
    for expected in [
        "no @api tag",
        "no @doc tag",
        "exactly one of @must, @should, @probe; has 2",
        "@requires:teleport is not a known capability",
        "no step definition matches `When the user frobnicates`",
        "@id:a.b.c is also used",
        "@doc:NOPE is not a source",
        "table row has 2 cells, the table 1",
    ] {
        assert!(
            problems.contains(expected),
            "missing {expected:?} in:\n{problems}"
        );
    }
}
