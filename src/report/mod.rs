//! The report layer: everything a person or a CI system reads after a run, made from the
//! run's outcomes ([`crate::outcome`]) and never from the runner: the console summary,
//! `junit.xml`, `outcomes.json`, the compatibility matrix (md + html) and the recorded
//! responses (`responses/`, `--record`).
//!
//! May use: [`crate::outcome`], [`crate::features`] (rows in file order), the client's
//! error type and scrubbing (snapshots). Never `crate::runner`.

use std::path::Path;

use crate::outcome::Summary;

pub mod console;
pub mod generated;
pub mod json_file;
pub mod junit;
pub mod matrix;
pub mod repro;
pub mod results;
pub mod snapshot;

/// Files earlier versions wrote beside these, which would now contradict them.
const OBSOLETE: &[&str] = &["cucumber.json", "cucumber-serial.json", "junit-serial.xml"];

/// Writes `outcomes.json` and `junit.xml` into `dir`.
pub fn write_all(dir: &Path, summary: &Summary) -> std::io::Result<()> {
    let json = serde_json::to_string_pretty(summary).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("outcomes.json"), json)?;
    std::fs::write(dir.join("junit.xml"), junit::render(summary))?;
    for name in OBSOLETE {
        let _ = std::fs::remove_file(dir.join(name));
    }
    Ok(())
}
