//! The parameters of a one-time-password generator that are not the secret: the HMAC hash
//! function and the number of digits. Knows nothing of time or of Cognito.

use std::fmt;
use std::str::FromStr;

/// The HMAC hash function of an HOTP/TOTP generator (RFC 6238 §1.2: SHA-1, SHA-256, SHA-512).
///
/// Cognito uses [`Algorithm::Sha1`]: its `SecretCode` carries no algorithm, so authenticator
/// apps apply the Key Uri Format default (spec §4 B9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Algorithm {
    /// HMAC-SHA-1, the RFC 4226 original and every authenticator app's default.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// Every algorithm, in the order the RFCs list them.
    pub const ALL: [Algorithm; 3] = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512];

    /// The name as the Key Uri Format writes it: `SHA1`, `SHA256`, `SHA512`.
    #[must_use]
    pub const fn uri_name(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.uri_name())
    }
}

/// An algorithm name that is none of SHA1, SHA256, SHA512.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown algorithm `{0}`: expected SHA1, SHA256 or SHA512")]
pub struct UnknownAlgorithm(pub String);

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    /// Accepts `sha1`, `SHA-256`, `Sha512`…: case-insensitive, with or without the hyphen.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded: String = s
            .chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        match folded.as_str() {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(UnknownAlgorithm(s.to_owned())),
        }
    }
}

/// The number of digits of a code: 6, 7 or 8 (RFC 4226 §5.3 requires at least 6; the
/// dynamic truncation yields 31 bits, so more than 9 would be meaningless and 8 is the
/// largest any authenticator app offers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digits(u8);

/// A digit count outside 6–8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} digits is not supported: a code has 6, 7 or 8 digits")]
pub struct InvalidDigits(pub u32);

impl Digits {
    /// Six digits: Cognito's `UserCode` and every authenticator app's default.
    pub const SIX: Digits = Digits(6);
    /// Seven digits.
    pub const SEVEN: Digits = Digits(7);
    /// Eight digits, as in RFC 6238 Appendix B.
    pub const EIGHT: Digits = Digits(8);

    /// Checks that `n` is 6, 7 or 8.
    pub const fn new(n: u32) -> Result<Digits, InvalidDigits> {
        match n {
            6..=8 => Ok(Digits(n as u8)),
            _ => Err(InvalidDigits(n)),
        }
    }

    /// The count as a number.
    #[must_use]
    pub const fn get(self) -> u8 {
        self.0
    }
}

impl Default for Digits {
    fn default() -> Self {
        Digits::SIX
    }
}

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for Digits {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n: u32 = s
            .trim()
            .parse()
            .map_err(|_| format!("`{s}` is not a number of digits: expected 6, 7 or 8"))?;
        Digits::new(n).map_err(|e| e.to_string())
    }
}
