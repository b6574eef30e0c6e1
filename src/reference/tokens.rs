//! Access, ID and refresh tokens. Access and ID tokens are RS256 JWTs with Cognito's claims,
//! signed with a key the endpoint generates at start and publishes as each pool's JWKS
//! (`/<userPoolId>/.well-known/jwks.json`). Refresh tokens are opaque.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey, PublicKey};
use serde_json::{Value, json};
use sha2::Sha256;

/// The endpoint's signing key.
pub struct Keys {
    kid: String,
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    public: PublicKey,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// What the endpoint reads back from an access token it issued.
#[derive(Debug, Clone)]
pub struct AccessClaims {
    pub pool_id: String,
    pub username: String,
    pub family: String,
    pub exp: u64,
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
    pub fn generate() -> Result<Keys, rsa::Error> {
        let private = PrivateKey::new(&mut rand::rng(), 2048)?;
        let public = private.to_public_key();
        Ok(Keys {
            kid: crate::reference::store::new_opaque(43),
            verifying: VerifyingKey::new(public.clone()),
            signing: SigningKey::new(private),
            public,
        })
    }

    /// The JWKS document every pool publishes.
    #[must_use]
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{
            "alg": "RS256",
            "e": URL_SAFE_NO_PAD.encode(self.public.e_bytes()),
            "kid": self.kid,
            "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode(self.public.n_bytes()),
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
        let signature = self.signing.sign(signing_input.as_bytes());
        format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature.to_bytes())
        )
    }

    /// The claims of a JWT this key signed.
    fn verified_claims(&self, token: &str) -> Option<Value> {
        let (signing_input, signature) = token.rsplit_once('.')?;
        let (header, payload) = signing_input.split_once('.')?;
        let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).ok()?).ok()?;
        if header.get("kid").and_then(Value::as_str) != Some(self.kid.as_str()) {
            return None;
        }
        let signature =
            Signature::try_from(URL_SAFE_NO_PAD.decode(signature).ok()?.as_slice()).ok()?;
        self.verifying
            .verify(signing_input.as_bytes(), &signature)
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
        };
        if now_s >= access.exp {
            return Err(TokenProblem::Expired);
        }
        Ok(access)
    }
}
