//! TOTP implementations side by side: code generation (SHA-1/256/512), ±1-step verification,
//! Base32 decoding — mfaspec against totp-rs, totp-lite and the hash's own floor (two
//! compressions on precomputed key states), each measured in the same run. Ends with a table
//! of ratios and the goals.
//!
//! Run with `cargo bench --bench totp` (add `-- sha1` etc. to run one group).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use criterion::Criterion;

// The peers are built exactly as the tests build them; the bench uses only the builders.
#[allow(dead_code)]
#[path = "../tests/peers.rs"]
mod peers;
use mfaspec::totp::{Algorithm, Backend, Code, Digits, Secret, Totp, TotpParams, Window};

/// RFC 6238 Appendix B seeds: 20, 32 and 64 bytes.
const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";
/// RFC 6238 Appendix B's second time (T = 0x023523EC).
const T: u64 = 1_111_111_109;

fn seed(algorithm: Algorithm) -> &'static [u8] {
    match algorithm {
        Algorithm::Sha1 => SEED_SHA1,
        Algorithm::Sha256 => SEED_SHA256,
        Algorithm::Sha512 => SEED_SHA512,
    }
}

fn ours(algorithm: Algorithm, backend: Backend) -> Totp {
    let params = TotpParams {
        algorithm,
        ..TotpParams::default()
    };
    Totp::with_backend(&Secret::from_bytes(seed(algorithm)), params, backend).expect("period 30")
}

fn totp_rs(algorithm: Algorithm, skew: u16) -> totp_rs::Totp {
    peers::totp_rs_generator(algorithm, seed(algorithm), 6, 30, skew)
}

fn totp_lite(algorithm: Algorithm, key: &[u8], t: u64) -> String {
    peers::totp_lite_code(algorithm, key, 6, 30, t)
}

/// A block of `fill` bytes, as the floors compress: the content does not change the cost.
fn block<const B: usize>(fill: u8) -> [u8; B] {
    [fill; B]
}

/// Code generation for one algorithm: ours, the peers, and the floor.
fn generation(c: &mut Criterion, algorithm: Algorithm) {
    let name = format!("{}_code", algorithm.uri_name().to_ascii_lowercase());
    let mut group = c.benchmark_group(&name);
    let detect = ours(algorithm, Backend::Detect);
    group.bench_function("mfaspec", |b| {
        b.iter(|| detect.code_at(black_box(T)).expect("after T0"))
    });
    if algorithm != Algorithm::Sha512 {
        let portable = ours(algorithm, Backend::Portable);
        group.bench_function("mfaspec_portable", |b| {
            b.iter(|| portable.code_at(black_box(T)).expect("after T0"))
        });
    }
    let peer = totp_rs(algorithm, 1);
    group.bench_function("totp_rs", |b| b.iter(|| peer.generate(black_box(T))));
    let key = seed(algorithm);
    group.bench_function("totp_lite", |b| {
        b.iter(|| totp_lite(algorithm, black_box(key), black_box(T)))
    });
    // The floor: two compressions on precomputed (here: arbitrary) key states, nothing else.
    match algorithm {
        Algorithm::Sha1 => {
            let (b1, b2) = (block::<64>(1), block::<64>(2));
            group.bench_function("floor_2_compressions", |b| {
                b.iter(|| {
                    let mut inner = black_box([1u32; 5]);
                    let mut outer = black_box([2u32; 5]);
                    sha1::block_api::compress(&mut inner, &[black_box(b1)]);
                    sha1::block_api::compress(&mut outer, &[black_box(b2)]);
                    (inner, outer)
                })
            });
        }
        Algorithm::Sha256 => {
            let (b1, b2) = (block::<64>(1), block::<64>(2));
            group.bench_function("floor_2_compressions", |b| {
                b.iter(|| {
                    let mut inner = black_box([1u32; 8]);
                    let mut outer = black_box([2u32; 8]);
                    sha2::block_api::compress256(&mut inner, &[black_box(b1)]);
                    sha2::block_api::compress256(&mut outer, &[black_box(b2)]);
                    (inner, outer)
                })
            });
        }
        Algorithm::Sha512 => {
            let (b1, b2) = (block::<128>(1), block::<128>(2));
            group.bench_function("floor_2_compressions", |b| {
                b.iter(|| {
                    let mut inner = black_box([1u64; 8]);
                    let mut outer = black_box([2u64; 8]);
                    sha2::block_api::compress512(&mut inner, &[black_box(b1)]);
                    sha2::block_api::compress512(&mut outer, &[black_box(b2)]);
                    (inner, outer)
                })
            });
        }
    }
    group.finish();
}

/// ±1-step verification (SHA-1) of a code that matches no step: the worst case for an
/// early-exit verifier, and the case an attacker controls.
fn verification(c: &mut Criterion) {
    let mut group = c.benchmark_group("sha1_verify_pm1_no_match");
    let detect = ours(Algorithm::Sha1, Backend::Detect);
    let portable = ours(Algorithm::Sha1, Backend::Portable);
    let wrong = Code::parse("000000", Digits::SIX).expect("six digits");
    assert!(
        detect
            .verify(&wrong, T, Window::COGNITO)
            .expect("after T0")
            .is_none()
    );
    group.bench_function("mfaspec", |b| {
        b.iter(|| detect.verify(black_box(&wrong), black_box(T), Window::COGNITO))
    });
    group.bench_function("mfaspec_portable", |b| {
        b.iter(|| portable.verify(black_box(&wrong), black_box(T), Window::COGNITO))
    });
    // The three interleaved codes alone, without the comparison: the kernel's share.
    let hotp =
        mfaspec::totp::Hotp::new(Algorithm::Sha1, &Secret::from_bytes(SEED_SHA1), Digits::SIX);
    group.bench_function("mfaspec_3_codes_only", |b| {
        b.iter(|| {
            let c = black_box(T) / 30;
            hotp.codes([c - 1, c, c + 1])
        })
    });
    let peer = totp_rs(Algorithm::Sha1, 1);
    assert!(peer.check("000000", T).is_none());
    group.bench_function("totp_rs_check", |b| {
        b.iter(|| peer.check(black_box("000000"), black_box(T)))
    });
    group.bench_function("totp_lite_3_codes", |b| {
        b.iter(|| {
            let t = black_box(T);
            [t - 30, t, t + 30]
                .into_iter()
                .any(|t| totp_lite(Algorithm::Sha1, black_box(SEED_SHA1), t) == "000000")
        })
    });
    group.finish();
}

/// Base32 decoding of a 32-character secret (20 bytes), as a server does per request.
fn base32_decoding(c: &mut Criterion) {
    let mut group = c.benchmark_group("base32_decode_32_chars");
    let text = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    group.bench_function("mfaspec", |b| {
        b.iter(|| Secret::from_base32(black_box(text)).expect("valid"))
    });
    group.bench_function("totp_rs", |b| {
        b.iter(|| totp_rs::Secret::try_from_base32(black_box(text)).expect("valid"))
    });
    group.bench_function("base32_crate", |b| {
        b.iter(|| {
            base32::decode(
                base32::Alphabet::Rfc4648 { padding: false },
                black_box(text),
            )
            .expect("valid")
        })
    });
    group.finish();
}

/// One ratio of the report: `slower / faster` measured in this run, and the goal it serves.
struct Ratio {
    what: &'static str,
    numerator: (&'static str, &'static str),
    denominator: (&'static str, &'static str),
    goal: Goal,
}

enum Goal {
    /// numerator / denominator must be at least this (a speed-up over a peer).
    AtLeast(f64),
    /// numerator / denominator must be at most this (closeness to a floor).
    AtMost(f64),
    /// Reported, no goal.
    None,
}

const RATIOS: &[Ratio] = &[
    Ratio {
        what: "SHA-1 code: totp-rs / mfaspec",
        numerator: ("sha1_code", "totp_rs"),
        denominator: ("sha1_code", "mfaspec"),
        goal: Goal::AtLeast(3.0),
    },
    Ratio {
        what: "SHA-1 code: mfaspec / floor",
        numerator: ("sha1_code", "mfaspec"),
        denominator: ("sha1_code", "floor_2_compressions"),
        goal: Goal::AtMost(1.2),
    },
    Ratio {
        what: "SHA-1 code: totp-lite / mfaspec",
        numerator: ("sha1_code", "totp_lite"),
        denominator: ("sha1_code", "mfaspec"),
        goal: Goal::None,
    },
    Ratio {
        what: "SHA-1 code: portable / fused",
        numerator: ("sha1_code", "mfaspec_portable"),
        denominator: ("sha1_code", "mfaspec"),
        goal: Goal::None,
    },
    Ratio {
        what: "±1 verify, no match: totp-rs check / mfaspec",
        numerator: ("sha1_verify_pm1_no_match", "totp_rs_check"),
        denominator: ("sha1_verify_pm1_no_match", "mfaspec"),
        goal: Goal::AtLeast(4.0),
    },
    Ratio {
        what: "±1 verify, no match: totp-lite / mfaspec",
        numerator: ("sha1_verify_pm1_no_match", "totp_lite_3_codes"),
        denominator: ("sha1_verify_pm1_no_match", "mfaspec"),
        goal: Goal::None,
    },
    Ratio {
        what: "SHA-256 code: totp-rs / mfaspec",
        numerator: ("sha256_code", "totp_rs"),
        denominator: ("sha256_code", "mfaspec"),
        goal: Goal::AtLeast(1.7),
    },
    Ratio {
        what: "SHA-256 code: portable / fused",
        numerator: ("sha256_code", "mfaspec_portable"),
        denominator: ("sha256_code", "mfaspec"),
        goal: Goal::None,
    },
    Ratio {
        what: "SHA-256 code: mfaspec / floor",
        numerator: ("sha256_code", "mfaspec"),
        denominator: ("sha256_code", "floor_2_compressions"),
        goal: Goal::None,
    },
    Ratio {
        what: "SHA-512 code: totp-rs / mfaspec",
        numerator: ("sha512_code", "totp_rs"),
        denominator: ("sha512_code", "mfaspec"),
        goal: Goal::AtLeast(2.0),
    },
    Ratio {
        what: "SHA-512 code: mfaspec / floor",
        numerator: ("sha512_code", "mfaspec"),
        denominator: ("sha512_code", "floor_2_compressions"),
        goal: Goal::None,
    },
    Ratio {
        what: "Base32 decode: totp-rs / mfaspec",
        numerator: ("base32_decode_32_chars", "totp_rs"),
        denominator: ("base32_decode_32_chars", "mfaspec"),
        goal: Goal::None,
    },
    Ratio {
        what: "Base32 decode: base32 crate / mfaspec",
        numerator: ("base32_decode_32_chars", "base32_crate"),
        denominator: ("base32_decode_32_chars", "mfaspec"),
        goal: Goal::None,
    },
];

/// Where criterion writes its estimates: as criterion itself decides it, short of asking
/// `cargo metadata`.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("criterion")
}

/// criterion's typical time (ns) of `group/function` — the slope estimate it prints as
/// `time:`, or the mean where it sampled flat — if this process measured it.
fn typical_ns(group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_dir()
        .join(group)
        .join(function)
        .join("new/estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    json["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| json["mean"]["point_estimate"].as_f64())
}

fn report(since: SystemTime) {
    println!(
        "\nRatios measured in this run (criterion's typical times; `cargo bench --bench totp`):"
    );
    println!(
        "{:<48} {:>10} {:>10} {:>7}  goal",
        "ratio", "num ns", "den ns", "×"
    );
    for r in RATIOS {
        let (Some(num), Some(den)) = (
            typical_ns(r.numerator.0, r.numerator.1, since),
            typical_ns(r.denominator.0, r.denominator.1, since),
        ) else {
            continue;
        };
        let ratio = num / den;
        let goal = match r.goal {
            Goal::AtLeast(g) if ratio >= g => format!("≥ {g}: met"),
            Goal::AtLeast(g) => format!("≥ {g}: MISSED"),
            Goal::AtMost(g) if ratio <= g => format!("≤ {g}: met"),
            Goal::AtMost(g) => format!("≤ {g}: MISSED"),
            Goal::None => String::new(),
        };
        println!(
            "{:<48} {num:>10.1} {den:>10.1} {ratio:>7.2}  {goal}",
            r.what
        );
    }
    println!(
        "SHA-NI fused kernel in use: {}",
        if Backend::sha_ni_available() {
            "yes"
        } else {
            "no (portable path)"
        }
    );
}

fn main() {
    let started = SystemTime::now() - Duration::from_secs(1);
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(3))
        .sample_size(60)
        .configure_from_args();
    for algorithm in Algorithm::ALL {
        generation(&mut c, algorithm);
    }
    verification(&mut c);
    base32_decoding(&mut c);
    c.final_summary();
    report(started);
}
