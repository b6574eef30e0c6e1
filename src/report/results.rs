//! Results per target and version, kept as history (`docs/results/`): `mfaspec matrix
//! --results DIR` turns each target's run (its `outcomes.json` and `repro/`) into
//! `DIR/<target>/<version>.json` and `DIR/<target>/<version>/repro/<id>.sh`, and draws the
//! history of every target from all the files there: `DIR/index.html` (per scenario, the
//! outcome in each version, where it changed, the reproduction linked) and `DIR/README.md`
//! (per target, each version's totals and profiles, what changed, the newest deviations).
//!
//! A version's file is rewritten only by a run of that same version: upgrading an emulator
//! adds a column, the past stays as it was recorded. A target whose run names no version
//! (`version:` in its profile, `--target-version`) gets no results file.
//!
//! Owns: the results files and the history page. Uses: [`crate::outcome`],
//! [`crate::features`] (row order), the reproductions ([`super::repro`]).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::features::Suite;
use crate::markup::escape;
use crate::outcome::{Outcome, Summary};
use crate::report::json_file::{JsonFileError, read, read_error};
use crate::report::matrix::{CELL_CSS, class, column, symbol};
use crate::report::repro::Repro;

/// The files' schema.
pub const SCHEMA: &str = "mfaspec-results/1";

/// One target at one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// [`SCHEMA`].
    pub schema: String,
    /// The target's name.
    pub target: String,
    /// Its version.
    pub version: String,
    /// The mfaspec that ran the suite (`mfaspec 0.1.0`).
    pub suite: String,
    /// Each conformance profile: met or not.
    #[serde(default)]
    pub profiles: Vec<ProfileResult>,
    /// Every scenario of the run.
    pub scenarios: Vec<Entry>,
}

/// Whether a profile was met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileResult {
    /// The profile.
    pub name: String,
    /// Every scenario of it passed.
    pub met: bool,
    /// How many passed, of how many.
    pub passed: usize,
    /// Its scenarios.
    pub scenarios: usize,
}

/// A scenario's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Its id.
    pub id: String,
    /// Its feature file's stem.
    pub feature: String,
    /// Its name.
    pub name: String,
    /// What happened.
    pub outcome: Outcome,
    /// Why, with nothing of the run in it (the expectation's reason, the capability missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Where the target first differs, in a line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub differs: Option<String>,
    /// Its reproduction, relative to the results folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repro: Option<String>,
}

/// A results folder that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    /// A file that cannot be read, parsed or written.
    #[error(transparent)]
    File(#[from] JsonFileError),
    /// A results file that is not one.
    #[error("`{path}`: schema `{found}`, not {SCHEMA}")]
    Schema {
        /// The file.
        path: PathBuf,
        /// What it says.
        found: String,
    },
}

/// A results file that is not what this run found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The file.
    pub path: PathBuf,
    /// What differs, a line each.
    pub differences: Vec<String>,
}

/// One run's results, with the scripts to keep beside them.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// What goes into `<target>/<version>.json`.
    pub results: Results,
    /// `(file name, script)` for `<target>/<version>/repro/`.
    pub scripts: Vec<(String, String)>,
}

/// The results of the run in `target_dir` (a target's report folder), or `None` when it
/// names no version. The scripts get `endpoint` as their default (the profile's, not the
/// port this run happened to use).
///
/// # Errors
/// `outcomes.json` cannot be read.
pub fn from_run(
    target_dir: &Path,
    endpoint: &str,
    mfaspec_version: &str,
) -> Result<Option<Recorded>, ResultsError> {
    let summary: Summary = read(&target_dir.join("outcomes.json"))?;
    let Some(version) = summary.target_version.clone() else {
        return Ok(None);
    };
    let mut scripts = Vec::new();
    let scenarios = summary
        .scenarios
        .iter()
        .map(|s| {
            let json = target_dir
                .join("repro")
                .join(crate::report::snapshot::file_name(&s.id));
            let repro: Option<Repro> = json.is_file().then(|| read(&json).ok()).flatten();
            let (differs, repro) = match repro {
                Some(mut r) => {
                    r.target.endpoint = endpoint.to_owned();
                    let stem = crate::report::repro::file_stem(&s.id);
                    scripts.push((stem.clone(), crate::report::repro::render(&r)));
                    (
                        crate::report::repro::difference_line(&r),
                        Some(format!(
                            "{}/{}/repro/{stem}",
                            summary.target,
                            safe(&version)
                        )),
                    )
                }
                None => (None, None),
            };
            Entry {
                id: s.id.clone(),
                feature: s.feature.clone(),
                name: s.name.clone(),
                outcome: s.outcome,
                reason: s
                    .reason
                    .as_deref()
                    .filter(|_| s.outcome != Outcome::Pass)
                    .map(crate::report::console::generic),
                differs,
                repro,
            }
        })
        .collect();
    Ok(Some(Recorded {
        results: Results {
            schema: SCHEMA.into(),
            target: summary.target.clone(),
            version,
            suite: format!("mfaspec {mfaspec_version}"),
            profiles: summary
                .profiles
                .iter()
                .map(|p| ProfileResult {
                    name: p.name.clone(),
                    met: p.met,
                    passed: p.passed,
                    scenarios: p.scenarios,
                })
                .collect(),
            scenarios,
        },
        scripts,
    }))
}

/// A version as a file name: what is not a letter, a digit, `.`, `-` or `_` becomes `_`.
fn safe(version: &str) -> String {
    version
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Where `results` is kept under `dir`.
#[must_use]
pub fn path_of(dir: &Path, results: &Results) -> PathBuf {
    dir.join(&results.target)
        .join(format!("{}.json", safe(&results.version)))
}

/// Whether `dir` holds this run's outcomes for the target at its version: `None` when it
/// does, else what differs (outcomes by scenario; the reasons and lines of a deviation are
/// not compared — they are refreshed by `--write` without changing what was found).
#[must_use]
pub fn check(dir: &Path, recorded: &Recorded) -> Option<Stale> {
    let path = path_of(dir, &recorded.results);
    let stale = |differences| {
        Some(Stale {
            path: path.clone(),
            differences,
        })
    };
    let kept: Results = match read(&path) {
        Ok(k) => k,
        Err(e) => return stale(vec![e.to_string()]),
    };
    let old: BTreeMap<&str, Outcome> = kept
        .scenarios
        .iter()
        .map(|e| (e.id.as_str(), e.outcome))
        .collect();
    let new: BTreeMap<&str, Outcome> = recorded
        .results
        .scenarios
        .iter()
        .map(|e| (e.id.as_str(), e.outcome))
        .collect();
    let ids: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
    let differences: Vec<String> = ids
        .into_iter()
        .filter(|id| old.get(id) != new.get(id))
        .map(|id| {
            let show =
                |o: Option<&Outcome>| o.map_or_else(|| "absent".to_owned(), Outcome::to_string);
            format!(
                "{id}: kept {}, this run {}",
                show(old.get(id)),
                show(new.get(id))
            )
        })
        .collect();
    if differences.is_empty() {
        None
    } else {
        stale(differences)
    }
}

/// Writes `recorded` into `dir` (its file and its scripts, replacing that version's
/// scripts); returns the file's path.
///
/// # Errors
/// A file that cannot be written.
pub fn write(dir: &Path, recorded: &Recorded) -> Result<PathBuf, ResultsError> {
    let path = path_of(dir, &recorded.results);
    let scripts = dir
        .join(&recorded.results.target)
        .join(safe(&recorded.results.version))
        .join("repro");
    let _ = std::fs::remove_dir_all(&scripts);
    std::fs::create_dir_all(&scripts).map_err(read_error(&scripts))?;
    for (name, text) in &recorded.scripts {
        let file = scripts.join(name);
        crate::report::repro::write_script(&file, text).map_err(read_error(&file))?;
    }
    let json = serde_json::to_string_pretty(&recorded.results).map_err(std::io::Error::other);
    let json = json.map_err(read_error(&path))?;
    std::fs::write(&path, json + "\n").map_err(read_error(&path))?;
    Ok(path)
}

/// Every results file under `dir`, by target, oldest version first.
///
/// # Errors
/// A file that cannot be read or is not a results file.
pub fn load_all(dir: &Path) -> Result<BTreeMap<String, Vec<Results>>, ResultsError> {
    let mut all: BTreeMap<String, Vec<Results>> = BTreeMap::new();
    let Ok(targets) = std::fs::read_dir(dir) else {
        return Ok(all);
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for target in targets.filter_map(Result::ok) {
        if let Ok(entries) = std::fs::read_dir(target.path()) {
            files.extend(
                entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|x| x == "json")),
            );
        }
    }
    files.sort();
    for path in files {
        let results: Results = read(&path)?;
        if results.schema != SCHEMA {
            return Err(ResultsError::Schema {
                path,
                found: results.schema,
            });
        }
        all.entry(results.target.clone()).or_default().push(results);
    }
    for versions in all.values_mut() {
        versions.sort_by(|a, b| compare_versions(&a.version, &b.version));
    }
    Ok(all)
}

/// Orders versions as people number them: `1.10.0` after `1.9.2`; numeric parts as numbers,
/// the rest as text.
#[must_use]
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let parts = |v: &str| -> Vec<(u64, String)> {
        v.split(['.', '-', '+', '_'])
            .map(|p| {
                let digits: String = p.chars().take_while(char::is_ascii_digit).collect();
                (digits.parse().unwrap_or(0), p[digits.len()..].to_owned())
            })
            .collect()
    };
    parts(a).cmp(&parts(b)).then_with(|| a.cmp(b))
}

/// Whether two outcomes count the same on the page (fail and xfail differ: one was listed).
fn same(a: Option<Outcome>, b: Option<Outcome>) -> bool {
    class(a) == class(b)
}

/// Targets in the page's order: the reference endpoint first, then by name.
fn ordered(all: &BTreeMap<String, Vec<Results>>) -> Vec<(&String, &Vec<Results>)> {
    let mut targets: Vec<_> = all.iter().collect();
    targets.sort_by_key(|(t, _)| (t.as_str() != "reference", (*t).clone()));
    targets
}

/// Rows of a target's history: the suite's scenarios in file order, then any that only an
/// older version's file has.
fn rows<'a>(versions: &'a [Results], suite: &Suite) -> Vec<(String, String, String)> {
    let mut seen: BTreeMap<&'a str, (&'a str, &'a str)> = BTreeMap::new();
    for r in versions {
        for e in &r.scenarios {
            seen.entry(&e.id).or_insert((&e.feature, &e.name));
        }
    }
    let mut out = Vec::new();
    let mut placed = BTreeSet::new();
    for s in &suite.scenarios {
        let id = s.id.to_string();
        if seen.contains_key(id.as_str()) {
            placed.insert(id.clone());
            out.push((s.feature.clone(), id, s.name.clone()));
        }
    }
    for (id, (feature, name)) in seen {
        if !placed.contains(id) {
            out.push((feature.to_owned(), id.to_owned(), name.to_owned()));
        }
    }
    out
}

fn entry<'a>(r: &'a Results, id: &str) -> Option<&'a Entry> {
    r.scenarios.iter().find(|e| e.id == id)
}

fn totals(r: &Results) -> [usize; 4] {
    let mut t = [0; 4];
    for e in &r.scenarios {
        t[column(e.outcome)] += 1;
    }
    t
}

/// The profiles a version met, comma-separated, or `none`.
fn met(r: &Results) -> String {
    let met: Vec<&str> = r
        .profiles
        .iter()
        .filter(|p| p.met)
        .map(|p| p.name.as_str())
        .collect();
    if met.is_empty() {
        "none".into()
    } else {
        met.join(", ")
    }
}

/// A scenario whose outcome changed from one version to the next.
struct Change {
    from: String,
    to: String,
    id: String,
    before: Option<Outcome>,
    after: Option<Outcome>,
}

/// What changed from each version to the next.
fn changes(versions: &[Results]) -> Vec<Change> {
    let mut out = Vec::new();
    for pair in versions.windows(2) {
        let ids: BTreeSet<&str> = pair
            .iter()
            .flat_map(|r| r.scenarios.iter().map(|e| e.id.as_str()))
            .collect();
        for id in ids {
            let before = entry(&pair[0], id).map(|e| e.outcome);
            let after = entry(&pair[1], id).map(|e| e.outcome);
            if !same(before, after) {
                out.push(Change {
                    from: pair[0].version.clone(),
                    to: pair[1].version.clone(),
                    id: id.to_owned(),
                    before,
                    after,
                });
            }
        }
    }
    out
}

const LEGEND: &str = "✅ behaves as AWS documents · ⚠️ differs, as the target's expectations file says · ❌ differs unexpectedly · n/a the target lacks a capability the scenario needs · – not in that version's run. A cell outlined in blue changed since the version before. Scenarios that pass in every version are hidden unless asked for.";

/// `README.md` of the results folder: per target, each version's totals and the profiles it
/// met, what changed between versions, and the newest version's deviations with their
/// reproductions.
#[must_use]
pub fn to_markdown(all: &BTreeMap<String, Vec<Results>>) -> String {
    let mut out = String::from(
        "# Results per target and version\n\n\
         Generated by `mfaspec matrix --results docs/results` from the `<target>/<version>.json` files\n\
         beside this one (do not edit): each emulator's results at each version `scripts/peers.sh`\n\
         has pinned, kept when it moves on. `index.html` shows every scenario across versions.\n\
         Each deviation's reproduction is a script of AWS CLI calls:\n\
         `bash <target>/<version>/repro/<id>.sh ENDPOINT` exits 1 at the first answer that differs\n\
         from what AWS documents and 0 when the endpoint behaves as documented.\n",
    );
    for (target, versions) in ordered(all) {
        let _ = writeln!(out, "\n## {target}\n");
        let _ = writeln!(
            out,
            "| version | suite | ✅ / ⚠️ / ❌ / n/a | profiles met |\n|---|---|---|---|"
        );
        for r in versions {
            let [p, x, f, n] = totals(r);
            let _ = writeln!(
                out,
                "| {} | {} | {p} / {x} / {f} / {n} | {} |",
                r.version,
                r.suite,
                met(r)
            );
        }
        let changed = changes(versions);
        if !changed.is_empty() {
            let _ = writeln!(out, "\nChanged between versions:\n");
            for Change {
                from,
                to,
                id,
                before,
                after,
            } in changed
            {
                let show = |o: Option<Outcome>| o.map_or_else(|| "–".to_owned(), |o| o.to_string());
                let _ = writeln!(
                    out,
                    "- {from} → {to}: `{id}` {} → {}",
                    show(before),
                    show(after)
                );
            }
        }
        let newest = versions.last().expect("a target has a version");
        let deviations: Vec<&Entry> = newest
            .scenarios
            .iter()
            .filter(|e| matches!(e.outcome, Outcome::Fail | Outcome::Xfail | Outcome::Xpass))
            .collect();
        if !deviations.is_empty() {
            let _ = writeln!(
                out,
                "\nWhere {target} {} differs from AWS ({}):\n\n| scenario | where | reproduction |\n|---|---|---|",
                newest.version,
                crate::outcome::plural(deviations.len(), "scenario")
            );
            for e in deviations {
                let repro = e.repro.as_deref().map_or_else(
                    || "— (see the run's repro/README.md for why)".to_owned(),
                    |r| format!("[script]({r})"),
                );
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {repro} |",
                    e.id,
                    e.differs
                        .as_deref()
                        .or(e.reason.as_deref())
                        .unwrap_or("")
                        .replace('|', "\\|")
                );
            }
        }
    }
    out
}

/// `index.html`: per target, every scenario's outcome in each version.
#[must_use]
pub fn to_html(all: &BTreeMap<String, Vec<Results>>, suite: &Suite) -> String {
    let mut out = String::from("<h1>mfaspec results per target and version</h1>\n<p>");
    out.push_str(&escape(LEGEND));
    out.push_str("</p>\n<p>Targets:");
    for (target, versions) in ordered(all) {
        let _ = write!(
            out,
            " <a href=\"#{0}\">{0}</a> ({1})",
            escape(target),
            escape(
                &versions
                    .iter()
                    .map(|r| r.version.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
    }
    out.push_str("</p>\n<form id=\"filters\"><label><input type=\"checkbox\" id=\"all-pass\"> show scenarios that pass in every version</label></form>\n");
    for (target, versions) in ordered(all) {
        let _ = writeln!(
            out,
            "<h2 id=\"{0}\">{0}</h2>\n<table>\n<thead><tr><th>scenario</th>",
            escape(target)
        );
        for r in versions {
            let _ = write!(
                out,
                "<th>{}<br><small>{}</small></th>",
                escape(&r.version),
                escape(&r.suite)
            );
        }
        out.push_str("</tr>\n<tr class=\"totals\"><th>✅ / ⚠️ / ❌ / n/a</th>");
        for r in versions {
            let [p, x, f, n] = totals(r);
            let _ = write!(out, "<td>{p} / {x} / {f} / {n}</td>");
        }
        out.push_str("</tr>\n<tr class=\"totals\"><th>profiles met</th>");
        for r in versions {
            let _ = write!(out, "<td>{}</td>", escape(&met(r)));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        let mut feature = String::new();
        for (f, id, name) in rows(versions, suite) {
            if f != feature {
                let _ = writeln!(
                    out,
                    "<tr class=\"group\"><th colspan=\"{}\">{}</th></tr>",
                    versions.len() + 1,
                    escape(&f)
                );
                feature = f;
            }
            // Rows that pass in every version are hidden until asked for: what a reader
            // looks for is where a target differs, and where that changed.
            let all_pass = versions
                .iter()
                .all(|r| entry(r, &id).is_some_and(|e| e.outcome == Outcome::Pass));
            let _ = write!(
                out,
                "<tr class=\"scenario{}\"><th>{}<br><code>{}</code></th>",
                if all_pass { " all-pass" } else { "" },
                escape(&name),
                escape(&id)
            );
            let mut before: Option<Option<Outcome>> = None;
            for r in versions {
                let e = entry(r, &id);
                let outcome = e.map(|e| e.outcome);
                let changed = before.is_some_and(|b| !same(b, outcome));
                before = Some(outcome);
                let title = e
                    .map(|e| {
                        let mut t = e.outcome.to_string();
                        if let Some(why) = e.differs.as_deref().or(e.reason.as_deref()) {
                            t.push_str(": ");
                            t.push_str(why);
                        }
                        t
                    })
                    .unwrap_or_else(|| "not in this version's run".into());
                let link = e
                    .and_then(|e| e.repro.as_deref())
                    .map(|r| format!(" <a href=\"{}\">repro</a>", escape(r)))
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<td class=\"{}{}\" title=\"{}\">{}{link}</td>",
                    class(outcome),
                    if changed { " changed" } else { "" },
                    escape(&title),
                    symbol(outcome)
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    crate::markup::table_page(
        "mfaspec results per target and version",
        &format!("{CELL_CSS}{PAGE_CSS}"),
        &out,
        PAGE_SCRIPT,
    )
}

/// This page's own style, after the matrix's cells ([`CELL_CSS`]).
const PAGE_CSS: &str = r"td.changed { outline: 3px solid #3b6fd8; outline-offset: -3px; }
h2 { margin-top: 2rem; }
body:not(.show-all-pass) tr.all-pass { display: none; }
";

/// The page's one filter: rows that pass in every version, shown or not.
const PAGE_SCRIPT: &str = r"document.getElementById('all-pass').addEventListener('change', function (e) {
  document.body.classList.toggle('show-all-pass', e.target.checked);
});
";

/// Writes `README.md` and `index.html` into `dir` from every results file there.
///
/// # Errors
/// A results file that cannot be read, a page that cannot be written.
pub fn write_pages(dir: &Path, suite: &Suite) -> Result<[PathBuf; 2], ResultsError> {
    let all = load_all(dir)?;
    let md = dir.join("README.md");
    let html = dir.join("index.html");
    std::fs::write(&md, to_markdown(&all)).map_err(read_error(&md))?;
    std::fs::write(&html, to_html(&all, suite)).map_err(read_error(&html))?;
    Ok([md, html])
}
