//! Chromium's profile directories: one fresh directory per session under the temporary
//! directory, removed when the session ends, and a sweep of those left by processes that no
//! longer run.
//!
//! Owns: the profile directories. Uses: [`super::wire::Error`].

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::wire::Error;

/// The name prefix of session profile directories under the temporary directory.
pub(super) const PROFILE_PREFIX: &str = "mfaspec-chromium-profile";

/// Removes profile directories left by processes that no longer run.
///
/// A session that is dropped while its runtime shuts down (a panicking test, say) removes its
/// profile while Chromium may still be exiting and writing to it; the directory's name holds
/// the owning process id, so a later start can tell it is stale.
pub(super) fn sweep_stale_profiles() {
    if !Path::new("/proc/self").exists() {
        return; // No /proc to tell live processes by.
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PROFILE_PREFIX))
            .and_then(|rest| rest.strip_prefix('-'))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// A fresh directory under the system's temporary directory, removed when dropped.
#[derive(Debug)]
pub(super) struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates `<temp>/<prefix>-<pid>-<nanos>-<n>`.
    pub(super) fn new(prefix: &str) -> Result<TempDir, Error> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let mut last = None;
        for _ in 0..8 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("{prefix}-{}-{nanos}-{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) => last = Some(e),
            }
        }
        Err(Error::Start(format!(
            "cannot create a temporary directory: {}",
            last.map_or_else(|| "unknown error".to_owned(), |e| e.to_string())
        )))
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the directory, retrying briefly while a just-quit browser finishes writing.
    pub(super) async fn remove(self) {
        for _ in 0..10 {
            if std::fs::remove_dir_all(&self.path).is_ok() || !self.path.exists() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        // `drop` makes one last attempt.
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        assert_eq!(crate::markup::encode("aria-label"), "aria-label");
        assert_eq!(crate::markup::encode("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn temp_dirs_are_fresh_and_removed() {
        let a = TempDir::new("wd-test").expect("temp dir");
        let b = TempDir::new("wd-test").expect("temp dir");
        assert_ne!(a.path(), b.path());
        let p = a.path().to_owned();
        assert!(p.is_dir());
        drop(a);
        assert!(!p.exists());
    }
}
