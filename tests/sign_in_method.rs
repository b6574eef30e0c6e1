//! How the suite signs in: with `sign_in: srp` every scenario that is not about the password
//! flow itself goes through USER_SRP_AUTH and passes; an existing pool whose app client
//! allows only USER_SRP_AUTH is signed in with it (not a wall of n/a), and without the
//! auth.srp capability that is a configuration error (exit 2).

use mfaspec::cognito::Client;
use mfaspec::reference::{Options, Running};
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

use crate::support::scratch::{Scratch, mfaspec_command};

const CAPABILITIES: &str = "[admin.api, totp.verifies_codes, totp.session_setup, challenge.select_mfa_type, wire.raw, auth.srp, devices, auth.user_auth, plan.lite, plan.plus]";

fn outcomes(dir: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("outcomes.json")).unwrap()).unwrap()
}

fn passed(summary: &Value, id: &str) -> bool {
    summary["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["id"] == id && s["outcome"] == "pass")
}

#[test]
fn the_whole_suite_passes_signing_in_with_srp() {
    let scratch = Scratch::new("sign-in-srp");
    let profile = scratch.file(
        "srp.yaml",
        &format!("name: srp\nendpoint: embedded\nclock_control: true\nreplay_rule: same_step\nconcurrency: 16\nsign_in: srp\ncapabilities: {CAPABILITIES}\n"),
    );
    let reports = scratch.path("reports");
    let o = mfaspec_command()
        .args([
            "run",
            "--target",
            &profile,
            "--report-dir",
            reports.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Signed in with USER_SRP_AUTH"), "{stdout}");
    let summary = outcomes(&reports.join("srp"));
    assert_eq!(summary["sign_in"], "srp");
    let scenarios = summary["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 69);
    assert!(
        crate::support::scratch::all_pass_but_the_browser(scenarios),
        "{summary}"
    );
    // The steps really signed in with SRP: most scenarios' answers include a PASSWORD_VERIFIER.
    let with_srp = std::fs::read_dir(reports.join("srp/responses"))
        .unwrap()
        .filter(|e| {
            std::fs::read_to_string(e.as_ref().unwrap().path())
                .unwrap()
                .contains("PASSWORD_VERIFIER")
        })
        .count();
    assert!(
        with_srp >= 45,
        "only {with_srp} scenarios went through PASSWORD_VERIFIER"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_client_that_allows_only_srp_is_signed_in_with_it() {
    let scratch = Scratch::new("existing-srp-only");
    let running = Running::start(
        "127.0.0.1:0".parse().unwrap(),
        &Options {
            clock_control: true,
            ..Options::default()
        },
    )
    .await
    .unwrap();
    let admin = Client::new(&running.url());
    let pool = admin
        .call(
            Operation::CreateUserPool,
            &json!({ "PoolName": "team-production" }),
        )
        .await
        .unwrap()["UserPool"]["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    admin
        .call(
            Operation::SetUserPoolMfaConfig,
            &json!({ "UserPoolId": pool, "MfaConfiguration": "OPTIONAL",
                     "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
        )
        .await
        .unwrap();
    // What Amplify's default app client allows.
    let client_id = admin
        .call(
            Operation::CreateUserPoolClient,
            &json!({ "UserPoolId": pool, "ClientName": "team-app",
                     "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
        )
        .await
        .unwrap()["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_owned();
    let profile_text = |capabilities: &str| {
        format!(
            "name: team\nendpoint: {}\nprovisioning: existing\nexisting:\n  pool_id: {pool}\n  client_id: {client_id}\n  create_users: true\nclock_control: true\nreplay_rule: same_step\nconcurrency: 4\ncapabilities: {capabilities}\n",
            running.url()
        )
    };
    let profile = scratch.file("team.yaml", &profile_text(CAPABILITIES));
    let reports = scratch.path("reports");
    let o = mfaspec_command()
        .args([
            "run",
            "--target",
            &profile,
            "--report-dir",
            reports.to_str().unwrap(),
            "--tags",
            "@walkthrough:9 or @id:auth_flows.initiate_auth.flow_not_enabled",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let summary = outcomes(&reports.join("team"));
    assert_eq!(summary["sign_in"], "srp", "{summary}");
    for id in [
        "walkthrough.initiate_auth.end_to_end",
        "walkthrough.admin_initiate_auth.end_to_end",
        "srp.initiate_auth.walkthrough_totp",
        "auth_flows.initiate_auth.flow_not_enabled",
    ] {
        assert!(passed(&summary, id), "{id} did not pass: {summary}");
    }

    // Without auth.srp the same client is a configuration error, said in one line.
    let profile = scratch.file(
        "team-no-srp.yaml",
        &profile_text("[admin.api, totp.verifies_codes]"),
    );
    let o = mfaspec_command()
        .args([
            "run",
            "--target",
            &profile,
            "--report-dir",
            reports.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("allows only ALLOW_USER_SRP_AUTH") && stderr.contains("auth.srp"),
        "{stderr}"
    );
    running.stop().await.unwrap();
}
