//! The report layer: everything a person or a CI system reads after a run, made from the
//! run's outcomes ([`crate::outcome`]) and never from the runner: the console summary,
//! `junit.xml`, `outcomes.json`, the compatibility matrix (md + html) and the recorded
//! responses (`responses/`, `--record`).
//!
//! May use: [`crate::outcome`], [`crate::features`] (rows in file order), the client's
//! error type and scrubbing (snapshots). Never `crate::runner`.

use std::path::Path;

use crate::outcome::Summary;

/// The style both generated HTML tables share (the emulators' matrix and `totp-check`'s
/// page), as a literal for `concat!`: each page adds its cells' colours.
macro_rules! table_css {
    () => {
        "body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; }
thead th { position: sticky; top: 0; background: #f4f4f4; }
tr.totals td, tr.totals th { font-weight: bold; background: #f4f4f4; }
form { margin: 1rem 0; }
"
    };
}
pub(crate) use table_css;

pub mod console;
pub mod json_file;
pub mod junit;
pub mod matrix;
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
