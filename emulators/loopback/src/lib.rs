//! The part every emulator host of `emulators/` shares: `NAME [--port N]` on the command
//! line, a listener on 127.0.0.1 only (`listening on 127.0.0.1:PORT` on stderr once it
//! accepts connections), and a future that ends on SIGTERM or Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr};

/// Prints `name: message` to stderr and exits with `code` (2: usage, 1: anything else).
pub fn fail(name: &str, message: impl std::fmt::Display, code: i32) -> ! {
    eprintln!("{name}: {message}");
    std::process::exit(code)
}

/// The port from `--port N` or `--port=N` (default 0: the OS picks a free one); `--help`
/// prints the usage and exits 0; anything else is a usage error (exit 2).
pub fn port(name: &str) -> u16 {
    let usage = format!("usage: {name} [--port N]  (binds 127.0.0.1; N = 0 picks a free port)");
    let mut args = std::env::args().skip(1);
    let mut port = 0;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--port" => args
                .next()
                .unwrap_or_else(|| fail(name, "--port needs a value", 2)),
            "-h" | "--help" => {
                println!("{usage}");
                std::process::exit(0)
            }
            other => match other.strip_prefix("--port=") {
                Some(value) => value.to_string(),
                None => fail(name, format!("unknown argument `{other}`\n{usage}"), 2),
            },
        };
        port = value
            .parse()
            .unwrap_or_else(|e| fail(name, format!("--port {value}: {e}"), 2));
    }
    port
}

/// A listener on 127.0.0.1:`port`, announced on stderr.
pub async fn listen(name: &str, port: u16) -> (tokio::net::TcpListener, SocketAddr) {
    let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .unwrap_or_else(|e| fail(name, format!("cannot bind 127.0.0.1:{port}: {e}"), 1));
    let addr = listener.local_addr().unwrap_or_else(|e| fail(name, e, 1));
    eprintln!("listening on {addr}");
    (listener, addr)
}

/// Ends on SIGTERM or Ctrl-C.
pub async fn shutdown(name: &'static str) {
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .unwrap_or_else(|e| fail(name, format!("cannot handle SIGTERM: {e}"), 1));
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
