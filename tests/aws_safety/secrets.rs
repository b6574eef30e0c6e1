//! No secret that crosses the wire — a TOTP secret, a session, a token, the AWS secret key —
//! reaches the console or a report, seen through a proxy that notes every one; and
//! recordings are stable, and `diff` names what differs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::*;

/// Every secret value in a request or an answer that crossed the wire, seen by a proxy.
#[derive(Clone, Default)]
struct Seen(Arc<Mutex<HashSet<String>>>);

impl Seen {
    fn collect(&self, v: &Value) {
        const SECRET_KEYS: &[&str] = &[
            "SecretCode",
            "Session",
            "AccessToken",
            "IdToken",
            "RefreshToken",
            "ClientSecret",
            "Password",
            "PASSWORD",
            "NEW_PASSWORD",
            "TemporaryPassword",
            "SECRET_HASH",
            // SRP and device secrets.
            "SRP_A",
            "SRP_B",
            "SALT",
            "SECRET_BLOCK",
            "PASSWORD_CLAIM_SECRET_BLOCK",
            "PASSWORD_CLAIM_SIGNATURE",
            "PasswordVerifier",
            "Salt",
        ];
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if SECRET_KEYS.contains(&k.as_str())
                        && let Some(s) = v.as_str()
                        && s.len() >= 8
                    {
                        self.0.lock().unwrap().insert(s.to_owned());
                    }
                    self.collect(v);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.collect(v)),
            _ => {}
        }
    }
}

/// A loopback proxy in front of `upstream` that notes every secret crossing it.
async fn proxy(upstream: String, seen: Seen) -> (String, tokio::task::JoinHandle<()>) {
    use axum::body::Bytes;
    use axum::http::{HeaderMap, StatusCode};
    let http = reqwest::Client::new();
    let handler = move |headers: HeaderMap, body: Bytes| {
        let (http, upstream, seen) = (http.clone(), upstream.clone(), seen.clone());
        async move {
            if let Ok(v) = serde_json::from_slice::<Value>(&body) {
                seen.collect(&v);
            }
            let mut request = http.post(&upstream).body(body.to_vec());
            for (k, v) in &headers {
                if k != "host" && k != "content-length" {
                    request = request.header(k.as_str(), v.as_bytes());
                }
            }
            let response = request.send().await.unwrap();
            let status = StatusCode::from_u16(response.status().as_u16()).unwrap();
            let text = response.text().await.unwrap();
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                seen.collect(&v);
            }
            (status, text)
        }
    };
    let app = axum::Router::new().route("/", axum::routing::post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

fn every_file(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// No SecretCode, password, session, token, client secret, SRP value or device secret that
/// crossed the wire appears in the console output, the reports or the recording; nor does the
/// AWS secret access key.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_secret_that_crossed_the_wire_is_printed_or_reported() {
    let scratch = Scratch::new("secrets-wire");
    let (running, _admin) = start(Options::default()).await;
    let seen = Seen::default();
    let (url, task) = proxy(running.url(), seen.clone()).await;
    let reports = scratch.path("reports");
    let record = scratch.path("record");
    let o = mfaspec_as_aws(&url)
        .args([
            "run",
            "--target",
            "aws",
            "--tags",
            "@id:walkthrough.initiate_auth.end_to_end or @id:walkthrough.admin_initiate_auth.end_to_end or @id:codes.respond_to_auth_challenge.wrong_code or @id:auth_flows.initiate_auth.secret_hash_right or @id:sessions.respond_to_auth_challenge.consumed or @id:tokens.associate_software_token.revoked or @id:srp.initiate_auth.walkthrough_totp or @id:srp.respond_to_auth_challenge.wrong_signature or @id:devices.respond_to_auth_challenge.remembered_device_skips_totp",
            "--report-dir",
            reports.to_str().unwrap(),
            "--record",
            record.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{stdout}\n{stderr}");
    // Against a real clock the summary always says how long the phone waited for codes.
    assert!(stdout.contains("The phone waited "), "{stdout}");
    let secrets = seen.0.lock().unwrap().clone();
    assert!(
        secrets.len() > 20,
        "the proxy saw the secrets: {}",
        secrets.len()
    );
    let mut texts = vec![("stdout".to_owned(), stdout), ("stderr".to_owned(), stderr)];
    let mut files = Vec::new();
    every_file(&reports, &mut files);
    every_file(&record, &mut files);
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().contains("responses"))
    );
    for f in files {
        texts.push((
            f.display().to_string(),
            std::fs::read_to_string(&f).unwrap(),
        ));
    }
    for (where_, text) in &texts {
        assert!(
            !text.contains(SECRET_ACCESS_KEY),
            "the AWS secret key in {where_}"
        );
        for secret in &secrets {
            assert!(
                !text.contains(secret.as_str()),
                "a secret that crossed the wire is in {where_}"
            );
        }
    }
    task.abort();
    running.stop().await.unwrap();
}

/// Two runs against the same target record the same normalised responses; `diff` says so,
/// and names the scenario, the call and what differs when a recording is changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn recordings_are_stable_and_diff_names_what_differs() {
    let scratch = Scratch::new("record");
    let (running, _admin) = start(Options::default()).await;
    let run = |name: &str| {
        let out = scratch.path(name);
        let o = mfaspec_as_aws(&running.url())
            .args(["run", "--target", "aws", "--tags", "@id:walkthrough.initiate_auth.end_to_end or @requires:wire.raw or @id:codes.respond_to_auth_challenge.wrong_code"])
            .args(["--report-dir", scratch.path("reports").to_str().unwrap()])
            .args(["--record", out.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        out
    };
    let first = run("first");
    let second = run("second");
    let diff = |a: &Path, b: &Path| {
        crate::support::scratch::mfaspec_command()
            .args(["diff", a.to_str().unwrap(), b.to_str().unwrap()])
            .output()
            .unwrap()
    };
    let o = diff(&first, &second);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    // The report folder's responses/ holds the same.
    let o = diff(&first, &scratch.path("reports/aws"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );

    let file = first.join("codes.respond_to_auth_challenge.wrong_code.json");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"CodeMismatchException\""), "{text}");
    std::fs::write(
        &file,
        text.replace("\"CodeMismatchException\"", "\"NotAuthorizedException\""),
    )
    .unwrap();
    let o = diff(&first, &second);
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("codes.respond_to_auth_challenge.wrong_code #")
            && out.contains("__type NotAuthorizedException ≠ CodeMismatchException"),
        "{out}"
    );
    std::fs::write(first.join("broken.json"), "{\n  \"id\": 1\n}").unwrap();
    let o = diff(&first, &second);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("broken.json`: line 2"));
    running.stop().await.unwrap();
}
