//! The random differential: seeded cases whose expectations the core computes.
//!
//! Owns: the random cases. Uses: [`super::case`]'s builders.

use crate::otpcheck::protocol::KeyEncoding;
use crate::totp::{Algorithm, Secret};

use super::case::{Accept, Case, Cases, hotp, totp};
use super::reference::hex;

/// `n` random cases (seeded): algorithms, digits 6–8 (7 may be refused), periods, times,
/// T0 and keys of 10–64 bytes. Half the keys are Base32: as mfaspec and the Key Uri Format write it (upper case,
/// unpadded), in lower case, or padded with `=` — the last two cases a decoder may refuse
/// (RFC 4648 §3.2, §3.3 leave it to the application), but never decode into another key. A
/// quarter of the TOTP cases have a T0 other than 0, which an implementation without T0 may
/// refuse. The core computes each expectation.
#[must_use]
pub fn random(n: usize, seed: u64) -> Vec<Case> {
    use rand::{RngExt as _, SeedableRng as _};
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut c = Cases(Vec::new());
    for i in 0..n {
        let alg = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][rng.random_range(0..3)];
        let digits = rng.random_range(6..=8);
        let len = rng.random_range(10..=64);
        let key: Vec<u8> = (0..len).map(|_| rng.random()).collect();
        // Whether the RFCs let an implementation refuse this case: 7 digits are optional
        // (RFC 4226 §5.3), and so are the spellings and T0 below.
        let mut may_refuse = digits == 7;
        let (encoding, text) = if rng.random_bool(0.5) {
            (KeyEncoding::Hex, hex(&key))
        } else {
            let canonical = Secret::from_bytes(&key).to_base32();
            match rng.random_range(0..4) {
                0 => {
                    may_refuse = true;
                    (KeyEncoding::Base32, canonical.to_ascii_lowercase())
                }
                1 => {
                    may_refuse = true;
                    let pad = (8 - canonical.len() % 8) % 8;
                    (KeyEncoding::Base32, canonical + &"=".repeat(pad))
                }
                _ => (KeyEncoding::Base32, canonical),
            }
        };
        let request = if rng.random_bool(0.8) {
            // Periods deployments use: 30 s mostly, 60 s, and any up to two minutes.
            let period = [30, 30, 30, 60, rng.random_range(1..=120)][rng.random_range(0..5)];
            let time = rng.random_range(0..(1i64 << 34));
            let t0 = if time > 0 && rng.random_bool(0.25) {
                may_refuse = true;
                rng.random_range(1..=time.unsigned_abs())
            } else {
                0
            };
            totp(alg, digits, period, t0, time, encoding, &text)
        } else {
            hotp(
                alg,
                digits,
                rng.random_range(0..(1u64 << 40)),
                encoding,
                &text,
            )
        };
        c.add(
            format!("r{i}"),
            "random",
            "a random key, time and parameters",
            "RFC 4226 §5, RFC 6238 §4",
            request,
            if may_refuse {
                Accept::CodeOrReject
            } else {
                Accept::Code
            },
            None,
        );
    }
    c.0
}
