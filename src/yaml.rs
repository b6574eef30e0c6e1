//! A YAML (or JSON) parse error as mfaspec's messages put it: `: line L, column C` apart from
//! the parser's words, so that every file mfaspec reads names where it is wrong the same way.
//!
//! Owns: that split. Uses nothing of the crate.

/// (`: line L, column C` or empty, the message without serde_yaml's own " at line …").
#[must_use]
pub fn error_parts(e: &serde_yaml::Error) -> (String, String) {
    let location = e
        .location()
        .map(|l| format!(": line {}, column {}", l.line(), l.column()))
        .unwrap_or_default();
    let message = e
        .to_string()
        .split(" at line ")
        .next()
        .unwrap_or("")
        .to_owned();
    (location, message)
}
