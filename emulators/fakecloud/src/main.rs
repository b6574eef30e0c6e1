//! A Cognito-only fakecloud: `fakecloud-cognito` behind fakecloud-core's dispatcher, on
//! 127.0.0.1 only. Wired like fakecloud 0.51.0's own server (its main.rs: a
//! `MultiAccountState` behind a parking_lot lock, `ServiceRegistry`, `DispatchConfig`,
//! `Router::new().fallback(dispatch::dispatch)`, served with connect info). No
//! `/_fakecloud/*` routes, no hosted UI, no JWKS route: start a fresh process per run.
//!
//!   fakecloud-cognito-host [--port N]   N = 0 (the default) lets the OS pick a free port
//!
//! Prints `listening on 127.0.0.1:PORT` to stderr once it accepts connections; stops on
//! SIGTERM or Ctrl-C. FAKECLOUD_REGION / FAKECLOUD_ACCOUNT_ID override fakecloud's defaults.
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::{Extension, Router};
use fakecloud_cognito::{CognitoService, CognitoState, SharedCognitoState};
use fakecloud_core::dispatch::{self, DispatchConfig};
use fakecloud_core::multi_account::MultiAccountState;
use fakecloud_core::registry::ServiceRegistry;

const USAGE: &str =
    "usage: fakecloud-cognito-host [--port N]  (binds 127.0.0.1; N = 0 picks a free port)";

fn fail(message: impl std::fmt::Display, code: i32) -> ! {
    eprintln!("fakecloud-cognito-host: {message}");
    std::process::exit(code)
}

fn parse_port() -> Result<u16, String> {
    let mut args = std::env::args().skip(1);
    let mut port = 0;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--port" => args.next().ok_or("--port needs a value")?,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0)
            }
            other => match other.strip_prefix("--port=") {
                Some(value) => value.to_string(),
                None => return Err(format!("unknown argument `{other}`\n{USAGE}")),
            },
        };
        port = value.parse().map_err(|e| format!("--port {value}: {e}"))?;
    }
    Ok(port)
}

/// fakecloud's defaults (its `--region` and `--account-id`), overridable the same way.
fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

async fn shutdown_signal() {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .unwrap_or_else(|e| fail(format!("cannot handle SIGTERM: {e}"), 1));
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}

#[tokio::main]
async fn main() {
    let port = parse_port().unwrap_or_else(|e| fail(e, 2));
    let region = env_or("FAKECLOUD_REGION", "us-east-1");
    let account_id = env_or("FAKECLOUD_ACCOUNT_ID", "123456789012");

    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .unwrap_or_else(|e| fail(format!("cannot bind 127.0.0.1:{port}: {e}"), 1));
    let addr = listener.local_addr().unwrap_or_else(|e| fail(e, 1));

    let endpoint = format!("http://{addr}");
    let accounts = MultiAccountState::<CognitoState>::new(&account_id, &region, &endpoint);
    let state: SharedCognitoState = Arc::new(parking_lot::RwLock::new(accounts));
    let mut registry = ServiceRegistry::new();
    registry.register(Arc::new(CognitoService::new(state)));

    let app = Router::new()
        .fallback(dispatch::dispatch)
        .layer(Extension(Arc::new(registry)))
        .layer(Extension(Arc::new(DispatchConfig::new(region, account_id))));

    eprintln!("listening on {addr}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .unwrap_or_else(|e| fail(format!("server error: {e}"), 1));
}
