//! Access, ID and refresh tokens. Access and ID tokens are RS256 JWTs with Cognito's claims,
//! signed with a key the endpoint generates at start and publishes as each pool's JWKS
//! (`/<userPoolId>/.well-known/jwks.json`). Refresh tokens are opaque.
//!
//! Owns: the signing key, JWTs and JWKS. Uses: the store.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKeyComponents};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// The endpoint's signing key. RSA signing is the costliest thing a sign-in does (two
/// tokens each); AWS-LC's RSA (with AVX-512 IFMA where the CPU has it) keeps it short.
pub struct Keys {
    kid: String,
    pair: KeyPair,
    modulus: Vec<u8>,
    exponent: Vec<u8>,
    rng: SystemRandom,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The signing key could not be made.
#[derive(Debug, thiserror::Error)]
#[error("RSA key generation failed")]
pub struct KeyError;

/// A user attribute as an ID-token claim, with the claim's JSON type: `email_verified` and
/// `phone_number_verified` are booleans (the developer guide's ID-token example, spec
/// §2.17); every other attribute stays the string it is stored as. (userInfo answers with
/// the stored strings, as the guide's userInfo example shows.)
pub(crate) fn id_claim(name: &str, value: &str) -> Value {
    match (name, value) {
        ("email_verified" | "phone_number_verified", "true") => Value::Bool(true),
        ("email_verified" | "phone_number_verified", "false") => Value::Bool(false),
        _ => Value::String(value.to_owned()),
    }
}

/// What the endpoint reads back from an access token it issued.
#[derive(Debug, Clone)]
pub struct AccessClaims {
    pub pool_id: String,
    pub username: String,
    pub family: String,
    pub exp: u64,
    /// The token's `scope` claim, split at spaces.
    pub scopes: Vec<String>,
}

/// Why an access token is refused before the user is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// Not a JWT of this endpoint, or not an access token.
    Invalid,
    /// Past `exp`.
    Expired,
}

impl Keys {
    /// A fresh 2048-bit RSA key.
    pub fn generate() -> Result<Keys, KeyError> {
        let pair = KeyPair::generate(KeySize::Rsa2048).map_err(|_| KeyError)?;
        Ok(Keys::of(pair, super::store::new_opaque(43)))
    }

    /// The key saved by [`Keys::to_pkcs8`] (`mfaspec serve --state`), with its `kid`.
    pub fn from_pkcs8(der: &[u8], kid: String) -> Result<Keys, KeyError> {
        let pair = KeyPair::from_pkcs8(der).map_err(|_| KeyError)?;
        Ok(Keys::of(pair, kid))
    }

    fn of(pair: KeyPair, kid: String) -> Keys {
        let public = pair.public_key();
        Keys {
            kid,
            modulus: public.modulus().big_endian_without_leading_zero().to_vec(),
            exponent: public.exponent().big_endian_without_leading_zero().to_vec(),
            pair,
            rng: SystemRandom::new(),
        }
    }

    /// The private key as PKCS#8 DER and its `kid`, for a state file.
    pub fn to_pkcs8(&self) -> Result<(Vec<u8>, &str), KeyError> {
        use aws_lc_rs::encoding::{AsDer as _, Pkcs8V1Der};
        let der: Pkcs8V1Der<'static> = self.pair.as_der().map_err(|_| KeyError)?;
        Ok((der.as_ref().to_vec(), &self.kid))
    }

    /// The JWKS document every pool publishes.
    #[must_use]
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(&self.exponent),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(&self.modulus),
            "use": "sig",
        }]})
    }

    /// A signed JWT with `claims`.
    #[must_use]
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "kid": self.kid, "alg": "RS256" });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(
                &RSA_PKCS1_SHA256,
                &self.rng,
                signing_input.as_bytes(),
                &mut signature,
            )
            .expect("RSA-2048 PKCS#1 signing of any message succeeds");
        format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature))
    }

    /// The claims of a JWT this key signed.
    pub(crate) fn verified_claims(&self, token: &str) -> Option<Value> {
        let (signing_input, signature) = token.rsplit_once('.')?;
        let (header, payload) = signing_input.split_once('.')?;
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header.get("kid").and_then(Value::as_str) != Some(self.kid.as_str()) {
            return None;
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        PublicKeyComponents {
            n: &self.modulus[..],
            e: &self.exponent[..],
        }
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            signing_input.as_bytes(),
            &signature,
        )
        .ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }

    /// Checks an access token's signature, type and expiry at `now_s`.
    pub fn access_claims(&self, token: &str, now_s: u64) -> Result<AccessClaims, TokenProblem> {
        let claims = self.verified_claims(token).ok_or(TokenProblem::Invalid)?;
        let text = |k: &str| claims.get(k).and_then(Value::as_str).map(str::to_owned);
        if text("token_use").as_deref() != Some("access") {
            return Err(TokenProblem::Invalid);
        }
        let iss = text("iss").ok_or(TokenProblem::Invalid)?;
        let access = AccessClaims {
            pool_id: iss.rsplit('/').next().unwrap_or("").to_owned(),
            username: text("username").ok_or(TokenProblem::Invalid)?,
            family: text("origin_jti").ok_or(TokenProblem::Invalid)?,
            exp: claims
                .get("exp")
                .and_then(Value::as_u64)
                .ok_or(TokenProblem::Invalid)?,
            scopes: text("scope")
                .unwrap_or_default()
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
        };
        if now_s >= access.exp {
            return Err(TokenProblem::Expired);
        }
        Ok(access)
    }
}
