//! A one-time code: a fixed-width, zero-padded decimal number, compared in constant time.
//! It knows how it is written and read, not how it is computed.

use std::fmt;

use subtle::ConstantTimeEq;

use super::algorithm::Digits;

/// A one-time password, such as Cognito's 6-digit `UserCode` / `SOFTWARE_TOKEN_MFA_CODE`.
///
/// Always `digits` characters wide, zero-padded (`000123`). Equality is constant-time, so a
/// verifier built on it does not leak how many leading digits matched.
#[derive(Clone, Copy)]
pub struct Code {
    value: u32,
    digits: Digits,
}

/// Text that is not a code of the expected width.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// Too few or too many characters.
    #[error("a code has {expected} digits, this one has {found} characters")]
    WrongLength {
        /// The digit count expected.
        expected: u8,
        /// The characters found.
        found: usize,
    },
    /// A character that is not an ASCII digit.
    #[error("a code has only digits 0-9, found {character:?} at position {position}")]
    NotADigit {
        /// The offending character.
        character: char,
        /// Its position, counting characters from 1.
        position: usize,
    },
}

impl Code {
    /// A code from its numeric value; `value` is reduced modulo 10^digits.
    #[must_use]
    pub const fn new(value: u32, digits: Digits) -> Code {
        // One arm per width, so that each remainder has a constant divisor and compiles to a
        // multiplication rather than a division on every code's critical path.
        let value = match digits.get() {
            6 => value % 1_000_000,
            7 => value % 10_000_000,
            _ => value % 100_000_000,
        };
        Code { value, digits }
    }

    /// Reads a code of exactly `digits` ASCII digits (leading zeros included).
    pub fn parse(text: &str, digits: Digits) -> Result<Code, CodeError> {
        // The common case, on the bytes: exactly `digits` (6 to 8) ASCII digits, read as one
        // word — left-padded with '0's, checked and combined pairwise (SWAR), with no branch
        // per character. Anything else takes the path below, which says what is wrong.
        let bytes = text.as_bytes();
        let n = usize::from(digits.get());
        if bytes.len() == n {
            // One arm per width, so that each copy has a constant length (no memcpy call).
            let mut word = [b'0'; 8];
            match n {
                6 => word[2..].copy_from_slice(&bytes[..6]),
                7 => word[1..].copy_from_slice(&bytes[..7]),
                _ => word.copy_from_slice(&bytes[..8]),
            }
            let ascii = u64::from_le_bytes(word);
            // Each byte xor '0' is its digit; a byte that is no ASCII digit gives 10 or more.
            let x = ascii ^ 0x3030_3030_3030_3030;
            let bad = (x.wrapping_add(0x7676_7676_7676_7676) | x) & 0x8080_8080_8080_8080;
            if bad == 0 {
                let x = (x.wrapping_mul(10) + (x >> 8)) & 0x00ff_00ff_00ff_00ff;
                let x = (x.wrapping_mul(100) + (x >> 16)) & 0x0000_ffff_0000_ffff;
                let value = (x.wrapping_mul(10_000) + (x >> 32)) as u32;
                return Ok(Code { value, digits });
            }
        }
        let mut value: u32 = 0;
        let mut count = 0usize;
        for (i, c) in text.chars().enumerate() {
            let Some(d) = c.to_digit(10) else {
                return Err(CodeError::NotADigit {
                    character: c,
                    position: i + 1,
                });
            };
            count += 1;
            if count > usize::from(digits.get()) {
                break;
            }
            value = value * 10 + d;
        }
        let found = text.chars().count();
        if found != usize::from(digits.get()) {
            return Err(CodeError::WrongLength {
                expected: digits.get(),
                found,
            });
        }
        Ok(Code { value, digits })
    }

    /// The numeric value (without the zero padding).
    #[must_use]
    pub const fn value(&self) -> u32 {
        self.value
    }

    /// How many digits the code is written with.
    #[must_use]
    pub const fn digits(&self) -> Digits {
        self.digits
    }

    /// The code as ASCII digits, zero-padded, without allocating.
    #[must_use]
    pub fn to_ascii(&self) -> CodeText {
        let mut bytes = [b'0'; 8];
        let len = usize::from(self.digits.get());
        let mut v = self.value;
        for slot in bytes[..len].iter_mut().rev() {
            *slot = b'0' + (v % 10) as u8;
            v /= 10;
        }
        CodeText {
            bytes,
            len: len as u8,
        }
    }
}

impl Code {
    /// The value and the width in one word (values are below 10^8 < 2^27), so that one
    /// XOR compares both.
    #[inline]
    pub(crate) const fn packed(&self) -> u32 {
        self.value | ((self.digits.get() as u32) << 27)
    }

    /// Constant-time equality as a `subtle::Choice`, for verifiers that must not branch.
    pub(crate) fn ct_eq_choice(&self, other: &Code) -> subtle::Choice {
        self.value.ct_eq(&other.value) & self.digits.get().ct_eq(&other.digits.get())
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Code) -> bool {
        self.ct_eq_choice(other).into()
    }
}

impl Eq for Code {}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.to_ascii().as_str())
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({})", self.to_ascii().as_str())
    }
}

/// The written form of a [`Code`], on the stack.
#[derive(Clone, Copy)]
pub struct CodeText {
    bytes: [u8; 8],
    len: u8,
}

impl CodeText {
    /// The digits as a string slice.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever written into `bytes`.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).expect("ASCII digits")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `parse` must do, written plainly: exactly `digits` ASCII digits.
    fn plain(text: &str, digits: Digits) -> Option<u32> {
        (text.len() == usize::from(digits.get()) && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse().expect("ASCII digits"))
    }

    /// The word-at-a-time path agrees with the plain reading on every width, on codes across
    /// the range, and on every byte value at every position of a code.
    #[test]
    fn parse_agrees_with_the_plain_reading() {
        for digits in [Digits::SIX, Digits::new(7).unwrap(), Digits::EIGHT] {
            let n = usize::from(digits.get());
            let top = 10u32.pow(u32::from(digits.get()));
            let mut value = 0u32;
            while value < top {
                let text = format!("{value:0n$}");
                assert_eq!(
                    Code::parse(&text, digits).ok().map(|c| c.value()),
                    Some(value)
                );
                value += 9_973;
            }
            for position in 0..n {
                for byte in 0..=255u8 {
                    let mut bytes = format!("{:0n$}", 1_234_567 % top).into_bytes();
                    bytes[position] = byte;
                    let Ok(text) = String::from_utf8(bytes) else {
                        continue;
                    };
                    assert_eq!(
                        Code::parse(&text, digits).ok().map(|c| c.value()),
                        plain(&text, digits),
                        "{text:?}"
                    );
                }
            }
            for text in ["", "12345", "123456789", "١٢٣٤٥٦", "+12345", " 12345"] {
                assert_eq!(
                    Code::parse(text, digits).ok().map(|c| c.value()),
                    plain(text, digits),
                    "{text:?}"
                );
            }
        }
    }
}
