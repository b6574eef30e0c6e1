//! Generated sections of a Markdown file (the matrix in `docs/emulators.md`, the TOTP table
//! in `docs/totp-check.md`): the lines between a begin and an end marker, checked against a
//! fresh table (`--check`) or rewritten (`--write`).
//!
//! Owns: splicing and the check's verdict. Uses nothing of the crate.

use std::path::{Path, PathBuf};

/// `text` with what lies between the lines `begin` and `end` replaced by `table`; `None`
/// when it lacks either.
#[must_use]
pub fn splice_between(text: &str, begin: &str, end: &str, table: &str) -> Option<String> {
    let from = text.find(begin)? + begin.len();
    let to = from + text[from..].find(end)?;
    Some(format!("{}\n{}{}", &text[..from], table, &text[to..]))
}

/// What to do with a file's generated section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Compare it with the fresh table.
    Check,
    /// Replace it with the fresh table.
    Write,
}

/// What became of a file's generated section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// `--write` left it holding the fresh table.
    Written,
    /// `--check` found the fresh table there.
    Current,
    /// `--check` found another table: the first line that differs (1-based), what the file
    /// has there and what it should have.
    Stale {
        /// The line.
        line: usize,
        /// The file's text on it.
        has: String,
        /// The fresh text.
        should: String,
    },
}

/// A generated section that cannot be checked or written.
#[derive(Debug, thiserror::Error)]
pub enum SectionError {
    /// The file cannot be read or written.
    #[error("{action} `{path}`: {source}")]
    Io {
        /// `reading` or `writing`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file lacks a marker.
    #[error("`{path}` has no {what} section: add the lines `{begin}` and `{end}`")]
    NoSection {
        /// The file.
        path: PathBuf,
        /// The section's name (`matrix`, `TOTP table`).
        what: String,
        /// The begin marker.
        begin: String,
        /// The end marker.
        end: String,
    },
}

/// Checks or rewrites the section of `path` between `begin` and `end` against `table`.
pub fn apply(
    path: &Path,
    what: &str,
    [begin, end]: [&str; 2],
    table: &str,
    mode: Mode,
) -> Result<Verdict, SectionError> {
    let io = |action, source| SectionError::Io {
        action,
        path: path.to_owned(),
        source,
    };
    let text = std::fs::read_to_string(path).map_err(|e| io("reading", e))?;
    let fresh =
        splice_between(&text, begin, end, table).ok_or_else(|| SectionError::NoSection {
            path: path.to_owned(),
            what: what.to_owned(),
            begin: begin.to_owned(),
            end: end.to_owned(),
        })?;
    if mode == Mode::Write {
        if fresh != text {
            std::fs::write(path, &fresh).map_err(|e| io("writing", e))?;
        }
        return Ok(Verdict::Written);
    }
    if fresh == text {
        return Ok(Verdict::Current);
    }
    let old: Vec<&str> = text.lines().collect();
    let new: Vec<&str> = fresh.lines().collect();
    let first = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let at = |lines: &[&str]| lines.get(first).unwrap_or(&"(end of file)").to_string();
    Ok(Verdict::Stale {
        line: first + 1,
        has: at(&old),
        should: at(&new),
    })
}
