//! `otpauth://` key URIs (spec §6): the format's own examples, Cognito-style URIs, and the
//! errors for malformed ones.

use mfaspec::totp::{Algorithm, Base32Error, Digits, KeyUri, OtpKind, Secret, UriError};

/// spec §6: `otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example`,
/// whose key is the bytes `Hello!` + DE AD BE EF.
#[test]
fn key_uri_format_example() {
    let key = KeyUri::parse(
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    )
    .unwrap();
    assert_eq!(key.issuer.as_deref(), Some("Example"));
    assert_eq!(key.account, "alice@google.com");
    assert_eq!(key.secret.expose_bytes(), b"Hello!\xde\xad\xbe\xef");
    assert_eq!(key.kind, OtpKind::Totp { period: 30 });
    assert_eq!((key.algorithm, key.digits), (Algorithm::Sha1, Digits::SIX));
    assert_eq!(
        key.to_uri_string().unwrap(),
        "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example"
    );
}

/// spec §6's second example, with every parameter spelled out and an escaped space.
#[test]
fn key_uri_format_example_with_all_parameters() {
    let key = KeyUri::parse(
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
    )
    .unwrap();
    assert_eq!(key.issuer.as_deref(), Some("ACME Co"));
    assert_eq!(key.account, "john.doe@email.com");
    assert_eq!(
        key.to_uri_string().unwrap(),
        "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co"
    );
}

/// What AWS's samples build from a SecretCode (spec §6, [DG-SDK-EX]): no issuer at all.
#[test]
fn cognito_sample_uri_without_issuer() {
    let key = KeyUri::parse("otpauth://totp/bob?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    assert_eq!((key.issuer.as_deref(), key.account.as_str()), (None, "bob"));
    assert_eq!(key.totp_params().unwrap().period, 30);
}

#[test]
fn non_default_parameters_are_written_and_read() {
    let key = KeyUri {
        kind: OtpKind::Totp { period: 60 },
        issuer: Some("My Pool".into()),
        account: "user 1".into(),
        secret: Secret::from_bytes(b"12345678901234567890"),
        algorithm: Algorithm::Sha512,
        digits: Digits::EIGHT,
    };
    let text = key.to_uri_string().unwrap();
    assert_eq!(
        text,
        "otpauth://totp/My%20Pool:user%201?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=My%20Pool&algorithm=SHA512&digits=8&period=60"
    );
    assert_eq!(KeyUri::parse(&text).unwrap(), key);
}

#[test]
fn hotp_needs_a_counter() {
    assert_eq!(
        KeyUri::parse("otpauth://hotp/a?secret=MZXW6").unwrap_err(),
        UriError::MissingCounter
    );
    let key = KeyUri::parse("otpauth://hotp/a?secret=MZXW6&counter=7").unwrap();
    assert_eq!(key.kind, OtpKind::Hotp { counter: 7 });
    assert!(key.totp_params().is_none());
}

#[test]
fn unknown_parameters_are_ignored() {
    let key = KeyUri::parse("otpauth://totp/a?secret=MZXW6&image=https%3A%2F%2Fx%2Fy.png").unwrap();
    assert_eq!(key.account, "a");
}

/// Each malformed URI gets an error that names the part at fault.
#[test]
fn malformed_uris_name_the_part_at_fault() {
    let cases: &[(&str, &str)] = &[
        (
            "https://totp/a?secret=MZXW6",
            "a key URI starts with `otpauth://`, this one starts with `https://totp/a?s`",
        ),
        (
            "otpauth://motp/a?secret=MZXW6",
            "the type `motp` is not `totp` or `hotp`",
        ),
        (
            "otpauth://totp/?secret=MZXW6",
            "the label has no account name",
        ),
        (
            "otpauth://totp/Issuer:?secret=MZXW6",
            "the label has no account name",
        ),
        (
            "otpauth://totp/a",
            "the required parameter `secret` is missing",
        ),
        (
            "otpauth://totp/a?secret=MZ1W6",
            "parameter `secret`: invalid Base32 character '1' at position 3: expected A-Z or 2-7",
        ),
        (
            "otpauth://totp/a?secret=MZXW6&digits=9",
            "parameter `digits`: 9 digits is not supported: a code has 6, 7 or 8 digits",
        ),
        (
            "otpauth://totp/a?secret=MZXW6&algorithm=MD5",
            "parameter `algorithm`: unknown algorithm `MD5`: expected SHA1, SHA256 or SHA512",
        ),
        (
            "otpauth://totp/a?secret=MZXW6&period=0",
            "parameter `period`: the period must be at least 1 second",
        ),
        (
            "otpauth://totp/a?secret=MZXW6&period=abc",
            "parameter `period`: `abc` is not a whole number",
        ),
        (
            "otpauth://totp/a?secret=MZXW6&secret=MZXW6",
            "parameter `secret` is given more than once",
        ),
        (
            "otpauth://totp/A:b?secret=MZXW6&issuer=B",
            "the label's issuer \"A\" differs from the issuer parameter \"B\"",
        ),
        (
            "otpauth://totp/a%2?secret=MZXW6",
            "bad percent-encoding in the label at character 2",
        ),
        (
            "otpauth://totp/a?secret=MZXW6&issuer=x%ZZ",
            "bad percent-encoding in the issuer at character 2",
        ),
        (
            "otpauth://totp/a:b:c?secret=MZXW6",
            "the account \"b:c\" contains a colon, which a key URI label cannot hold",
        ),
    ];
    for (uri, message) in cases {
        assert_eq!(
            KeyUri::parse(uri).unwrap_err().to_string(),
            *message,
            "{uri}"
        );
    }
    assert!(matches!(
        KeyUri::parse("otpauth://totp/a?secret=MZ1W6").unwrap_err(),
        UriError::Secret(Base32Error::InvalidCharacter { position: 3, .. })
    ));
}

#[test]
fn building_refuses_colons_and_empty_accounts() {
    let mut key = KeyUri::totp(Secret::from_bytes(b"x"), "a:b", None);
    assert!(matches!(
        key.to_uri_string(),
        Err(UriError::ColonInLabel {
            field: "account",
            ..
        })
    ));
    key.account = "ok".into();
    key.issuer = Some("I:ssuer".into());
    assert!(matches!(
        key.to_uri_string(),
        Err(UriError::ColonInLabel {
            field: "issuer",
            ..
        })
    ));
    key.issuer = None;
    key.account.clear();
    assert_eq!(key.to_uri_string(), Err(UriError::MissingAccount));
}

#[test]
fn key_uri_debug_hides_the_secret() {
    let key = KeyUri::parse("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP").unwrap();
    let shown = format!("{key:?}");
    assert!(!shown.contains("JBSWY3DPEHPK3PXP"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

/// An account that starts with whitespace survives writing and reading: readers drop the
/// spaces after the label's colon, so such a URI names its issuer only as the parameter
/// (found by the key_uri fuzz target).
#[test]
fn an_account_starting_with_whitespace_round_trips() {
    for account in ["\rbob", " bob", "\u{3000}bob"] {
        let key = KeyUri::totp(
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
            account,
            Some("ACME".to_owned()),
        );
        let again = KeyUri::parse(&key.to_uri_string().unwrap()).unwrap();
        assert_eq!(again.account, account);
        assert_eq!(again.issuer.as_deref(), Some("ACME"));
    }
}
