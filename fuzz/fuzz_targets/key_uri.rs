//! `otpauth://` key URIs: any text parses or is refused (never a panic), and a parsed URI
//! written out parses to the same key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfaspec::totp::KeyUri;

fuzz_target!(|text: &str| {
    let Ok(key) = KeyUri::parse(text) else {
        return;
    };
    if let Ok(written) = key.to_uri_string() {
        let again = KeyUri::parse(&written).expect("a URI we wrote parses");
        assert_eq!(again.account, key.account);
        assert_eq!(again.issuer, key.issuer);
        assert_eq!(again.secret.expose_bytes(), key.secret.expose_bytes());
    }
});
