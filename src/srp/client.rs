//! The client's side: the harness signing in with `USER_SRP_AUTH` (its `A`, and the proof of a
//! `PASSWORD_VERIFIER` challenge), and a device's secret for `DEVICE_SRP_AUTH`.
//!
//! Owns: the client. Uses: [`super::math`].

use base64::Engine as _;
use zeroize::Zeroizing;

use super::bn::Num;
use super::math::*;
use super::server::Verifier;

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
