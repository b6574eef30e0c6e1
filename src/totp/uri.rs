//! `otpauth://` key URIs (Google Authenticator's Key Uri Format, spec §6): what a QR code
//! carries from a server to an authenticator app. Cognito returns only `SecretCode`; the
//! apps built on it wrap it as `otpauth://totp/<label>?secret=<SecretCode>&issuer=…`.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::algorithm::{Algorithm, Digits};
use super::generator::TotpParams;
use super::secret::{Base32Error, Secret};

/// Characters escaped in a label or parameter: all but RFC 3986's unreserved ones and `@`,
/// which account names use and every app reads as it is.
const ESCAPED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@');

/// Time-based or counter-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpKind {
    /// `totp`, with its period in seconds (default 30).
    Totp {
        /// The time step in seconds.
        period: u64,
    },
    /// `hotp`, with the initial counter (required by the format).
    Hotp {
        /// The counter of the first code.
        counter: u64,
    },
}

/// A key URI: everything an authenticator app needs to produce codes.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyUri {
    /// `totp` or `hotp`, with its period or counter.
    pub kind: OtpKind,
    /// The provider (`issuer` parameter and label prefix), if any.
    pub issuer: Option<String>,
    /// The account name shown in the app.
    pub account: String,
    /// The shared secret.
    pub secret: Secret,
    /// The HMAC hash function (default SHA1).
    pub algorithm: Algorithm,
    /// Digits per code (default 6).
    pub digits: Digits,
}

/// A key URI that cannot be built or read. Each variant names the part at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UriError {
    /// The URI does not start with `otpauth://`.
    #[error("a key URI starts with `otpauth://`, this one starts with `{found}`")]
    NotOtpauth {
        /// The start of the text (at most 16 characters).
        found: String,
    },
    /// The type is neither `totp` nor `hotp`.
    #[error("the type `{found}` is not `totp` or `hotp`")]
    UnknownType {
        /// The type found.
        found: String,
    },
    /// The label (account name) is empty.
    #[error("the label has no account name")]
    MissingAccount,
    /// An issuer or account name containing a colon, which the label cannot carry.
    #[error("the {field} {value:?} contains a colon, which a key URI label cannot hold")]
    ColonInLabel {
        /// `issuer` or `account`.
        field: &'static str,
        /// The offending text.
        value: String,
    },
    /// A `%` not followed by two hex digits, or escapes that decode to invalid UTF-8.
    #[error("bad percent-encoding in the {field} at character {position}")]
    BadEscape {
        /// `label` or the parameter's name.
        field: String,
        /// The position within that field, counting characters from 1.
        position: usize,
    },
    /// No `secret` parameter.
    #[error("the required parameter `secret` is missing")]
    MissingSecret,
    /// The `secret` is not Base32.
    #[error("parameter `secret`: {0}")]
    Secret(#[source] Base32Error),
    /// A parameter with a value outside its range.
    #[error("parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
    /// The same parameter given twice.
    #[error("parameter `{name}` is given more than once")]
    DuplicateParameter {
        /// The parameter.
        name: String,
    },
    /// `hotp` without `counter`.
    #[error("an hotp key URI needs the parameter `counter`")]
    MissingCounter,
    /// Label prefix and `issuer` parameter disagree (the format says they should be equal).
    #[error("the label's issuer {label:?} differs from the issuer parameter {parameter:?}")]
    IssuerMismatch {
        /// The issuer in the label.
        label: String,
        /// The `issuer` parameter.
        parameter: String,
    },
}

impl KeyUri {
    /// A Cognito-style TOTP key: SHA1, 6 digits, 30 seconds.
    #[must_use]
    pub fn totp(secret: Secret, account: impl Into<String>, issuer: Option<String>) -> KeyUri {
        KeyUri {
            kind: OtpKind::Totp { period: 30 },
            issuer,
            account: account.into(),
            secret,
            algorithm: Algorithm::Sha1,
            digits: Digits::SIX,
        }
    }

    /// The TOTP parameters this key describes; `None` for an `hotp` key.
    #[must_use]
    pub fn totp_params(&self) -> Option<TotpParams> {
        match self.kind {
            OtpKind::Totp { period } => Some(TotpParams {
                algorithm: self.algorithm,
                digits: self.digits,
                period,
                t0: 0,
            }),
            OtpKind::Hotp { .. } => None,
        }
    }

    /// The URI text: `otpauth://totp/Issuer:account?secret=…&issuer=Issuer`, with
    /// `algorithm`, `digits` and `period` only where they differ from the defaults (older
    /// apps ignore them, so a default key reads the same everywhere). The text holds the
    /// secret: show it only to the person enrolling.
    pub fn to_uri_string(&self) -> Result<String, UriError> {
        if self.account.is_empty() {
            return Err(UriError::MissingAccount);
        }
        for (field, value) in [
            ("issuer", self.issuer.as_deref()),
            ("account", Some(&self.account)),
        ] {
            if let Some(value) = value.filter(|v| v.contains(':')) {
                return Err(UriError::ColonInLabel {
                    field,
                    value: value.to_owned(),
                });
            }
        }
        let enc = |s: &str| utf8_percent_encode(s, ESCAPED).to_string();
        let kind = match self.kind {
            OtpKind::Totp { .. } => "totp",
            OtpKind::Hotp { .. } => "hotp",
        };
        let mut uri = format!("otpauth://{kind}/");
        // Readers drop the spaces after the label's colon ("Issuer: account"), so an account
        // that starts with whitespace goes without the prefix: the issuer parameter names
        // the issuer on its own (found by fuzz/fuzz_targets/key_uri.rs).
        let prefixed = !self.account.starts_with(char::is_whitespace);
        if let Some(issuer) = self.issuer.as_ref().filter(|_| prefixed) {
            uri.push_str(&enc(issuer));
            uri.push(':');
        }
        uri.push_str(&enc(&self.account));
        uri.push_str("?secret=");
        uri.push_str(&self.secret.to_base32());
        if let Some(issuer) = &self.issuer {
            uri.push_str("&issuer=");
            uri.push_str(&enc(issuer));
        }
        if self.algorithm != Algorithm::Sha1 {
            uri.push_str("&algorithm=");
            uri.push_str(self.algorithm.uri_name());
        }
        if self.digits != Digits::SIX {
            uri.push_str(&format!("&digits={}", self.digits));
        }
        match self.kind {
            OtpKind::Totp { period: 30 } => {}
            OtpKind::Totp { period } => uri.push_str(&format!("&period={period}")),
            OtpKind::Hotp { counter } => uri.push_str(&format!("&counter={counter}")),
        }
        Ok(uri)
    }

    /// Reads a key URI. Unknown parameters (such as `image`) are ignored, as apps do.
    pub fn parse(text: &str) -> Result<KeyUri, UriError> {
        const SCHEME: &str = "otpauth://";
        let text = text.trim();
        let rest = match text.get(..SCHEME.len()) {
            Some(s) if s.eq_ignore_ascii_case(SCHEME) => &text[SCHEME.len()..],
            _ => {
                return Err(UriError::NotOtpauth {
                    found: text.chars().take(16).collect(),
                });
            }
        };
        let (kind_text, rest) = rest.split_once('/').unwrap_or((rest, ""));
        let (label, query) = rest.split_once('?').unwrap_or((rest, ""));
        let is_totp = match kind_text.to_ascii_lowercase().as_str() {
            "totp" => true,
            "hotp" => false,
            _ => {
                return Err(UriError::UnknownType {
                    found: kind_text.to_owned(),
                });
            }
        };

        let label = decode(label, "label", false)?;
        let (label_issuer, account) = match label.split_once(':') {
            Some((issuer, account)) => (Some(issuer.to_owned()), account.trim_start().to_owned()),
            None => (None, label.clone()),
        };
        if account.is_empty() {
            return Err(UriError::MissingAccount);
        }
        if account.contains(':') {
            return Err(UriError::ColonInLabel {
                field: "account",
                value: account,
            });
        }

        let mut secret = None;
        let mut issuer = None;
        let mut algorithm = None;
        let mut digits = None;
        let mut period = None;
        let mut counter = None;
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, raw) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(raw, name, true)?;
            let slot = match name {
                "secret" => &mut secret,
                "issuer" => &mut issuer,
                "algorithm" => &mut algorithm,
                "digits" => &mut digits,
                "period" => &mut period,
                "counter" => &mut counter,
                _ => continue,
            };
            if slot.replace(value).is_some() {
                return Err(UriError::DuplicateParameter {
                    name: name.to_owned(),
                });
            }
        }

        let secret = Secret::from_base32(&secret.ok_or(UriError::MissingSecret)?)
            .map_err(UriError::Secret)?;
        let algorithm = match algorithm {
            None => Algorithm::Sha1,
            Some(a) => a.parse().map_err(|e: super::algorithm::UnknownAlgorithm| {
                UriError::InvalidParameter {
                    name: "algorithm",
                    reason: e.to_string(),
                }
            })?,
        };
        let digits = match digits {
            None => Digits::SIX,
            Some(d) => d
                .parse::<Digits>()
                .map_err(|reason| UriError::InvalidParameter {
                    name: "digits",
                    reason,
                })?,
        };
        let number = |name: &'static str, v: String| {
            v.parse::<u64>().map_err(|_| UriError::InvalidParameter {
                name,
                reason: format!("`{v}` is not a whole number"),
            })
        };
        let kind = if is_totp {
            let period = period
                .map(|p| number("period", p))
                .transpose()?
                .unwrap_or(30);
            if period == 0 {
                return Err(UriError::InvalidParameter {
                    name: "period",
                    reason: "the period must be at least 1 second".into(),
                });
            }
            OtpKind::Totp { period }
        } else {
            OtpKind::Hotp {
                counter: number("counter", counter.ok_or(UriError::MissingCounter)?)?,
            }
        };
        let issuer = match (label_issuer, issuer) {
            (Some(label), Some(parameter)) if label != parameter => {
                return Err(UriError::IssuerMismatch { label, parameter });
            }
            (label, parameter) => parameter.or(label),
        };
        Ok(KeyUri {
            kind,
            issuer,
            account,
            secret,
            algorithm,
            digits,
        })
    }
}

/// Percent-decodes `raw`; in a query value `+` also stands for a space.
fn decode(raw: &str, field: &str, query: bool) -> Result<String, UriError> {
    let bad = |i: usize| UriError::BadEscape {
        field: field.to_owned(),
        position: raw.char_indices().take_while(|&(k, _)| k < i).count() + 1,
    };
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    // Where in `raw` each decoded byte came from, to name the position of invalid UTF-8.
    let mut from = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        from.push(i);
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or_else(|| bad(i))?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return Err(bad(i));
                }
                let hex = std::str::from_utf8(hex).map_err(|_| bad(i))?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| bad(i))?);
                i += 3;
            }
            b'+' if query => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|e| bad(from[e.utf8_error().valid_up_to()]))
}

impl fmt::Debug for KeyUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyUri")
            .field("kind", &self.kind)
            .field("issuer", &self.issuer)
            .field("account", &self.account)
            .field("secret", &self.secret)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .finish()
    }
}
