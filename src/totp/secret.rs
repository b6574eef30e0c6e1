//! The shared secret of an HOTP/TOTP generator and its Base32 form (RFC 4648 §6), read the
//! way authenticator apps read a typed-in setup key. The secret never shows in `Debug` or
//! `Display`, and its bytes are wiped when it is dropped.

use std::fmt;

use zeroize::Zeroize;

/// The key shared by the server and the authenticator app (Cognito's `SecretCode`, decoded).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

/// Base32 text that is not a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base32Error {
    /// A character outside the Base32 alphabet (A–Z, 2–7; any case; spaces and hyphens are
    /// ignored, `=` only as trailing padding).
    #[error("invalid Base32 character {character:?} at position {position}: expected A-Z or 2-7")]
    InvalidCharacter {
        /// The offending character.
        character: char,
        /// Its position, counting characters from 1.
        position: usize,
    },
    /// Something other than padding after the first `=`.
    #[error("Base32 character {character:?} at position {position} follows the padding `=`")]
    AfterPadding {
        /// The offending character.
        character: char,
        /// Its position, counting characters from 1.
        position: usize,
    },
    /// A symbol count that cannot encode whole bytes (1, 3 or 6 symbols in the last group of 8).
    #[error(
        "a Base32 secret of {symbols} symbols is truncated: the last group of 8 has {} symbols, which encodes no whole byte",
        .symbols % 8
    )]
    Truncated {
        /// How many Base32 symbols were read.
        symbols: usize,
    },
    /// No symbols at all.
    #[error("the secret is empty")]
    Empty,
}

/// Maps an ASCII byte to its 5-bit value; 0xFF marks bytes outside the alphabet.
const DECODE: [u8; 256] = {
    let mut table = [0xFF_u8; 256];
    let mut i = 0;
    while i < 26 {
        table[b'A' as usize + i] = i as u8;
        table[b'a' as usize + i] = i as u8;
        i += 1;
    }
    let mut d = 0;
    while d < 6 {
        table[b'2' as usize + d] = 26 + d as u8;
        d += 1;
    }
    table
};

const ENCODE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

impl Secret {
    /// A secret from raw key bytes.
    #[must_use]
    pub fn from_bytes(bytes: &[u8]) -> Secret {
        Secret(bytes.to_vec())
    }

    /// Reads a Base32 secret as authenticator apps do: case-insensitive, spaces and hyphens
    /// ignored, `=` padding optional. Bits left over after the last whole byte are ignored.
    pub fn from_base32(text: &str) -> Result<Secret, Base32Error> {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len() * 5 / 8 + 1);
        // Fast path: whole groups of 8 plain symbols, 40 bits → 5 bytes at a time. The first
        // group holding anything else (separator, padding, a bad character, the tail) hands
        // over to the general loop, which starts on a group boundary with no bits pending.
        let mut start = 0;
        for group in bytes.chunks_exact(8) {
            let mut acc: u64 = 0;
            let mut invalid: u8 = 0;
            for &b in group {
                let v = DECODE[usize::from(b)];
                invalid |= v;
                acc = (acc << 5) | u64::from(v & 31);
            }
            // Symbol values are 0..=31; only the 0xFF marker sets the top bits.
            if invalid & 0xE0 != 0 {
                break;
            }
            out.extend_from_slice(&acc.to_be_bytes()[3..]);
            start += 8;
        }
        let result = decode_general(text, start, &mut out);
        match result {
            Ok(()) => Ok(Secret(out)),
            Err(e) => {
                out.zeroize();
                Err(e)
            }
        }
    }

    /// The secret as unpadded upper-case Base32 (the form of Cognito's `SecretCode` and of
    /// the Key Uri Format's `secret` parameter). The result is the secret itself: keep it
    /// out of logs.
    #[must_use]
    pub fn to_base32(&self) -> String {
        let mut out = String::with_capacity(self.0.len().div_ceil(5) * 8);
        let mut buffer: u32 = 0;
        let mut bits = 0;
        for &b in &self.0 {
            buffer = (buffer << 8) | u32::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(char::from(ENCODE[((buffer >> bits) & 31) as usize]));
            }
        }
        if bits > 0 {
            out.push(char::from(ENCODE[((buffer << (5 - bits)) & 31) as usize]));
        }
        out
    }

    /// The raw key bytes. Keep them out of logs.
    #[must_use]
    pub fn expose_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The key length in bytes (not secret).
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the key has no bytes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Decodes `text[start..]` into `out`, where `start` is a group boundary reached by the fast
/// path of [`Secret::from_base32`] with `start` symbols read.
fn decode_general(text: &str, start: usize, out: &mut Vec<u8>) -> Result<(), Base32Error> {
    let mut buffer: u64 = 0;
    let mut bits: u32 = 0;
    let mut symbols = start;
    let mut padded = false;
    for (i, &b) in text.as_bytes().iter().enumerate().skip(start) {
        let v = DECODE[usize::from(b)];
        if v != 0xFF && !padded {
            buffer = (buffer << 5) | u64::from(v);
            bits += 5;
            symbols += 1;
            if bits >= 8 {
                bits -= 8;
                out.push((buffer >> bits) as u8);
            }
            continue;
        }
        match b {
            b' ' | b'-' | b'\t' => {}
            b'=' => padded = true,
            _ => {
                let (character, position) = char_at(text, i);
                return Err(if padded {
                    Base32Error::AfterPadding {
                        character,
                        position,
                    }
                } else {
                    Base32Error::InvalidCharacter {
                        character,
                        position,
                    }
                });
            }
        }
    }
    buffer.zeroize();
    if symbols == 0 {
        return Err(Base32Error::Empty);
    }
    if matches!(symbols % 8, 1 | 3 | 6) {
        return Err(Base32Error::Truncated { symbols });
    }
    Ok(())
}

/// The character at byte offset `i` of `text`, and its 1-based character position.
fn char_at(text: &str, i: usize) -> (char, usize) {
    // `i` always sits on a char boundary: every byte before it was ASCII.
    let character = text[i..].chars().next().unwrap_or('\u{FFFD}');
    (character, text[..i].chars().count() + 1)
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<redacted, {} bytes>)", self.0.len())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted secret>")
    }
}
