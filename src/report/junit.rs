//! `junit.xml`, written from mfaspec's own outcomes, so that what a CI system shows agrees
//! with the exit code and the console: `pass` passes; `fail` and `xpass` are `<failure>`,
//! `error` is `<error>`, each with mfaspec's reason; `xfail` and `n/a` are `<skipped>` with
//! the reason as the message (GitHub Actions' and GitLab's viewers show a skipped test's
//! message; neither shows anything for a passed one); a stale expectation entry is a failed
//! test case of its own. One `<testsuite>` per feature file.
//!
//! Uses: [`crate::outcome`] only.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::markup::escape;
use crate::outcome::{Outcome, ScenarioOutcome, Summary};

/// Per suite: tests, failures, errors, skipped.
#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        self.tests += 1;
        match outcome {
            Outcome::Pass => {}
            Outcome::Fail | Outcome::Xpass => self.failures += 1,
            Outcome::Error => self.errors += 1,
            Outcome::Xfail | Outcome::NotApplicable => self.skipped += 1,
        }
    }

    fn attributes(self) -> String {
        format!(
            r#"tests="{}" failures="{}" errors="{}" skipped="{}""#,
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

fn testcase(out: &mut String, target: &str, s: &ScenarioOutcome) {
    let feature = if s.feature.is_empty() {
        "unknown"
    } else {
        &s.feature
    };
    let name = if s.name.is_empty() {
        s.id.clone()
    } else {
        format!("{} [{}]", s.name, s.id)
    };
    let _ = write!(
        out,
        r#"    <testcase name="{}" classname="mfaspec.{}.{}""#,
        escape(&name),
        escape(target),
        escape(feature)
    );
    let reason = escape(s.reason.as_deref().unwrap_or(""));
    let element = match s.outcome {
        Outcome::Pass => None,
        Outcome::Fail => Some(format!(
            r#"<failure type="fail" message="{reason}">{reason}</failure>"#
        )),
        Outcome::Xpass => Some(format!(
            r#"<failure type="xpass" message="{reason}">{reason}</failure>"#
        )),
        Outcome::Error => Some(format!(
            r#"<error type="error" message="{reason}">{reason}</error>"#
        )),
        Outcome::Xfail => Some(format!(
            r#"<skipped message="xfail: {reason}"/><system-out>xfail: {reason}</system-out>"#
        )),
        Outcome::NotApplicable => Some(format!(r#"<skipped message="n/a: {reason}"/>"#)),
    };
    match element {
        None => out.push_str("/>\n"),
        Some(e) => {
            let _ = writeln!(out, ">{e}</testcase>");
        }
    }
}

/// The JUnit XML of a run.
#[must_use]
pub fn render(summary: &Summary) -> String {
    let mut features: BTreeMap<&str, Vec<&ScenarioOutcome>> = BTreeMap::new();
    for s in &summary.scenarios {
        features.entry(s.feature.as_str()).or_default().push(s);
    }
    let mut total = Counts::default();
    let mut body = String::new();
    for (feature, scenarios) in &features {
        let mut counts = Counts::default();
        let mut cases = String::new();
        for s in scenarios {
            counts.add(s.outcome);
            testcase(&mut cases, &summary.target, s);
        }
        total.tests += counts.tests;
        total.failures += counts.failures;
        total.errors += counts.errors;
        total.skipped += counts.skipped;
        let name = if feature.is_empty() {
            "unknown"
        } else {
            feature
        };
        let _ = writeln!(
            body,
            r#"  <testsuite name="{}" {}>"#,
            escape(name),
            counts.attributes()
        );
        body.push_str(&cases);
        body.push_str("  </testsuite>\n");
    }
    if !summary.stale_expectations.is_empty() {
        let file = summary
            .expectations
            .as_deref()
            .unwrap_or("the expectations file");
        let mut counts = Counts::default();
        let mut cases = String::new();
        for id in &summary.stale_expectations {
            counts.tests += 1;
            counts.failures += 1;
            let why = escape(&format!(
                "{file} lists {id} as an expected failure, but the suite has no such scenario or it is n/a on this target: remove the entry"
            ));
            let _ = writeln!(
                cases,
                r#"    <testcase name="stale expectation [{}]" classname="mfaspec.{}.expectations"><failure type="stale" message="{why}">{why}</failure></testcase>"#,
                escape(id),
                escape(&summary.target)
            );
        }
        total.tests += counts.tests;
        total.failures += counts.failures;
        let _ = writeln!(
            body,
            r#"  <testsuite name="expectations" {}>"#,
            counts.attributes()
        );
        body.push_str(&cases);
        body.push_str("  </testsuite>\n");
    }
    let claimed: Vec<_> = summary.profiles.iter().filter(|p| p.claimed).collect();
    if !claimed.is_empty() {
        let mut counts = Counts::default();
        let mut cases = String::new();
        for p in claimed {
            counts.tests += 1;
            let _ = write!(
                cases,
                r#"    <testcase name="profile {} claimed" classname="mfaspec.{}.profiles""#,
                escape(&p.name),
                escape(&summary.target)
            );
            if p.met {
                cases.push_str("/>\n");
                continue;
            }
            counts.failures += 1;
            let listed: Vec<String> = p
                .not_passing
                .iter()
                .map(|s| format!("{} ({})", s.id, s.outcome))
                .collect();
            let why = escape(&format!(
                "{} of {} scenarios do not pass: {}{}",
                p.scenarios - p.passed,
                p.scenarios,
                listed.join(", "),
                if listed.len() < p.scenarios - p.passed {
                    ", …"
                } else {
                    ""
                }
            ));
            let _ = writeln!(
                cases,
                r#"><failure type="profile not met" message="{why}">{why}</failure></testcase>"#
            );
        }
        total.tests += counts.tests;
        total.failures += counts.failures;
        let _ = writeln!(
            body,
            r#"  <testsuite name="profile claims" {}>"#,
            counts.attributes()
        );
        body.push_str(&cases);
        body.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mfaspec: target {}\" {} time=\"{:.3}\">\n{body}</testsuites>\n",
        escape(&summary.target),
        total.attributes(),
        summary.wall_seconds
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(id: &str, outcome: Outcome, reason: Option<&str>) -> ScenarioOutcome {
        ScenarioOutcome {
            id: id.into(),
            feature: "walkthrough".into(),
            name: format!("scenario {id}"),
            outcome,
            reason: reason.map(str::to_owned),
            retries: 0,
        }
    }

    #[test]
    fn each_outcome_is_what_a_ci_viewer_should_show() {
        let summary = Summary {
            target: "moto".into(),
            scenarios: vec![
                scenario("a.b.pass", Outcome::Pass, None),
                scenario(
                    "a.b.fail",
                    Outcome::Fail,
                    Some("expected <SUCCESS> & got \"x\""),
                ),
                scenario(
                    "a.b.xfail",
                    Outcome::Xfail,
                    Some("expected: moto 5 reuses codes"),
                ),
                scenario("a.b.xpass", Outcome::Xpass, Some("listed but passed")),
                scenario("a.b.na", Outcome::NotApplicable, Some("lacks admin.api")),
                scenario("a.b.error", Outcome::Error, Some("cleanup failed")),
            ],
            stale_expectations: vec!["a.b.gone".into()],
            expectations: Some("fixtures/expectations/moto.yaml".into()),
            ..Summary::default()
        };
        let xml = render(&summary);
        assert!(xml.contains(r#"<testsuites name="mfaspec: target moto" tests="7" failures="3" errors="1" skipped="2""#), "{xml}");
        assert!(xml.contains(r#"<testcase name="scenario a.b.pass [a.b.pass]" classname="mfaspec.moto.walkthrough"/>"#));
        assert!(xml.contains(
            r#"<failure type="fail" message="expected &lt;SUCCESS&gt; &amp; got &quot;x&quot;">"#
        ));
        assert!(xml.contains(r#"<skipped message="xfail: expected: moto 5 reuses codes"/>"#));
        assert!(xml.contains(r#"<failure type="xpass" message="listed but passed">"#));
        assert!(xml.contains(r#"<skipped message="n/a: lacks admin.api"/>"#));
        assert!(xml.contains(r#"<error type="error" message="cleanup failed">"#));
        assert!(xml.contains(r#"name="stale expectation [a.b.gone]""#));
        assert!(xml.contains("fixtures/expectations/moto.yaml lists a.b.gone"));
        assert!(!xml.contains("Step panicked"));
    }

    #[test]
    fn control_characters_are_dropped_from_xml() {
        assert_eq!(crate::markup::escape("a\u{1}b\u{7f}\n"), "ab\u{7f}\n");
    }
}
