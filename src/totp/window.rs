//! The verification window: how many time steps around the current one a verifier
//! accepts. Shared by the generator's verifier and the replay memory, and knows neither.

/// How many time steps before and after the current one a verifier accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Steps accepted before the current one.
    pub behind: u32,
    /// Steps accepted after the current one.
    pub ahead: u32,
}

impl Window {
    /// Cognito's rule: "tokens that are within 30 seconds before or after the attempt"
    /// (spec §4 B1): the previous, current and next 30-second step.
    pub const COGNITO: Window = Window::symmetric(1);
    /// Only the current step.
    pub const EXACT: Window = Window::symmetric(0);

    /// `n` steps on either side.
    #[must_use]
    pub const fn symmetric(n: u32) -> Window {
        Window {
            behind: n,
            ahead: n,
        }
    }
}
