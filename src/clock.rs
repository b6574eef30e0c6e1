//! Time, injected: everything that reads "now" asks a [`Clock`], so tests and the reference
//! endpoint can run scenarios that span minutes (session expiry, code steps) in milliseconds.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> u64;

    /// Whole seconds since the Unix epoch.
    fn now_secs(&self) -> u64 {
        self.now_millis() / 1000
    }
}

/// The machine's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_millis(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// The machine's clock moved by an adjustable offset: what `mfaspec serve --clock-control`
/// runs on. Clones share the offset.
#[derive(Debug, Clone, Default)]
pub struct OffsetClock {
    offset_millis: Arc<AtomicI64>,
}

impl OffsetClock {
    /// A clock that starts at the machine's time.
    #[must_use]
    pub fn new() -> OffsetClock {
        OffsetClock::default()
    }

    /// Moves the clock forward (or back, for a negative value) by `millis`.
    pub fn advance_millis(&self, millis: i64) {
        self.offset_millis.fetch_add(millis, Ordering::SeqCst);
    }

    /// Sets the clock to `unix_millis`.
    pub fn set_millis(&self, unix_millis: u64) {
        let system = i128::from(SystemClock.now_millis());
        let offset = i128::from(unix_millis) - system;
        let offset = i64::try_from(offset).unwrap_or(if offset < 0 { i64::MIN } else { i64::MAX });
        self.offset_millis.store(offset, Ordering::SeqCst);
    }

    /// The current offset from the machine's clock.
    #[must_use]
    pub fn offset_millis(&self) -> i64 {
        self.offset_millis.load(Ordering::SeqCst)
    }
}

impl Clock for OffsetClock {
    fn now_millis(&self) -> u64 {
        let now = i128::from(SystemClock.now_millis()) + i128::from(self.offset_millis());
        u64::try_from(now.max(0)).unwrap_or(u64::MAX)
    }
}
