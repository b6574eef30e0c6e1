//! `mfaspec` run as a person runs it (arguments and standard input), and the self-test suite:
//! a feature with one scenario that fails on purpose and one that passes, run with its
//! reports in a scratch folder.

use std::io::Write;
use std::process::{Output, Stdio};

use super::scratch::Scratch;

/// `mfaspec ARGS` with `stdin` on its standard input, in the tests' own working folder.
pub fn mfaspec(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = super::scratch::mfaspec_command()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the mfaspec binary runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    pipe.write_all(stdin.unwrap_or("").as_bytes())
        .expect("write stdin");
    drop(pipe);
    child.wait_with_output().expect("mfaspec exits")
}

/// A feature that fails on every target: it expects a message Cognito does not send.
pub const FAILING_FEATURE: &str = "Feature: deliberately failing\n\n  @id:selftest.describe_user_pool.wrong_expectation @api:DescribeUserPool @doc:BOTO @must\n  Scenario: expects the wrong exception\n    When a client sends DescribeUserPool without the required member UserPoolId\n    Then the request fails with ResourceNotFoundException\n\n  @id:selftest.unknown.passes @api:Unknown @doc:SMITHY-JSON @must\n  Scenario: passes\n    When a client calls the operation FrobnicateUserPool\n    Then the request fails with UnknownOperationException\n";

/// `mfaspec run` of [`FAILING_FEATURE`] with its reports in `scratch/reports`.
pub fn run_scratch(scratch: &Scratch, expectations: Option<&str>) -> Output {
    let features = scratch.0.join("features");
    std::fs::create_dir_all(&features).unwrap();
    std::fs::write(features.join("selftest.feature"), FAILING_FEATURE).unwrap();
    let reports = scratch.0.join("reports");
    let mut args = vec![
        "run",
        "--features",
        features.to_str().unwrap(),
        "--report-dir",
        reports.to_str().unwrap(),
    ];
    if let Some(e) = expectations {
        args.extend(["--expectations", e]);
    }
    mfaspec(&args, None)
}

pub fn stdout(o: &Output) -> &str {
    std::str::from_utf8(&o.stdout).unwrap()
}

pub fn stderr(o: &Output) -> &str {
    std::str::from_utf8(&o.stderr).unwrap()
}

/// A usage error: exit code 2, nothing on standard output, one line on standard error.
pub fn assert_bad_input(o: &Output, mentions: &[&str]) -> String {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(o));
    assert_eq!(stdout(o), "");
    let err = stderr(o);
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    for m in mentions {
        assert!(err.contains(m), "{err:?} should mention {m:?}");
    }
    err.to_owned()
}

/// `features` (file name and text) run by `mfaspec run` against a reference endpoint started
/// in-process with `options` (clock control on), under a profile named `name` with
/// `capabilities` and the extra profile lines `extra`: the exit code and the scenarios that
/// did not pass (`"<id> <outcome>"`).
/// How many scenarios a feature runs: one a `Scenario:`, one an example row of an outline.
fn scenarios_in(text: &str) -> usize {
    let plain = text.matches("\n  Scenario:").count();
    let mut rows = 0;
    let mut in_examples = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with("Examples:") {
            in_examples = true;
            rows -= 1; // the header row that follows
        } else if in_examples && line.starts_with('|') {
            rows += 1;
        } else if !line.is_empty() {
            in_examples = false;
        }
    }
    plain + usize::try_from(rows.max(0)).unwrap_or(0)
}

pub async fn run_against(
    name: &str,
    options: mfaspec::reference::Options,
    features: &[(&str, &str)],
    capabilities: &str,
    extra: &str,
) -> (Option<i32>, std::collections::BTreeSet<String>) {
    let count = features
        .iter()
        .map(|(_, text)| scenarios_in(text))
        .sum::<usize>();
    let (output, scratch) = run_kept(name, options, features, capabilities, extra).await;
    let reports = scratch.path("reports");
    let outcomes = std::fs::read_to_string(reports.join(name).join("outcomes.json"))
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", stdout(&output), stderr(&output)));
    let outcomes: serde_json::Value = serde_json::from_str(&outcomes).unwrap();
    let scenarios = outcomes["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), count, "the features ran whole");
    let not_passed = scenarios
        .iter()
        .filter(|s| s["outcome"] != "pass")
        .map(|s| {
            format!(
                "{} {}",
                s["id"].as_str().unwrap(),
                s["outcome"].as_str().unwrap()
            )
        })
        .collect();
    (output.status.code(), not_passed)
}

/// As [`run_against`], but the scratch folder is the caller's: the run's reports are in its
/// `reports/<name>/`.
pub async fn run_kept(
    name: &str,
    options: mfaspec::reference::Options,
    features: &[(&str, &str)],
    capabilities: &str,
    extra: &str,
) -> (Output, Scratch) {
    run_kept_with(name, options, features, capabilities, extra, &[]).await
}

/// As [`run_kept`], with more arguments for `mfaspec run` (`{scratch}` in one stands for the
/// scratch folder).
pub async fn run_kept_with(
    name: &str,
    options: mfaspec::reference::Options,
    features: &[(&str, &str)],
    capabilities: &str,
    extra: &str,
    more: &[&str],
) -> (Output, Scratch) {
    let options = mfaspec::reference::Options {
        clock_control: true,
        ..options
    };
    let running = mfaspec::reference::Running::start("127.0.0.1:0".parse().unwrap(), &options)
        .await
        .unwrap();
    let scratch = Scratch::new(name);
    let folder = scratch.path("features");
    std::fs::create_dir_all(&folder).unwrap();
    for (file, text) in features {
        std::fs::write(folder.join(file), text).unwrap();
    }
    let extra = extra.replace("{url}", &running.url());
    let profile = scratch.file(
        "target.yaml",
        &format!(
            "name: {name}\nendpoint: {}\nclock_control: true\nreplay_rule: same_step\ncapabilities: [{capabilities}]\n{extra}",
            running.url()
        ),
    );
    let reports = scratch.path("reports");
    let args: Vec<String> = [
        "run",
        "--target",
        &profile,
        "--features",
        folder.to_str().unwrap(),
        "--report-dir",
        reports.to_str().unwrap(),
    ]
    .map(str::to_owned)
    .into_iter()
    .chain(
        more.iter()
            .map(|a| a.replace("{scratch}", scratch.path("").to_str().unwrap())),
    )
    .collect();
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        mfaspec(&args, None)
    })
    .await
    .unwrap();
    (output, scratch)
}
