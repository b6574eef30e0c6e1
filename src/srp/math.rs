//! The group, the hashes and the derivations both sides of SRP compute: N and g, PAD, k, x,
//! u, the session key, the claim signature, and the checks of a public value.
//!
//! Owns: the math. Uses: the bignum backend (`bn`).

use std::sync::OnceLock;

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::bn::{Modulus, Num};

/// The RFC 3526 / RFC 5054 3072-bit MODP group's prime, in hex (Amplify's `INIT_N`).
pub const N_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/// The HKDF info string Cognito's clients use.
pub(super) const DERIVE_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// Bytes of the random secret exponents `a` and `b`: 256 bits, RFC 5054 §2.5.4's minimum for
/// this group's strength. (Amplify uses 128 bytes; the exponent's size is each side's own
/// choice and never on the wire.)
pub(super) const EXPONENT_BYTES: usize = 32;

/// The most hex digits an `SRP_A` or `SRP_B` may have: N has 768; a few leading zeros are
/// tolerated, a megabyte is not.
pub const MAX_PUBLIC_HEX: usize = 1024;

pub(super) struct Group {
    pub(super) n: Modulus,
    pub(super) g: Num,
    pub(super) k: Num,
}

pub(super) fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n_bytes = hex_bytes(N_HEX).expect("N is hex");
        let n = Modulus::new(&n_bytes);
        let g = Num::from_be(&[2]);
        let k = Num::from_be(&hash(&[&pad(&n_bytes), &pad(&[2])]));
        Group { n, g, k }
    })
}

/// `PAD(n)` of minimal big-endian bytes: `0x00` first when the top bit is set, as Java's
/// `BigInteger.toByteArray()` writes it. Leading zero bytes are dropped first.
#[must_use]
pub fn pad(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let bytes = &bytes[start..];
    let mut out = Vec::with_capacity(bytes.len() + 1);
    if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        out.push(0);
    }
    out.extend_from_slice(bytes);
    out
}

pub(super) fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

pub(super) fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

/// Lower-case hex of minimal bytes, no leading zeros (Java's `BigInteger.toString(16)`: may
/// have an odd number of digits).
#[must_use]
pub fn to_hex(bytes: &[u8]) -> String {
    let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let trimmed = text.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".into()
    } else {
        trimmed.to_owned()
    }
}

/// The bytes of a hex string, an odd number of digits read as if a `0` led.
#[must_use]
pub fn hex_bytes(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .bytes()
        .map(|c| (c as char).to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(digits.len().div_ceil(2));
    let mut rest = &digits[..];
    if digits.len() % 2 == 1 {
        out.push(digits[0]);
        rest = &digits[1..];
    }
    out.extend(rest.chunks(2).map(|p| p[0] << 4 | p[1]));
    Some(out)
}

/// Why SRP parameters were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SrpError {
    /// A public value (`SRP_A`, `SRP_B`) or the salt is not hex, or absurdly long.
    #[error("{0} is not a hex number of at most {MAX_PUBLIC_HEX} digits")]
    NotHex(&'static str),
    /// A public value is a multiple of N (the protocol's abort condition).
    #[error("{0} is 0 modulo N")]
    ZeroModN(&'static str),
    /// `u` is zero (the protocol's other abort condition; chance 2^-256).
    #[error("u is 0")]
    ZeroU,
    /// `SECRET_BLOCK` is not Base64.
    #[error("the secret block is not Base64")]
    SecretBlock,
    /// The challenge lacks a parameter.
    #[error("the challenge has no {0}")]
    Missing(&'static str),
}

pub(super) fn public_value(text: &str, what: &'static str) -> Result<Num, SrpError> {
    if text.is_empty() || text.len() > MAX_PUBLIC_HEX {
        return Err(SrpError::NotHex(what));
    }
    let bytes = hex_bytes(text).ok_or(SrpError::NotHex(what))?;
    let g = group();
    let value = Num::from_be(&bytes);
    if g.n.reduce(&value).is_zero() {
        return Err(SrpError::ZeroModN(what));
    }
    Ok(value)
}

pub(super) fn random_exponent() -> Num {
    let mut bytes = Zeroizing::new([0u8; EXPONENT_BYTES]);
    rand::fill(&mut bytes[..]);
    // A zero exponent would make the public value 1; chance 2^-256, but cheap to rule out.
    bytes[0] |= 0x80;
    Num::from_be(&bytes[..])
}

/// `x = H(PAD(salt) ‖ H(prefix ‖ id ‖ ":" ‖ password))`, as an integer.
pub(super) fn private_key(salt: &[u8], prefix: &str, id: &str, password: &str) -> Num {
    let inner = Zeroizing::new(hash(&[
        prefix.as_bytes(),
        id.as_bytes(),
        b":",
        password.as_bytes(),
    ]));
    let x = Zeroizing::new(hash(&[&pad(salt), &inner[..]]));
    Num::from_be(&x[..])
}

/// `u = H(PAD(A) ‖ PAD(B))`.
pub(super) fn scrambler(a: &[u8], b: &[u8]) -> Result<Num, SrpError> {
    let u = Num::from_be(&hash(&[&pad(a), &pad(b)]));
    if u.is_zero() {
        Err(SrpError::ZeroU)
    } else {
        Ok(u)
    }
}

/// The 16-byte key from `u` and the shared secret `S`.
pub(super) fn derive_key(u: &Num, s: &Num) -> Zeroizing<[u8; 16]> {
    let prk = Zeroizing::new(hmac(&pad(&u.to_be()), &[&pad(&s.to_be())]));
    let okm = Zeroizing::new(hmac(&prk[..], &[DERIVE_KEY_INFO, &[1]]));
    let mut key = Zeroizing::new([0u8; 16]);
    key.copy_from_slice(&okm[..16]);
    key
}

/// The claim signature's 32 bytes: `HMAC-SHA256(key, prefix ‖ id ‖ secret block ‖ timestamp)`.
#[must_use]
pub fn claim(
    key: &[u8; 16],
    prefix: &str,
    id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> [u8; 32] {
    hmac(
        key,
        &[
            prefix.as_bytes(),
            id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    )
}

/// The decoded bytes of a `SECRET_BLOCK`, read as the clients read it: pycognito's
/// `base64.standard_b64decode` and Node's `Buffer.from(…, "base64")` skip characters outside
/// the alphabet, so a block that is not quite Base64 (moto's) still signs.
pub fn secret_block_bytes(text: &str) -> Result<Vec<u8>, SrpError> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let kept: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '+' || *c == '/')
        .collect();
    LENIENT.decode(kept).map_err(|_| SrpError::SecretBlock)
}

/// The pool name SRP hashes for a pool id: the part after the first `_`.
#[must_use]
pub fn pool_name(pool_id: &str) -> &str {
    pool_id.split_once('_').map_or(pool_id, |(_, name)| name)
}

// ---------------------------------------------------------------------------------------
// The client side.

/// `base^exp mod N` in the SRP group, both big-endian bytes, on the arithmetic the protocol
/// uses (constant-time in `exp`): for checking that arithmetic against other libraries
/// (`tests/srp.rs`) and for measuring it (`benches/bigint.rs`).
#[must_use]
pub fn pow_mod_n(base: &[u8], exp: &[u8]) -> Vec<u8> {
    let g = group();
    g.n.pow(&Num::from_be(base), &Num::from_be(exp)).to_be()
}

/// Checks an `SRP_A` (hex) as a server must before it answers: hex, bounded, not ≡ 0 mod N.
pub fn check_public(srp_a_hex: &str) -> Result<(), SrpError> {
    public_value(srp_a_hex, "SRP_A").map(|_| ())
}
