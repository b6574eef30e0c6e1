//! cognitox 0.1.2's Cognito router (`cognitox::api::create_router`) over in-memory storage,
//! on 127.0.0.1 only: cognitox's own binary binds 0.0.0.0 whatever it is told.
//!
//!   cognitox-host [--port N]   N = 0 (the default) lets the OS pick a free port
//!
//! Prints `listening on 127.0.0.1:PORT` to stderr once it accepts connections; stops on
//! SIGTERM or Ctrl-C. Nothing is persisted: a fresh process is a fresh emulator.
use cognitox::config::StorageConfig;
use cognitox::storage::Storage;

const NAME: &str = "cognitox-host";

#[tokio::main]
async fn main() {
    let port = loopback::port(NAME);
    let storage = Storage::with_config(StorageConfig::memory())
        .unwrap_or_else(|e| loopback::fail(NAME, format!("cannot set up storage: {e}"), 1));
    let app = cognitox::api::create_router(storage);
    let (listener, _) = loopback::listen(NAME, port).await;
    axum::serve(listener, app)
        .with_graceful_shutdown(loopback::shutdown(NAME))
        .await
        .unwrap_or_else(|e| loopback::fail(NAME, format!("server error: {e}"), 1));
}
