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
use std::net::SocketAddr;
use std::sync::Arc;

use axum::{Extension, Router};
use fakecloud_cognito::{CognitoService, CognitoState, SharedCognitoState};
use fakecloud_core::dispatch::{self, DispatchConfig};
use fakecloud_core::multi_account::MultiAccountState;
use fakecloud_core::registry::ServiceRegistry;

const NAME: &str = "fakecloud-cognito-host";

/// fakecloud's defaults (its `--region` and `--account-id`), overridable the same way.
fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

#[tokio::main]
async fn main() {
    let port = loopback::port(NAME);
    let region = env_or("FAKECLOUD_REGION", "us-east-1");
    let account_id = env_or("FAKECLOUD_ACCOUNT_ID", "123456789012");
    let (listener, addr) = loopback::listen(NAME, port).await;

    let endpoint = format!("http://{addr}");
    let accounts = MultiAccountState::<CognitoState>::new(&account_id, &region, &endpoint);
    let state: SharedCognitoState = Arc::new(parking_lot::RwLock::new(accounts));
    let mut registry = ServiceRegistry::new();
    registry.register(Arc::new(CognitoService::new(state)));

    let app = Router::new()
        .fallback(dispatch::dispatch)
        .layer(Extension(Arc::new(registry)))
        .layer(Extension(Arc::new(DispatchConfig::new(region, account_id))));

    // fakecloud's dispatcher reads the client's address, hence connect info.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(loopback::shutdown(NAME))
    .await
    .unwrap_or_else(|e| loopback::fail(NAME, format!("server error: {e}"), 1));
}
