//! Reading the JSON files mfaspec writes (`outcomes.json`, recorded responses), with errors
//! that name the file and, for bad JSON, the line and column.
//!
//! Owns: reading and its errors. Uses nothing of the crate.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// A JSON file that cannot be read or is not what it should be.
#[derive(Debug, thiserror::Error)]
pub enum JsonFileError {
    /// The file or folder cannot be read.
    #[error("reading `{path}`: {source}")]
    Read {
        /// Where.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The file is not the JSON expected.
    #[error("failed to parse `{path}`: line {line}, column {column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
}

/// The error for an I/O failure on `path`.
pub fn read_error(path: &Path) -> impl FnOnce(std::io::Error) -> JsonFileError {
    let path = path.to_owned();
    move |source| JsonFileError::Read { path, source }
}

/// Reads and parses `path`.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<T, JsonFileError> {
    let text = std::fs::read_to_string(path).map_err(read_error(path))?;
    serde_json::from_str(&text).map_err(|e| JsonFileError::Parse {
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line ").next().unwrap_or("").into(),
        path: path.to_owned(),
    })
}
