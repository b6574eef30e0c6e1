//! The compatibility matrix (`mfaspec matrix`) and the emulators' profiles and expectation
//! files: the matrix reads what `mfaspec run` writes, and every expectation names a scenario
//! the suite has, with a reason that names the emulator's version.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

use mfaspec::features::Suite;
use mfaspec::outcome::{Outcome, ScenarioOutcome, Summary};
use mfaspec::report::matrix::{Matrix, README_BEGIN, README_END, splice_readme};
use mfaspec::runner::expectations::Expectations;
use mfaspec::target::Profile;

use crate::support::scratch::Scratch;

fn mfaspec(args: &[&str]) -> Output {
    crate::support::scratch::mfaspec_command()
        .args(args)
        .output()
        .expect("the mfaspec binary runs")
}

fn outcome(id: &str, feature: &str, outcome: Outcome, reason: Option<&str>) -> ScenarioOutcome {
    ScenarioOutcome {
        id: id.into(),
        feature: feature.into(),
        name: format!("name of {id}"),
        outcome,
        reason: reason.map(Into::into),
        retries: 0,
    }
}

fn summary(target: &str, scenarios: Vec<ScenarioOutcome>) -> Summary {
    Summary {
        target: target.into(),
        scenarios,
        wall_seconds: 1.0,
        ..Summary::default()
    }
}

fn write_summary(dir: &Path, s: &Summary) {
    let folder = dir.join(&s.target);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("outcomes.json"),
        serde_json::to_string_pretty(s).unwrap(),
    )
    .unwrap();
}

/// Two targets over the real features: cells, totals and groups come out as run.
fn sample(dir: &Path) {
    write_summary(
        dir,
        &summary(
            "reference",
            vec![
                outcome(
                    "walkthrough.initiate_auth.end_to_end",
                    "walkthrough",
                    Outcome::Pass,
                    None,
                ),
                outcome(
                    "codes.verify_software_token.malformed[12345]",
                    "code_timing_and_replay",
                    Outcome::Pass,
                    None,
                ),
                outcome(
                    "codes.verify_software_token.malformed[abcdef]",
                    "code_timing_and_replay",
                    Outcome::Pass,
                    None,
                ),
            ],
        ),
    );
    write_summary(
        dir,
        &summary(
            "emu",
            vec![
                outcome(
                    "walkthrough.initiate_auth.end_to_end",
                    "walkthrough",
                    Outcome::Xfail,
                    Some("expected: emu 1.0 leaves <FRIENDLY_DEVICE_NAME> & \"TokenType\" out"),
                ),
                outcome(
                    "codes.verify_software_token.malformed[12345]",
                    "code_timing_and_replay",
                    Outcome::Fail,
                    Some("boom"),
                ),
                outcome(
                    "codes.verify_software_token.malformed[abcdef]",
                    "code_timing_and_replay",
                    Outcome::NotApplicable,
                    Some("target `emu` lacks x"),
                ),
                outcome("gone.scenario.old", "gone", Outcome::Pass, None),
            ],
        ),
    );
}

#[test]
fn markdown_has_a_row_per_scenario_grouped_by_feature_with_totals() {
    let scratch = Scratch::new("matrix-md");
    sample(&scratch.0);
    let matrix = Matrix::load(&scratch.0, &Suite::builtin().unwrap()).unwrap();
    let md = matrix.to_markdown();
    // The reference endpoint is the first column, whatever the folder order.
    assert!(md.contains("| scenario | reference | emu |\n"), "{md}");
    assert!(
        md.contains("| **total** ✅ / ⚠️ / ❌ / n/a | 3 / 0 / 0 / 0 | 1 / 1 / 1 / 1 |"),
        "{md}"
    );
    let row = |id: &str| {
        md.lines()
            .find(|l| l.contains(&format!("`{id}`")))
            .unwrap_or_else(|| panic!("no row for {id} in\n{md}"))
            .to_owned()
    };
    assert!(row("walkthrough.initiate_auth.end_to_end").ends_with("| ✅ | ⚠️ |"));
    assert!(row("codes.verify_software_token.malformed[12345]").ends_with("| ✅ | ❌ |"));
    assert!(row("codes.verify_software_token.malformed[abcdef]").ends_with("| ✅ | n/a |"));
    assert!(
        row("gone.scenario.old").ends_with("| – | ✅ |"),
        "a target that did not run it"
    );
    // Groups follow the features folder's order (code_timing… before walkthrough); a scenario
    // the features no longer have comes last, under its own heading.
    let code = md
        .find("| **code_timing_and_replay** —")
        .expect("a code group");
    let walk = md.find("| **walkthrough** —").expect("a walkthrough group");
    let gone = md
        .find("| **gone** — gone (not in the features) |")
        .expect("an orphan group");
    assert!(code < walk && walk < gone, "{md}");
    // A scenario no target ran has no row.
    assert!(!md.contains("walkthrough.admin_initiate_auth.end_to_end"));
}

#[test]
fn html_is_self_contained_colour_coded_with_reasons_on_hover_and_filters() {
    let scratch = Scratch::new("matrix-html");
    sample(&scratch.0);
    let matrix = Matrix::load(&scratch.0, &Suite::builtin().unwrap()).unwrap();
    let html = matrix.to_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no outside resources"
    );
    assert!(
        html.contains("td.xfail {") && html.contains("td.unexpected {"),
        "colours"
    );
    // The reason, escaped, on hover.
    assert!(html.contains("<td class=\"xfail\" title=\"xfail: expected: emu 1.0 leaves &lt;FRIENDLY_DEVICE_NAME&gt; &amp; &quot;TokenType&quot; out\">⚠️</td>"), "{html}");
    assert!(html.contains("<td class=\"unexpected\" title=\"fail: boom\">❌</td>"));
    // Filters: a feature select with every group, and a checkbox per outcome.
    assert!(html.contains("<option value=\"walkthrough\">walkthrough</option>"));
    assert!(html.contains("<option value=\"code_timing_and_replay\">"));
    for class in ["pass", "xfail", "unexpected", "na"] {
        assert!(
            html.contains(&format!("name=\"outcome\" value=\"{class}\"")),
            "{class}"
        );
    }
    assert!(html.contains("data-feature=\"walkthrough\""));
}

#[test]
fn the_command_writes_both_files_and_checks_or_updates_a_readme() {
    let scratch = Scratch::new("matrix-cli");
    let reports = scratch.0.join("reports");
    sample(&reports);
    let dir = reports.to_str().unwrap();
    let o = mfaspec(&["matrix", dir]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let md = std::fs::read_to_string(reports.join("matrix.md")).unwrap();
    assert!(md.starts_with("# mfaspec compatibility matrix"));
    assert!(reports.join("matrix.html").is_file());

    let readme = scratch.0.join("README.md");
    let old = format!("# Title\n\nbefore\n{README_BEGIN}\nold table\n{README_END}\nafter\n");
    std::fs::write(&readme, &old).unwrap();
    let readme_arg = readme.to_str().unwrap();
    let o = mfaspec(&["matrix", dir, "--readme", readme_arg, "--check"]);
    assert_eq!(o.status.code(), Some(1), "a stale README fails the check");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 5") && err.contains("old table"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&readme).unwrap(),
        old,
        "--check writes nothing"
    );

    let o = mfaspec(&["matrix", dir, "--readme", readme_arg, "--write"]);
    assert_eq!(o.status.code(), Some(0));
    let new = std::fs::read_to_string(&readme).unwrap();
    assert!(new.starts_with("# Title\n\nbefore\n"));
    assert!(new.ends_with(&format!("{README_END}\nafter\n")));
    assert!(new.contains("| scenario | reference | emu |") && !new.contains("old table"));
    let o = mfaspec(&["matrix", dir, "--readme", readme_arg, "--check"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn bad_input_exits_2_naming_the_file_line_and_column() {
    let scratch = Scratch::new("matrix-bad");
    let o = mfaspec(&["matrix", scratch.0.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no `<target>/outcomes.json`"));

    std::fs::create_dir_all(scratch.0.join("broken")).unwrap();
    std::fs::write(
        scratch.0.join("broken/outcomes.json"),
        "{\n  \"target\": 3\n}\n",
    )
    .unwrap();
    let o = mfaspec(&["matrix", scratch.0.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("broken/outcomes.json") && err.contains("line 2, column"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    let readme = scratch.0.join("NOMARKERS.md");
    std::fs::write(&readme, "no markers\n").unwrap();
    sample(&scratch.0.join("ok"));
    let o = mfaspec(&[
        "matrix",
        scratch.0.join("ok").to_str().unwrap(),
        "--readme",
        readme.to_str().unwrap(),
        "--check",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("has no matrix section"));
}

#[test]
fn splicing_keeps_everything_outside_the_markers() {
    let text = format!("a\n{README_BEGIN}\nx\n{README_END}\nb\n");
    assert_eq!(
        splice_readme(&text, "T\n").unwrap(),
        format!("a\n{README_BEGIN}\nT\n{README_END}\nb\n")
    );
    assert!(splice_readme("a\nb\n", "T\n").is_none());
}

/// Every scenario id of the suite, without outline rows.
fn suite_ids() -> BTreeSet<String> {
    Suite::builtin()
        .unwrap()
        .scenarios
        .into_iter()
        .map(|s| s.id.base)
        .collect()
}

/// The emulators' expectation files: each id is a scenario of the suite, listed once, whose
/// capabilities the target has (a missing capability is n/a, never an expected failure), with
/// a reason that names the emulator and its version.
#[test]
fn expectation_files_name_real_scenarios_with_versioned_reasons() {
    let ids = suite_ids();
    let requires: BTreeMap<String, Vec<String>> = Suite::builtin()
        .unwrap()
        .scenarios
        .iter()
        .map(|s| {
            (
                s.id.base.clone(),
                s.values("requires").map(str::to_owned).collect(),
            )
        })
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/expectations");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let target = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let profile =
            Profile::resolve(&target).expect("an expectations file is for a built-in target");
        // The runner's own reader: the schema is written once.
        let file = Expectations::load(&target, Some(&path)).unwrap();
        let mut seen = BTreeSet::new();
        for e in &file.expected_failures {
            assert!(
                ids.contains(&e.id),
                "{target}: {} is not a scenario of the suite",
                e.id
            );
            assert!(
                seen.insert(e.id.clone()),
                "{target}: {} is listed twice",
                e.id
            );
            let version = regex_like_version(&e.reason);
            assert!(
                e.reason.starts_with(&format!("{target} ")) && version,
                "{target}: the reason for {} should start with `{target} <version>`: {}",
                e.id,
                e.reason
            );
            for cap in &requires[&e.id] {
                assert!(
                    profile.has(cap),
                    "{target}: {} needs {cap}, which the profile lacks: it is n/a, not xfail",
                    e.id
                );
            }
        }
        files += 1;
    }
    assert!(files >= 3, "moto, cognito-local and ministack");
}

/// `<name> <digits>.<digits>` at the start.
fn regex_like_version(reason: &str) -> bool {
    reason.split_whitespace().nth(1).is_some_and(|v| {
        v.split('.').count() >= 2
            && v.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    })
}

#[test]
fn emulator_profiles_load_with_honest_windows() {
    for name in ["moto", "cognito-local", "ministack"] {
        let p = Profile::resolve(name).unwrap();
        assert_eq!(p.name, name);
        assert!(!p.clock_control, "{name}: no emulator's clock can be moved");
        assert!(
            p.has("totp.verifies_codes"),
            "{name} is started so that it checks codes"
        );
    }
    assert_eq!(Profile::resolve("moto").unwrap().totp_window, 0);
}
