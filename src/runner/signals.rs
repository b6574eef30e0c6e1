//! Ctrl-C and SIGTERM, for `mfaspec run` (which cleans up, then exits 130/143) and
//! `mfaspec serve` (which shuts down cleanly).
//!
//! Owns: the signal future. Uses nothing of the crate.

/// Ctrl-C or SIGTERM: the signal's name and the documented exit code (128 + its number).
/// The handlers are installed when this is called, not when the future is first polled.
pub fn interrupt_signal() -> impl std::future::Future<Output = (&'static str, i32)> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut int), Ok(mut term)) => tokio::select! {
                    _ = int.recv() => ("SIGINT", 130),
                    _ = term.recv() => ("SIGTERM", 143),
                },
                _ => std::future::pending().await,
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
        ("SIGINT", 130)
    }
}
