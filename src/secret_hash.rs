//! Cognito's `SECRET_HASH` (spec §2.13): Base64(HMAC-SHA256(client secret, username + client
//! id)). One formula, used by the reference endpoint to check and by the harness to send.
//!
//! Owns: the formula. Uses nothing of the crate.

use base64::Engine as _;
use hmac::{KeyInit, Mac};

/// The `SECRET_HASH` for `username` at the app client `client_id` with `client_secret`.
#[must_use]
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(client_secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}
