//! mfaspec's TOTP core as a user calls it — `Totp::code_at` and `Totp::verify` from the public
//! API, the time different on every iteration so nothing is reused — against the floor (two
//! *dependent* compressions on precomputed key states: the outer block carries the inner
//! digest, so the CPU cannot overlap them) and against totp-rs and totp-lite, all measured in
//! the same run. Then each workload's instruction count under callgrind, which is steady where
//! times on a shared machine are not. Ends with a table of ratios and the goals of issue 14.
//!
//! `cargo bench --bench totp` (add `-- sha1` etc. to run some groups). Instruction counts need
//! `valgrind` on the PATH; `MFASPEC_BENCH_CALLGRIND=0` skips them.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use criterion::Criterion;

// The peers are built exactly as the tests build them; the bench uses only the builders.
#[allow(dead_code)]
#[path = "../tests/support/peers.rs"]
mod peers;
use mfaspec::totp::{Algorithm, Backend, Code, Digits, Secret, Totp, TotpParams, Window};

/// RFC 6238 Appendix B seeds: 20, 32 and 64 bytes.
const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";
/// Where every workload's clock starts (RFC 6238 Appendix B's second time).
const T: u64 = 1_111_111_109;
/// How far each iteration moves the clock: a prime number of 30-second steps, so that every
/// call has a new step and a ±1 window never overlaps the previous call's (consecutive steps
/// would let the previous call's branch history and caches stand in for work a server does
/// for each user).
const STRIDE: u64 = 30 * 7_919;
/// Iterations of a workload under callgrind: the count per call is the total over this.
const CALLGRIND_ITERATIONS: u64 = 20_000;

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

fn group_name(algorithm: Algorithm) -> String {
    format!("{}_code", algorithm.uri_name().to_ascii_lowercase())
}

/// Something that runs each workload: criterion, or the callgrind loop.
trait Visitor {
    /// Whether `group/name` is wanted at all (so that setting one up can be skipped).
    fn wants(&self, group: &str, name: &str) -> bool;
    /// Runs `step`, a workload whose every call advances its own clock.
    fn visit<R, F: FnMut() -> R>(&mut self, group: &str, name: &str, step: F);
}

/// Every workload, in report order.
fn workloads(v: &mut impl Visitor) {
    for algorithm in Algorithm::ALL {
        generation(v, algorithm);
    }
    verification(v);
    for algorithm in [Algorithm::Sha1, Algorithm::Sha256] {
        batches(v, algorithm);
    }
    base32_decoding(v);
}

/// Four users' codes (four secrets) at the same moment, per iteration: one `code_at` call
/// each, two `Totp::batch_at` calls of two, or one of four.
fn batches(v: &mut impl Visitor, algorithm: Algorithm) {
    let group = format!("{}_batch", algorithm.uri_name().to_ascii_lowercase());
    let group = group.as_str();
    let users: Vec<Totp> = (0..4u8)
        .map(|u| {
            let key: Vec<u8> = seed(algorithm).iter().map(|b| b ^ u).collect();
            let params = TotpParams {
                algorithm,
                ..TotpParams::default()
            };
            Totp::new(&Secret::from_bytes(&key), params).expect("period 30")
        })
        .collect();
    let [a, b, c, d] = [&users[0], &users[1], &users[2], &users[3]];
    let mut t = T;
    v.visit(group, "4_calls_of_1", move || {
        t += STRIDE;
        let now = black_box(t);
        [a, b, c, d].map(|u| u.code_at(now).expect("after T0"))
    });
    let mut t = T;
    v.visit(group, "2_calls_of_2", move || {
        t += STRIDE;
        let now = black_box(t);
        (
            Totp::batch_at([a, b], now).expect("after T0"),
            Totp::batch_at([c, d], now).expect("after T0"),
        )
    });
    let mut t = T;
    v.visit(group, "1_call_of_4", move || {
        t += STRIDE;
        Totp::batch_at([a, b, c, d], black_box(t)).expect("after T0")
    });
}

/// One code per call, for one algorithm: mfaspec (SHA-NI where the CPU has it, and the
/// portable path), the dependent floor, totp-rs and totp-lite.
fn generation(v: &mut impl Visitor, algorithm: Algorithm) {
    let group = group_name(algorithm);
    let group = group.as_str();
    for (name, backend) in [
        ("mfaspec", Backend::Detect),
        ("mfaspec_portable", Backend::Portable),
    ] {
        // SHA-512 has one path only.
        if algorithm == Algorithm::Sha512 && backend == Backend::Portable {
            continue;
        }
        if v.wants(group, name) {
            let totp = ours(algorithm, backend);
            let mut t = T;
            v.visit(group, name, move || {
                t += STRIDE;
                totp.code_at(black_box(t)).expect("after T0")
            });
        }
    }
    if v.wants(group, "floor_chain") {
        let mut counter = T / 30;
        v.visit(group, "floor_chain", move || {
            counter += STRIDE / 30;
            floor_chain(algorithm, black_box(counter))
        });
    }
    if v.wants(group, "totp_rs") {
        let peer = peers::totp_rs_generator(algorithm, seed(algorithm), 6, 30, 1);
        let mut t = T;
        v.visit(group, "totp_rs", move || {
            t += STRIDE;
            peer.generate(black_box(t))
        });
    }
    if v.wants(group, "totp_lite") {
        let mut t = T;
        v.visit(group, "totp_lite", move || {
            t += STRIDE;
            peers::totp_lite_code(algorithm, black_box(seed(algorithm)), 6, 30, black_box(t))
        });
    }
}

/// The floor of one HMAC code with the key states precomputed: the inner compression of the
/// counter's block, the inner digest written into the outer block, the outer compression —
/// through the same RustCrypto block functions the peers use (SHA-NI where the CPU has it).
/// Nothing else: no truncation, no code, no time.
fn floor_chain(algorithm: Algorithm, counter: u64) -> u64 {
    // Arbitrary key states: the content does not change the cost.
    match algorithm {
        Algorithm::Sha1 => {
            let mut block = [0u8; 64];
            block[..8].copy_from_slice(&counter.to_be_bytes());
            block[8] = 0x80;
            block[56..].copy_from_slice(&(72u64 * 8).to_be_bytes());
            let mut inner = [1u32; 5];
            sha1::block_api::compress(&mut inner, &[block]);
            let mut block = [0u8; 64];
            for (chunk, w) in block.chunks_exact_mut(4).zip(inner) {
                chunk.copy_from_slice(&w.to_be_bytes());
            }
            block[20] = 0x80;
            block[56..].copy_from_slice(&(84u64 * 8).to_be_bytes());
            let mut outer = [2u32; 5];
            sha1::block_api::compress(&mut outer, &[block]);
            u64::from(outer[4])
        }
        Algorithm::Sha256 => {
            let mut block = [0u8; 64];
            block[..8].copy_from_slice(&counter.to_be_bytes());
            block[8] = 0x80;
            block[56..].copy_from_slice(&(72u64 * 8).to_be_bytes());
            let mut inner = [1u32; 8];
            sha2::block_api::compress256(&mut inner, &[block]);
            let mut block = [0u8; 64];
            for (chunk, w) in block.chunks_exact_mut(4).zip(inner) {
                chunk.copy_from_slice(&w.to_be_bytes());
            }
            block[32] = 0x80;
            block[56..].copy_from_slice(&(96u64 * 8).to_be_bytes());
            let mut outer = [2u32; 8];
            sha2::block_api::compress256(&mut outer, &[block]);
            u64::from(outer[7])
        }
        Algorithm::Sha512 => {
            let mut block = [0u8; 128];
            block[..8].copy_from_slice(&counter.to_be_bytes());
            block[8] = 0x80;
            block[112..].copy_from_slice(&(136u128 * 8).to_be_bytes());
            let mut inner = [1u64; 8];
            sha2::block_api::compress512(&mut inner, &[block]);
            let mut block = [0u8; 128];
            for (chunk, w) in block.chunks_exact_mut(8).zip(inner) {
                chunk.copy_from_slice(&w.to_be_bytes());
            }
            block[64] = 0x80;
            block[112..].copy_from_slice(&(192u128 * 8).to_be_bytes());
            let mut outer = [2u64; 8];
            sha2::block_api::compress512(&mut outer, &[block]);
            outer[7]
        }
    }
}

/// ±1-step verification (SHA-1) of a code that matches no step: the worst case for an
/// early-exit verifier, and the case an attacker controls.
fn verification(v: &mut impl Visitor) {
    let group = "sha1_verify_pm1_no_match";
    // A code no step near any of the times used matches. A caller holds the candidate as
    // text (what the user typed), so the parse is part of every call.
    let wrong = "000000";
    for (name, backend) in [
        ("mfaspec", Backend::Detect),
        ("mfaspec_portable", Backend::Portable),
    ] {
        if v.wants(group, name) {
            let totp = ours(Algorithm::Sha1, backend);
            let mut t = T;
            v.visit(group, name, move || {
                t += STRIDE;
                let code = Code::parse(black_box(wrong), Digits::SIX).expect("six digits");
                totp.verify(&code, black_box(t), Window::COGNITO)
                    .expect("after T0")
            });
        }
    }
    if v.wants(group, "totp_rs_check") {
        let peer = peers::totp_rs_generator(Algorithm::Sha1, SEED_SHA1, 6, 30, 1);
        let mut t = T;
        v.visit(group, "totp_rs_check", move || {
            t += STRIDE;
            peer.check(black_box("000000"), black_box(t))
        });
    }
    if v.wants(group, "totp_lite_3_codes") {
        let mut t = T;
        v.visit(group, "totp_lite_3_codes", move || {
            t += STRIDE;
            let now = black_box(t);
            [now - 30, now, now + 30].into_iter().any(|t| {
                peers::totp_lite_code(Algorithm::Sha1, black_box(SEED_SHA1), 6, 30, t) == "000000"
            })
        });
    }
}

/// Base32 decoding of a 32-character secret (20 bytes), as a server does per request.
fn base32_decoding(v: &mut impl Visitor) {
    let group = "base32_decode_32_chars";
    let text = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    v.visit(group, "mfaspec", || {
        Secret::from_base32(black_box(text)).expect("valid")
    });
    v.visit(group, "totp_rs", || {
        totp_rs::Secret::try_from_base32(black_box(text)).expect("valid")
    });
    v.visit(group, "base32_crate", || {
        base32::decode(
            base32::Alphabet::Rfc4648 { padding: false },
            black_box(text),
        )
        .expect("valid")
    });
}

/// Runs the workloads under criterion, with its filter from the command line.
struct Criterion_<'a>(&'a mut Criterion);

impl Visitor for Criterion_<'_> {
    fn wants(&self, _: &str, _: &str) -> bool {
        true
    }

    fn visit<R, F: FnMut() -> R>(&mut self, group: &str, name: &str, mut step: F) {
        self.0
            .benchmark_group(group)
            .bench_function(name, |b| b.iter(&mut step));
    }
}

/// Runs one workload [`CALLGRIND_ITERATIONS`] times inside [`callgrind_loop`], the only
/// function callgrind collects in.
struct CallgrindRun<'a> {
    id: &'a str,
}

impl Visitor for CallgrindRun<'_> {
    fn wants(&self, group: &str, name: &str) -> bool {
        self.id == format!("{group}/{name}")
    }

    fn visit<R, F: FnMut() -> R>(&mut self, group: &str, name: &str, step: F) {
        if self.wants(group, name) {
            callgrind_loop(step, CALLGRIND_ITERATIONS);
        }
    }
}

#[inline(never)]
fn callgrind_loop<R, F: FnMut() -> R>(mut step: F, n: u64) {
    for _ in 0..n {
        black_box(step());
    }
}

/// Lists the workloads' ids, in report order.
struct Ids(Vec<String>);

impl Visitor for Ids {
    fn wants(&self, _: &str, _: &str) -> bool {
        true
    }

    fn visit<R, F: FnMut() -> R>(&mut self, group: &str, name: &str, _: F) {
        self.0.push(format!("{group}/{name}"));
    }
}

fn ids() -> Vec<String> {
    let mut ids = Ids(Vec::new());
    workloads(&mut ids);
    ids.0
}

/// Instruction counts per workload, and whether the SHA-NI kernels ran under valgrind.
struct Counts {
    per_call: BTreeMap<String, f64>,
    sha_ni: bool,
}

/// Instructions per call of each workload whose id contains one of `filters` (all when
/// there are none), each in its own `valgrind --tool=callgrind` run of this binary; `None`
/// when valgrind cannot be run.
fn instruction_counts(filters: &[String]) -> Option<Counts> {
    if std::env::var("MFASPEC_BENCH_CALLGRIND").is_ok_and(|v| v == "0") {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    let dir = std::env::temp_dir().join(format!("mfaspec-callgrind-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let mut counts = BTreeMap::new();
    let mut sha_ni = false;
    for id in ids() {
        // criterion's filters are regular expressions; alternatives (`a|b`) and plain words
        // are what people pass, and both are read here.
        let wanted = filters
            .iter()
            .flat_map(|f| f.split('|'))
            .any(|f| id.contains(f));
        if !filters.is_empty() && !wanted {
            continue;
        }
        let out = dir.join(id.replace('/', "_"));
        let run = std::process::Command::new("valgrind")
            .arg("--tool=callgrind")
            .arg(format!("--callgrind-out-file={}", out.display()))
            .arg("--toggle-collect=*callgrind_loop*")
            .arg(&exe)
            .args(["--callgrind-workload", &id])
            .stderr(std::process::Stdio::null())
            .output();
        match run {
            Ok(o) if o.status.success() => {
                sha_ni |= String::from_utf8_lossy(&o.stdout).contains("sha_ni=yes");
            }
            // No valgrind at all: say so once, by returning nothing.
            Err(_) => return None,
            Ok(_) => continue,
        }
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        let total = text
            .lines()
            .find_map(|l| {
                l.strip_prefix("totals: ")
                    .or_else(|| l.strip_prefix("summary: "))
            })
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok());
        if let Some(total) = total {
            counts.insert(id, total / CALLGRIND_ITERATIONS as f64);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    Some(Counts {
        per_call: counts,
        sha_ni,
    })
}

/// One ratio of the report: `numerator / denominator`, both measured in this run.
struct Ratio {
    what: &'static str,
    numerator: &'static str,
    denominator: &'static str,
    goal: Goal,
    /// Whether the goal applies to instruction counts too. Not for the ±1 verifier: its
    /// three interleaved lanes save time, not instructions.
    counts_too: bool,
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
        what: "SHA-1 code: mfaspec / dependent floor",
        numerator: "sha1_code/mfaspec",
        denominator: "sha1_code/floor_chain",
        goal: Goal::AtMost(1.15),
        counts_too: true,
    },
    Ratio {
        what: "SHA-256 code: mfaspec / dependent floor",
        numerator: "sha256_code/mfaspec",
        denominator: "sha256_code/floor_chain",
        goal: Goal::AtMost(1.15),
        counts_too: true,
    },
    Ratio {
        what: "SHA-512 code: mfaspec / dependent floor",
        numerator: "sha512_code/mfaspec",
        denominator: "sha512_code/floor_chain",
        goal: Goal::AtMost(1.15),
        counts_too: true,
    },
    Ratio {
        what: "±1 verify of typed text, no match / one code",
        numerator: "sha1_verify_pm1_no_match/mfaspec",
        denominator: "sha1_code/mfaspec",
        goal: Goal::AtMost(2.2),
        counts_too: false,
    },
    Ratio {
        what: "SHA-1 code: totp-rs / mfaspec",
        numerator: "sha1_code/totp_rs",
        denominator: "sha1_code/mfaspec",
        goal: Goal::AtLeast(1.0),
        counts_too: true,
    },
    Ratio {
        what: "SHA-1 code: totp-lite / mfaspec",
        numerator: "sha1_code/totp_lite",
        denominator: "sha1_code/mfaspec",
        goal: Goal::AtLeast(1.0),
        counts_too: true,
    },
    Ratio {
        what: "SHA-256 code: totp-rs / mfaspec",
        numerator: "sha256_code/totp_rs",
        denominator: "sha256_code/mfaspec",
        goal: Goal::AtLeast(1.0),
        counts_too: true,
    },
    Ratio {
        what: "SHA-256 code: totp-lite / mfaspec",
        numerator: "sha256_code/totp_lite",
        denominator: "sha256_code/mfaspec",
        goal: Goal::AtLeast(1.0),
        counts_too: true,
    },
    Ratio {
        what: "SHA-512 code: totp-rs / mfaspec",
        numerator: "sha512_code/totp_rs",
        denominator: "sha512_code/mfaspec",
        goal: Goal::AtLeast(1.0),
        counts_too: true,
    },
    Ratio {
        what: "SHA-512 code: totp-lite / mfaspec",
        numerator: "sha512_code/totp_lite",
        denominator: "sha512_code/mfaspec",
        goal: Goal::AtLeast(1.0),
        counts_too: true,
    },
    Ratio {
        what: "±1 verify: totp-rs check / mfaspec",
        numerator: "sha1_verify_pm1_no_match/totp_rs_check",
        denominator: "sha1_verify_pm1_no_match/mfaspec",
        goal: Goal::AtLeast(1.0),
        counts_too: true,
    },
    Ratio {
        what: "±1 verify: totp-lite ×3 / mfaspec",
        numerator: "sha1_verify_pm1_no_match/totp_lite_3_codes",
        denominator: "sha1_verify_pm1_no_match/mfaspec",
        goal: Goal::AtLeast(1.0),
        counts_too: true,
    },
    Ratio {
        what: "4 SHA-1 codes: 4 calls / 1 batch of 4",
        numerator: "sha1_batch/4_calls_of_1",
        denominator: "sha1_batch/1_call_of_4",
        goal: Goal::None,
        counts_too: false,
    },
    Ratio {
        what: "4 SHA-1 codes: 4 calls / 2 batches of 2",
        numerator: "sha1_batch/4_calls_of_1",
        denominator: "sha1_batch/2_calls_of_2",
        goal: Goal::None,
        counts_too: false,
    },
    Ratio {
        what: "4 SHA-256 codes: 4 calls / 1 batch of 4",
        numerator: "sha256_batch/4_calls_of_1",
        denominator: "sha256_batch/1_call_of_4",
        goal: Goal::None,
        counts_too: false,
    },
    Ratio {
        what: "4 SHA-256 codes: 4 calls / 2 batches of 2",
        numerator: "sha256_batch/4_calls_of_1",
        denominator: "sha256_batch/2_calls_of_2",
        goal: Goal::None,
        counts_too: false,
    },
    Ratio {
        what: "SHA-1 code: portable / SHA-NI",
        numerator: "sha1_code/mfaspec_portable",
        denominator: "sha1_code/mfaspec",
        goal: Goal::None,
        counts_too: true,
    },
    Ratio {
        what: "SHA-256 code: portable / SHA-NI",
        numerator: "sha256_code/mfaspec_portable",
        denominator: "sha256_code/mfaspec",
        goal: Goal::None,
        counts_too: true,
    },
    Ratio {
        what: "Base32 decode: totp-rs / mfaspec",
        numerator: "base32_decode_32_chars/totp_rs",
        denominator: "base32_decode_32_chars/mfaspec",
        goal: Goal::None,
        counts_too: true,
    },
    Ratio {
        what: "Base32 decode: base32 crate / mfaspec",
        numerator: "base32_decode_32_chars/base32_crate",
        denominator: "base32_decode_32_chars/mfaspec",
        goal: Goal::None,
        counts_too: true,
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
fn typical_ns(id: &str, since: SystemTime) -> Option<f64> {
    let path = criterion_dir().join(id).join("new/estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    json["slope"]["point_estimate"]
        .as_f64()
        .or_else(|| json["mean"]["point_estimate"].as_f64())
}

fn verdict(goal: &Goal, ratio: f64) -> String {
    match *goal {
        Goal::AtLeast(g) if ratio >= g => format!("≥ {g}: met"),
        Goal::AtLeast(g) => format!("≥ {g}: MISSED"),
        Goal::AtMost(g) if ratio <= g => format!("≤ {g}: met"),
        Goal::AtMost(g) => format!("≤ {g}: MISSED"),
        Goal::None => String::new(),
    }
}

fn report(since: SystemTime, counts: Option<&Counts>) {
    let instructions = counts.map(|c| &c.per_call);
    println!("\nPer call, this run (criterion's typical time; callgrind's instructions):");
    println!("{:<46} {:>10} {:>12}", "workload", "ns", "instructions");
    for id in ids() {
        let ns = typical_ns(&id, since);
        let ir = instructions.and_then(|c| c.get(&id).copied());
        if ns.is_none() && ir.is_none() {
            continue;
        }
        let ns = ns.map_or("—".to_owned(), |v| format!("{v:.1}"));
        let ir = ir.map_or("—".to_owned(), |v| format!("{v:.0}"));
        println!("{id:<46} {ns:>10} {ir:>12}");
    }
    println!("\nRatios measured in this run (`cargo bench --bench totp`):");
    println!(
        "{:<42} {:>8}  {:<14} {:>8}  {:<14}",
        "ratio", "time ×", "goal (time)", "instr ×", "goal (instr)"
    );
    for r in RATIOS {
        let time = typical_ns(r.numerator, since)
            .zip(typical_ns(r.denominator, since))
            .map(|(n, d)| n / d);
        let ir = instructions.and_then(|c| Some(c.get(r.numerator)? / c.get(r.denominator)?));
        if time.is_none() && ir.is_none() {
            continue;
        }
        let show = |x: Option<f64>, goal: &Goal| {
            x.map_or(("—".to_owned(), String::new()), |x| {
                (format!("{x:.2}"), verdict(goal, x))
            })
        };
        let (t, tg) = show(time, &r.goal);
        let (i, ig) = show(ir, if r.counts_too { &r.goal } else { &Goal::None });
        println!("{:<42} {t:>8}  {tg:<14} {i:>8}  {ig:<14}", r.what);
    }
    println!(
        "SHA-NI in use for SHA-1/SHA-256 (times): {}",
        if Backend::sha_ni_available() {
            "yes"
        } else {
            "no (portable path)"
        }
    );
    match counts {
        None => println!(
            "Instruction counts: not measured (valgrind not found, or MFASPEC_BENCH_CALLGRIND=0)."
        ),
        Some(c) => println!(
            "Instruction counts: valgrind --tool=callgrind, {CALLGRIND_ITERATIONS} calls each; SHA-NI under valgrind: {}.",
            if c.sha_ni {
                "yes"
            } else {
                "no — valgrind's CPU reports no SHA extensions, so mfaspec and the floor both run their portable paths there"
            }
        ),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The callgrind child: one workload, then out.
    if let [flag, id] = args.as_slice()
        && flag == "--callgrind-workload"
    {
        workloads(&mut CallgrindRun { id });
        println!(
            "sha_ni={}",
            if Backend::sha_ni_available() {
                "yes"
            } else {
                "no"
            }
        );
        return;
    }
    // A user's filter (`cargo bench --bench totp -- sha1`): the words that are not flags.
    let filters: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .cloned()
        .collect();
    let started = SystemTime::now() - Duration::from_secs(1);
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(3))
        .sample_size(60)
        .configure_from_args();
    workloads(&mut Criterion_(&mut c));
    c.final_summary();
    let instructions = instruction_counts(&filters);
    report(started, instructions.as_ref());
}
