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
        Outcome::NotRun { .. } => "—",
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
        let failed = r.random.failed;
        out.push_str(&if failed == 0 {
            " ✅ |".to_owned()
        } else {
            format!(" ❌ {failed} |")
        });
    }
    out.push_str("\n\n✅ the RFC's code (or verdict) · 🟡 refused where the RFC allows it · n/s a parameter (or a verifier) it does not have · ❌ a wrong code (shown), a wrong verdict, or a refusal where the RFC defines a code · accepts / refuses: a verdict the RFC leaves open, reported · 💥 crashed · ⏱ no answer in time · — not run (the adapter was given up on) · (zone): only under that TZ\n");
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
        Outcome::Crash { .. } | Outcome::Timeout | Outcome::NotRun { .. } => "crash",
        Outcome::Observed { .. } => "observed",
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
        let _ = write!(out, "<td>{}</td>", r.failures() + r.random.failed.min(1));
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
                        .map(|(zone, o)| format!("TZ={zone}: {}", o.detail()))
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
        let failed = r.random.failed;
        let title: Vec<String> = r
            .random
            .failures
            .iter()
            .map(|f| {
                format!(
                    "{} (TZ={}): {}\n  {}",
                    f.case,
                    f.timezone,
                    f.outcome.detail(),
                    f.request
                )
            })
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

/// The files a check writes into its report folder, and the tables it wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// `totp-check.json`, `totp-check.md`, `totp-check.html`, `junit.xml`.
    pub files: [std::path::PathBuf; 4],
    /// The conformance table (Markdown), as the docs' generated section holds it.
    pub table: String,
    /// The speed table (Markdown), when speed was measured.
    pub speed: Option<String>,
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

/// Writes `totp-check.json`, `.md`, `.html` and `junit.xml` of `report` into `dir` (made if
/// missing). The speed table is left out when no speed was measured.
pub fn write(report: &Report, dir: &std::path::Path) -> Result<Written, WriteError> {
    let fail = |source| WriteError {
        dir: dir.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(fail)?;
    let table = markdown(report);
    let speed = report
        .implementations
        .iter()
        .any(|r| r.construct_per_s.is_some() || r.reuse_per_s.is_some())
        .then(|| speed_markdown(report));
    let json = serde_json::to_string_pretty(report).map_err(|e| fail(std::io::Error::other(e)))?;
    let files = [
        dir.join("totp-check.json"),
        dir.join("totp-check.md"),
        dir.join("totp-check.html"),
        dir.join("junit.xml"),
    ];
    std::fs::write(&files[0], json + "\n").map_err(fail)?;
    let md = match &speed {
        Some(speed) => format!("{table}\n{speed}"),
        None => table.clone(),
    };
    std::fs::write(&files[1], md).map_err(fail)?;
    std::fs::write(&files[2], html(report)).map_err(fail)?;
    std::fs::write(&files[3], super::junit::junit(report)).map_err(fail)?;
    Ok(Written {
        files,
        table,
        speed,
    })
}

/// One line per implementation: its verdict and what it rests on, e.g.
/// `pyotp 2.12.0: fails 3 of 96 cases (verify.ahead, verify.step0, …); random: 0 of 2000 failed`.
#[must_use]
pub fn summary_lines(report: &Report) -> Vec<String> {
    use super::model::Verdict;
    const NAMED: usize = 6;
    report
        .implementations
        .iter()
        .map(|r| {
            let who = format!("{} {}", r.adapter.name, r.adapter.version);
            let s = &r.summary;
            let total: usize = s.counts.values().sum();
            let random = format!("random: {} of {} failed", r.random.failed, r.random.cases);
            match s.verdict {
                Verdict::Error => format!(
                    "{who}: error: {}",
                    s.error.as_deref().unwrap_or("it never answered")
                ),
                Verdict::Conforms => {
                    let counts: Vec<String> = s
                        .counts
                        .iter()
                        .map(|(tag, n)| format!("{n} {tag}"))
                        .collect();
                    format!(
                        "{who}: conforms on {total} cases ({}); {random}",
                        counts.join(", ")
                    )
                }
                Verdict::Fails => {
                    let mut named: Vec<&str> =
                        s.failing.iter().take(NAMED).map(String::as_str).collect();
                    if s.failing.len() > NAMED {
                        named.push("…");
                    }
                    let cases = if s.failing.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", named.join(", "))
                    };
                    format!(
                        "{who}: fails {} of {total} cases{cases}; {random}",
                        s.failing.len()
                    )
                }
            }
        })
        .collect()
}
