//! `mfaspec serve --state PATH`: what was answered survives a restart and a `kill -9` in the
//! middle of load; used TOTP codes and sessions too; a damaged, foreign, empty or newer
//! file is refused with one line and exit 2, never a silent empty start; two servers on
//! one file are refused.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Stdio};

use mfaspec::reference::{Options, Running};
use mfaspec::vocabulary::Operation;
use serde_json::{Value, json};

use crate::support::scratch::{Scratch, mfaspec_command};
use crate::support::selftest::{assert_bad_input, mfaspec};
use crate::support::wire::{PASSWORD, Wire, admin_sign_in, answer, code, enrolled};

/// `mfaspec serve --state path` on a free port: the child and its URL.
fn serve(path: &std::path::Path) -> (Child, String) {
    let mut child = mfaspec_command()
        .args(["serve", "--addr", "127.0.0.1:0", "--state"])
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mfaspec serve starts");
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = lines.next().expect("a line").expect("text");
    let url = first
        .strip_prefix("mfaspec serve: listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();
    // Keep reading stderr so that the child never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

async fn call(http: &reqwest::Client, url: &str, op: &str, body: &Value) -> Option<Value> {
    let answer = http
        .post(format!("{url}/"))
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
        .header("content-type", "application/x-amz-json-1.1")
        .header("authorization", mfaspec::vocabulary::PLACEHOLDER_SIGNATURE)
        .body(body.to_string())
        .send()
        .await
        .ok()?;
    if answer.status() != 200 {
        return None;
    }
    serde_json::from_str(&answer.text().await.ok()?).ok()
}

/// N clients create users as fast as they can; the server is killed with SIGKILL while
/// they do; every user whose creation was answered 200 is there after a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_change_survives_kill_9_under_load() {
    let scratch = Scratch::new("state-kill");
    let path = scratch.path("state.db");
    let (mut child, url) = serve(&path);
    let http = reqwest::Client::new();
    let created = call(
        &http,
        &url,
        "CreateUserPool",
        &json!({ "PoolName": "load" }),
    )
    .await
    .unwrap();
    let pool_id = created["UserPool"]["Id"].as_str().unwrap().to_owned();
    let acknowledged = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (http, url, pool_id, acknowledged) = (
            http.clone(),
            url.clone(),
            pool_id.clone(),
            acknowledged.clone(),
        );
        writers.push(tokio::spawn(async move {
            for i in 0.. {
                let name = format!("user-{w}-{i}");
                let body = json!({ "UserPoolId": pool_id, "Username": name,
                                   "TemporaryPassword": PASSWORD, "MessageAction": "SUPPRESS" });
                match call(&http, &url, "AdminCreateUser", &body).await {
                    Some(_) => acknowledged.lock().unwrap().push(name),
                    None => break,
                }
            }
        }));
    }
    // Under load for a while, then SIGKILL: no chance to flush anything.
    while acknowledged.lock().unwrap().len() < 300 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for w in writers {
        w.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 300);

    let (mut child, url) = serve(&path);
    let mut present = std::collections::BTreeSet::new();
    let mut token: Option<String> = None;
    loop {
        let mut body = json!({ "UserPoolId": pool_id, "Limit": 60 });
        if let Some(t) = &token {
            body["PaginationToken"] = json!(t);
        }
        let page = call(&http, &url, "ListUsers", &body)
            .await
            .expect("ListUsers after the restart: the pool was lost");
        for u in page["Users"].as_array().unwrap() {
            present.insert(u["Username"].as_str().unwrap().to_owned());
        }
        match page["PaginationToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    let missing: Vec<&String> = acknowledged
        .iter()
        .filter(|u| !present.contains(*u))
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged users lost: {missing:?}",
        missing.len(),
        acknowledged.len()
    );
    child.kill().unwrap();
    child.wait().unwrap();
}

fn with_state(path: &std::path::Path) -> Options {
    Options {
        clock_control: true,
        state: Some(path.to_owned()),
        ..Options::default()
    }
}

/// A code used before the restart stays used after it; a sign-in's session from before it
/// can still be answered; an access token from before it still works (same key, same
/// token family).
#[tokio::test]
async fn used_codes_sessions_and_tokens_survive_a_restart() {
    let scratch = Scratch::new("state-codes");
    let path = scratch.path("state.db");
    let w = Wire::with(with_state(&path)).await;
    // Enrolled at this step: its code is spent.
    let (pool_id, client_id, totp) = enrolled(&w, "OPTIONAL").await;
    let frozen_ms = w.now_s() * 1000;
    let step = w.now_s() / 30;
    let access = w
        .ok(
            Operation::AdminInitiateAuth,
            admin_sign_in(&pool_id, &client_id, "bob"),
        )
        .await;
    let session = access["Session"].clone();
    assert!(session.is_string(), "a TOTP challenge");
    // A second pool with a domain: more kinds of rows.
    let (other, _) = crate::support::wire::pool(&w, "OFF", json!({})).await;
    w.ok(
        Operation::CreateUserPoolDomain,
        json!({ "UserPoolId": other, "Domain": "kept-domain" }),
    )
    .await;
    let before = w.running.endpoint.dump();
    w.running.stop().await.unwrap();

    let w = Wire::with(with_state(&path)).await;
    // Everything the endpoint held, as it held it (compared without printing it: secrets).
    assert!(
        w.running.endpoint.dump() == before,
        "the state after the restart differs from the state before it"
    );
    w.running
        .endpoint
        .clock_control()
        .unwrap()
        .freeze_at(frozen_ms);
    let spent = answer(&pool_id, &client_id, &session, &code(&totp, step));
    let Err((status, kind, _)) = w.call(Operation::AdminRespondToAuthChallenge, spent).await else {
        panic!("the code spent before the restart was accepted after it");
    };
    assert_eq!((status, kind.as_str()), (400, "ExpiredCodeException"));
    let fresh = answer(&pool_id, &client_id, &session, &code(&totp, step + 1));
    let done = w.ok(Operation::AdminRespondToAuthChallenge, fresh).await;
    let access = done["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    w.running.stop().await.unwrap();

    let w = Wire::with(with_state(&path)).await;
    let user = w
        .ok(Operation::GetUser, json!({ "AccessToken": access }))
        .await;
    assert_eq!(user["Username"], "bob");
    w.running.stop().await.unwrap();
}

#[test]
fn a_damaged_foreign_empty_or_newer_file_is_refused_with_exit_2() {
    let scratch = Scratch::new("state-bad");
    // A good file to damage: made by a server that created one pool.
    let good = scratch.path("good.db");
    let (mut child, url) = serve(&good);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(call(
        &reqwest::Client::new(),
        &url,
        "CreateUserPool",
        &json!({ "PoolName": "p" }),
    ))
    .unwrap();
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let bytes = std::fs::read(&good).unwrap();

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.db",
            bytes[..bytes.len() / 2].to_vec(),
            "truncated.db",
        ),
        ("empty.db", Vec::new(), "empty"),
        ("text.db", b"pools: []\n".to_vec(), "not a database"),
        (
            "newer.db",
            {
                let mut b = bytes.clone();
                // SQLite's header: the user_version is the big-endian u32 at offset 60.
                b[60..64].copy_from_slice(&99u32.to_be_bytes());
                b
            },
            "newer mfaspec (schema 99; this one reads schema 1)",
        ),
    ];
    for (name, content, mention) in cases {
        let path = scratch.path(name);
        std::fs::write(&path, content).unwrap();
        let o = mfaspec(
            &[
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--state",
                path.to_str().unwrap(),
            ],
            None,
        );
        let err = assert_bad_input(&o, &[name, mention]);
        assert!(err.starts_with("mfaspec: state file `"), "{err}");
    }
}

#[tokio::test]
async fn a_second_server_on_the_same_file_is_refused() {
    let scratch = Scratch::new("state-twice");
    let path = scratch.path("state.db");
    let first = Running::start("127.0.0.1:0".parse().unwrap(), &with_state(&path))
        .await
        .unwrap();
    let o = mfaspec(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--state",
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_bad_input(&o, &["in use by another mfaspec serve"]);
    first.stop().await.unwrap();
}
