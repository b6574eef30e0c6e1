//! cognitox 0.1.2's Cognito router (`cognitox::api::create_router`) over in-memory storage,
//! on 127.0.0.1 only: cognitox's own binary binds 0.0.0.0 whatever it is told.
//!
//!   cognitox-host [--port N]   N = 0 (the default) lets the OS pick a free port
//!
//! Prints `listening on 127.0.0.1:PORT` to stderr once it accepts connections; stops on
//! SIGTERM or Ctrl-C. Nothing is persisted: a fresh process is a fresh emulator.
use std::net::Ipv4Addr;

use cognitox::config::StorageConfig;
use cognitox::storage::Storage;

const USAGE: &str = "usage: cognitox-host [--port N]  (binds 127.0.0.1; N = 0 picks a free port)";

fn fail(message: impl std::fmt::Display, code: i32) -> ! {
    eprintln!("cognitox-host: {message}");
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
    let storage = Storage::with_config(StorageConfig::memory())
        .unwrap_or_else(|e| fail(format!("cannot set up storage: {e}"), 1));
    let app = cognitox::api::create_router(storage);
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .unwrap_or_else(|e| fail(format!("cannot bind 127.0.0.1:{port}: {e}"), 1));
    let addr = listener.local_addr().unwrap_or_else(|e| fail(e, 1));
    eprintln!("listening on {addr}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .unwrap_or_else(|e| fail(format!("server error: {e}"), 1));
}
