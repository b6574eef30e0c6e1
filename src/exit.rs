//! Exit codes are an API, and this is the one place they are defined. Every subcommand ends in
//! one of them, and the README's "Exit codes" table documents them:
//!
//! | code | [`Exit`] | meaning |
//! |---|---|---|
//! | 0 | `Success` | did what was asked: a conformant run, a current table, no differences |
//! | 1 | `Failures` | the check found something: conformance failures or a claimed profile not met (`run`), a stale table or results file (`matrix`, `totp-check`), an implementation that does not conform (`totp-check`), differences (`diff`), leftovers not deleted (`cleanup`) |
//! | 2 | `Error` | bad input, configuration or harness error: nothing was checked (`repro`: no reproduction to print) |
//! | 4 | `NothingSelected` | `run` selected no scenario, or none of those selected could run |
//! | 130 | `Interrupted` | SIGINT (Ctrl-C), after the run deleted what it created |
//! | 143 | `Terminated` | SIGTERM, likewise |
//!
//! Owns: the codes. Uses nothing of the crate.

/// A documented exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exit {
    /// 0: did what was asked.
    Success,
    /// 1: the check found what it checks for.
    Failures,
    /// 2: bad input, configuration or harness error.
    Error,
    /// 4: no scenario selected.
    NothingSelected,
    /// 130: interrupted by SIGINT (128 + 2).
    Interrupted,
    /// 143: ended by SIGTERM (128 + 15).
    Terminated,
}

impl Exit {
    /// The process's exit status.
    #[must_use]
    pub const fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Failures => 1,
            Exit::Error => 2,
            Exit::NothingSelected => 4,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
        }
    }

    /// `Success` when `ok`, else `Failures`.
    #[must_use]
    pub const fn unless_failed(ok: bool) -> Exit {
        if ok { Exit::Success } else { Exit::Failures }
    }
}

impl From<Exit> for std::process::ExitCode {
    fn from(exit: Exit) -> Self {
        std::process::ExitCode::from(exit.code())
    }
}

impl std::fmt::Display for Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.code())
    }
}
