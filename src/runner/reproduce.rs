//! Reproductions of a run's deviations (`<report>/<target>/repro/`): every scenario that
//! failed, failed as expected or passed against its expectation is run once more, quietly,
//! against the embedded reference endpoint — the documented path, its calls kept — and
//! becomes a script of AWS CLI calls ([`crate::report::repro`]) that shows, against the
//! target, the first answer that differs from what AWS documents. Beside each script its data
//! (`<id>.json`), and an index (`README.md`) that also says why a scenario has no script.
//!
//! Owns: the reproduction pass and the `repro/` folder. Uses the plan, [`super::execute`],
//! the report layer's reproductions and snapshots.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;

use super::error::RunError;
use super::execute::{self, HookConfig, ReproSink};
use super::plan::{self, Plan};
use crate::features::Suite;
use crate::outcome::Outcome;
use crate::outcome::ScenarioOutcome;
use crate::report::repro::{self, Repro, ScenarioRef, TargetRef};
use crate::target::{self, DEFAULT_TARGET};

/// The folder's name inside a target's report folder.
pub const DIR: &str = "repro";

/// What a reproduction pass made.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reproduced {
    /// Scripts written.
    pub scripts: usize,
    /// Deviations without one, each with why.
    pub without: Vec<(String, String)>,
}

/// Whether a scenario of this outcome gets a reproduction.
#[must_use]
pub fn wanted(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Fail | Outcome::Xfail | Outcome::Xpass)
}

/// Runs the deviations of `scenarios` against the embedded reference endpoint and writes
/// `repro/` into `report_dir` (the target's report folder, whose `responses/` holds what the
/// target answered). `endpoint` is the scripts' default endpoint.
///
/// # Errors
/// The reference endpoint could not run, or the folder could not be written.
pub async fn reproduce(
    suite: &Suite,
    report_dir: &Path,
    scenarios: &[ScenarioOutcome],
    target_name: &str,
    target_version: Option<&str>,
    endpoint: &str,
) -> Result<Reproduced, RunError> {
    let dir = report_dir.join(DIR);
    let _ = std::fs::remove_dir_all(&dir);
    let deviations: Vec<&ScenarioOutcome> =
        scenarios.iter().filter(|s| wanted(s.outcome)).collect();
    let mut made = Reproduced::default();
    if deviations.is_empty() || target_name == DEFAULT_TARGET {
        return Ok(made);
    }
    let write_error = |source: std::io::Error| RunError::Reports {
        path: dir.clone(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(write_error)?;

    // The documented path of each: the reference endpoint, quietly, the calls kept.
    let reference = target::resolve(DEFAULT_TARGET, None)?;
    let ids: BTreeSet<String> = deviations.iter().map(|s| s.id.clone()).collect();
    let full = plan::plan(suite, &reference, None);
    let browser = |id: &String| {
        suite
            .scenarios
            .iter()
            .find(|s| &s.id.to_string() == id)
            .is_some_and(|s| s.values("requires").any(|c| c == "hosted_ui"))
    };
    let chosen = |set: &BTreeSet<String>| -> BTreeSet<String> {
        set.intersection(&ids)
            .filter(|id| !browser(id))
            .cloned()
            .collect()
    };
    let pass = Plan {
        concurrent: chosen(&full.concurrent),
        serial: chosen(&full.serial),
        not_applicable: Vec::new(),
    };
    let scratch = dir.join(".reference");
    let sink: Arc<ReproSink> = Arc::default();
    if pass.runnable().next().is_some() {
        let hook = HookConfig {
            keep_on_fail: false,
            listed: std::collections::HashSet::new(),
            responses_dir: scratch.join("responses"),
            browser_dir: scratch.join("browser"),
            record_dir: None,
            target: reference.name.clone(),
            repro: Some(sink.clone()),
        };
        execute::execute(&reference, suite, &pass, None, Arc::new(hook)).await?;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let paths = std::mem::take(
        &mut *sink
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    let observed =
        crate::report::snapshot::read_dir(&report_dir.join("responses")).unwrap_or_default();

    let mut index = String::new();
    let _ = writeln!(
        index,
        "# Reproductions: {target_name}{}\n\nEach script replays a scenario's calls with the AWS CLI and stops at the first\n\
         answer that differs from what AWS documents: `./<id>.sh [ENDPOINT]` (default: {endpoint}).\n\
         Exit 0: every answer as documented; 1: one differs (both are printed, with the source);\n\
         2: it cannot run. Made by `mfaspec run`; `mfaspec repro <report-dir> <id>` prints one.\n\n\
         | scenario | outcome | differs at | reproduction |\n|---|---|---|---|",
        target_version.map(|v| format!(" {v}")).unwrap_or_default()
    );
    for s in &deviations {
        let scenario = suite.scenarios.iter().find(|x| x.id.to_string() == s.id);
        let why_not = |why: &str| (s.id.clone(), why.to_owned());
        let result: Result<(Repro, Option<usize>), (String, String)> = (|| {
            if browser(&s.id) {
                return Err(why_not("the hosted UI: it runs in a browser"));
            }
            let path = paths.get(&s.id).ok_or_else(|| {
                why_not(
                    "the reference endpoint did not pass it: there is no documented path to replay",
                )
            })?;
            let steps = path.steps.clone().map_err(|e| why_not(&e.0))?;
            let (section, source) = scenario
                .and_then(|x| x.values("doc").next())
                .map(|tag| repro::documented(crate::builtin::BEHAVIOUR, tag))
                .unwrap_or_default();
            let repro = Repro {
                schema: "mfaspec-repro/1".into(),
                scenario: ScenarioRef {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    feature: scenario
                        .map_or_else(|| s.feature.clone(), |x| format!("{}:{}", x.file, x.line)),
                    section,
                    source,
                },
                target: TargetRef {
                    name: target_name.to_owned(),
                    version: target_version.map(str::to_owned),
                    endpoint: endpoint.to_owned(),
                },
                outcome: s.outcome.to_string(),
                steps,
                expected: path.expected.clone(),
                observed: observed
                    .get(&s.id)
                    .map(|r| r.responses.clone())
                    .unwrap_or_default(),
            };
            let at = repro::first_difference(&repro);
            if at.is_none() && s.outcome != Outcome::Xpass {
                return Err(why_not(
                    "no answer differs in its exception, message, keys or enumerations: the scenario checks more than a script can (a token's claims, a page)",
                ));
            }
            Ok((repro, at))
        })();
        match result {
            Ok((repro, at)) => {
                let stem = repro::file_stem(&s.id);
                let script = dir.join(&stem);
                repro::write_script(&script, &repro::render(&repro)).map_err(write_error)?;
                let json = serde_json::to_string_pretty(&repro).map_err(std::io::Error::other);
                std::fs::write(
                    dir.join(crate::report::snapshot::file_name(&s.id)),
                    json.map_err(write_error)?,
                )
                .map_err(write_error)?;
                let issue = format!("{}.issue.md", stem.trim_end_matches(".sh"));
                std::fs::write(dir.join(&issue), repro::issue_text(&repro)).map_err(write_error)?;
                let at = at.map_or_else(
                    || "— (as documented now)".to_owned(),
                    |i| {
                        format!(
                            "step {} of {}, {}",
                            i + 1,
                            repro.steps.len(),
                            repro.steps[i].operation
                        )
                    },
                );
                let _ = writeln!(
                    index,
                    "| `{}` | {} | {at} | [{stem}]({stem}), [issue text]({issue}) |",
                    s.id, s.outcome
                );
                made.scripts += 1;
            }
            Err((id, why)) => {
                let _ = writeln!(index, "| `{id}` | {} | — | none: {why} |", s.outcome);
                made.without.push((id, why));
            }
        }
    }
    std::fs::write(dir.join("README.md"), index).map_err(write_error)?;
    Ok(made)
}
