//! Every RFC 6238 Appendix B and RFC 4226 Appendix D vector, as `fixtures/` holds them, checked
//! against every implementation (ours on both backends, and the peers).

use mfaspec::totp::{Algorithm, Secret};

/// The vectors as `fixtures/` holds them, read by the same code the catalogue uses.
pub use mfaspec::otpcheck::vectors::{rfc4226, rfc6238};

/// The fixtures hold the whole tables: 6 times × 3 algorithms, and counters 0–9.
#[test]
fn fixtures_hold_every_rfc_vector() {
    let totp = rfc6238();
    assert_eq!(totp.vectors.len(), 18);
    assert_eq!(totp.seeds.len(), 3);
    for v in &totp.vectors {
        assert_eq!(
            u64::from_str_radix(&v.step, 16).unwrap(),
            v.time / 30,
            "step of {}",
            v.time
        );
        assert_eq!(
            &v.code_8[2..],
            v.code_6,
            "6-digit code is the 8-digit code's tail"
        );
    }
    let hotp = rfc4226();
    assert_eq!(
        hotp.vectors.iter().map(|v| v.count).collect::<Vec<_>>(),
        (0..10).collect::<Vec<_>>()
    );
}

/// The Base32 forms in the fixtures decode to the ASCII seeds (20, 32 and 64 bytes).
#[test]
fn seed_base32_matches_ascii() {
    let totp = rfc6238();
    for (name, seed) in &totp.seeds {
        let secret = Secret::from_base32(&seed.base32).unwrap();
        assert_eq!(secret.expose_bytes(), seed.ascii.as_bytes(), "{name}");
        assert_eq!(secret.to_base32(), seed.base32, "{name}");
    }
    let hotp = rfc4226();
    assert_eq!(
        Secret::from_base32(&hotp.secret.base32)
            .unwrap()
            .expose_bytes(),
        hotp.secret.ascii.as_bytes()
    );
}

macro_rules! rfc_suite {
    ($implementation:expr) => {
        use mfaspec::totp::Algorithm;

        use $crate::peers::Implementation;
        use $crate::rfc_vectors::{rfc4226, rfc6238};

        #[test]
        fn rfc6238_appendix_b_8_and_6_digits() {
            let fixture = rfc6238();
            for v in &fixture.vectors {
                let algorithm: Algorithm = v.algorithm.parse().unwrap();
                let key = fixture.seeds[&v.algorithm].ascii.as_bytes();
                let at = format!("{} at {}", v.algorithm, v.time);
                assert_eq!(
                    $implementation.totp(algorithm, key, 8, 30, v.time),
                    v.code_8,
                    "{at}"
                );
                assert_eq!(
                    $implementation.totp(algorithm, key, 6, 30, v.time),
                    v.code_6,
                    "{at}"
                );
            }
        }

        /// HOTP(K, C) is TOTP with a 1-second step at time C; 6, 7 and 8 digits are the
        /// truncated value modulo 10^digits (RFC 4226 §5.3).
        #[test]
        fn rfc4226_appendix_d_as_totp_with_period_1() {
            let fixture = rfc4226();
            let key = fixture.secret.ascii.as_bytes();
            for v in &fixture.vectors {
                assert_eq!(
                    $implementation.totp(Algorithm::Sha1, key, 6, 1, v.count),
                    v.hotp,
                    "count {}",
                    v.count
                );
                for digits in [7u8, 8] {
                    let expected = format!(
                        "{:0width$}",
                        v.truncated % 10u32.pow(u32::from(digits)),
                        width = usize::from(digits)
                    );
                    assert_eq!(
                        $implementation.totp(Algorithm::Sha1, key, digits, 1, v.count),
                        expected,
                        "count {} {digits}",
                        v.count
                    );
                }
            }
        }
    };
}

crate::for_each_implementation!(rfc_suite);

/// Our HOTP API directly, on the RFC 4226 table.
#[test]
fn hotp_api_reproduces_rfc4226() {
    use mfaspec::totp::{Digits, Hotp};
    let fixture = rfc4226();
    let hotp = Hotp::new(
        Algorithm::Sha1,
        &Secret::from_base32(&fixture.secret.base32).unwrap(),
        Digits::SIX,
    );
    for v in &fixture.vectors {
        assert_eq!(hotp.code(v.count).to_string(), v.hotp);
        assert_eq!(hotp.code(v.count).value(), v.truncated % 1_000_000);
    }
    let batch = hotp.codes([0, 1, 2]);
    assert_eq!(batch.map(|c| c.to_string()), ["755224", "287082", "359152"]);
}
