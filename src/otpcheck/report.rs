//! The check's results and their tables: `totp-check.json` (everything), `totp-check.md`
//! (implementation × case, and the speed table).
//!
//! Owns: the tables. Uses: [`super::model`], [`super::catalogue`], [`crate::markup`].

use super::model::{Outcome, Report, Results, SPEED_ROUNDS};

fn symbol(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "✅",
        Outcome::RejectedAcceptable { .. } => "🟡",
        Outcome::NotSupported { .. } => "n/s",
        Outcome::RejectedNotAcceptable { .. } => "❌ rejected",
        Outcome::WrongCode { .. } => "❌",
        Outcome::Crash { .. } => "💥",
        Outcome::Timeout => "⏱",
        Outcome::WrongVerdict { got, .. } if got == super::protocol::ACCEPT => "❌ accepts",
        Outcome::WrongVerdict { .. } => "❌ refuses",
        Outcome::Observed { accepted: true, .. } => "accepts",
        Outcome::Observed {
            accepted: false, ..
        } => "refuses",
    }
}

fn cell(results: &Results, case: &str) -> String {
    match results.worst(case) {
        None => String::new(),
        Some((zone, outcome)) => {
            let mut s = symbol(outcome).to_owned();
            if let Outcome::WrongCode { got, .. } = outcome {
                s.push_str(&format!(" `{got}`"));
            }
            if let Some(z) = zone {
                s.push_str(&format!(" ({z})"));
            }
            s
        }
    }
}

/// The Markdown tables: conformance (implementation × case) and speed.
#[must_use]
pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    out.push_str("| case | expected |");
    for r in &report.implementations {
        out.push_str(&format!(" {} {} |", r.adapter.name, r.adapter.version));
    }
    out.push_str("\n|---|---|");
    for _ in &report.implementations {
        out.push_str("---|");
    }
    out.push('\n');
    for case in &report.cases {
        out.push_str(&format!(
            "| {} `{}` | {} |",
            case.title, case.id, case.expect
        ));
        for r in &report.implementations {
            out.push_str(&format!(" {} |", cell(r, &case.id)));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "| {} random keys, times and parameters (seed {}) | the core's codes |",
        report.random_cases, report.seed
    ));
    for r in &report.implementations {
        let failed = r.random.cases - r.random.conformed;
        out.push_str(&if failed == 0 {
            " ✅ |".to_owned()
        } else {
            format!(" ❌ {failed} |")
        });
    }
    out.push_str("\n\n✅ the RFC's code (or verdict) · 🟡 refused where the RFC allows it · n/s a parameter (or a verifier) it does not have · ❌ a wrong code (shown), a wrong verdict, or a refusal where the RFC defines a code · accepts / refuses: a verdict the RFC leaves open, reported · 💥 crashed · ⏱ no answer in 5 s · (zone): only under that TZ\n");
    out
}

/// The speed table: codes per second through the protocol and as a ratio to mfaspec's core
/// through the same protocol (`mfaspec` in the list), so the protocol's cost cancels.
#[must_use]
pub fn speed_markdown(report: &Report) -> String {
    let per = |v: Option<f64>| v.map_or("—".to_owned(), |x| format!("{x:.0}"));
    let ratio = |v: Option<f64>| v.map_or("—".to_owned(), |x| format!("{x:.2}×"));
    let mut out = String::from(
        "| implementation | codes/s, new generator each | mfaspec's core, same rounds | codes/s, generator reused | mfaspec's core, same rounds |\n|---|---|---|---|---|\n",
    );
    for r in &report.implementations {
        out.push_str(&format!(
            "| {} {} | {} | {} | {} | {} |\n",
            r.adapter.name,
            r.adapter.version,
            per(r.construct_per_s),
            ratio(r.construct_ratio),
            per(r.reuse_per_s),
            ratio(r.reuse_ratio),
        ));
    }
    out.push_str(&format!(
        "\nMedians of {} rounds of the same workload, alternating with mfaspec's core through the same protocol; a ratio above 1 means mfaspec's core was faster.\n",
        SPEED_ROUNDS
    ));
    out
}

/// A cell's class for the HTML page's colours and filters.
fn class(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::RejectedAcceptable { .. } => "acceptable",
        Outcome::NotSupported { .. } => "ns",
        Outcome::RejectedNotAcceptable { .. }
        | Outcome::WrongCode { .. }
        | Outcome::WrongVerdict { .. } => "wrong",
        Outcome::Crash { .. } | Outcome::Timeout => "crash",
        Outcome::Observed { .. } => "observed",
    }
}

/// What a cell says on hover: the outcome and its details, per zone when they differ.
fn detail(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Pass => "pass".into(),
        Outcome::RejectedAcceptable { reason } => format!("rejected (acceptable): {reason}"),
        Outcome::RejectedNotAcceptable { reason, expected } => {
            if expected == super::protocol::ACCEPT {
                format!("an error where the RFC's verifier accepts: {reason}")
            } else {
                format!("rejected (not acceptable; the RFC's code is {expected}): {reason}")
            }
        }
        Outcome::WrongCode { expected, got } => {
            format!("wrong code: expected {expected}, got {got}")
        }
        Outcome::Crash { reason } => format!("crash: {reason}"),
        Outcome::Timeout => "timeout".into(),
        Outcome::NotSupported { what } => format!("not supported: {what}"),
        Outcome::WrongVerdict { expected, got } => {
            format!("wrong verdict: the RFC's is {expected}, the verifier's {got}")
        }
        Outcome::Observed { accepted, reason } => {
            let verdict = if *accepted { "accepts" } else { "refuses" };
            match reason {
                Some(r) => format!("{verdict} (the RFC leaves it open): {r}"),
                None => format!("{verdict} (the RFC leaves it open)"),
            }
        }
    }
}

/// A self-contained HTML page: implementation × case, the details on hover, filters by
/// group and outcome — in the style of the emulators' matrix.
#[must_use]
pub fn html(report: &Report) -> String {
    use crate::markup::escape;
    use std::fmt::Write as _;
    let mut out = String::new();
    out.push_str("<h1>mfaspec totp-check</h1>\n<p>Every expected code is computed by mfaspec's core from the RFCs' definitions. Hover a cell for the details.</p>\n");
    out.push_str(
        "<form id=\"filters\"><label>Group <select id=\"group\"><option value=\"\">all</option>",
    );
    let mut groups: Vec<&str> = report
        .cases
        .iter()
        .map(|c| c.id.split('.').next().unwrap_or(""))
        .collect();
    groups.dedup();
    for g in &groups {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", escape(g));
    }
    out.push_str("</select></label> Show rows with");
    for (class, label) in [
        ("pass", "✅ pass"),
        ("acceptable", "🟡 refused, acceptably"),
        ("ns", "n/s"),
        ("observed", "a verdict reported"),
        ("wrong", "❌ wrong"),
        ("crash", "💥 crash or timeout"),
    ] {
        let _ = write!(
            out,
            " <label><input type=\"checkbox\" name=\"outcome\" value=\"{class}\" checked> {label}</label>"
        );
    }
    out.push_str("</form>\n<table>\n<thead><tr><th>case</th><th>expected</th>");
    for r in &report.implementations {
        let _ = write!(
            out,
            "<th>{}<br><small>{}</small></th>",
            escape(&r.adapter.name),
            escape(&r.adapter.version)
        );
    }
    out.push_str("</tr>\n<tr class=\"totals\"><th colspan=\"2\">cases that do not conform</th>");
    for r in &report.implementations {
        let _ = write!(
            out,
            "<td>{}</td>",
            r.failures() + (r.random.cases - r.random.conformed).min(1)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for case in &report.cases {
        let group = case.id.split('.').next().unwrap_or("");
        let _ = write!(
            out,
            "<tr class=\"case\" data-group=\"{}\"><th>{}<br><code>{}</code><br><small>{}</small></th><td class=\"expect\">{}</td>",
            escape(group),
            escape(&case.title),
            escape(&case.id),
            escape(&case.grounding),
            escape(&case.expect)
        );
        for r in &report.implementations {
            match r.cases.get(&case.id) {
                None => out.push_str("<td class=\"none\">—</td>"),
                Some(by_zone) => {
                    let (_, worst) = r.worst(&case.id).unwrap_or((None, &Outcome::Timeout));
                    let title: Vec<String> = by_zone
                        .iter()
                        .map(|(zone, o)| format!("TZ={zone}: {}", detail(o)))
                        .collect();
                    let _ = write!(
                        out,
                        "<td class=\"{}\" title=\"{}\">{}</td>",
                        class(worst),
                        escape(&title.join("\n")),
                        escape(&cell(r, &case.id))
                    );
                }
            }
        }
        out.push_str("</tr>\n");
    }
    let _ = write!(
        out,
        "<tr class=\"case\" data-group=\"random\"><th>{} random keys, times and parameters<br><small>seed {}</small></th><td class=\"expect\">the core's codes</td>",
        report.random_cases, report.seed
    );
    for r in &report.implementations {
        let failed = r.random.cases - r.random.conformed;
        let title: Vec<String> = r
            .random
            .failures
            .iter()
            .map(|(id, zone, o)| format!("{id} (TZ={zone}): {}", detail(o)))
            .collect();
        let _ = write!(
            out,
            "<td class=\"{}\" title=\"{}\">{}</td>",
            if failed == 0 { "pass" } else { "wrong" },
            escape(&title.join("\n")),
            if failed == 0 {
                "✅".to_owned()
            } else {
                format!("❌ {failed}")
            }
        );
    }
    out.push_str("</tr>\n</tbody>\n</table>\n");
    crate::markup::table_page("mfaspec totp-check", PAGE_CSS, &out, PAGE_SCRIPT)
}

/// The page's own style: its cells' colours.
const PAGE_CSS: &str = r#"tbody th { text-align: left; font-weight: normal; max-width: 30rem; }
td { text-align: center; cursor: help; min-width: 5rem; white-space: nowrap; }
td.expect { text-align: left; cursor: auto; white-space: normal; }
td.pass { background: #d7f5d7; }
td.acceptable { background: #fff0c2; }
td.ns { background: #ececec; color: #666; }
td.observed { background: #e3ecfa; }
td.wrong { background: #f8c9c9; }
td.crash { background: #e8b0e8; }
code, small { font-size: 0.85em; color: #555; }
"#;

/// The page's filters.
const PAGE_SCRIPT: &str = r#"function applyFilters() {
  var group = document.getElementById('group').value;
  var shown = Array.prototype.filter.call(
    document.querySelectorAll('input[name=outcome]'), function (b) { return b.checked; })
    .map(function (b) { return b.value; });
  document.querySelectorAll('tbody tr').forEach(function (row) {
    var inGroup = group === '' || row.dataset.group === group;
    var cells = Array.prototype.filter.call(row.querySelectorAll('td'),
      function (cell) { return cell.className !== 'expect'; });
    var visible = inGroup && cells.some(function (cell) { return shown.indexOf(cell.className) >= 0; });
    row.style.display = visible ? '' : 'none';
  });
}
document.getElementById('filters').addEventListener('change', applyFilters);
"#;

/// The files a check writes into its report folder, and the tables it printed.
#[derive(Debug, Clone)]
pub struct Written {
    /// `totp-check.json`, `totp-check.md`, `totp-check.html`.
    pub files: [std::path::PathBuf; 3],
    /// The conformance table (Markdown), as the docs' generated section holds it.
    pub table: String,
    /// The speed table (Markdown).
    pub speed: String,
}

/// The report folder could not be written.
#[derive(Debug, thiserror::Error)]
#[error("writing into `{dir}`: {source}")]
pub struct WriteError {
    /// The folder.
    pub dir: std::path::PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

/// Writes `totp-check.json`, `.md` and `.html` of `report` into `dir` (made if missing).
pub fn write(report: &Report, dir: &std::path::Path) -> Result<Written, WriteError> {
    let fail = |source| WriteError {
        dir: dir.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let table = markdown(report);
    let speed = speed_markdown(report);
    let json = serde_json::to_string_pretty(report).map_err(|e| fail(std::io::Error::other(e)))?;
    let files = [
        dir.join("totp-check.json"),
        dir.join("totp-check.md"),
        dir.join("totp-check.html"),
    ];
    std::fs::write(&files[0], json + "\n").map_err(fail)?;
    std::fs::write(&files[1], format!("{table}\n{speed}")).map_err(fail)?;
    std::fs::write(&files[2], html(report)).map_err(fail)?;
    Ok(Written {
        files,
        table,
        speed,
    })
}

/// Whether mfaspec's own core (the first implementation) conformed on every case.
#[must_use]
pub fn core_conforms(report: &Report) -> bool {
    report
        .implementations
        .first()
        .is_some_and(|core| core.failures() == 0 && core.random.conformed == core.random.cases)
}
