//! The server's side: a password's (or a device's) verifier, the server's ephemeral `b`, and
//! the challenge it answers with (`B`, and the key from the client's `A`).
//!
//! Owns: the server. Uses: [`super::math`].

use zeroize::Zeroizing;

use super::bn::Num;
use super::math::*;

/// What a server stores instead of a password: the salt and `v = g^x mod N`.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
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
    /// The challenge's numbers `(b, B, v)` as big-endian bytes, for a server that keeps its
    /// challenges across a restart. `b` is secret.
    #[must_use]
    pub fn to_parts(&self) -> [Vec<u8>; 3] {
        [self.b.to_vec(), self.big_b.clone(), self.v.clone()]
    }

    /// A challenge from [`ServerChallenge::to_parts`].
    #[must_use]
    pub fn from_parts([b, big_b, v]: [Vec<u8>; 3]) -> ServerChallenge {
        ServerChallenge {
            b: Zeroizing::new(b),
            big_b,
            v,
        }
    }

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
