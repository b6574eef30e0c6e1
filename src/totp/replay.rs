//! Replay memory: the steps a verifier has already accepted for one secret, so that a code
//! is accepted at most once (RFC 6238 §5.2; Cognito: spec §4 B2).

use super::window::Window;

/// A code whose time step was already accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the code of time step {step} was already accepted once")]
pub struct AlreadyUsed {
    /// The step that was presented again.
    pub step: u64,
}

/// What counts as a replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplayPolicy {
    /// Refuse only a step that was itself accepted before: what Cognito is observed to do
    /// (spec §4 B2). Whether Cognito also refuses an unused *earlier* step after a later one
    /// was accepted is an open question (spec §9 Q2).
    #[default]
    SameStep,
    /// Refuse every step at or before the latest accepted one: RFC 6238 §5.2's strict reading.
    Monotonic,
}

/// The accepted steps of one secret. It forgets steps that no window can reach any more,
/// so it stays small however long it lives.
#[derive(Debug, Clone)]
pub struct ReplayMemory {
    policy: ReplayPolicy,
    window: Window,
    accepted: Vec<u64>,
}

impl ReplayMemory {
    /// A memory for a verifier that accepts `window` around the current step.
    #[must_use]
    pub fn new(window: Window, policy: ReplayPolicy) -> ReplayMemory {
        ReplayMemory {
            policy,
            window,
            accepted: Vec::new(),
        }
    }

    /// Cognito's memory: ±1 step, a step is accepted at most once.
    #[must_use]
    pub fn cognito() -> ReplayMemory {
        ReplayMemory::new(Window::COGNITO, ReplayPolicy::SameStep)
    }

    /// Whether `step` would be refused as a replay.
    #[must_use]
    pub fn is_used(&self, step: u64) -> bool {
        match self.policy {
            ReplayPolicy::SameStep => self.accepted.contains(&step),
            ReplayPolicy::Monotonic => self.latest().is_some_and(|latest| step <= latest),
        }
    }

    /// Records `step` as accepted, or refuses it if it was used.
    pub fn accept(&mut self, step: u64) -> Result<(), AlreadyUsed> {
        if self.is_used(step) {
            return Err(AlreadyUsed { step });
        }
        self.accepted.push(step);
        // A step s can match only while the current step c satisfies s − ahead ≤ c ≤ s + behind.
        // Time does not run backwards, and the latest accepted step L was matched at some
        // c ≥ L − ahead, so every s < L − ahead − behind is out of reach for good.
        let latest = self.latest().unwrap_or(step);
        let horizon =
            latest.saturating_sub(u64::from(self.window.ahead) + u64::from(self.window.behind));
        self.accepted.retain(|&s| s >= horizon);
        Ok(())
    }

    /// The accepted steps still within reach, in the order they were accepted: with
    /// [`ReplayMemory::accept`] on a fresh memory of the same window and policy, they rebuild
    /// this one (a server that keeps its state across a restart).
    #[must_use]
    pub fn accepted(&self) -> &[u64] {
        &self.accepted
    }

    /// The latest accepted step, if any.
    #[must_use]
    pub fn latest(&self) -> Option<u64> {
        self.accepted.iter().copied().max()
    }

    /// Forgets every accepted step (a new secret was associated).
    pub fn clear(&mut self) {
        self.accepted.clear();
    }
}
