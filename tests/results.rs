//! The results history (`mfaspec matrix --results DIR`): a run is recorded per target and
//! version with its reproductions; a new version adds a column and leaves the older file as it
//! was; `--check` fails when a run's outcomes are not the kept ones (negative control: the
//! same target with its defect fixed, at the recorded version); nothing of a run is in them.

use mfaspec::reference::{Defect, Options};
use mfaspec::report::results::compare_versions;

use crate::support::scratch::Scratch;
use crate::support::selftest::{mfaspec, run_kept_with, stderr};

const BYPASS: &str = include_str!("../features/mfa_bypass.feature");
const CAPABILITIES: &str = "admin.api, totp.verifies_codes, totp.session_setup, auth.user_auth";
const DEVIATING: &str = "mfa_bypass.initiate_auth.user_auth_preferring_password";

#[test]
fn versions_are_ordered_as_people_number_them() {
    let mut v = vec!["1.10.0", "1.9.2", "1.9.10", "0.51.0", "1.9.2-rc1", "2"];
    v.sort_by(|a, b| compare_versions(a, b));
    assert_eq!(v, ["0.51.0", "1.9.2", "1.9.2-rc1", "1.9.10", "1.10.0", "2"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_version_adds_a_column_and_the_past_stays_as_recorded() {
    let features = [("mfa_bypass.feature", BYPASS)];
    let history = Scratch::new("results-history");
    let dir = history.path("results");
    let dir_arg = dir.to_str().unwrap().to_owned();

    // Version 1.0 skips the TOTP challenge on USER_AUTH's password factor.
    let defect = Options {
        defect: Some(Defect::UserAuthSkipsMfa),
        ..Options::default()
    };
    let (_, old) = run_kept_with(
        "emu",
        defect,
        &features,
        CAPABILITIES,
        "version: \"1.0\"\n",
        &[],
    )
    .await;
    let reports = old.path("reports");
    let record = |reports: &std::path::Path, mode: &str| {
        mfaspec(
            &[
                "matrix",
                reports.to_str().unwrap(),
                "--results",
                &dir_arg,
                mode,
            ],
            None,
        )
    };
    let o = record(&reports, "--write");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v1 = std::fs::read_to_string(dir.join("emu/1.0.json")).unwrap();
    let v1_json: serde_json::Value = serde_json::from_str(&v1).unwrap();
    let deviation = v1_json["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == DEVIATING)
        .unwrap();
    assert_eq!(deviation["outcome"], "fail");
    assert!(
        deviation["differs"].as_str().unwrap().contains(
            "step 10 of 10, InitiateAuth: both succeed, but its answer lacks ChallengeName"
        ),
        "{deviation}"
    );
    let script = dir.join(deviation["repro"].as_str().unwrap());
    let script_text = std::fs::read_to_string(&script).unwrap();
    assert!(
        script_text.starts_with("#!/usr/bin/env bash\n"),
        "{script_text}"
    );
    assert!(script_text.contains("(1.0): fail."), "{script_text}");
    // The run's own matrix page links the script the run left.
    let o = mfaspec(&["matrix", reports.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let page = std::fs::read_to_string(reports.join("matrix.html")).unwrap();
    assert!(
        page.contains(&format!("<a href=\"emu/repro/{DEVIATING}.sh\">repro</a>")),
        "{page}"
    );
    // The same run checks clean against what it recorded.
    let o = record(&reports, "--check");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    // Negative control: the fixed target claiming the recorded version is not what was kept.
    let (_, fixed) = run_kept_with(
        "emu",
        Options::default(),
        &features,
        CAPABILITIES,
        "version: \"1.0\"\n",
        &[],
    )
    .await;
    let o = record(&fixed.path("reports"), "--check");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("emu/1.0.json` is not this run's results"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains(&format!("{DEVIATING}: kept fail, this run pass")),
        "{}",
        stderr(&o)
    );

    // Version 1.1, fixed: a column added; 1.0's file is byte for byte what it was.
    let (_, new) = run_kept_with(
        "emu",
        Options::default(),
        &features,
        CAPABILITIES,
        "version: \"1.0\"\n",
        &["--target-version", "1.1"],
    )
    .await;
    let o = record(&new.path("reports"), "--write");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(dir.join("emu/1.0.json")).unwrap(),
        v1
    );
    assert!(script.is_file(), "1.0's reproductions stay");
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("| 1.0 | mfaspec "), "{readme}");
    assert!(readme.contains("| 1.1 | mfaspec "), "{readme}");
    assert!(
        readme.contains(&format!("- 1.0 → 1.1: `{DEVIATING}` fail → pass")),
        "{readme}"
    );
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(html.contains("<td class=\"pass changed\""), "{html}");
    // A row that passes in both versions is hidden by default; the one that changed is not.
    assert!(
        html.contains("<tr class=\"scenario all-pass\"><th>USER_PASSWORD_AUTH<br>"),
        "{html}"
    );
    assert!(
        html.contains("<tr class=\"scenario\"><th>USER_AUTH, preferring PASSWORD<br>"),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"emu/1.0/repro/{DEVIATING}.sh\"")),
        "{html}"
    );

    // Nothing of a run in any of it: no run id, no password, no token.
    for entry in walk(&dir) {
        let text = std::fs::read_to_string(&entry).unwrap();
        assert!(
            !crate::support::leaks::has_run_id(&text),
            "a run id in {}",
            entry.display()
        );
        for secret in ["Mfaspec-Pa55word!", "Temporary-Pa55!"] {
            assert!(!text.contains(secret), "{secret} in {}", entry.display());
        }
        let token = crate::support::leaks::has_token(&text);
        assert!(!token, "a token in {}", entry.display());
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
