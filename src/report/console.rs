//! The one-screen summary printed after cucumber's step-by-step output: counts, every
//! scenario that did not simply pass, how much of the suite ran, a ready-to-paste
//! expectation entry for each unexpected failure, and where the reports are. Says what
//! `junit.xml` and `outcomes.json` say, in words.
//!
//! Uses: [`crate::outcome`] only.

use std::collections::{BTreeMap, HashSet};

use crate::outcome::{Outcome, ScenarioOutcome, Summary, plural};

/// A draft reason with nothing run-specific in it: pool ids, mfaspec's resource names.
pub(crate) fn generic(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let core =
                word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_' && c != '-');
            if super::snapshot::is_pool_id(core) {
                word.replace(core, "<pool id>")
            } else if core.starts_with("mfaspec-") {
                word.replace(core, "<name>")
            } else {
                word.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How to name the target again on a command line: its profile file, else its name; with
/// the `--endpoint` the run used.
fn target_args(summary: &Summary) -> String {
    let mut args = format!(
        "--target {}",
        summary.profile_source.as_deref().unwrap_or(&summary.target)
    );
    if let Some(endpoint) = &summary.endpoint {
        args.push_str(&format!(" --endpoint {endpoint}"));
    }
    args
}

/// The conformance profiles: a claimed one with what keeps it from being met, the others in
/// a line.
fn profiles(summary: &Summary) -> String {
    let mut out = String::new();
    for p in summary.profiles.iter().filter(|p| p.claimed) {
        if p.met {
            out.push_str(&format!(
                "\nProfile `{}` claimed and met: all {} scenarios pass\n",
                p.name, p.scenarios
            ));
            continue;
        }
        out.push_str(&format!(
            "\nProfile `{}` claimed but NOT met: {} of {} scenarios do not pass\n",
            p.name,
            p.scenarios - p.passed,
            p.scenarios
        ));
        for s in &p.not_passing {
            out.push_str(&format!("  {:<7} {}\n", s.outcome, s.id));
        }
        if p.not_passing.len() < p.scenarios - p.passed {
            out.push_str(&format!(
                "  … and {} more (outcomes.json lists every scenario)\n",
                p.scenarios - p.passed - p.not_passing.len()
            ));
        }
    }
    // Unclaimed ones that the run touched: a run of a few tags says nothing of the others.
    let others: Vec<_> = summary
        .profiles
        .iter()
        .filter(|p| !p.claimed && p.selected > 0)
        .collect();
    if !others.is_empty() {
        let met: Vec<&str> = others
            .iter()
            .filter(|p| p.met)
            .map(|p| p.name.as_str())
            .collect();
        let unmet: Vec<String> = others
            .iter()
            .filter(|p| !p.met)
            .map(|p| format!("{} ({}/{} pass)", p.name, p.passed, p.scenarios))
            .collect();
        out.push_str(&format!(
            "\nConformance profiles met: {}{}\n",
            if met.is_empty() {
                "none".to_owned()
            } else {
                met.join(", ")
            },
            if unmet.is_empty() {
                String::new()
            } else {
                format!("; not met: {}", unmet.join(", "))
            }
        ));
    }
    out
}

/// The summary.
#[must_use]
pub fn render(summary: &Summary) -> String {
    let total = summary.scenarios.len();
    let mut out = format!(
        "\nmfaspec: target `{}`, {} in {:.1} s:",
        summary.target,
        plural(total, "scenario"),
        summary.wall_seconds
    );
    for (outcome, n) in summary.counts() {
        out.push_str(&format!(" {n} {outcome},"));
    }
    out.pop();
    out.push('\n');
    for s in &summary.scenarios {
        if s.outcome != Outcome::Pass {
            out.push_str(&format!(
                "  {:<6} {}  {}\n",
                s.outcome.to_string(),
                s.id,
                s.reason.as_deref().unwrap_or("")
            ));
        }
    }
    let expectations = summary
        .expectations
        .as_deref()
        .unwrap_or("the expectations file");
    for id in &summary.stale_expectations {
        out.push_str(&format!(
            "  stale  {id}  listed in {expectations}, but the suite has no such scenario, or it is n/a on this target: remove the entry\n"
        ));
    }
    let not_applicable = total - summary.ran();
    if not_applicable > 0 {
        // Nobody should gate on a hollow pass: say how much of the suite really ran.
        let mut why: BTreeMap<String, usize> = BTreeMap::new();
        for s in summary
            .scenarios
            .iter()
            .filter(|s| s.outcome == Outcome::NotApplicable)
        {
            *why.entry(generic(s.reason.as_deref().unwrap_or("no reason given")))
                .or_default() += 1;
        }
        let mut why: Vec<(String, usize)> = why.into_iter().collect();
        why.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let reasons: Vec<String> = why
            .iter()
            .take(3)
            .map(|(reason, n)| format!("{n} because {reason}"))
            .collect();
        out.push_str(&format!(
            "\n{} of {} ran; {} n/a: {}{}\n",
            summary.ran(),
            plural(total, "scenario"),
            not_applicable,
            reasons.join("; "),
            if why.len() > 3 { "; …" } else { "" }
        ));
    }
    out.push_str(&profiles(summary));
    let failures: Vec<&ScenarioOutcome> = summary
        .scenarios
        .iter()
        .filter(|s| s.outcome == Outcome::Fail)
        .collect();
    if !failures.is_empty() {
        match &summary.expectations {
            Some(file) => out.push_str(&format!(
                "\nTo expect these failures, add to {file}:\n"
            )),
            None => out.push_str(&format!(
                "\nTo expect these failures, save this as {}.expectations.yaml and pass --expectations {}.expectations.yaml:\n",
                summary.target, summary.target
            )),
        }
        out.push_str("expected_failures:\n");
        let mut listed = HashSet::new();
        for s in failures {
            let base = crate::features::ScenarioId::base_of(&s.id);
            if !listed.insert(base) {
                continue;
            }
            // The observed failure is the draft reason: edit it to say what the target does
            // instead, and its version.
            let observed = generic(s.reason.as_deref().unwrap_or(""));
            let observed: String = observed.replace('"', "'").chars().take(200).collect();
            out.push_str(&format!(
                "  - id: {base}\n    reason: \"{}: {observed}\"\n",
                summary.target
            ));
        }
    }
    if summary.retries > 0 {
        out.push_str(&format!(
            "\n{} retried after throttling or a server error; the scenarios they belong to say so\n",
            if summary.retries == 1 {
                "1 call was".to_owned()
            } else {
                format!("{} calls were", summary.retries)
            }
        ));
    }
    if summary.sign_in.as_deref() == Some("srp") {
        out.push_str(
            "\nSigned in with USER_SRP_AUTH wherever a scenario is not about the sign-in flow itself\n",
        );
    }
    if summary.code_waits > 0 || !summary.clock_controlled {
        // Against a real clock, always said: how much of the run was waiting for codes.
        out.push_str(&format!(
            "\nThe phone waited {} for a fresh TOTP step, {:.0} s in all\n",
            plural(summary.code_waits as usize, "time"),
            summary.code_wait_seconds
        ));
    }
    if !summary.kept.is_empty() {
        out.push_str(&format!(
            "\nKept for inspection (--keep-on-fail), in the target's region: {}\nRemove with: mfaspec cleanup {}\n",
            summary.kept.join(", "),
            target_args(summary)
        ));
    }
    if !summary.swept.is_empty() {
        out.push_str(&format!(
            "\nThe end-of-run cleanup deleted what scenarios had left: {}\n",
            summary.swept.join(", ")
        ));
    }
    if !summary.leaked.is_empty() {
        out.push_str(&format!(
            "\nCOULD NOT DELETE: {} — remove with: mfaspec cleanup {}\n",
            summary.leaked.join("; "),
            target_args(summary)
        ));
    }
    if let Some(dir) = &summary.report_dir {
        out.push_str(&format!(
            "\nReports: {dir}/junit.xml, {dir}/outcomes.json, {dir}/responses/\n"
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: &str, outcome: Outcome, reason: &str) -> ScenarioOutcome {
        ScenarioOutcome {
            id: id.into(),
            feature: "f".into(),
            name: id.into(),
            outcome,
            reason: Some(reason.into()),
            retries: 0,
        }
    }

    #[test]
    fn one_of_each_reads_in_the_singular() {
        let summary = Summary {
            target: "reference".into(),
            scenarios: vec![outcome("a.b.c", Outcome::Pass, "")],
            code_waits: 1,
            retries: 1,
            ..Summary::default()
        };
        let text = render(&summary);
        assert!(text.contains("1 scenario in"), "{text}");
        assert!(text.contains("waited 1 time for"), "{text}");
        assert!(text.contains("1 call was retried"), "{text}");
    }

    #[test]
    fn hollow_runs_say_how_much_ran_and_hints_paste() {
        let summary = Summary {
            target: "mine".into(),
            profile_source: Some("profiles/mine.yaml".into()),
            endpoint: Some("http://127.0.0.1:9".into()),
            expectations: Some("mine-expected.yaml".into()),
            scenarios: vec![
                outcome(
                    "a.b.c",
                    Outcome::Fail,
                    "pool us-east-1_AbC123 said \"no\" to mfaspec-x1-user-3",
                ),
                outcome(
                    "a.b.d",
                    Outcome::NotApplicable,
                    "target `mine` lacks admin.api",
                ),
                outcome(
                    "a.b.e",
                    Outcome::NotApplicable,
                    "target `mine` lacks admin.api",
                ),
            ],
            stale_expectations: vec!["a.b.z".into()],
            leaked: vec!["pool p".into()],
            report_dir: Some("out/mine".into()),
            ..Summary::default()
        };
        let text = render(&summary);
        assert!(
            text.contains("1 of 3 scenarios ran; 2 n/a: 2 because target `mine` lacks admin.api"),
            "{text}"
        );
        assert!(text.contains("add to mine-expected.yaml:"), "{text}");
        assert!(
            text.contains("reason: \"mine: pool <pool id> said 'no' to <name>\""),
            "{text}"
        );
        assert!(
            text.contains(
                "mfaspec cleanup --target profiles/mine.yaml --endpoint http://127.0.0.1:9"
            ),
            "{text}"
        );
        assert!(text.contains("Reports: out/mine/junit.xml"), "{text}");
        // The stale line comes before the YAML block, not inside it.
        let stale = text.find("stale  a.b.z").unwrap();
        assert!(stale < text.find("expected_failures:").unwrap(), "{text}");
    }
}
