//! `totp-check` from end to end: every adapter run against the catalogue and the reports
//! written; the verdicts are the report's.
//!
//! Owns: the order of a check. Uses: [`super::run`], [`super::report`], [`super::model`].

use std::path::Path;

use super::model::{Adapter, Report};
use super::report::{self, WriteError, Written};
use super::run::{self, Options};

/// What a check produced.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The results of every implementation, each with its verdict.
    pub report: Report,
    /// What was written, and the tables.
    pub written: Written,
}

/// Runs `adapters` against the catalogue with `options`, calling `progress` as each starts,
/// and writes `totp-check.json`, `.md`, `.html` and `junit.xml` into `dir`.
pub async fn check(
    adapters: &[Adapter],
    options: &Options,
    dir: &Path,
    progress: impl FnMut(&Adapter),
) -> Result<Checked, WriteError> {
    let report = run::check(adapters, options, progress).await;
    let written = report::write(&report, dir)?;
    Ok(Checked { report, written })
}
