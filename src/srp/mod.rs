//! Cognito's SRP-6a (`USER_SRP_AUTH`, `DEVICE_SRP_AUTH`): the math both sides compute, with
//! Cognito's own byte encoding (docs/behaviour.md §2.14; shared/research/srp-devices-hosted-ui.md
//! §1). One implementation, used by the harness to sign in and by the reference endpoint to
//! check; `tests/srp.rs` checks it against an independent client (the `aws-cognito-srp`
//! crate), and `.ci/run` against pycognito and Amplify.
//!
//! | item | definition |
//! |---|---|
//! | N, g | the RFC 3526 3072-bit MODP prime, 2 |
//! | PAD(n) | minimal big-endian bytes, with `0x00` prepended when the top bit is set |
//! | k | `H(PAD(N) ‖ PAD(g))` |
//! | x | `H(PAD(salt) ‖ H(prefix ‖ id ‖ ":" ‖ password))`; prefix = the pool id after `_` (a device: its group key) |
//! | u | `H(PAD(A) ‖ PAD(B))` |
//! | key | HKDF-SHA256: `HMAC(HMAC(PAD(u), PAD(S)), "Caldera Derived Key" ‖ 0x01)[..16]` |
//! | signature | `Base64(HMAC-SHA256(key, prefix ‖ id ‖ secret block bytes ‖ TIMESTAMP))` |
//!
//! Owns: the math, the TIMESTAMP format, and the bignum backend (`bn.rs`). Uses nothing of the
//! crate; secrets are wiped when dropped.

mod bn;
mod timestamp;

use std::sync::OnceLock;

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use bn::{Modulus, Num};
pub use timestamp::{Timestamp, TimestampError};

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
const DERIVE_KEY_INFO: &[u8] = b"Caldera Derived Key";

/// Bytes of the random secret exponents `a` and `b`: 256 bits, RFC 5054 §2.5.4's minimum for
/// this group's strength. (Amplify uses 128 bytes; the exponent's size is each side's own
/// choice and never on the wire.)
const EXPONENT_BYTES: usize = 32;

/// The most hex digits an `SRP_A` or `SRP_B` may have: N has 768; a few leading zeros are
/// tolerated, a megabyte is not.
pub const MAX_PUBLIC_HEX: usize = 1024;

struct Group {
    n: Modulus,
    g: Num,
    k: Num,
}

fn group() -> &'static Group {
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

fn hash(parts: &[&[u8]]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().into()
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
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

fn public_value(text: &str, what: &'static str) -> Result<Num, SrpError> {
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

fn random_exponent() -> Num {
    let mut bytes = Zeroizing::new([0u8; EXPONENT_BYTES]);
    rand::fill(&mut bytes[..]);
    // A zero exponent would make the public value 1; chance 2^-256, but cheap to rule out.
    bytes[0] |= 0x80;
    Num::from_be(&bytes[..])
}

/// `x = H(PAD(salt) ‖ H(prefix ‖ id ‖ ":" ‖ password))`, as an integer.
fn private_key(salt: &[u8], prefix: &str, id: &str, password: &str) -> Num {
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
fn scrambler(a: &[u8], b: &[u8]) -> Result<Num, SrpError> {
    let u = Num::from_be(&hash(&[&pad(a), &pad(b)]));
    if u.is_zero() {
        Err(SrpError::ZeroU)
    } else {
        Ok(u)
    }
}

/// The 16-byte key from `u` and the shared secret `S`.
fn derive_key(u: &Num, s: &Num) -> Zeroizing<[u8; 16]> {
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

/// A client's half of one SRP exchange: the secret `a` and the public `A`.
pub struct Client {
    a: Num,
    big_a: Vec<u8>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("srp::Client(<redacted>)")
    }
}

/// What a client computes from a `PASSWORD_VERIFIER` (or `DEVICE_PASSWORD_VERIFIER`)
/// challenge.
pub struct Proof {
    /// The 16-byte key both sides derive.
    pub key: Zeroizing<[u8; 16]>,
}

impl Proof {
    /// `PASSWORD_CLAIM_SIGNATURE` for this secret block (decoded) and TIMESTAMP.
    #[must_use]
    pub fn signature(
        &self,
        prefix: &str,
        id: &str,
        secret_block: &[u8],
        timestamp: &str,
    ) -> String {
        base64::engine::general_purpose::STANDARD.encode(claim(
            &self.key,
            prefix,
            id,
            secret_block,
            timestamp,
        ))
    }
}

impl Client {
    /// A fresh exchange: a random `a`, `A = g^a mod N`.
    #[must_use]
    pub fn new() -> Client {
        let g = group();
        loop {
            let a = random_exponent();
            let big_a = g.n.pow(&g.g, &a);
            if !big_a.is_zero() {
                return Client {
                    big_a: big_a.to_be(),
                    a,
                };
            }
        }
    }

    /// `SRP_A`: A in unpadded lower-case hex.
    #[must_use]
    pub fn srp_a(&self) -> String {
        to_hex(&self.big_a)
    }

    /// The key from the challenge's `SALT` and `SRP_B` (hex) and the credentials: `prefix`
    /// is the pool name (or a device's group key), `id` the `USER_ID_FOR_SRP` (or device
    /// key). The salt is read as an integer, then padded, as Amplify does.
    pub fn proof(
        &self,
        salt_hex: &str,
        srp_b_hex: &str,
        prefix: &str,
        id: &str,
        password: &str,
    ) -> Result<Proof, SrpError> {
        let g = group();
        let big_b = public_value(srp_b_hex, "SRP_B")?;
        if salt_hex.len() > MAX_PUBLIC_HEX {
            return Err(SrpError::NotHex("SALT"));
        }
        let salt = hex_bytes(salt_hex).ok_or(SrpError::NotHex("SALT"))?;
        let u = scrambler(&self.big_a, &big_b.to_be())?;
        let x = private_key(&salt, prefix, id, password);
        // S = (B − k·g^x)^(a + u·x) mod N. The exponent is not reduced mod N (it is the
        // integer a + u·x, as every client computes it); it is well under N, so computing it
        // modulo N changes nothing.
        let gx = g.n.pow(&g.g, &x);
        let base = g.n.sub(&big_b, &g.n.mul(&g.k, &gx));
        let exp = g.n.add(&self.a, &g.n.mul(&u, &x));
        let s = g.n.pow(&base, &exp);
        Ok(Proof {
            key: derive_key(&u, &s),
        })
    }
}

impl Client {
    /// The `ChallengeResponses` for a `PASSWORD_VERIFIER` challenge's parameters (`SALT`,
    /// `SRP_B`, `SECRET_BLOCK`, `USER_ID_FOR_SRP`), signed at `timestamp`: `USERNAME` (=
    /// `USER_ID_FOR_SRP`), `PASSWORD_CLAIM_SECRET_BLOCK`, `PASSWORD_CLAIM_SIGNATURE`,
    /// `TIMESTAMP`. The caller adds `SECRET_HASH` and `DEVICE_KEY` where they apply.
    pub fn password_verifier(
        &self,
        parameters: &serde_json::Value,
        pool_id: &str,
        password: &str,
        timestamp: &str,
    ) -> Result<serde_json::Map<String, serde_json::Value>, SrpError> {
        let get = |name: &'static str| {
            parameters
                .get(name)
                .and_then(serde_json::Value::as_str)
                .ok_or(SrpError::Missing(name))
        };
        let user_id = get("USER_ID_FOR_SRP")?;
        let block = get("SECRET_BLOCK")?;
        let prefix = pool_name(pool_id);
        let proof = self.proof(get("SALT")?, get("SRP_B")?, prefix, user_id, password)?;
        let signature = proof.signature(prefix, user_id, &secret_block_bytes(block)?, timestamp);
        let mut out = serde_json::Map::new();
        for (k, v) in [
            ("USERNAME", user_id),
            ("PASSWORD_CLAIM_SECRET_BLOCK", block),
            ("PASSWORD_CLAIM_SIGNATURE", signature.as_str()),
            ("TIMESTAMP", timestamp),
        ] {
            out.insert(k.into(), serde_json::Value::String(v.to_owned()));
        }
        Ok(out)
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

// ---------------------------------------------------------------------------------------
// The server side.

/// What a server stores instead of a password: the salt and `v = g^x mod N`.
#[derive(Clone)]
pub struct Verifier {
    /// The salt's bytes (16; the first never zero).
    pub salt: Vec<u8>,
    /// `v`'s minimal big-endian bytes.
    pub v: Vec<u8>,
}

impl Verifier {
    /// A verifier for `password` with a fresh salt. The salt's first byte is never zero:
    /// clients disagree on how to pad such a salt (Amplify re-pads the integer, pycognito the
    /// string), so Cognito must never issue one.
    #[must_use]
    pub fn new(prefix: &str, id: &str, password: &str) -> Verifier {
        let mut salt = [0u8; 16];
        rand::fill(&mut salt[..]);
        if salt[0] == 0 {
            salt[0] = 1;
        }
        Verifier::with_salt(&salt, prefix, id, password)
    }

    /// The verifier for `password` with a given salt (a device's, chosen by the client).
    #[must_use]
    pub fn with_salt(salt: &[u8], prefix: &str, id: &str, password: &str) -> Verifier {
        let g = group();
        let x = private_key(salt, prefix, id, password);
        Verifier {
            salt: salt.to_vec(),
            v: g.n.pow(&g.g, &x).to_be(),
        }
    }

    /// `SALT` as the challenge carries it: lower-case hex.
    #[must_use]
    pub fn salt_hex(&self) -> String {
        to_hex(&self.salt)
    }
}

/// A server's secret `b` and `g^b`, computed before the verifier is known (so that a server
/// can do it outside any lock).
pub struct Ephemeral {
    b: Num,
    gb: Num,
}

impl Ephemeral {
    /// A fresh `b` and `g^b mod N`.
    #[must_use]
    pub fn new() -> Ephemeral {
        let g = group();
        let b = random_exponent();
        let gb = g.n.pow(&g.g, &b);
        Ephemeral { b, gb }
    }

    /// `B = (k·v + g^b) mod N` for `verifier`: the challenge's `SRP_B`, and the state to keep.
    /// `None` in the 2^-3072 case that B ≡ 0 (the caller starts over).
    #[must_use]
    pub fn challenge(&self, verifier: &Verifier) -> Option<ServerChallenge> {
        let g = group();
        let v = Num::from_be(&verifier.v);
        let big_b = g.n.add(&g.n.mul(&g.k, &v), &self.gb);
        if big_b.is_zero() {
            return None;
        }
        Some(ServerChallenge {
            b: self.b.to_be().into(),
            big_b: big_b.to_be(),
            v: verifier.v.clone(),
        })
    }
}

impl Default for Ephemeral {
    fn default() -> Self {
        Ephemeral::new()
    }
}

/// The server's state between the challenge and the client's claim.
#[derive(Clone)]
pub struct ServerChallenge {
    b: Zeroizing<Vec<u8>>,
    big_b: Vec<u8>,
    v: Vec<u8>,
}

impl ServerChallenge {
    /// `SRP_B` in unpadded lower-case hex.
    #[must_use]
    pub fn srp_b(&self) -> String {
        to_hex(&self.big_b)
    }

    /// The key for the client's `SRP_A` (hex): `S = (A·v^u)^b mod N`. Refuses an `A` that is
    /// not hex, too long, or ≡ 0 mod N.
    pub fn key(&self, srp_a_hex: &str) -> Result<Zeroizing<[u8; 16]>, SrpError> {
        let g = group();
        let big_a = public_value(srp_a_hex, "SRP_A")?;
        let u = scrambler(&big_a.to_be(), &self.big_b)?;
        let v = Num::from_be(&self.v);
        let b = Num::from_be(&self.b);
        let s = g.n.pow(&g.n.mul(&big_a, &g.n.pow(&v, &u)), &b);
        Ok(derive_key(&u, &s))
    }
}

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

/// A device's verifier configuration as a client makes it for ConfirmDevice: a random device
/// password, `salt = PAD(16 random bytes)`, `v = PAD(g^x)` with `x` over the device group key
/// and device key (Amplify's `getNewDeviceMetadata`, pycognito's `generate_hash_device`).
pub struct DeviceSecret {
    /// The device password the client keeps (never sent).
    pub password: Zeroizing<String>,
    /// `DeviceSecretVerifierConfig.Salt`: Base64 of the salt bytes.
    pub salt_b64: String,
    /// `DeviceSecretVerifierConfig.PasswordVerifier`: Base64 of `PAD(v)`.
    pub verifier_b64: String,
}

impl DeviceSecret {
    /// A fresh device secret for `device_group_key` / `device_key`.
    #[must_use]
    pub fn new(device_group_key: &str, device_key: &str) -> DeviceSecret {
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut raw = Zeroizing::new([0u8; 40]);
        rand::fill(&mut raw[..]);
        let password = Zeroizing::new(b64.encode(&raw[..]));
        let mut salt = [0u8; 16];
        rand::fill(&mut salt[..]);
        let salt = pad(&salt);
        let verifier = Verifier::with_salt(&salt, device_group_key, device_key, &password);
        DeviceSecret {
            salt_b64: b64.encode(&salt),
            verifier_b64: b64.encode(pad(&verifier.v)),
            password,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_adds_a_zero_only_before_a_set_top_bit() {
        assert_eq!(pad(&[0x7f, 1]), vec![0x7f, 1]);
        assert_eq!(pad(&[0x80, 1]), vec![0, 0x80, 1]);
        assert_eq!(pad(&[0, 0, 0x80]), vec![0, 0x80]);
        assert_eq!(pad(&[]), Vec::<u8>::new());
    }

    #[test]
    fn k_is_the_hash_of_padded_n_and_g() {
        // H(0x00 ‖ N ‖ 0x02): N's top bit is set, so PAD(N) has a leading zero.
        let n = hex_bytes(N_HEX).unwrap();
        let mut bytes = vec![0u8];
        bytes.extend_from_slice(&n);
        bytes.push(2);
        let expected = Sha256::digest(&bytes);
        assert_eq!(group().k.to_be(), Num::from_be(&expected).to_be());
    }

    #[test]
    fn hex_round_trips_and_tolerates_odd_lengths() {
        assert_eq!(hex_bytes("abc").unwrap(), vec![0x0a, 0xbc]);
        assert_eq!(hex_bytes("00ff").unwrap(), vec![0, 0xff]);
        assert_eq!(hex_bytes("0g"), None);
        assert_eq!(to_hex(&[0x0a, 0xbc]), "abc");
        assert_eq!(to_hex(&[0, 0]), "0");
    }

    #[test]
    fn client_and_server_derive_the_same_key() {
        for _ in 0..4 {
            let verifier = Verifier::new("abcDEF123", "user-1", "Pa55word!");
            assert_ne!(verifier.salt[0], 0);
            let challenge = Ephemeral::new().challenge(&verifier).unwrap();
            let client = Client::new();
            let proof = client
                .proof(
                    &verifier.salt_hex(),
                    &challenge.srp_b(),
                    "abcDEF123",
                    "user-1",
                    "Pa55word!",
                )
                .unwrap();
            let server_key = challenge.key(&client.srp_a()).unwrap();
            assert_eq!(proof.key[..], server_key[..]);
            let wrong = client
                .proof(
                    &verifier.salt_hex(),
                    &challenge.srp_b(),
                    "abcDEF123",
                    "user-1",
                    "wrong",
                )
                .unwrap();
            assert_ne!(wrong.key[..], server_key[..]);
        }
    }

    #[test]
    fn device_secrets_verify_like_passwords() {
        let device = DeviceSecret::new("-group", "us-east-1_0a1b");
        let b64 = base64::engine::general_purpose::STANDARD;
        let salt = b64.decode(&device.salt_b64).unwrap();
        let v = b64.decode(&device.verifier_b64).unwrap();
        let verifier = Verifier {
            salt: salt.clone(),
            v: pad(&v),
        };
        let challenge = Ephemeral::new().challenge(&verifier).unwrap();
        let client = Client::new();
        let proof = client
            .proof(
                &to_hex(&salt),
                &challenge.srp_b(),
                "-group",
                "us-east-1_0a1b",
                &device.password,
            )
            .unwrap();
        assert_eq!(proof.key[..], challenge.key(&client.srp_a()).unwrap()[..]);
    }

    #[test]
    fn bad_public_values_are_refused() {
        let challenge = Ephemeral::new()
            .challenge(&Verifier::new("p", "u", "pw"))
            .unwrap();
        assert_eq!(challenge.key("").err(), Some(SrpError::NotHex("SRP_A")));
        assert_eq!(challenge.key("xyz").err(), Some(SrpError::NotHex("SRP_A")));
        assert_eq!(
            challenge.key(&"1".repeat(MAX_PUBLIC_HEX + 1)).err(),
            Some(SrpError::NotHex("SRP_A"))
        );
        assert_eq!(challenge.key("0").err(), Some(SrpError::ZeroModN("SRP_A")));
        assert_eq!(
            challenge.key(N_HEX).err(),
            Some(SrpError::ZeroModN("SRP_A"))
        );
        let two_n = to_hex(&Num::from_be(&hex_bytes(N_HEX).unwrap()).to_be()) + "0";
        // 16·N is a multiple of N too.
        assert_eq!(
            challenge.key(&two_n).err(),
            Some(SrpError::ZeroModN("SRP_A"))
        );
    }
}
