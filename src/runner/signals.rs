//! Ctrl-C and SIGTERM, for `mfaspec run` (which cleans up, then exits 130/143) and
//! `mfaspec serve` (which shuts down cleanly).
//!
//! Owns: the signal future. Uses [`crate::exit`].

use crate::exit::Exit;

/// Ctrl-C or SIGTERM: the signal's name and its exit code (128 + its number).
/// The handlers are installed when this is called, not when the future is first polled.
pub fn interrupt_signal() -> impl std::future::Future<Output = (&'static str, Exit)> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut int), Ok(mut term)) => tokio::select! {
                    _ = int.recv() => ("SIGINT", Exit::Interrupted),
                    _ = term.recv() => ("SIGTERM", Exit::Terminated),
                },
                _ => std::future::pending().await,
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
        ("SIGINT", Exit::Interrupted)
    }
}
