//! The TOTP implementations the suites run against, behind one trait: ours on each backend,
//! and the crates we compare with. A suite written once over `Implementation` runs on all.
//! `benches/totp.rs` includes this file too, so both build the peers the same way.

use mfaspec::totp::{Algorithm, Backend, Digits, Secret, Totp, TotpParams};

/// A TOTP implementation, asked for the code of `key` at `time`.
pub trait Implementation {
    /// The code, zero-padded, as the implementation writes it.
    fn totp(&self, algorithm: Algorithm, key: &[u8], digits: u8, period: u64, time: u64) -> String;
}

/// mfaspec's TOTP core on the given SHA-1 backend.
pub struct Mfaspec(pub Backend);

impl Implementation for Mfaspec {
    fn totp(&self, algorithm: Algorithm, key: &[u8], digits: u8, period: u64, time: u64) -> String {
        let params = TotpParams {
            algorithm,
            digits: Digits::new(u32::from(digits)).expect("6-8 digits"),
            period,
            t0: 0,
        };
        let totp =
            Totp::with_backend(&Secret::from_bytes(key), params, self.0).expect("period > 0");
        totp.code_at(time).expect("T0 = 0").to_string()
    }
}

/// A totp-rs 6 generator. `build_noncompliant`, because the properties also try secrets
/// shorter than the 16 bytes totp-rs's `build` insists on.
pub fn totp_rs_generator(
    algorithm: Algorithm,
    key: &[u8],
    digits: u8,
    period: u64,
    skew: u16,
) -> totp_rs::Totp {
    let algorithm = match algorithm {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    };
    totp_rs::Builder::new()
        .with_algorithm(algorithm)
        .with_digits(digits)
        .with_skew(skew)
        .with_step_duration(period)
        .with_secret(key.to_vec())
        .build_noncompliant()
}

/// totp-lite 2's code (it keys HMAC anew on every call; there is no generator to keep).
pub fn totp_lite_code(
    algorithm: Algorithm,
    key: &[u8],
    digits: u8,
    period: u64,
    time: u64,
) -> String {
    let d = u32::from(digits);
    match algorithm {
        Algorithm::Sha1 => totp_lite::totp_custom::<totp_lite::Sha1>(period, d, key, time),
        Algorithm::Sha256 => totp_lite::totp_custom::<totp_lite::Sha256>(period, d, key, time),
        Algorithm::Sha512 => totp_lite::totp_custom::<totp_lite::Sha512>(period, d, key, time),
    }
}

/// totp-rs 6.
pub struct TotpRs;

impl Implementation for TotpRs {
    fn totp(&self, algorithm: Algorithm, key: &[u8], digits: u8, period: u64, time: u64) -> String {
        totp_rs_generator(algorithm, key, digits, period, 1)
            .generate(time)
            .to_string()
    }
}

/// totp-lite 2.
pub struct TotpLite;

impl Implementation for TotpLite {
    fn totp(&self, algorithm: Algorithm, key: &[u8], digits: u8, period: u64, time: u64) -> String {
        totp_lite_code(algorithm, key, digits, period, time)
    }
}

/// Runs the same suite once per implementation, as rustls runs its suites per backend.
#[macro_export]
macro_rules! for_each_implementation {
    ($suite:ident) => {
        mod mfaspec_detect {
            $suite!($crate::peers::Mfaspec(mfaspec::totp::Backend::Detect));
        }
        mod mfaspec_portable {
            $suite!($crate::peers::Mfaspec(mfaspec::totp::Backend::Portable));
        }
        mod totp_rs {
            $suite!($crate::peers::TotpRs);
        }
        mod totp_lite {
            $suite!($crate::peers::TotpLite);
        }
    };
}
