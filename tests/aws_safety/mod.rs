//! Real user pools, safely — proven against the reference endpoint posing as AWS: the `aws`
//! target (real SigV4 signing, the default credential chain fed by environment variables) is
//! pointed at a loopback endpoint with `AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER`. An
//! interrupted run leaves no `mfaspec-` pool or user behind; `cleanup` removes only prefixed
//! resources; the suite passes under injected throttling and server errors; `--keep-on-fail`
//! keeps and names what failed; no secret that crossed the wire reaches the console or a
//! report; recordings are stable and `diff` finds what differs.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use mfaspec::cognito::{Client, RetryPolicy};
use mfaspec::reference::faults::FaultSpec;
use mfaspec::reference::{Options, Running};
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

use crate::support::scratch::Scratch;

mod secrets;

/// The secret access key the tests hand to the default chain: it must never be printed.
const SECRET_ACCESS_KEY: &str = "mfaspecTESTsecretKEYthatMUSTneverBEprinted0";

/// `mfaspec` with the environment of a machine whose AWS credentials come from environment
/// variables and whose Cognito endpoint is `url` — and nothing that could reach AWS.
fn mfaspec_as_aws(url: &str) -> Command {
    let mut cmd = crate::support::scratch::mfaspec_command();
    for k in [
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_DEFAULT_REGION",
        "MFASPEC_TARGET",
    ] {
        cmd.env_remove(k);
    }
    cmd.env("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER", url)
        .env("AWS_ACCESS_KEY_ID", "AKIDMFASPECTEST")
        .env("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/mfaspec-test/config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/mfaspec-test/credentials",
        );
    cmd
}

async fn start(options: Options) -> (Running, Client) {
    let running = Running::start("127.0.0.1:0".parse().unwrap(), &options)
        .await
        .unwrap();
    let client = Client::new(&running.url()).with_retry(RetryPolicy {
        max_attempts: 20,
        base: Duration::from_millis(5),
        cap: Duration::from_millis(100),
    });
    (running, client)
}

async fn pools(client: &Client) -> Vec<(String, String)> {
    let answer = client
        .call(Operation::ListUserPools, &json!({ "MaxResults": 60 }))
        .await
        .unwrap();
    answer["UserPools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["Id"].as_str().unwrap().to_owned(),
                p["Name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn users(client: &Client, pool: &str) -> Vec<String> {
    let answer = client
        .call(
            Operation::ListUsers,
            &json!({ "UserPoolId": pool, "Limit": 60 }),
        )
        .await
        .unwrap();
    answer["Users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Username"].as_str().unwrap().to_owned())
        .collect()
}

async fn create_pool(client: &Client, name: &str) -> String {
    let answer = client
        .call(Operation::CreateUserPool, &json!({ "PoolName": name }))
        .await
        .unwrap();
    answer["UserPool"]["Id"].as_str().unwrap().to_owned()
}

fn mfaspec_prefixed(pools: &[(String, String)]) -> Vec<&str> {
    pools
        .iter()
        .filter(|(_, n)| n.starts_with("mfaspec-"))
        .map(|(_, n)| n.as_str())
        .collect()
}

/// The walk-through's three scenarios.
const WALKTHROUGH: &str = "@id:walkthrough.admin_initiate_auth.end_to_end or @id:walkthrough.initiate_auth.end_to_end or @id:walkthrough.admin_set_user_mfa_preference.end_to_end";

/// Waits (off the async threads) for a child to exit.
async fn wait(mut child: std::process::Child) -> Output {
    tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let read = |r: Option<Box<dyn std::io::Read + Send>>| {
            let mut s = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut s);
            }
            s
        };
        let stdout = read(child.stdout.take().map(|s| Box::new(s) as _));
        let stderr = read(child.stderr.take().map(|s| Box::new(s) as _));
        Output {
            status,
            stdout,
            stderr,
        }
    })
    .await
    .unwrap()
}

/// Starts `cmd` with its output in files (so that a long run never blocks on a full pipe).
fn spawn_logged(mut cmd: Command, dir: &Path) -> std::process::Child {
    cmd.stdout(std::fs::File::create(dir.join("stdout.txt")).unwrap())
        .stderr(std::fs::File::create(dir.join("stderr.txt")).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .expect("mfaspec starts")
}

fn logged(dir: &Path) -> (String, String) {
    (
        std::fs::read_to_string(dir.join("stdout.txt")).unwrap_or_default(),
        std::fs::read_to_string(dir.join("stderr.txt")).unwrap_or_default(),
    )
}

fn signal(child: &std::process::Child, name: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

/// Polls until `check` holds, at most 60 s.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..600 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Runs the walk-through against `target` posing as AWS, sends `signal_name` once `started`
/// holds, and checks the exit code; returns standard output and error.
async fn interrupt_walkthrough<F, Fut>(
    running: &Running,
    scratch: &Scratch,
    target: &str,
    signal_name: &str,
    code: i32,
    started: F,
) -> (String, String)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let mut cmd = mfaspec_as_aws(&running.url());
    cmd.args([
        "run",
        "--target",
        target,
        "--tags",
        WALKTHROUGH,
        "--report-dir",
    ])
    .arg(scratch.path("reports"));
    let child = spawn_logged(cmd, &scratch.0);
    eventually("the run to create what it needs", started).await;
    signal(&child, signal_name);
    let o = wait(child).await;
    let (stdout, stderr) = logged(&scratch.0);
    assert_eq!(o.status.code(), Some(code), "{stdout}\n{stderr}");
    (stdout, stderr)
}

/// Ctrl-C in the middle of a run against "AWS": the calls in flight land, every pool the run
/// made is deleted, and the exit code is 130.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_interrupted_run_leaves_no_pool_behind() {
    let scratch = Scratch::new("interrupt-int");
    // Slow requests, so that the signal lands while scenarios are in the middle of things.
    let (running, admin) = start(Options {
        faults: Some("delay=150ms".parse::<FaultSpec>().unwrap()),
        ..Options::default()
    })
    .await;
    let (stdout, stderr) = interrupt_walkthrough(&running, &scratch, "aws", "INT", 130, || async {
        !mfaspec_prefixed(&pools(&admin).await).is_empty()
    })
    .await;
    assert!(
        stderr.contains("interrupted by SIGINT: deleted user pool "),
        "{stderr}"
    );
    assert_eq!(mfaspec_prefixed(&pools(&admin).await), Vec::<&str>::new());
    assert!(!stdout.contains(SECRET_ACCESS_KEY) && !stderr.contains(SECRET_ACCESS_KEY));
    running.stop().await.unwrap();
}

/// SIGTERM in the middle of a run against an existing pool: the run's users are deleted, the
/// pool and its own users are untouched, and the exit code is 143.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_terminated_run_against_an_existing_pool_leaves_no_user_and_keeps_the_pool() {
    let scratch = Scratch::new("interrupt-term");
    let (running, admin) = start(Options {
        faults: Some("delay=150ms".parse::<FaultSpec>().unwrap()),
        ..Options::default()
    })
    .await;
    // The team's pool: MFA OPTIONAL with TOTP, a client as the walk-through needs, and a real user.
    let pool = create_pool(&admin, "team-production").await;
    admin
        .call(
            Operation::SetUserPoolMfaConfig,
            &json!({ "UserPoolId": pool, "MfaConfiguration": "OPTIONAL",
                     "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
        )
        .await
        .unwrap();
    let client = admin
        .call(
            Operation::CreateUserPoolClient,
            &json!({ "UserPoolId": pool, "ClientName": "team-app", "ExplicitAuthFlows":
                ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
        )
        .await
        .unwrap();
    let client_id = client["UserPoolClient"]["ClientId"].as_str().unwrap();
    admin
        .call(
            Operation::AdminCreateUser,
            &json!({ "UserPoolId": pool, "Username": "alice", "MessageAction": "SUPPRESS" }),
        )
        .await
        .unwrap();
    let profile = scratch.file(
        "team.yaml",
        &format!(
            "name: team\nendpoint: aws\nregion: us-east-1\nprovisioning: existing\nexisting:\n  pool_id: {pool}\n  client_id: {client_id}\n  create_users: true\nconcurrency: 2\ncapabilities: [admin.api, totp.verifies_codes, totp.session_setup]\n"
        ),
    );
    let (_, stderr) = interrupt_walkthrough(&running, &scratch, &profile, "TERM", 143, || async {
        users(&admin, &pool)
            .await
            .iter()
            .any(|u| u.starts_with("mfaspec-"))
    })
    .await;
    assert!(
        stderr.contains("interrupted by SIGTERM: deleted user mfaspec-"),
        "{stderr}"
    );
    assert_eq!(users(&admin, &pool).await, ["alice"]);
    assert_eq!(
        pools(&admin).await.len(),
        1,
        "the team's pool is still there"
    );
    running.stop().await.unwrap();
}

/// `cleanup` deletes only pools named mfaspec-…, only old ones with --older-than, and
/// nothing with --dry-run; in an existing pool, only users named mfaspec-….
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn cleanup_removes_only_prefixed_resources() {
    let (running, admin) = start(Options {
        clock_control: true,
        ..Options::default()
    })
    .await;
    let clock = |ms: u64| {
        let admin = admin.clone();
        async move {
            admin
                .move_clock(mfaspec::control::ClockRequest::Set(ms))
                .await
                .unwrap()
        }
    };
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    clock(now_ms - 3 * 3600 * 1000).await;
    create_pool(&admin, "mfaspec-crashed1-pool-1").await;
    create_pool(&admin, "team-production").await;
    clock(now_ms).await;
    create_pool(&admin, "mfaspec-running2-pool-1").await;
    let team = pools(&admin)
        .await
        .into_iter()
        .find(|(_, n)| n == "team-production")
        .unwrap()
        .0;
    for user in ["alice", "mfaspec-crashed1-user-4"] {
        admin
            .call(
                Operation::AdminCreateUser,
                &json!({ "UserPoolId": team, "Username": user, "MessageAction": "SUPPRESS" }),
            )
            .await
            .unwrap();
    }
    let cleanup = |args: &[&str]| {
        let mut cmd = mfaspec_as_aws(&running.url());
        cmd.args(["cleanup", "--target", "aws"]).args(args);
        cmd.output().unwrap()
    };
    let names = |pools: Vec<(String, String)>| {
        let mut names: Vec<String> = pools.into_iter().map(|(_, n)| n).collect();
        names.sort();
        names
    };

    let o = cleanup(&["--older-than", "2h", "--dry-run"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains("would delete user pool") && out.contains("mfaspec-crashed1-pool-1"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_eq!(pools(&admin).await.len(), 3, "a dry run deletes nothing");

    let o = cleanup(&["--older-than", "2h"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        names(pools(&admin).await),
        ["mfaspec-running2-pool-1", "team-production"]
    );
    let o = cleanup(&[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(names(pools(&admin).await), ["team-production"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("left 1 that are not mfaspec's"));

    // An existing pool: its mfaspec- users go, its own users and the pool stay.
    let scratch = Scratch::new("cleanup-existing");
    let profile = scratch.file(
        "team.yaml",
        &format!("name: team\nendpoint: aws\nregion: us-east-1\nprovisioning: existing\nexisting:\n  pool_id: {team}\n  client_id: unused\n"),
    );
    let o = cleanup(&[]);
    assert_eq!(o.status.code(), Some(0));
    let mut cmd = mfaspec_as_aws(&running.url());
    let o = cmd
        .args(["cleanup", "--target", &profile])
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(users(&admin, &team).await, ["alice"]);
    assert_eq!(names(pools(&admin).await), ["team-production"]);

    let o = cleanup(&["--older-than", "two hours"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--older-than"));
    running.stop().await.unwrap();
}

/// A profile like the built-in reference one, pointing at an endpoint started elsewhere.
fn reference_like(scratch: &Scratch, url: &str) -> String {
    scratch.file(
        "faulty.yaml",
        &format!(
            "name: faulty\nendpoint: {url}\nclock_control: true\nreplay_rule: same_step\nconcurrency: 16\nmax_attempts: 16\ncapabilities: [admin.api, totp.verifies_codes, totp.session_setup, challenge.select_mfa_type, wire.raw, auth.srp, devices, auth.user_auth, plan.lite, plan.plus]\n"
        ),
    )
}

/// The whole suite passes while one request in five is throttled and one in twenty fails
/// with HTTP 500 — the client retries them — and nothing is left behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_suite_passes_under_injected_throttling_and_server_errors() {
    let scratch = Scratch::new("faults");
    let (running, admin) = start(Options {
        clock_control: true,
        faults: Some(
            "throttle=0.2,error500=0.05,delay=2ms,seed=6238"
                .parse::<FaultSpec>()
                .unwrap(),
        ),
        ..Options::default()
    })
    .await;
    let profile = reference_like(&scratch, &running.url());
    let reports = scratch.path("reports");
    let o = crate::support::scratch::mfaspec_command()
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
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(reports.join("faulty/outcomes.json")).unwrap(),
    )
    .unwrap();
    let scenarios = summary["scenarios"].as_array().unwrap();
    assert!(scenarios.len() >= 54);
    assert!(
        crate::support::scratch::all_pass_but_the_browser(scenarios),
        "{summary}"
    );
    assert!(summary["retries"].as_u64().unwrap() > 20, "{summary}");
    assert!(
        scenarios.iter().any(|s| s["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("passed after "))),
        "a pass that needed retries says so"
    );
    assert!(stdout.contains("calls were retried after throttling or a server error"));
    let (throttled, failed) = running.endpoint.injected().unwrap();
    assert!(throttled > 20 && failed > 3, "{throttled} {failed}");
    assert_eq!(mfaspec_prefixed(&pools(&admin).await), Vec::<&str>::new());
    running.stop().await.unwrap();
}

const FAILING_FEATURE: &str = "Feature: deliberately failing\n\n  @id:selftest.create_user_pool.fails @api:CreateUserPool @doc:BOTO @must\n  Scenario: a scenario that fails after creating a pool\n    Given a user pool without MFA\n    Then the pool's MFA configuration is ON\n";

/// `--keep-on-fail` keeps a failing scenario's pool, says where it is, and `cleanup` removes
/// it afterwards; without the flag the pool is deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn keep_on_fail_keeps_and_names_the_failed_scenarios_pool() {
    let scratch = Scratch::new("keep");
    let (running, admin) = start(Options::default()).await;
    let features = scratch.path("features");
    std::fs::create_dir_all(&features).unwrap();
    std::fs::write(features.join("selftest.feature"), FAILING_FEATURE).unwrap();
    let run = |keep: bool| {
        let mut cmd = mfaspec_as_aws(&running.url());
        cmd.args([
            "run",
            "--target",
            "aws",
            "--features",
            features.to_str().unwrap(),
        ]);
        cmd.args(["--report-dir", scratch.path("reports").to_str().unwrap()]);
        if keep {
            cmd.arg("--keep-on-fail");
        }
        cmd.output().unwrap()
    };
    let o = run(false);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(mfaspec_prefixed(&pools(&admin).await), Vec::<&str>::new());

    let o = run(true);
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let kept = mfaspec_prefixed(&pools(&admin).await)
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    assert_eq!(kept.len(), 1, "{stdout}");
    assert!(
        stdout.contains("Kept for inspection (--keep-on-fail)"),
        "{stdout}"
    );
    assert!(stdout.contains(&kept[0]) && stdout.contains("mfaspec cleanup --target aws"));
    let o = mfaspec_as_aws(&running.url())
        .args(["cleanup", "--target", "aws"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(mfaspec_prefixed(&pools(&admin).await), Vec::<&str>::new());
    running.stop().await.unwrap();
}

/// Without credentials or a region the `aws` target stops before any request, exit 2, and
/// says what is missing.
#[test]
fn the_aws_target_without_credentials_or_region_is_a_clear_error() {
    let mut cmd = mfaspec_as_aws("http://127.0.0.1:1");
    cmd.env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY");
    let o = cmd.args(["run", "--target", "aws"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no AWS credentials"), "{err}");
    let mut cmd = mfaspec_as_aws("http://127.0.0.1:1");
    cmd.env_remove("AWS_REGION");
    let o = cmd.args(["run", "--target", "aws"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no AWS region"));
}
