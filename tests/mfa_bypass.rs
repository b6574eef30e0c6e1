//! The negative control of `mfa_bypass.feature` and `user_auth.feature`: run against a
//! reference endpoint with one deliberate defect — USER_AUTH's PASSWORD first factor issues
//! tokens without the TOTP challenge — the suite fails exactly the scenarios that go through
//! that door and passes the others; against the endpoint without the defect it passes all.

use std::collections::BTreeSet;

use mfaspec::reference::{Defect, Options, Running};
use serde_json::Value;

use crate::support::scratch::Scratch;
use crate::support::selftest::{mfaspec, stderr, stdout};

/// The suite's two features on choice-based sign-in and MFA bypass, against an endpoint
/// started with `defect`: the exit code and the ids of the scenarios that failed.
async fn run(name: &str, defect: Option<Defect>) -> (Option<i32>, BTreeSet<String>) {
    let options = Options {
        clock_control: true,
        defect,
        ..Options::default()
    };
    let running = Running::start("127.0.0.1:0".parse().unwrap(), &options)
        .await
        .unwrap();
    let scratch = Scratch::new(name);
    let features = scratch.path("features");
    std::fs::create_dir_all(&features).unwrap();
    for (file, text) in [
        (
            "mfa_bypass.feature",
            include_str!("../features/mfa_bypass.feature"),
        ),
        (
            "user_auth.feature",
            include_str!("../features/user_auth.feature"),
        ),
    ] {
        std::fs::write(features.join(file), text).unwrap();
    }
    let profile = scratch.file(
        "target.yaml",
        &format!(
            "name: {name}\nendpoint: {}\nclock_control: true\nreplay_rule: same_step\ncapabilities: [admin.api, totp.verifies_codes, auth.srp, auth.user_auth]\n",
            running.url()
        ),
    );
    let reports = scratch.path("reports");
    let args: Vec<String> = [
        "run",
        "--target",
        &profile,
        "--features",
        features.to_str().unwrap(),
        "--report-dir",
        reports.to_str().unwrap(),
    ]
    .map(str::to_owned)
    .to_vec();
    let output = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        mfaspec(&args, None)
    })
    .await
    .unwrap();
    let outcomes = std::fs::read_to_string(reports.join(name).join("outcomes.json"))
        .unwrap_or_else(|e| panic!("{e}\n{}\n{}", stdout(&output), stderr(&output)));
    let outcomes: Value = serde_json::from_str(&outcomes).unwrap();
    let scenarios = outcomes["scenarios"].as_array().unwrap();
    assert_eq!(scenarios.len(), 20, "both features ran whole");
    let failed = scenarios
        .iter()
        .filter(|s| s["outcome"] != "pass")
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    (output.status.code(), failed)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_fails_an_endpoint_whose_user_auth_skips_mfa() {
    let (code, failed) = run("sound", None).await;
    assert_eq!((code, failed), (Some(0), BTreeSet::new()));

    let (code, failed) = run("defective", Some(Defect::UserAuthSkipsMfa)).await;
    assert_eq!(code, Some(1));
    let expected: BTreeSet<String> = [
        "mfa_bypass.initiate_auth.user_auth_preferring_password",
        "mfa_bypass.respond_to_auth_challenge.user_auth_choosing_password",
        "user_auth.respond_to_auth_challenge.password_then_totp",
        "user_auth.initiate_auth.preferred_password",
        "user_auth.admin_initiate_auth.preferred_password",
        "user_auth.respond_to_auth_challenge.wrong_code",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(failed, expected);
}
