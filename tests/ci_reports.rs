//! What a CI system reads agrees with the run (junit.xml, outcomes.json, the exit code), a
//! mistaken setup is one configuration error (exit 2) and never a wall of conformance
//! failures, and the binary runs from any folder with no checkout in reach.

use std::io::{Read, Write};
use std::process::{Command, Output};

use mfaspec::reference::{Options, Running};
use serde_json::Value;

use crate::support::scratch::Scratch;

fn mfaspec_in(dir: Option<&std::path::Path>, args: &[&str]) -> Output {
    let mut command = crate::support::scratch::mfaspec_command();
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    command.output().expect("mfaspec runs")
}

fn mfaspec(args: &[&str]) -> Output {
    mfaspec_in(None, args)
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A configuration error: exit 2, one line on stderr mentioning `mentions`, and nothing
/// that looks like conformance results (no expectation entries, no outcomes).
fn assert_setup_error(o: &Output, mentions: &[&str]) {
    let (out, err) = text(o);
    assert_eq!(o.status.code(), Some(2), "stdout:\n{out}\nstderr:\n{err}");
    assert!(!out.contains("expected_failures"), "{out}");
    assert!(!out.contains(" fail"), "{out}");
    for m in mentions {
        assert!(err.contains(m), "{err:?} should mention {m:?}");
    }
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
}

/// [`crate::support::selftest::run_scratch`], with its junit.xml and outcomes.json.
fn run_selftest(scratch: &Scratch, expectations: Option<&str>) -> (Output, String, Value) {
    let o = crate::support::selftest::run_scratch(scratch, expectations);
    let reports = scratch.path("reports");
    let junit = std::fs::read_to_string(reports.join("reference/junit.xml")).unwrap();
    let outcomes: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("reference/outcomes.json")).unwrap(),
    )
    .unwrap();
    (o, junit, outcomes)
}

/// An xfail is a skipped test with the expectation's reason, not a red one; an unexpected
/// failure is a `<failure>` with mfaspec's reason, not cucumber's; a stale entry is a failed
/// test case of its own. The console counts agree.
#[test]
fn junit_says_what_the_outcomes_say() {
    let scratch = Scratch::new("junit-xfail");
    let listed = scratch.file(
        "expect.yaml",
        "expected_failures:\n  - id: selftest.describe_user_pool.wrong_expectation\n    reason: selftest 1 expects the wrong exception on purpose\n",
    );
    let (o, junit, outcomes) = run_selftest(&scratch, Some(&listed));
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("2 scenarios in") && out.contains("1 pass, 1 xfail"),
        "{out}"
    );
    assert!(!junit.contains("<failure"), "{junit}");
    assert!(
        junit.contains(r#"tests="2" failures="0" errors="0" skipped="1""#),
        "{junit}"
    );
    assert!(
        junit.contains("<skipped message=\"xfail: expected: selftest 1 expects the wrong exception on purpose\"/>"),
        "{junit}"
    );
    let listed = outcomes["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "selftest.describe_user_pool.wrong_expectation")
        .unwrap();
    assert_eq!(listed["outcome"], "xfail");

    let scratch = Scratch::new("junit-fail");
    let stale = scratch.file(
        "expect.yaml",
        "expected_failures:\n  - id: selftest.nowhere.gone\n    reason: matches nothing\n",
    );
    let (o, junit, _) = run_selftest(&scratch, Some(&stale));
    assert_eq!(o.status.code(), Some(1));
    assert!(!junit.contains("Step panicked"), "{junit}");
    assert!(
        junit.contains(
            r#"<failure type="fail" message="failed with InvalidParameterException (HTTP 400)"#
        ),
        "{junit}"
    );
    assert!(
        junit.contains(r#"name="stale expectation [selftest.nowhere.gone]""#),
        "{junit}"
    );
    assert!(
        junit.contains(r#"tests="3" failures="2" errors="0" skipped="0""#),
        "{junit}"
    );
    // cucumber's own reports, which contradicted these, are gone.
    assert!(!scratch.path("reports/reference/cucumber.json").exists());
}

/// `--tags @walkthrough:7` selects every scenario that calls VerifySoftwareToken, not just
/// the end-to-end ones.
#[test]
fn a_walkthrough_step_tag_selects_every_scenario_that_exercises_it() {
    let scratch = Scratch::new("walkthrough-7");
    let o = mfaspec(&[
        "run",
        "--tags",
        "@walkthrough:7",
        "--report-dir",
        scratch.0.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).0);
    let outcomes: Value = serde_json::from_str(
        &std::fs::read_to_string(scratch.path("reference/outcomes.json")).unwrap(),
    )
    .unwrap();
    let ids: Vec<&str> = outcomes["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    for id in [
        "walkthrough.initiate_auth.end_to_end",
        "codes.verify_software_token.wrong_then_right",
        "tokens.verify_software_token.revoked",
        "mfa_setup.respond_to_auth_challenge.session_chain",
    ] {
        assert!(ids.iter().any(|i| i.starts_with(id)), "{id} not in {ids:?}");
    }
    assert!(ids.len() >= 12, "{ids:?}");
}

/// An HTTP server that answers every request with an HTML page, on a loopback port.
fn html_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut buffer = [0; 4096];
            let _ = stream.read(&mut buffer);
            let body = "<html><body>It works!</body></html>";
            let _ = write!(
                stream,
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

/// Every mistaken setup the issue lists: one line, exit 2.
#[test]
fn setup_mistakes_are_configuration_errors() {
    let scratch = Scratch::new("setup");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let plain = runtime
        .block_on(Running::start(
            "127.0.0.1:0".parse().unwrap(),
            &Options::default(),
        ))
        .unwrap();
    let url = plain.url();
    let profile = |name: &str, body: &str| scratch.file(&format!("{name}.yaml"), body);
    let run = |target: &str, extra: &[&str]| {
        let mut args = vec!["run", "--target", target, "--tags", "@must"];
        args.extend(extra);
        mfaspec(&args)
    };

    // Not Cognito at all.
    let web = profile("web", &format!("name: web\nendpoint: {}\n", html_server()));
    assert_setup_error(&run(&web, &[]), &["not Cognito-compatible", "HTML page"]);
    // The reference endpoint with a path after it.
    let path = profile("path", &format!("name: path\nendpoint: {url}/wrong\n"));
    assert_setup_error(&run(&path, &[]), &["does not know ListUserPools"]);
    // An emulator's profile pointed at mfaspec serve.
    assert_setup_error(
        &run("cognito-local", &["--endpoint", &url]),
        &["mfaspec's own reference endpoint", "cognito-local"],
    );
    // Clock control the endpoint does not have.
    let clock = profile(
        "clock",
        &format!("name: clock\nendpoint: {url}\nclock_control: true\n"),
    );
    assert_setup_error(
        &run(&clock, &[]),
        &["started without it", "mfaspec serve --clock-control"],
    );
    // An existing pool that does not exist.
    let gone = profile(
        "gone",
        &format!(
            "name: gone\nendpoint: {url}\nprovisioning: existing\nexisting:\n  pool_id: us-east-1_nope\n  client_id: nope\n"
        ),
    );
    assert_setup_error(&run(&gone, &[]), &["existing.pool_id `us-east-1_nope`"]);
    // An existing pool whose app client does not exist, or cannot sign anyone in.
    let admin = mfaspec::cognito::Client::new(&url);
    let (pool_id, client_id) = runtime.block_on(async {
        use mfaspec::vocabulary::Operation;
        let pool = admin
            .call(
                Operation::CreateUserPool,
                &serde_json::json!({ "PoolName": "team" }),
            )
            .await
            .unwrap();
        let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
        let client = admin
            .call(
                Operation::CreateUserPoolClient,
                &serde_json::json!({ "UserPoolId": pool_id, "ClientName": "app",
                                     "ExplicitAuthFlows": ["ALLOW_REFRESH_TOKEN_AUTH"] }),
            )
            .await
            .unwrap();
        let client_id = client["UserPoolClient"]["ClientId"]
            .as_str()
            .unwrap()
            .to_owned();
        (pool_id, client_id)
    });
    let existing = |client: &str| {
        format!(
            "name: team\nendpoint: {url}\nprovisioning: existing\nexisting:\n  pool_id: {pool_id}\n  client_id: {client}\n"
        )
    };
    let no_client = profile("no-client", &existing("nope"));
    assert_setup_error(&run(&no_client, &[]), &["existing.client_id `nope`"]);
    let no_flow = profile("no-flow", &existing(&client_id));
    assert_setup_error(
        &run(&no_flow, &[]),
        &["allows none of the flows", "ALLOW_REFRESH_TOKEN_AUTH"],
    );
    // --concurrency 0, an unknown capability, a name that would escape the report folder.
    assert_setup_error(
        &run("reference", &["--concurrency", "0"]),
        &["--concurrency must be at least 1"],
    );
    let typo = profile(
        "typo",
        "name: typo\nendpoint: embedded\ncapabilities: [admin.apy]\n",
    );
    assert_setup_error(
        &run(&typo, &[]),
        &["line 3", "`admin.apy` is not a capability", "admin.api"],
    );
    let escape = profile("escape", "name: ../../escape\nendpoint: embedded\n");
    assert_setup_error(&run(&escape, &[]), &["not a plain name"]);
    // --record into a folder that cannot be made.
    let blocker = scratch.file("blocker", "a file, not a folder");
    assert_setup_error(
        &run("reference", &["--record", &format!("{blocker}/record")]),
        &["--record"],
    );
    runtime.block_on(plain.stop()).unwrap();
}

/// Features that would pass vacuously or fail for no reason of the target's: exit 2 with
/// file and line, before anything runs.
#[test]
fn broken_features_are_configuration_errors() {
    for (name, files, says) in [
        (
            "undefined",
            vec![(
                "a.feature",
                "Feature: a\n  @id:a.b.c\n  Scenario: s\n    When the moon is full\n",
            )],
            "a.feature:4:5: no step definition matches `When the moon is full`",
        ),
        (
            "misspelt",
            vec![(
                "a.feature",
                "Feature: a\n  Scenari: s\n    When the moon is full\n",
            )],
            "a.feature:2:3: `Scenari:` is not a Gherkin keyword",
        ),
        (
            "duplicate",
            vec![
                (
                    "a.feature",
                    "Feature: a\n  @id:a.b.c\n  Scenario: s\n    When a client calls the operation X\n",
                ),
                (
                    "b.feature",
                    "Feature: b\n\n  @id:a.b.c\n  Scenario: t\n    When a client calls the operation Y\n",
                ),
            ],
            "b.feature:4:3: @id:a.b.c is also used at",
        ),
    ] {
        let scratch = Scratch::new(&format!("features-{name}"));
        for (file, text) in files {
            scratch.file(file, text);
        }
        let o = mfaspec(&["run", "--features", scratch.0.to_str().unwrap()]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {out}\n{err}");
        assert!(err.contains(says), "{name}: {err:?} should say {says:?}");
        assert!(!out.contains("pass"), "{name}: {out}");
    }
}

/// `diff` of two empty folders is not "no differences".
#[test]
fn diff_of_nothing_warns() {
    let scratch = Scratch::new("diff-empty");
    std::fs::create_dir_all(scratch.path("a")).unwrap();
    std::fs::create_dir_all(scratch.path("b")).unwrap();
    let o = mfaspec(&[
        "diff",
        scratch.path("a").to_str().unwrap(),
        scratch.path("b").to_str().unwrap(),
    ]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("warning") && err.contains("nothing to compare"),
        "{err}"
    );
}

/// A copy of the binary in an empty folder, far from the checkout: the built-in suite runs,
/// the built-in profiles resolve, and the reports land under the folder it runs in.
#[test]
fn the_binary_runs_from_anywhere() {
    let scratch = Scratch::new("relocated");
    let bin = scratch.path("mfaspec");
    std::fs::copy(env!("CARGO_BIN_EXE_mfaspec"), &bin).unwrap();
    let work = scratch.path("work");
    std::fs::create_dir_all(&work).unwrap();
    let o = Command::new(&bin)
        .current_dir(&work)
        .env_remove("CARGO_MANIFEST_DIR")
        .args([
            "run",
            "--tags",
            "@id:pool_mfa_config.set_user_pool_mfa_config.on_without_factor",
        ])
        .output()
        .unwrap();
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}\n{err}");
    assert!(
        work.join("target/mfaspec-report/reference/outcomes.json")
            .is_file(),
        "{out}"
    );
    assert!(
        out.contains("Reports: target/mfaspec-report/reference/junit.xml"),
        "{out}"
    );
    // A built-in emulator profile resolves without fixtures/ in reach.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let o = Command::new(&bin)
        .current_dir(&work)
        .args(["run", "--target", "moto", "--endpoint", &url])
        .output()
        .unwrap();
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("does not answer"), "{err}");
    // The matrix reads the built-in features too.
    let o = Command::new(&bin)
        .current_dir(&work)
        .arg("matrix")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
    assert!(work.join("target/mfaspec-report/matrix.md").is_file());
}
