//! Time, injected: everything that reads "now" asks a [`Clock`], so tests and the reference
//! endpoint can run scenarios that span minutes (session expiry, code steps) in milliseconds.
//!
//! Owns: the clock trait, the machine's clock, the movable one, and where a frozen clock stands.
//! Uses nothing of the crate.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
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

/// An instant 10 s into the 30-second TOTP step that holds `unix_secs`, in milliseconds:
/// where a frozen clock stands so that nothing meets a step boundary (the runner freezes a
/// clock-controlled target there; so do the tests).
#[must_use]
pub fn inside_step_millis(unix_secs: u64) -> u64 {
    (unix_secs - unix_secs % 30 + 10) * 1000
}

/// The machine's clock moved by an adjustable offset, and optionally frozen: what
/// `mfaspec serve --clock-control` runs on. Frozen, time moves only when advanced, so a
/// conformance run never meets a TOTP step boundary by accident. Clones share the state.
#[derive(Debug, Clone, Default)]
pub struct OffsetClock {
    offset_millis: Arc<AtomicI64>,
    /// Unix milliseconds the clock is frozen at; 0 when it runs.
    frozen_at: Arc<AtomicU64>,
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

    /// Stops the clock at `unix_millis` (and clears the offset); it then moves only when
    /// advanced.
    pub fn freeze_at(&self, unix_millis: u64) {
        self.offset_millis.store(0, Ordering::SeqCst);
        self.frozen_at.store(unix_millis.max(1), Ordering::SeqCst);
    }

    /// Lets the clock run again from where it stands.
    pub fn unfreeze(&self) {
        let now = self.now_millis();
        self.frozen_at.store(0, Ordering::SeqCst);
        self.set_millis(now);
    }

    /// Whether the clock is frozen.
    #[must_use]
    pub fn is_frozen(&self) -> bool {
        self.frozen_at.load(Ordering::SeqCst) != 0
    }

    /// The current offset from the machine's clock (or from the frozen instant).
    #[must_use]
    pub fn offset_millis(&self) -> i64 {
        self.offset_millis.load(Ordering::SeqCst)
    }
}

impl Clock for OffsetClock {
    fn now_millis(&self) -> u64 {
        let base = match self.frozen_at.load(Ordering::SeqCst) {
            0 => SystemClock.now_millis(),
            frozen => frozen,
        };
        let now = i128::from(base) + i128::from(self.offset_millis());
        u64::try_from(now.max(0)).unwrap_or(u64::MAX)
    }
}
