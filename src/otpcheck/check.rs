//! `totp-check` from end to end: every adapter run against the catalogue, the three reports
//! written, and the verdict on mfaspec's own core.
//!
//! Owns: the order of a check. Uses: [`super::run`], [`super::report`], [`super::model`].

use std::path::Path;

use super::model::{Adapter, Report};
use super::report::{self, WriteError, Written};
use super::run::{self, Options};

/// What a check produced.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The results of every implementation, the first being mfaspec's core.
    pub report: Report,
    /// What was written, and the tables.
    pub written: Written,
    /// Whether mfaspec's own core conformed on every case.
    pub core_conforms: bool,
}

/// Runs `adapters` (mfaspec's core first) against the catalogue with `options`, calling
/// `progress` as each starts, and writes `totp-check.json`, `.md` and `.html` into `dir`.
pub async fn check(
    adapters: &[Adapter],
    options: &Options,
    dir: &Path,
    progress: impl FnMut(&Adapter),
) -> Result<Checked, WriteError> {
    let report = run::check(adapters, options, progress).await;
    let written = report::write(&report, dir)?;
    Ok(Checked {
        core_conforms: report::core_conforms(&report),
        report,
        written,
    })
}
