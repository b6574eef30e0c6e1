//! The hosted-UI scenarios in a real browser, from the outside: `n/a` without Chromium, a
//! failed scenario's evidence kept without secrets, and the negative control of the scope
//! scenarios (an endpoint that ignores access tokens' scopes fails them).

use serde_json::Value;

/// Without a browser on the machine the hosted-UI scenarios are `n/a`, saying what to
/// install — not failures; with nothing else selected, nothing ran (exit 4). JUnit says the
/// same as the console.
#[test]
fn without_chromium_the_browser_scenarios_are_not_applicable() {
    let scratch = crate::support::scratch::Scratch::new("no-chromium");
    let reports = scratch.path("reports");
    let o = crate::support::scratch::mfaspec_command()
        .args(["run", "--tags", "@requires:hosted_ui", "--report-dir"])
        .arg(&reports)
        .env("MFASPEC_CHROMIUM", scratch.path("no-such-chromium"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(4), "{stdout}");
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("reference/outcomes.json")).unwrap(),
    )
    .unwrap();
    let scenarios = summary["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 11, "{summary}");
    for s in scenarios {
        assert_eq!(s["outcome"], "n/a", "{s}");
        let reason = s["reason"].as_str().unwrap();
        assert!(reason.starts_with("no Chromium found"), "{reason}");
        assert!(
            reason.contains("apt-get install chromium chromium-driver"),
            "{reason}"
        );
    }
    let junit = std::fs::read_to_string(reports.join("reference/junit.xml")).unwrap();
    assert!(junit.contains("no Chromium found"), "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");
}

/// A hosted-UI scenario that fails keeps the page beside the report — scrubbed: no TOTP key
/// (nor its QR code image), no authorization code, no token — and no screenshot of a page
/// that showed a key.
#[test]
fn a_failed_browser_scenario_keeps_the_page_without_secrets() {
    if mfaspec::webdriver::Browser::find().is_err() {
        eprintln!("skipped: no Chromium on this machine (.ci/run installs it)");
        return;
    }
    let scratch = crate::support::scratch::Scratch::new("hosted-evidence");
    let features = scratch.path("features");
    std::fs::create_dir_all(&features).unwrap();
    std::fs::write(
        features.join("broken.feature"),
        "Feature: broken on purpose\n\n  Background:\n    Given a user pool with MFA ON and software token MFA enabled\n    And the pool has a hosted UI domain and an app client that signs in through it\n    And a confirmed user\n\n  @id:broken.setup.secret_shown @api:mfa-setup @doc:HUI-TOTP @must @requires:hosted_ui\n  Scenario: fails on the setup page\n    When the user opens the hosted UI's sign-in page\n    And the user signs in on the page with their username and password\n    And the user's phone scans the QR code on the page\n    Then the page shows the error \"not on this page\"\n\n  @id:broken.token.after_code @api:oauth2/token @doc:HUI-TOKEN @must @requires:hosted_ui\n  Scenario: fails after the tokens\n    When the user opens the hosted UI's sign-in page\n    And the user signs in on the page with their username and password\n    And the user's phone scans the QR code on the page\n    And the user enters a fresh code and the device name \"P\" on the setup page\n    Then the browser comes back to the app with a code and the same state\n    When the app exchanges the code at the token endpoint\n    Then the token endpoint refuses with \"invalid_grant\"\n",
    )
    .unwrap();
    let reports = scratch.path("reports");
    let o = crate::support::scratch::mfaspec_command()
        .args(["run", "--features"])
        .arg(&features)
        .arg("--report-dir")
        .arg(&reports)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("page kept as browser/broken.setup.secret_shown.html (no screenshot: the page showed a TOTP secret)"), "{stdout}");
    let browser = reports.join("reference/browser");
    assert!(browser.join("broken.setup.secret_shown.html").exists());
    assert!(!browser.join("broken.setup.secret_shown.png").exists());
    let mut texts = vec![("stdout".to_owned(), stdout)];
    for dir in [reports.join("reference"), browser] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() && path.extension().is_some_and(|e| e != "png") {
                texts.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    let setup_page =
        std::fs::read_to_string(reports.join("reference/browser/broken.setup.secret_shown.html"))
            .unwrap();
    assert!(
        setup_page.contains("Set up your authenticator app"),
        "{setup_page}"
    );
    for (where_, text) in texts {
        assert!(!text.contains("eyJ"), "a token in {where_}");
        assert!(
            !text.contains("base64,"),
            "an image that may be the QR code in {where_}"
        );
        assert!(!text.contains("code="), "an authorization code in {where_}");
        // A TOTP key: 16 or more Base32 characters in a row, or in groups of four.
        let key = text
            .split(|c: char| !(c.is_ascii_uppercase() || ('2'..='7').contains(&c)))
            .any(|run| run.len() >= 16);
        let grouped = text.contains(char::is_uppercase)
            && text.split(' ').collect::<Vec<_>>().windows(4).any(|w| {
                w.iter().all(|g| {
                    g.len() == 4
                        && g.chars()
                            .all(|c| c.is_ascii_uppercase() || ('2'..='7').contains(&c))
                })
            });
        assert!(!key && !grouped, "a TOTP key in {where_}");
    }
}

/// The negative control of `token_scopes.feature`: against an endpoint that takes access
/// tokens whatever their scopes, exactly the refusals fail (one an operation), and the
/// scenarios about what is granted still pass; against the sound endpoint all pass.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scope_scenarios_fail_an_endpoint_that_ignores_scopes() {
    if mfaspec::webdriver::Browser::find().is_err() {
        eprintln!("skipped: no Chromium on this machine (.ci/run installs it)");
        return;
    }
    let features = [(
        "token_scopes.feature",
        include_str!("../../features/token_scopes.feature"),
    )];
    let capabilities = "admin.api, totp.verifies_codes, totp.session_setup, hosted_ui";
    let run = |name: &'static str, defect| {
        let options = mfaspec::reference::Options {
            defect,
            ..mfaspec::reference::Options::default()
        };
        crate::support::selftest::run_against(name, options, &features, capabilities, "")
    };
    let (code, not_passed) = run("scopes-sound", None).await;
    assert_eq!((code, not_passed), (Some(0), Default::default()));

    let (code, not_passed) = run(
        "scopes-ignored",
        Some(mfaspec::reference::Defect::IgnoresScopes),
    )
    .await;
    assert_eq!(code, Some(1));
    let mut want: std::collections::BTreeSet<String> = [
        "AssociateSoftwareToken",
        "ForgetDevice",
        "GetDevice",
        "GetUser",
        "GlobalSignOut",
        "ListDevices",
        "UpdateDeviceStatus",
        "VerifySoftwareToken",
    ]
    .iter()
    .map(|op| format!("token_scopes.access_token_operations.without_admin[{op}] fail"))
    .collect();
    want.insert("token_scopes.set_user_mfa_preference.without_admin fail".into());
    assert_eq!(not_passed, want);
}
