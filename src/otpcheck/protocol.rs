//! The adapter protocol, `otp-line/1`: one request per line, one answer per line.
//!
//! ```text
//! totp <algorithm> <digits> <period> <t0> <time> <encoding> <key>
//! hotp <algorithm> <digits> <counter> <encoding> <key>
//! verify <algorithm> <digits> <period> <t0> <time> <window> <code-hex> <encoding> <key>
//! mode reuse | mode construct
//! ```
//!
//! `algorithm` is `SHA1`, `SHA256` or `SHA512`; `time` is Unix seconds and may be negative;
//! `encoding` is `hex` (the key's bytes) or `base32` (the key's text as the case gives it,
//! for the implementation's own decoder); the key is the rest of the line. The answer is
//! `ok <code>`, `reject <reason>` or `unsupported <what>`. The per-call form passes the same
//! fields as a command's arguments and reads one answer line.
//!
//! `verify` asks the implementation's own verifier about a candidate code at `time`: `window`
//! is the steps accepted on either side of the current one, or `default` for the library's
//! own; `code-hex` is the candidate's UTF-8 bytes in hex, since a candidate may hold a space
//! or non-ASCII digits on purpose. The answer is `ok accept` or `ok refuse` (a `reject` counts
//! as a refusal; `unsupported` where the library has no verifier or cannot take the window).
//!
//! Owns: the grammar. Uses: [`crate::totp::Algorithm`].

use crate::totp::Algorithm;

/// How a request gives its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyEncoding {
    /// The key's bytes as lower-case hex.
    Hex,
    /// Base32 text, exactly as the case writes it.
    Base32,
}

impl KeyEncoding {
    fn name(self) -> &'static str {
        match self {
            KeyEncoding::Hex => "hex",
            KeyEncoding::Base32 => "base32",
        }
    }
}

/// What is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A TOTP code (RFC 6238).
    Totp {
        /// The time step `X`, seconds (0 is asked for on purpose: it must be refused).
        period: u64,
        /// `T0`, Unix seconds.
        t0: u64,
        /// The time, Unix seconds; negative before the epoch.
        time: i64,
    },
    /// An HOTP code (RFC 4226).
    Hotp {
        /// The counter.
        counter: u64,
    },
    /// Whether the implementation's TOTP verifier accepts `code` at `time`.
    Verify {
        /// The time step `X`, seconds.
        period: u64,
        /// `T0`, Unix seconds.
        t0: u64,
        /// The time, Unix seconds.
        time: i64,
        /// Steps accepted on either side of the current one; `None`: the library's default.
        window: Option<u32>,
        /// The candidate, as a user might type it (sent hex-encoded).
        code: String,
    },
}

/// A verifier's verdict: the value of an `ok` answer to a `verify` request.
pub const ACCEPT: &str = "accept";
/// The other verdict.
pub const REFUSE: &str = "refuse";

/// One request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// TOTP or HOTP, with their parameters.
    pub kind: Kind,
    /// The HMAC hash function.
    pub algorithm: Algorithm,
    /// Digits asked for (0, 5, 11 are asked on purpose).
    pub digits: u32,
    /// How `key` is written.
    pub encoding: KeyEncoding,
    /// The key, as written.
    pub key: String,
}

fn algorithm_name(a: Algorithm) -> &'static str {
    match a {
        Algorithm::Sha1 => "SHA1",
        Algorithm::Sha256 => "SHA256",
        Algorithm::Sha512 => "SHA512",
    }
}

impl Request {
    /// The request's fields, in protocol order (the key last).
    #[must_use]
    pub fn fields(&self) -> Vec<String> {
        let mut f = Vec::with_capacity(8);
        match self.kind {
            Kind::Totp { period, t0, time } => {
                f.push("totp".to_owned());
                f.push(algorithm_name(self.algorithm).to_owned());
                f.push(self.digits.to_string());
                f.push(period.to_string());
                f.push(t0.to_string());
                f.push(time.to_string());
            }
            Kind::Hotp { counter } => {
                f.push("hotp".to_owned());
                f.push(algorithm_name(self.algorithm).to_owned());
                f.push(self.digits.to_string());
                f.push(counter.to_string());
            }
            Kind::Verify {
                period,
                t0,
                time,
                window,
                ref code,
            } => {
                f.push("verify".to_owned());
                f.push(algorithm_name(self.algorithm).to_owned());
                f.push(self.digits.to_string());
                f.push(period.to_string());
                f.push(t0.to_string());
                f.push(time.to_string());
                f.push(window.map_or_else(|| "default".to_owned(), |w| w.to_string()));
                f.push(code.bytes().map(|b| format!("{b:02x}")).collect());
            }
        }
        f.push(self.encoding.name().to_owned());
        f.push(self.key.clone());
        f
    }

    /// The request as one protocol line (without the newline).
    #[must_use]
    pub fn line(&self) -> String {
        self.fields().join(" ")
    }

    /// Reads a request line.
    pub fn parse(line: &str) -> Result<Request, String> {
        let mut words = line.splitn(2, ' ');
        let kind = words.next().unwrap_or("");
        let rest = words.next().unwrap_or("");
        let fixed = match kind {
            "totp" => 6,
            "hotp" => 4,
            "verify" => 8,
            _ => return Err(format!("unknown request kind `{kind}`")),
        };
        let parts: Vec<&str> = rest.splitn(fixed + 1, ' ').collect();
        if parts.len() < fixed {
            return Err(format!(
                "a {kind} request has {} fields before the key",
                fixed
            ));
        }
        let key = parts.get(fixed).copied().unwrap_or("").to_owned();
        let algorithm = match parts[0] {
            "SHA1" => Algorithm::Sha1,
            "SHA256" => Algorithm::Sha256,
            "SHA512" => Algorithm::Sha512,
            other => return Err(format!("unknown algorithm `{other}`")),
        };
        let num = |s: &str, what: &str| -> Result<u64, String> {
            s.parse()
                .map_err(|_| format!("{what} `{s}` is not a number"))
        };
        let digits = u32::try_from(num(parts[1], "digits")?).map_err(|_| "digits too large")?;
        let time = || -> Result<i64, String> {
            parts[4]
                .parse()
                .map_err(|_| format!("time `{}` is not a number", parts[4]))
        };
        let (kind, encoding) = if kind == "totp" {
            (
                Kind::Totp {
                    period: num(parts[2], "period")?,
                    t0: num(parts[3], "t0")?,
                    time: time()?,
                },
                parts[5],
            )
        } else if kind == "verify" {
            let window = match parts[5] {
                "default" => None,
                w => Some(
                    u32::try_from(num(w, "window")?)
                        .map_err(|_| format!("window `{w}` too large"))?,
                ),
            };
            let code = unhex(parts[6])
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .ok_or_else(|| format!("code `{}` is not hex-encoded UTF-8", parts[6]))?;
            (
                Kind::Verify {
                    period: num(parts[2], "period")?,
                    t0: num(parts[3], "t0")?,
                    time: time()?,
                    window,
                    code,
                },
                parts[7],
            )
        } else {
            (
                Kind::Hotp {
                    counter: num(parts[2], "counter")?,
                },
                parts[3],
            )
        };
        let encoding = match encoding {
            "hex" => KeyEncoding::Hex,
            "base32" => KeyEncoding::Base32,
            other => return Err(format!("unknown key encoding `{other}`")),
        };
        Ok(Request {
            kind,
            algorithm,
            digits,
            encoding,
            key,
        })
    }
}

/// An adapter's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// `ok <code>`.
    Code(String),
    /// `reject <reason>`: the implementation refused.
    Reject(String),
    /// `unsupported <what>`: the implementation cannot take the parameter at all.
    Unsupported(String),
}

impl Answer {
    /// Reads an answer line.
    pub fn parse(line: &str) -> Result<Answer, String> {
        let line = line.trim_end_matches(['\r', '\n']);
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        match word {
            "ok" => Ok(Answer::Code(rest.to_owned())),
            "reject" => Ok(Answer::Reject(rest.to_owned())),
            "unsupported" => Ok(Answer::Unsupported(rest.to_owned())),
            _ => Err(format!(
                "not an answer (ok|reject|unsupported): {:?}",
                line.chars().take(80).collect::<String>()
            )),
        }
    }

    /// The answer as one protocol line.
    #[must_use]
    pub fn line(&self) -> String {
        match self {
            Answer::Code(c) => format!("ok {c}"),
            Answer::Reject(r) => format!("reject {}", one_line(r)),
            Answer::Unsupported(w) => format!("unsupported {}", one_line(w)),
        }
    }
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

/// The bytes of lower- or upper-case hex text; `None` for anything else.
pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_and_the_key_may_hold_spaces() {
        for line in [
            "totp SHA256 8 30 0 -1 hex 3132",
            "hotp SHA1 10 18446744073709551615 base32 GEZD GNBV GY3T",
            "totp SHA1 6 60 15 44 base32 ",
            "verify SHA1 6 30 0 59 1 20303831383034 hex 3132",
            "verify SHA512 8 60 0 -5 default efbc90 base32 GEZD GNBV",
        ] {
            let r = Request::parse(line).unwrap();
            assert_eq!(r.line(), line);
        }
        let r = Request::parse("hotp SHA1 6 0 base32 ab cd").unwrap();
        assert_eq!(r.key, "ab cd");
        let r = Request::parse("verify SHA1 6 30 0 59 1 20303831383034 hex 3132").unwrap();
        assert!(
            matches!(r.kind, Kind::Verify { window: Some(1), ref code, .. } if code == " 081804")
        );
        assert!(Request::parse("verify SHA1 6 30 0 59 1 2g hex 3132").is_err());
        assert!(Request::parse("verify SHA1 6 30 0 59 wide 20 hex 3132").is_err());
        assert!(Request::parse("totp MD5 6 30 0 0 hex 00").is_err());
        assert!(Request::parse("totp SHA1 6 30").is_err());
        assert!(Request::parse("frob").is_err());
    }

    #[test]
    fn answers_are_read_and_written() {
        assert_eq!(
            Answer::parse("ok 081804\n").unwrap(),
            Answer::Code("081804".into())
        );
        assert_eq!(
            Answer::parse("reject key too short").unwrap(),
            Answer::Reject("key too short".into())
        );
        assert!(Answer::parse("094287082").is_err());
        assert_eq!(Answer::Reject("a\nb".into()).line(), "reject a b");
    }
}
