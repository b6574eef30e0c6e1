//! `--readme FILE --check|--write`: a generated section checked or rewritten, and said so.

use mfaspec::report::generated::{self, Mode, Verdict};

use super::args::ReadmeArgs;

impl ReadmeArgs {
    /// Checks or rewrites the section between `begin` and `end` against `table`: `Ok(false)`
    /// when `--check` (or `--readme` alone) finds it out of date, saying where; `Ok(true)`
    /// otherwise or without `--readme`. `command` names the caller in messages, `what` the
    /// section.
    pub fn apply(
        &self,
        command: &str,
        what: &str,
        markers: [&str; 2],
        table: &str,
    ) -> Result<bool, generated::SectionError> {
        let Some(readme) = &self.readme else {
            return Ok(true);
        };
        let mode = if self.write { Mode::Write } else { Mode::Check };
        match generated::apply(readme, what, markers, table, mode)? {
            Verdict::Written => {
                eprintln!("mfaspec {command}: `{}` is up to date", readme.display());
                Ok(true)
            }
            Verdict::Current => {
                eprintln!("mfaspec {command}: `{}` holds this table", readme.display());
                Ok(true)
            }
            Verdict::Stale { line, has, should } => {
                eprintln!(
                    "mfaspec {command}: `{}` line {line}: its table is not this run's:\n  has:    {has}\n  should: {should}",
                    readme.display(),
                );
                Ok(false)
            }
        }
    }
}
