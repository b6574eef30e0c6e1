//! `mfaspec run` as a person runs it: scenarios selected by tag, nothing selected (exit 4), a
//! bad profile or an unreachable endpoint (exit 2), expectation files (xfail, xpass, stale
//! entries), no secret in the output, and emulators' "unsupported" answers.

use std::io::Write as _;

use crate::support::scratch::Scratch;
use crate::support::selftest::{assert_bad_input, mfaspec, run_scratch, stderr, stdout};

/// `mfaspec run` against the embedded reference endpoint, one tag: exit 0 and reports.
#[test]
fn run_selected_scenarios_against_the_reference_endpoint() {
    let reports = std::env::temp_dir().join(format!("mfaspec-cli-run-{}", std::process::id()));
    let o = mfaspec(
        &[
            "run",
            "--tags",
            "@id:pool_mfa_config.set_user_pool_mfa_config.on_without_factor",
            "--report-dir",
            reports.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("1 scenario in") && stdout(&o).contains("1 pass"),
        "{}",
        stdout(&o)
    );
    let outcomes = std::fs::read_to_string(reports.join("reference/outcomes.json")).unwrap();
    assert!(outcomes.contains(r#""outcome": "pass""#), "{outcomes}");
    assert!(reports.join("reference/junit.xml").exists());
    std::fs::remove_dir_all(&reports).unwrap();
}

#[test]
fn run_with_nothing_selected_exits_4() {
    let o = mfaspec(&["run", "--tags", "@no-such-tag"], None);
    assert_eq!(o.status.code(), Some(4), "{}", stdout(&o));
}

#[test]
fn run_with_a_bad_profile_exits_2_naming_file_line_and_column() {
    let dir = std::env::temp_dir().join(format!("mfaspec-cli-profile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("typo.yaml");
    std::fs::write(
        &profile,
        "name: typo\nendpoint: embedded\nendpiont: http://x\n",
    )
    .unwrap();
    let o = mfaspec(&["run", "--target", profile.to_str().unwrap()], None);
    let err = assert_bad_input(&o, &["typo.yaml", "line 3, column 1", "endpiont"]);
    assert!(
        err.starts_with("mfaspec: failed to parse target profile"),
        "{err}"
    );
    assert_bad_input(
        &mfaspec(&["run", "--target", "nonesuch"], None),
        &["no target `nonesuch`"],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_against_an_unreachable_endpoint_exits_2() {
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", free.local_addr().unwrap());
    drop(free);
    let dir = std::env::temp_dir().join(format!("mfaspec-cli-unreachable-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let profile = dir.join("gone.yaml");
    std::fs::write(&profile, format!("name: gone\nendpoint: {url}\n")).unwrap();
    let o = mfaspec(
        &[
            "run",
            "--target",
            profile.to_str().unwrap(),
            "--tags",
            "@must",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("does not answer"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// An unexpected failure fails the run and prints a ready-to-paste expectation entry.
#[test]
fn unexpected_failure_exits_1_with_an_entry_to_paste() {
    let scratch = Scratch::new("expect-fail");
    let o = run_scratch(&scratch, None);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("  - id: selftest.describe_user_pool.wrong_expectation\n"),
        "{}",
        stdout(&o)
    );
}

/// A listed failure is xfail, and the run is conformant.
#[test]
fn listed_failure_is_xfail() {
    let scratch = Scratch::new("expect-xfail");
    let e = scratch.file(
        "expect.yaml",
        "expected_failures:\n  - id: selftest.describe_user_pool.wrong_expectation\n    reason: the scenario expects the wrong exception on purpose\n",
    );
    let o = run_scratch(&scratch, Some(&e));
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("1 pass, 1 xfail"), "{}", stdout(&o));
}

/// Strict the other way: a listed scenario that passes (xpass), and an entry that matches no
/// scenario, both fail the run.
#[test]
fn xpass_and_stale_entries_exit_1() {
    let scratch = Scratch::new("expect-xpass");
    let e = scratch.file(
        "expect.yaml",
        "expected_failures:\n  - id: selftest.describe_user_pool.wrong_expectation\n    reason: on purpose\n  - id: selftest.unknown.passes\n    reason: stale entry\n  - id: selftest.nowhere.gone\n    reason: matches nothing\n",
    );
    let o = run_scratch(&scratch, Some(&e));
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("xpass  selftest.unknown.passes"),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains("stale  selftest.nowhere.gone"),
        "{}",
        stdout(&o)
    );
    let bad = scratch.file("bad.yaml", "expected_failures:\n  - id: x\n    why: no\n");
    let o = run_scratch(&scratch, Some(&bad));
    assert_bad_input(&o, &["bad.yaml", "line 3"]);
}

/// No secret that crossed the wire appears on the console or in any report: the password,
/// SecretCodes, sessions and tokens.
#[test]
fn run_output_and_reports_hold_no_secrets() {
    let scratch = Scratch::new("secrets");
    let reports = scratch.0.join("reports");
    let o = mfaspec(
        &[
            "run",
            "--tags",
            "@walkthrough or @id:codes.respond_to_auth_challenge.wrong_code",
            "--report-dir",
            reports.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let mut texts = vec![stdout(&o).to_owned(), stderr(&o).to_owned()];
    // The reproductions and the results history too: the reference endpoint under another
    // name, one scenario wrongly listed as an expected failure (an xpass gets a script and an
    // issue text), recorded with `matrix --results`.
    let profile = scratch.file(
        "other.yaml",
        "name: other\nversion: 9.9.9\nendpoint: embedded\nclock_control: true\nreplay_rule: same_step\ncapabilities: [admin.api, totp.verifies_codes, totp.session_setup]\n",
    );
    let listed = scratch.file(
        "listed.yaml",
        "expected_failures:\n  - id: codes.respond_to_auth_challenge.wrong_code\n    reason: listed on purpose\n",
    );
    let o = mfaspec(
        &[
            "run",
            "--target",
            &profile,
            "--expectations",
            &listed,
            "--tags",
            "@id:codes.respond_to_auth_challenge.wrong_code",
            "--report-dir",
            reports.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    texts.extend([stdout(&o).to_owned(), stderr(&o).to_owned()]);
    let repro = reports.join("other/repro");
    assert!(
        repro
            .join("codes.respond_to_auth_challenge.wrong_code.sh")
            .is_file()
    );
    assert!(
        repro
            .join("codes.respond_to_auth_challenge.wrong_code.issue.md")
            .is_file()
    );
    let results = reports.join("results");
    let o = mfaspec(
        &[
            "matrix",
            reports.to_str().unwrap(),
            "--results",
            results.to_str().unwrap(),
            "--write",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(results.join("other/9.9.9.json").is_file());
    assert!(
        results
            .join("other/9.9.9/repro/codes.respond_to_auth_challenge.wrong_code.sh")
            .is_file()
    );
    let mut dirs = vec![reports.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                texts.push(std::fs::read_to_string(path).unwrap());
            }
        }
    }
    for text in texts {
        assert!(!text.contains("Mfaspec-Pa55word"), "a password leaked");
        // JWTs start with a Base64url `{"`; sessions and refresh tokens are long opaque runs.
        // (A script's own scrubbing pattern, `eyJ[A-Za-z0-9._=+/-]{17,}`, is not a token.)
        let token = crate::support::leaks::has_token(&text);
        assert!(!token, "a token leaked");
        assert!(!crate::support::leaks::has_run_id(&text), "a run id leaked");
        let longest_run = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(
            longest_run < 52,
            "an opaque value of {longest_run} characters (a secret, session or token?) leaked"
        );
    }
}

/// A target that answers every request with an emulator's "unsupported" error: its scenarios
/// are n/a (the target lacks the feature), not failures — and with nothing run, exit 4.
#[test]
fn unsupported_answers_make_scenarios_not_applicable() {
    use std::io::{BufRead, BufReader, Read};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let answer = r#"{"__type":"CognitoLocal#Unsupported","message":"Cognito Local unsupported feature: everything"}"#;
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    let scratch = Scratch::new("unsupported");
    let profile = scratch.file(
        "fake.yaml",
        &format!("name: fake\nendpoint: http://{addr}\n"),
    );
    let features = scratch.0.join("features");
    std::fs::create_dir_all(&features).unwrap();
    std::fs::write(
        features.join("one.feature"),
        "Feature: one\n\n  @id:selftest.create_user_pool.unsupported @api:CreateUserPool @doc:BOTO @must\n  Scenario: needs a pool\n    Given a user pool without MFA\n    When the administrator sets the pool's MFA configuration to OFF alone\n    Then the request succeeds\n",
    )
    .unwrap();
    let reports = scratch.0.join("reports");
    let o = mfaspec(
        &[
            "run",
            "--target",
            &profile,
            "--features",
            features.to_str().unwrap(),
            "--report-dir",
            reports.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(4), "{}\n{}", stdout(&o), stderr(&o));
    let outcomes = std::fs::read_to_string(reports.join("fake/outcomes.json")).unwrap();
    assert!(outcomes.contains(r#""outcome": "n/a""#), "{outcomes}");
    assert!(
        outcomes.contains("the target does not support CreateUserPool"),
        "{outcomes}"
    );
}
