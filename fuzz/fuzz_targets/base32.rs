//! Base32 as authenticator apps read it: any text decodes or is refused with a position
//! inside the text, and what decodes encodes back to the same key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfaspec::totp::Secret;

fuzz_target!(|text: &str| {
    match Secret::from_base32(text) {
        Ok(secret) => {
            let again = Secret::from_base32(&secret.to_base32()).expect("our own Base32 decodes");
            assert_eq!(again.expose_bytes(), secret.expose_bytes());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
