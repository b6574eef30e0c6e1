//! The RFC test vectors as `fixtures/` holds them (`rfc4226.yaml`, `rfc6238.yaml`, carried
//! in the binary): the catalogue reads its RFC cases from there instead of typing them again,
//! and `tests/rfc_vectors.rs` checks the same files against every implementation.
//!
//! Owns: reading the two files. Uses: [`crate::builtin`].

use std::collections::BTreeMap;

use serde::Deserialize;

/// An RFC's key, as ASCII text and as Base32.
#[derive(Debug, Deserialize)]
pub struct Seed {
    /// The key's bytes, as text.
    pub ascii: String,
    /// The same bytes in Base32 (as Cognito's SecretCode is written).
    pub base32: String,
}

/// RFC 4226 Appendix D.
#[derive(Debug, Deserialize)]
pub struct Rfc4226 {
    /// The key.
    pub secret: Seed,
    /// One per counter.
    pub vectors: Vec<HotpVector>,
}

/// One HOTP value.
#[derive(Debug, Deserialize)]
pub struct HotpVector {
    /// The counter.
    pub count: u64,
    /// The dynamically truncated value (RFC 4226 §5.3), before the modulo.
    pub truncated: u32,
    /// The 6-digit code.
    pub hotp: String,
}

/// RFC 6238 Appendix B, with errata 2866's seeds per algorithm.
#[derive(Debug, Deserialize)]
pub struct Rfc6238 {
    /// The key of each algorithm (`SHA1`, `SHA256`, `SHA512`).
    pub seeds: BTreeMap<String, Seed>,
    /// One per time and algorithm, in the RFC's order.
    pub vectors: Vec<TotpVector>,
}

/// One TOTP value.
#[derive(Debug, Deserialize)]
pub struct TotpVector {
    /// Unix time, seconds.
    pub time: u64,
    /// The time step `T`, 16 hex digits.
    pub step: String,
    /// `SHA1`, `SHA256` or `SHA512`.
    pub algorithm: String,
    /// The 8-digit code.
    pub code_8: String,
    /// Its last six digits, the width Cognito uses.
    pub code_6: String,
}

fn load<T: serde::de::DeserializeOwned>(file: &str) -> T {
    let text = crate::builtin::file(crate::builtin::VECTORS, file)
        .unwrap_or_else(|| panic!("the binary carries fixtures/{file} (build.rs embeds it)"));
    serde_yaml::from_str(text).unwrap_or_else(|e| {
        panic!("fixtures/{file} parses (tests/rfc_vectors.rs reads it too): {e}")
    })
}

/// `fixtures/rfc4226.yaml`.
#[must_use]
pub fn rfc4226() -> Rfc4226 {
    load("rfc4226.yaml")
}

/// `fixtures/rfc6238.yaml`.
#[must_use]
pub fn rfc6238() -> Rfc6238 {
    load("rfc6238.yaml")
}
