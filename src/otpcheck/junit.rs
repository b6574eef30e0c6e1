//! `junit.xml` of a check, so that a CI system shows it natively and says what the exit code
//! says: one `<testsuite>` per implementation, one `<testcase>` per case (classname
//! `totp-check.<implementation>`), and one for the random differential. A case that does not
//! conform is a `<failure>` (a crash or a timeout an `<error>`), with the details; a
//! parameter the implementation does not take is `<skipped>` with what it said; a verdict the
//! RFCs leave open passes, the verdict in `<system-out>`. An implementation that could not be
//! started is one `<error>` test case, `start`.
//!
//! Owns: the JUnit rendering. Uses: [`super::model`], [`crate::markup`].

use std::fmt::Write as _;

use crate::markup::escape;

use super::model::{Outcome, Report, Results, Verdict};

/// One test case's element inside `<testcase>`, if any.
fn element(outcome: &Outcome, detail: &str) -> Option<String> {
    let d = escape(detail);
    match outcome {
        Outcome::Pass | Outcome::RejectedAcceptable { .. } => None,
        Outcome::Observed { .. } => Some(format!("<system-out>{d}</system-out>")),
        Outcome::NotSupported { what } => Some(format!(
            r#"<skipped message="not supported: {}"/>"#,
            escape(what)
        )),
        Outcome::Crash { .. } | Outcome::Timeout | Outcome::NotRun { .. } => Some(format!(
            r#"<error type="{}" message="{d}">{d}</error>"#,
            outcome.tag()
        )),
        Outcome::RejectedNotAcceptable { .. }
        | Outcome::WrongCode { .. }
        | Outcome::WrongVerdict { .. } => Some(format!(
            r#"<failure type="{}" message="{d}">{d}</failure>"#,
            outcome.tag()
        )),
    }
}

#[derive(Default)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn suite(report: &Report, r: &Results) -> String {
    let name = format!("totp-check.{}", r.adapter.name);
    let mut cases = String::new();
    let mut n = Counts::default();
    let mut case = |id: &str, title: &str, el: Option<String>, outcome: Option<&Outcome>| {
        n.tests += 1;
        match outcome {
            Some(Outcome::NotSupported { .. }) => n.skipped += 1,
            Some(Outcome::Crash { .. } | Outcome::Timeout | Outcome::NotRun { .. }) => {
                n.errors += 1;
            }
            Some(o) if !o.conforms() => n.failures += 1,
            _ => {}
        }
        let _ = write!(
            cases,
            r#"    <testcase classname="{}" name="{}""#,
            escape(&name),
            escape(&format!("{id}: {title}"))
        );
        match el {
            None => cases.push_str("/>\n"),
            Some(el) => {
                let _ = writeln!(cases, ">{el}</testcase>");
            }
        }
    };
    if r.summary.verdict == Verdict::Error {
        let why = r.summary.error.as_deref().unwrap_or("it never answered");
        let crash = Outcome::NotRun {
            reason: why.to_owned(),
        };
        case(
            "start",
            "the adapter starts and answers",
            element(&crash, &format!("the adapter could not be started: {why}")),
            Some(&crash),
        );
    }
    for info in &report.cases {
        let Some(by_zone) = r.cases.get(&info.id) else {
            continue;
        };
        let Some((_, worst)) = r.worst(&info.id) else {
            continue;
        };
        let detail: Vec<String> = by_zone
            .iter()
            .map(|(zone, o)| format!("TZ={zone}: {}", o.detail()))
            .collect();
        let detail = format!(
            "expected {}; {}\nrequest: {}",
            info.expect,
            detail.join("; "),
            info.request
        );
        case(&info.id, &info.title, element(worst, &detail), Some(worst));
    }
    let random = &r.random;
    let title = format!(
        "{} random keys, times and parameters (seed {})",
        report.random_cases, report.seed
    );
    if random.failed == 0 {
        case("random", &title, None, None);
    } else {
        let examples: Vec<String> = random
            .failures
            .iter()
            .map(|f| {
                format!(
                    "{} (TZ={}): {}; request: {}",
                    f.case,
                    f.timezone,
                    f.outcome.detail(),
                    f.request
                )
            })
            .collect();
        let detail = format!(
            "{} of {} random cases did not conform; the first: {}",
            random.failed,
            random.cases,
            examples.join("\n")
        );
        let d = escape(&detail);
        let failed = Outcome::WrongCode {
            expected: String::new(),
            got: String::new(),
        };
        case(
            "random",
            &title,
            Some(format!(
                r#"<failure type="random" message="{d}">{d}</failure>"#
            )),
            Some(&failed),
        );
    }
    format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\">\n{cases}  </testsuite>\n",
        escape(&name),
        n.tests,
        n.failures,
        n.errors,
        n.skipped
    )
}

/// The check as JUnit XML.
#[must_use]
pub fn junit(report: &Report) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mfaspec totp-check\">\n",
    );
    for r in &report.implementations {
        out.push_str(&suite(report, r));
    }
    out.push_str("</testsuites>\n");
    out
}
