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
