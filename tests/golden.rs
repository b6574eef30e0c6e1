//! Golden files: what `mfaspec run` and `mfaspec matrix` write — the console, `junit.xml`,
//! `outcomes.json`, `matrix.md` and `matrix.html`, and a digest of every scenario's recorded
//! responses — compared with `tests/golden/` after the parts that change from run to run
//! (durations, the scratch folder) are scrubbed, as cucumber-rs does with its own output.
//! A change of output shows here first, as a diff to read.
//!
//! `MFASPEC_BLESS=1 cargo test --test tests golden` writes the files anew; review the diff
//! before committing it. `MFASPEC_GOLDEN_BIN=/path/to/mfaspec` runs another build of the
//! binary against the same files (how a re-layout shows it changed no output).

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::support::scratch::Scratch;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The binary under test: this build's, or the one `MFASPEC_GOLDEN_BIN` names.
fn mfaspec(args: &[&str]) -> Output {
    let mut command = match std::env::var_os("MFASPEC_GOLDEN_BIN") {
        Some(bin) => {
            let mut c = std::process::Command::new(bin);
            c.current_dir(std::env::temp_dir());
            c
        }
        None => crate::support::scratch::mfaspec_command(),
    };
    command.args(args).output().expect("mfaspec runs")
}

/// Replaces what differs between two runs of the same thing: every duration (a number
/// followed by `s` or `ms`, `time="…"`, `"wall_seconds": …`) and the scratch folder.
fn scrub(text: &str, scratch: &Path) -> String {
    // cucumber prints a feature's path without its leading `/`.
    let full = scratch.display().to_string();
    let text = text
        .replace(&full, "<SCRATCH>")
        .replace(full.trim_start_matches('/'), "<SCRATCH>");
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if let Some(at) = line.find("\"wall_seconds\": ") {
            let rest = &line[at + 16..];
            let end = rest.find([',', '\n']).unwrap_or(rest.len());
            out.push_str(&line[..at + 16]);
            out.push_str("\"<DURATION>\"");
            out.push_str(&rest[end..]);
            continue;
        }
        out.push_str(&scrub_durations(&scrub_attr(line, "time")));
    }
    out
}

/// `name="…"` → `name="<DURATION>"`.
fn scrub_attr(line: &str, name: &str) -> String {
    let key = format!(" {name}=\"");
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(&key) {
        let value = &rest[at + key.len()..];
        let end = value.find('"').unwrap_or(value.len());
        out.push_str(&rest[..at + key.len()]);
        out.push_str("<DURATION>");
        rest = &value[end..];
    }
    out.push_str(rest);
    out
}

/// `1.8 s`, `12ms`, `0.3s` → `<DURATION>`: a number, optional space, `s` or `ms`, then no
/// letter.
fn scrub_durations(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '.'));
        if starts {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                j += 1;
            }
            let mut k = j;
            if chars.get(k) == Some(&' ') {
                k += 1;
            }
            let unit = if chars.get(k) == Some(&'m') && chars.get(k + 1) == Some(&'s') {
                2
            } else if chars.get(k) == Some(&'s') {
                1
            } else {
                0
            };
            let after = chars.get(k + unit);
            if unit > 0 && !after.is_some_and(|c| c.is_alphanumeric()) {
                out.push_str("<DURATION>");
                i = k + unit;
                continue;
            }
            out.extend(&chars[i..j]);
            i = j;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Compares `actual` (scrubbed) with `tests/golden/<name>`, or writes it when blessing.
/// Returns the failure to report, if any.
fn compare(name: &str, actual: &str) -> Option<String> {
    let path = golden_dir().join(name);
    if std::env::var_os("MFASPEC_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    let first = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "tests/golden/{name} differs from this run at line {}:\n  golden: {:?}\n  now:    {:?}\n(MFASPEC_BLESS=1 rewrites it; review the diff before committing)",
        first + 1,
        expected.lines().nth(first).unwrap_or("<end>"),
        actual.lines().nth(first).unwrap_or("<end>"),
    ))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One line per scenario: its recorded responses' SHA-256 (the shapes of every answer the
/// endpoint gave, normalised by the run).
fn responses_digest(dir: &Path) -> String {
    use sha2::Digest as _;
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let digest = sha2::Sha256::digest(std::fs::read(f).unwrap());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            format!("{hex}  {}\n", f.file_name().unwrap().to_string_lossy())
        })
        .collect()
}

/// The whole suite against the reference endpoint (but the browser scenarios, which depend
/// on Chromium being installed), then `mfaspec matrix` over its reports.
#[test]
fn the_suite_against_the_reference_writes_what_it_wrote() {
    let scratch = Scratch::new("golden-suite");
    let reports = scratch.path("reports");
    let o = mfaspec(&[
        "run",
        "--tags",
        "not @requires:hosted_ui",
        "--report-dir",
        reports.to_str().unwrap(),
    ]);
    let console = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{console}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let m = mfaspec(&["matrix", reports.to_str().unwrap()]);
    assert_eq!(m.status.code(), Some(0));
    let target = reports.join("reference");
    let s = |t: &str| scrub(t, &scratch.0);
    let failures: Vec<String> = [
        compare("suite.console.txt", &s(&console)),
        compare("suite.junit.xml", &s(&read(&target.join("junit.xml")))),
        compare(
            "suite.outcomes.json",
            &s(&read(&target.join("outcomes.json"))),
        ),
        compare(
            "suite.matrix-console.txt",
            &s(&String::from_utf8_lossy(&m.stderr)),
        ),
        compare("suite.matrix.md", &s(&read(&reports.join("matrix.md")))),
        compare("suite.matrix.html", &s(&read(&reports.join("matrix.html")))),
        compare(
            "suite.responses.sha256",
            &responses_digest(&target.join("responses")),
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A run with an unexpected failure, a pass and a stale expectation entry, and one with the
/// failure listed (xfail): the failure's rendering, the entry to paste, and the exit codes.
#[test]
fn failures_and_expectations_are_written_as_they_were() {
    let mut failures = Vec::new();
    for (name, expectations, code) in [
        (
            "selftest-fail",
            "expected_failures:\n  - id: selftest.nowhere.gone\n    reason: matches nothing\n",
            1,
        ),
        (
            "selftest-xfail",
            "expected_failures:\n  - id: selftest.describe_user_pool.wrong_expectation\n    reason: the scenario expects the wrong exception on purpose\n",
            0,
        ),
    ] {
        let scratch = Scratch::new(&format!("golden-{name}"));
        let features = scratch.path("features");
        std::fs::create_dir_all(&features).unwrap();
        std::fs::write(
            features.join("selftest.feature"),
            crate::support::selftest::FAILING_FEATURE,
        )
        .unwrap();
        let listed = scratch.file("expect.yaml", expectations);
        let reports = scratch.path("reports");
        let o = mfaspec(&[
            "run",
            "--features",
            features.to_str().unwrap(),
            "--expectations",
            &listed,
            "--report-dir",
            reports.to_str().unwrap(),
        ]);
        let console = String::from_utf8_lossy(&o.stdout);
        assert_eq!(o.status.code(), Some(code), "{console}");
        let target = reports.join("reference");
        let s = |t: &str| scrub(t, &scratch.0);
        failures.extend(
            [
                compare(&format!("{name}.console.txt"), &s(&console)),
                compare(
                    &format!("{name}.junit.xml"),
                    &s(&read(&target.join("junit.xml"))),
                ),
                compare(
                    &format!("{name}.outcomes.json"),
                    &s(&read(&target.join("outcomes.json"))),
                ),
            ]
            .into_iter()
            .flatten(),
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The scrubbing leaves everything but durations and the scratch folder as it was, and a
/// changed output is a failure that says where (the negative control of the tests above).
#[test]
fn scrubbing_takes_only_durations_and_a_changed_output_fails() {
    let scratch = Path::new("/tmp/x");
    assert_eq!(
        scrub(
            "86 scenarios in 1.8 s: 86 pass\n<testsuites time=\"1.805\" tests=\"3\">\n  \"wall_seconds\": 1.70,\n3 minutes pass; 12ms; 7 steps; /tmp/x/reports\n",
            scratch
        ),
        "86 scenarios in <DURATION>: 86 pass\n<testsuites time=\"<DURATION>\" tests=\"3\">\n  \"wall_seconds\": \"<DURATION>\",\n3 minutes pass; <DURATION>; 7 steps; <SCRATCH>/reports\n"
    );
    if std::env::var_os("MFASPEC_BLESS").is_none() {
        let golden = read(&golden_dir().join("selftest-fail.console.txt"));
        let changed = golden.replacen("fail", "pass", 1);
        let failure = compare("selftest-fail.console.txt", &changed).expect("a difference");
        assert!(
            failure
                .contains("tests/golden/selftest-fail.console.txt differs from this run at line"),
            "{failure}"
        );
    }
}

/// `totp-check` of mfaspec's own core alone (no speed, 50 random cases): its three reports,
/// the program's own path scrubbed from the JSON.
#[test]
fn totp_check_writes_what_it_wrote() {
    let scratch = Scratch::new("golden-totp-check");
    let dir = scratch.path("report");
    let o = mfaspec(&[
        "totp-check",
        "--speed",
        "0",
        "--random",
        "50",
        "--report-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let json = read(&dir.join("totp-check.json"));
    let json: String = json
        .lines()
        .map(|l| match l.find("\"command\": ") {
            Some(at) => format!("{}\"command\": \"<the program> totp-adapter\",\n", &l[..at]),
            None => format!("{l}\n"),
        })
        .collect();
    let s = |t: &str| scrub(t, &scratch.0);
    let failures: Vec<String> = [
        compare("totp-check.md", &s(&read(&dir.join("totp-check.md")))),
        compare("totp-check.html", &s(&read(&dir.join("totp-check.html")))),
        compare("totp-check.json", &s(&json)),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
