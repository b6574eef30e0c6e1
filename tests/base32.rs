//! Base32 secrets as authenticator apps read them, and the errors for text that is not one.

use mfaspec::totp::{Base32Error, Secret};

const RFC_SEED_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn typed_setup_key_forms_all_decode_to_the_same_secret() {
    let expected = b"12345678901234567890";
    for typed in [
        RFC_SEED_B32,
        "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
        "gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
        "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ",
        "  GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\t",
    ] {
        assert_eq!(
            Secret::from_base32(typed).unwrap().expose_bytes(),
            expected,
            "{typed:?}"
        );
    }
}

/// RFC 4648 §10's test vectors, padded and unpadded.
#[test]
fn rfc4648_vectors() {
    for (plain, encoded) in [
        ("f", "MY======"),
        ("fo", "MZXQ===="),
        ("foo", "MZXW6==="),
        ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"),
        ("foobar", "MZXW6YTBOI======"),
    ] {
        let secret = Secret::from_base32(encoded).unwrap();
        assert_eq!(secret.expose_bytes(), plain.as_bytes());
        assert_eq!(secret.to_base32(), encoded.trim_end_matches('='));
        assert_eq!(
            Secret::from_base32(encoded.trim_end_matches('=')).unwrap(),
            secret
        );
    }
}

#[test]
fn invalid_character_is_named_with_its_position() {
    let err = Secret::from_base32("GEZD1NBV").unwrap_err();
    assert_eq!(
        err,
        Base32Error::InvalidCharacter {
            character: '1',
            position: 5
        }
    );
    assert_eq!(
        err.to_string(),
        "invalid Base32 character '1' at position 5: expected A-Z or 2-7"
    );
    // Positions count characters, not bytes.
    assert_eq!(
        Secret::from_base32("ÄB").unwrap_err(),
        Base32Error::InvalidCharacter {
            character: 'Ä',
            position: 1
        }
    );
    assert_eq!(
        Secret::from_base32("AB CD 8").unwrap_err(),
        Base32Error::InvalidCharacter {
            character: '8',
            position: 7
        }
    );
}

#[test]
fn only_padding_may_follow_padding() {
    assert_eq!(
        Secret::from_base32("MY==A").unwrap_err(),
        Base32Error::AfterPadding {
            character: 'A',
            position: 5
        }
    );
}

#[test]
fn lengths_that_encode_no_whole_byte_are_refused() {
    for (text, symbols) in [("A", 1), ("ABC", 3), ("ABCDEF", 6), ("ABCDEFGHA", 9)] {
        assert_eq!(
            Secret::from_base32(text).unwrap_err(),
            Base32Error::Truncated { symbols },
            "{text}"
        );
    }
}

#[test]
fn empty_secret_is_refused() {
    for text in ["", "   ", "====", "- -"] {
        assert_eq!(
            Secret::from_base32(text).unwrap_err(),
            Base32Error::Empty,
            "{text:?}"
        );
    }
}

/// Secrets never show in Debug or Display (house rule: secrets stay secret).
#[test]
fn secret_is_redacted_in_debug_and_display() {
    let secret = Secret::from_base32(RFC_SEED_B32).unwrap();
    for shown in [
        format!("{secret:?}"),
        format!("{secret}"),
        format!("{secret:#?}"),
    ] {
        assert!(!shown.contains("1234567890"), "{shown}");
        assert!(!shown.contains("GEZD"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }
}
