//! Full MFA sign-ins per second over loopback — a first factor and a SOFTWARE_TOKEN_MFA
//! answer with a fresh valid code — against the reference endpoint (`mfaspec serve`), moto
//! and cognito-local, all started as processes on loopback in the same run, printed as
//! ratios; and the reference endpoint's full USER_SRP_AUTH + PASSWORD_VERIFIER + TOTP
//! sign-ins, as Amplify signs in. Each rate is printed beside the ceiling measured in the
//! same run: what the RS256 signatures (and for SRP the modular exponentiations, the
//! server's and this client's, both on this machine) one sign-in needs allow per core. Also
//! the servers' resident memory, idle and after the run, and the reference endpoint's after
//! 10,000 users. And the reference endpoint with `--state` (every change written to SQLite
//! before its answer) beside the in-memory rate of the same run.
//!
//! The bench's phone follows the suite's rules: never a code within 3 s of a step boundary,
//! and against a target with no ±1 window the current step's code, so that a peer's figure
//! never silently loses sign-ins to a boundary.
//!
//! Run with `scripts/peers.sh install && cargo bench --bench endpoint`. Emulators that are
//! not installed are reported as skipped. `MFASPEC_BENCH_USERS` sets the users per target
//! (default 1000); every user signs in once, since codes are single-use.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use mfaspec::cognito::{Client, Ledger, RetryPolicy};
use mfaspec::totp::{Secret, Totp};
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

const PASSWORD: &str = "Correct-Horse-9";
const CONCURRENCY: usize = 8;

/// How a target signs in with MFA.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Flow {
    /// AdminInitiateAuth + AdminRespondToAuthChallenge.
    Admin,
    /// InitiateAuth + RespondToAuthChallenge (cognito-local has no admin MFA flow).
    Public,
    /// InitiateAuth USER_SRP_AUTH + PASSWORD_VERIFIER, then RespondToAuthChallenge.
    Srp,
}

/// A server process, killed when dropped (also when the bench fails).
struct Server {
    name: &'static str,
    child: Child,
    url: String,
    flow: Flow,
    /// Whether the server refuses a code used before (only the reference endpoint does),
    /// so the bench must hand it a step not used at enrolment.
    refuses_reuse: bool,
    _data: Option<std::path::PathBuf>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(dir) = &self._data {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn rss_mib(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: f64 = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}

fn peers_dir() -> std::path::PathBuf {
    std::env::var_os("MFASPEC_PEERS_DIR")
        .map(Into::into)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/peers")
        })
}

fn start_reference() -> Server {
    start_serve("mfaspec serve", &[], None)
}

/// `mfaspec serve --state` on a new file in a fresh folder (removed afterwards).
fn start_reference_with_state() -> Server {
    let dir = std::env::temp_dir().join(format!("mfaspec-bench-state-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder for the state file");
    let file = dir.join("state.db");
    let file = file.to_str().expect("a UTF-8 path").to_owned();
    start_serve("mfaspec serve --state", &["--state", &file], Some(dir))
}

fn start_serve(name: &'static str, extra: &[&str], data: Option<std::path::PathBuf>) -> Server {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_mfaspec"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("mfaspec serve starts");
    Server {
        name,
        child,
        url: format!("http://127.0.0.1:{port}"),
        flow: Flow::Admin,
        refuses_reuse: true,
        _data: data,
    }
}

fn start_moto() -> Option<Server> {
    let bin = peers_dir().join("moto/bin/moto_server");
    if !bin.exists() {
        return None;
    }
    let port = free_port();
    let child = Command::new(bin)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        // With this, moto checks codes (against its one fixed secret); without it, any code passes.
        .env("MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP", "true")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    Some(Server {
        name: "moto 5.2.5",
        child,
        url: format!("http://127.0.0.1:{port}"),
        flow: Flow::Admin,
        refuses_reuse: false,
        _data: None,
    })
}

fn start_cognito_local() -> Option<Server> {
    let start = peers_dir().join("cognito-local/node_modules/cognito-local/lib/bin/start.js");
    if !start.exists() {
        return None;
    }
    let data = std::env::temp_dir().join(format!(
        "mfaspec-bench-cognito-local-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(data.join(".cognito")).ok()?;
    // Its default makes every username an email; AWS's CreateUserPool does not.
    std::fs::write(
        data.join(".cognito/config.json"),
        r#"{"UserPoolDefaults":{"UsernameAttributes":[]}}"#,
    )
    .ok()?;
    let port = free_port();
    let child = Command::new("node")
        .arg(start)
        .current_dir(&data)
        .env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    Some(Server {
        name: "cognito-local 5.3.0",
        child,
        url: format!("http://127.0.0.1:{port}"),
        flow: Flow::Public,
        refuses_reuse: false,
        _data: Some(data),
    })
}

/// The harness's own client (`mfaspec::cognito::Client`), retries off: a throttled or
/// failed call counts as failed, as the bench measures.
struct Api {
    client: Client,
}

impl Api {
    fn new(url: &str) -> Api {
        Api {
            client: Client::new(url)
                .with_retry(RetryPolicy {
                    max_attempts: 1,
                    ..RetryPolicy::default()
                })
                .with_ledger(Arc::new(Ledger::unguarded())),
        }
    }

    async fn call(&self, op: &str, body: Value) -> Result<Value, String> {
        let operation: Operation = op
            .parse()
            .map_err(|()| format!("{op}: not a Cognito operation"))?;
        self.client
            .call(operation, &body)
            .await
            .map_err(|e| format!("{op}: {e}"))
    }

    async fn wait_ready(&self) -> Result<Duration, String> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if self
                .call("ListUserPools", json!({ "MaxResults": 1 }))
                .await
                .is_ok()
            {
                return Ok(started.elapsed());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err("did not answer within 60 s".into())
    }
}

fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The current TOTP step, at least 3 s from its end (waiting for the next one when it is
/// closer), as the suite's phone does: a code handed out here is still current when the
/// target checks it, also on a target with no ±1 window.
async fn safe_step() -> u64 {
    loop {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64());
        let into = now % 30.0;
        if into < 27.0 {
            return now as u64 / 30;
        }
        tokio::time::sleep(Duration::from_secs_f64(30.0 - into + 0.2)).await;
    }
}

/// A user ready to sign in with MFA: its generator and the step used at enrolment.
struct Enrolled {
    username: String,
    totp: Totp,
    used_step: u64,
}

async fn run_parallel<T: Send + 'static, F, Fut>(count: usize, f: F) -> Vec<Result<T, String>>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<T, String>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let f = Arc::new(f);
    let mut workers = Vec::new();
    for _ in 0..CONCURRENCY {
        let (next, f) = (next.clone(), f.clone());
        workers.push(tokio::spawn(async move {
            let mut out = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= count {
                    break out;
                }
                out.push(f(i).await);
            }
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    all
}

async fn setup(
    api: Arc<Api>,
    flow: Flow,
    users: usize,
) -> Result<(String, String, Vec<Enrolled>), String> {
    let pool = api
        .call("CreateUserPool", json!({ "PoolName": "bench" }))
        .await?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("no pool id")?
        .to_owned();
    api.call(
        "SetUserPoolMfaConfig",
        json!({ "UserPoolId": pool_id, "MfaConfiguration": "OPTIONAL", "SoftwareTokenMfaConfiguration": { "Enabled": true } }),
    )
    .await?;
    let client = api
        .call(
            "CreateUserPoolClient",
            json!({ "UserPoolId": pool_id, "ClientName": "bench",
                    "ExplicitAuthFlows": ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"] }),
        )
        .await?;
    let client_id = client["UserPoolClient"]["ClientId"]
        .as_str()
        .ok_or("no client id")?
        .to_owned();
    let (p, c) = (pool_id.clone(), client_id.clone());
    let enrolled = run_parallel(users, move |i| {
        let (api, pool_id, client_id) = (api.clone(), p.clone(), c.clone());
        async move {
            let username = format!("user{i}");
            api.call("AdminCreateUser", json!({ "UserPoolId": pool_id, "Username": username, "MessageAction": "SUPPRESS" })).await?;
            api.call("AdminSetUserPassword", json!({ "UserPoolId": pool_id, "Username": username, "Password": PASSWORD, "Permanent": true }))
                .await?;
            let signed_in = first_factor(&api, flow, &pool_id, &client_id, &username).await?;
            let access = signed_in["AuthenticationResult"]["AccessToken"].as_str().ok_or("no access token")?.to_owned();
            let secret = api.call("AssociateSoftwareToken", json!({ "AccessToken": access })).await?;
            let totp = Totp::cognito(&Secret::from_base32(secret["SecretCode"].as_str().ok_or("no SecretCode")?).map_err(|e| e.to_string())?);
            let used_step = safe_step().await;
            let code = totp.code_for_step(used_step).to_string();
            api.call("VerifySoftwareToken", json!({ "AccessToken": access, "UserCode": code, "FriendlyDeviceName": "bench" })).await?;
            api.call(
                "SetUserMFAPreference",
                json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true } }),
            )
            .await?;
            Ok(Enrolled { username, totp, used_step })
        }
    })
    .await
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    Ok((pool_id, client_id, enrolled))
}

/// USER_SRP_AUTH and its PASSWORD_VERIFIER answer, as Amplify makes them.
async fn srp_first_factor(
    api: &Api,
    pool_id: &str,
    client_id: &str,
    username: &str,
) -> Result<Value, String> {
    let exchange = mfaspec::srp::Client::new();
    let challenge = api
        .call(
            "InitiateAuth",
            json!({ "ClientId": client_id, "AuthFlow": "USER_SRP_AUTH",
                    "AuthParameters": { "USERNAME": username, "SRP_A": exchange.srp_a() } }),
        )
        .await?;
    let timestamp = mfaspec::srp::Timestamp(now_s()).format();
    let responses = exchange
        .password_verifier(
            &challenge["ChallengeParameters"],
            pool_id,
            PASSWORD,
            &timestamp,
        )
        .map_err(|e| e.to_string())?;
    api.call(
        "RespondToAuthChallenge",
        json!({ "ClientId": client_id, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": responses }),
    )
    .await
}

async fn first_factor(
    api: &Api,
    flow: Flow,
    pool_id: &str,
    client_id: &str,
    username: &str,
) -> Result<Value, String> {
    let params = json!({ "USERNAME": username, "PASSWORD": PASSWORD });
    match flow {
        Flow::Admin => {
            api.call(
                "AdminInitiateAuth",
                json!({ "UserPoolId": pool_id, "ClientId": client_id, "AuthFlow": "ADMIN_USER_PASSWORD_AUTH", "AuthParameters": params }),
            )
            .await
        }
        Flow::Public | Flow::Srp => {
            api.call("InitiateAuth", json!({ "ClientId": client_id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": params }))
                .await
        }
    }
}

/// One full MFA sign-in.
async fn sign_in(
    api: &Api,
    flow: Flow,
    pool_id: &str,
    client_id: &str,
    user: &Enrolled,
    refuses_reuse: bool,
) -> Result<(), String> {
    let challenge = match flow {
        Flow::Srp => srp_first_factor(api, pool_id, client_id, &user.username).await?,
        _ => first_factor(api, flow, pool_id, client_id, &user.username).await?,
    };
    if challenge["ChallengeName"] != "SOFTWARE_TOKEN_MFA" {
        return Err(format!(
            "expected SOFTWARE_TOKEN_MFA, got {}",
            challenge["ChallengeName"]
        ));
    }
    let mut step = safe_step().await;
    if refuses_reuse && step == user.used_step {
        step += 1; // the next step is inside the ±1 window and unused
    }
    let responses = json!({ "USERNAME": user.username, "SOFTWARE_TOKEN_MFA_CODE": user.totp.code_for_step(step).to_string() });
    let (op, body) = match flow {
        Flow::Admin => (
            "AdminRespondToAuthChallenge",
            json!({ "UserPoolId": pool_id, "ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": challenge["Session"], "ChallengeResponses": responses }),
        ),
        Flow::Public | Flow::Srp => (
            "RespondToAuthChallenge",
            json!({ "ClientId": client_id, "ChallengeName": "SOFTWARE_TOKEN_MFA", "Session": challenge["Session"], "ChallengeResponses": responses }),
        ),
    };
    let tokens = api.call(op, body).await?;
    tokens["AuthenticationResult"]["AccessToken"]
        .as_str()
        .map(|_| ())
        .ok_or_else(|| "no tokens".into())
}

struct Measured {
    name: &'static str,
    start_s: f64,
    per_second: f64,
    ok: usize,
    failed: usize,
    first_error: Option<String>,
    rss_idle: Option<f64>,
    rss_after: Option<f64>,
}

async fn measure(
    server: &Server,
    users: usize,
    flow: Flow,
    name: &'static str,
) -> Result<Measured, String> {
    let api = Arc::new(Api::new(&server.url));
    let start = api.wait_ready().await?;
    let rss_idle = rss_mib(server.child.id());
    let (pool_id, client_id, enrolled) = setup(api.clone(), server.flow, users).await?;
    let enrolled = Arc::new(enrolled);
    let reuse = server.refuses_reuse;
    let started = Instant::now();
    let results = {
        let (api, enrolled) = (api.clone(), enrolled.clone());
        run_parallel(enrolled.len(), move |i| {
            let (api, enrolled, pool_id, client_id) = (
                api.clone(),
                enrolled.clone(),
                pool_id.clone(),
                client_id.clone(),
            );
            async move { sign_in(&api, flow, &pool_id, &client_id, &enrolled[i], reuse).await }
        })
        .await
    };
    let elapsed = started.elapsed().as_secs_f64();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    Ok(Measured {
        name,
        start_s: start.as_secs_f64(),
        per_second: ok as f64 / elapsed,
        ok,
        failed: results.len() - ok,
        first_error: results.into_iter().find_map(Result::err),
        rss_idle,
        rss_after: rss_mib(server.child.id()),
    })
}

/// The reference endpoint's memory after 10,000 users.
async fn reference_with_10k_users(server: &Server) -> Result<f64, String> {
    let api = Arc::new(Api::new(&server.url));
    let pool = api
        .call("CreateUserPool", json!({ "PoolName": "ten-thousand" }))
        .await?;
    let pool_id = pool["UserPool"]["Id"]
        .as_str()
        .ok_or("no pool id")?
        .to_owned();
    let results = run_parallel(10_000, move |i| {
        let (api, pool_id) = (api.clone(), pool_id.clone());
        async move {
            api.call(
                "AdminCreateUser",
                json!({ "UserPoolId": pool_id, "Username": format!("u{i}"), "TemporaryPassword": PASSWORD,
                        "UserAttributes": [{ "Name": "email", "Value": format!("u{i}@example.com") }] }),
            )
            .await
            .map(|_| ())
        }
    })
    .await;
    if let Some(e) = results.into_iter().find_map(Result::err) {
        return Err(e);
    }
    rss_mib(server.child.id()).ok_or_else(|| "no /proc status".into())
}

/// RS256 signatures per second on one core, with the same library and key size as the
/// endpoint: the bound on sign-ins per second that no server design can beat.
fn rsa_signatures_per_second() -> f64 {
    use aws_lc_rs::rsa::{KeyPair, KeySize};
    use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
    let pair = KeyPair::generate(KeySize::Rsa2048).expect("RSA key");
    let rng = aws_lc_rs::rand::SystemRandom::new();
    let mut signature = vec![0u8; pair.public_key().modulus_len()];
    let message = [7u8; 600];
    let started = Instant::now();
    let mut n = 0u32;
    while started.elapsed() < Duration::from_secs(2) {
        pair.sign(
            &RSA_PKCS1_SHA256,
            &rng,
            std::hint::black_box(&message),
            &mut signature,
        )
        .expect("sign");
        n += 1;
    }
    f64::from(n) / started.elapsed().as_secs_f64()
}

/// One SRP exchange's arithmetic per second on one core: the client's `a`, `g^a`, `x` and S
/// and the server's `g^b`, B, `v^u` and S — what one USER_SRP_AUTH sign-in computes on this
/// machine when the bench is its client — with the library the endpoint and the harness use.
fn srp_exchanges_per_second() -> f64 {
    use mfaspec::srp::{Client, Ephemeral, Verifier};
    let verifier = Verifier::new("bench", "user0", PASSWORD);
    let salt = verifier.salt_hex();
    let started = Instant::now();
    let mut n = 0u32;
    while started.elapsed() < Duration::from_secs(2) {
        let challenge = Ephemeral::new().challenge(&verifier).expect("B");
        let client = Client::new();
        let proof = client
            .proof(&salt, &challenge.srp_b(), "bench", "user0", PASSWORD)
            .expect("proof");
        let key = challenge.key(&client.srp_a()).expect("key");
        assert_eq!(proof.key[..], key[..]);
        n += 1;
    }
    f64::from(n) / started.elapsed().as_secs_f64()
}

fn mib(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), |m| format!("{m:.1} MiB"))
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list`: nothing to list, this is one bench command
    }
    let users: usize = std::env::var("MFASPEC_BENCH_USERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let reference = start_reference();
        let mut rows = Vec::new();
        let mut notes = Vec::new();
        match measure(&reference, users, Flow::Admin, "mfaspec serve").await {
            Ok(m) => rows.push(m),
            Err(e) => notes.push(format!("mfaspec serve: {e}")),
        }
        let srp = measure(&reference, users, Flow::Srp, "mfaspec serve, SRP").await;
        let ten_k = reference_with_10k_users(&reference).await;
        drop(reference);
        // The same sign-ins with every change written to an SQLite file before its answer.
        let durable = start_reference_with_state();
        let with_state = measure(&durable, users, Flow::Admin, "mfaspec serve --state").await;
        drop(durable);
        // Started one at a time, so that no emulator runs while another is measured.
        type Starter = fn() -> Option<Server>;
        let starters: [(&str, Starter); 2] = [("moto", start_moto), ("cognito-local", start_cognito_local)];
        for (name, start) in starters {
            match start() {
                None => notes.push(format!("{name}: skipped, not installed (scripts/peers.sh install)")),
                Some(server) => match measure(&server, users, server.flow, server.name).await {
                    Ok(m) => rows.push(m),
                    Err(e) => notes.push(format!("{}: {e}", server.name)),
                },
            }
        }

        println!("\nFull MFA sign-ins over loopback ({users} users per target, {CONCURRENCY} concurrent; `cargo bench --bench endpoint`)");
        println!("{:<22} {:>10} {:>9} {:>7} {:>10} {:>12} {:>12}", "target", "sign-ins/s", "ok/fail", "start", "vs moto", "RSS idle", "RSS after");
        let moto = rows.iter().find(|r| r.name.starts_with("moto")).map(|r| r.per_second);
        for r in &rows {
            let ratio = moto.map_or_else(|| "—".into(), |m| format!("{:.1}×", r.per_second / m));
            println!(
                "{:<22} {:>10.1} {:>9} {:>6.1}s {:>10} {:>12} {:>12}",
                r.name, r.per_second, format!("{}/{}", r.ok, r.failed), r.start_s, ratio, mib(r.rss_idle), mib(r.rss_after)
            );
            if let Some(e) = &r.first_error {
                println!("    first failure: {e}");
            }
        }
        match ten_k {
            Ok(m) => println!("mfaspec serve after 10,000 more users: {m:.1} MiB"),
            Err(e) => println!("mfaspec serve with 10,000 users: failed: {e}"),
        }
        let signs = rsa_signatures_per_second();
        let exchanges = srp_exchanges_per_second();
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get) as f64;
        // Seconds of one core per sign-in that no server design avoids.
        let password_cost = 2.0 / signs;
        let srp_cost = 2.0 / signs + 1.0 / exchanges;
        let password_ceiling = cores / password_cost;
        let srp_ceiling = cores / srp_cost;
        println!(
            "ceiling, password + TOTP: one core signs {signs:.0} RS256 (RSA-2048) tokens/s; a sign-in issues 2, \
             so {cores} cores allow at most {password_ceiling:.0} sign-ins/s before any HTTP or JSON work"
        );
        println!(
            "ceiling, SRP + TOTP: one core also does {exchanges:.0} SRP exchanges/s (6 modular exponentiations, \
             3072-bit, the server's and the client's, both on this machine); with the 2 signatures, {cores} cores \
             allow at most {srp_ceiling:.0} sign-ins/s"
        );
        if let Some(r) = rows.iter().find(|r| r.name == "mfaspec serve") {
            println!(
                "mfaspec serve, password + TOTP: {:.0}/s = {:.0}% of its ceiling",
                r.per_second,
                100.0 * r.per_second / password_ceiling
            );
        }
        match &srp {
            Ok(r) => {
                println!(
                    "mfaspec serve, SRP + TOTP: {:.0}/s ({}/{} ok/fail) = {:.0}% of its ceiling",
                    r.per_second,
                    r.ok,
                    r.failed,
                    100.0 * r.per_second / srp_ceiling
                );
                if let Some(e) = &r.first_error {
                    println!("    first failure: {e}");
                }
                let share = r.per_second / srp_ceiling;
                println!(
                    "goal: SRP + TOTP sign-ins at ≥ 70% of the ceiling measured in this run: {:.0}% — {}",
                    100.0 * share,
                    if share >= 0.70 && r.failed == 0 { "met" } else { "MISSED" }
                );
            }
            Err(e) => println!("mfaspec serve, SRP + TOTP: failed: {e}"),
        }
        let in_memory = rows.iter().find(|r| r.name == "mfaspec serve").map(|r| r.per_second);
        match (&with_state, in_memory) {
            (Ok(r), Some(memory)) => {
                let share = r.per_second / memory;
                println!(
                    "mfaspec serve --state, password + TOTP: {:.0}/s ({}/{} ok/fail) = {:.0}% of in-memory's {memory:.0}/s",
                    r.per_second, r.ok, r.failed, 100.0 * share
                );
                if let Some(e) = &r.first_error {
                    println!("    first failure: {e}");
                }
                println!(
                    "goal: sign-ins with --state at ≥ 50% of the in-memory rate measured in this run: {:.0}% — {}",
                    100.0 * share,
                    if share >= 0.50 && r.failed == 0 { "met" } else { "MISSED" }
                );
            }
            (Err(e), _) => println!("mfaspec serve --state: failed: {e}"),
            (Ok(_), None) => println!("mfaspec serve --state: no in-memory rate to compare with"),
        }
        for n in notes {
            println!("note: {n}");
        }
    });
}
