//! The case catalogue: RFC 4226 Appendix D, RFC 6238 Appendix B, the cases where real
//! implementations disagree (shared/research/totp-implementations.md §3), and a random
//! differential. Every expected code is computed here by mfaspec's own core, from the RFC's
//! definition; the research's published values are fixtures that check the core
//! (`fixture`), never the source of an expectation.
//!
//! Owns: the cases and what each accepts. Uses: [`crate::totp`].

use crate::totp::{Algorithm, Digits, Hotp, Secret};

use super::protocol::{KeyEncoding, Kind, Request, unhex};

/// What a case accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Exactly this code; a refusal is not acceptable.
    Code(String),
    /// This code, or a refusal: the RFC lets an implementation refuse (a short key, more
    /// than 8 digits, a T0 it does not take). A different code is never acceptable.
    CodeOrReject(String),
    /// A refusal: the RFC defines no code here, so any code is wrong.
    Reject,
    /// A `verify` the verifier must accept.
    Accept,
    /// A `verify` the verifier must refuse (`ok refuse`, or an error).
    Refuse,
    /// A `verify` where the RFCs leave the verdict to the implementation (a lenient reading of
    /// the candidate, the default window, replay): either verdict conforms, and the report
    /// says which one came.
    Observe,
}

/// One case.
#[derive(Debug, Clone)]
pub struct Case {
    /// `<group>.<case>`, unique.
    pub id: String,
    /// The group, for the report's columns.
    pub group: &'static str,
    /// What it checks, in a few words.
    pub title: String,
    /// The RFC section (or other source) it rests on.
    pub grounding: &'static str,
    /// What is sent.
    pub request: Request,
    /// What is accepted.
    pub expect: Expect,
    /// The value the research notes (or the RFC's table) print, where they do: checked
    /// against the core's in tests, never used as the expectation.
    pub fixture: Option<String>,
    /// Sent twice in a row, the second answer classified (the replay case); the first must
    /// be an acceptance.
    pub repeat: bool,
}

/// RFC 4226's and RFC 6238's 20-byte key, `12345678901234567890`.
pub const K20: &[u8] = b"12345678901234567890";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The code the RFCs define for `request`, computed by mfaspec's core; `None` where they
/// define none (fewer than 6 digits — RFC 4226 §5.3 — or more than 10, a zero period, a time before `T0`, a key that does not
/// decode).
#[must_use]
pub fn reference_code(request: &Request) -> Option<String> {
    let key = match request.encoding {
        KeyEncoding::Hex => unhex(&request.key)?,
        // mfaspec reads Base32 as authenticator apps do (case, spaces, padding); a case
        // whose text only some decoders take says so in its expectation.
        KeyEncoding::Base32 => Secret::from_base32(&request.key)
            .ok()?
            .expose_bytes()
            .to_vec(),
    };
    if !(6..=10).contains(&request.digits) {
        return None;
    }
    let counter = match request.kind {
        Kind::Hotp { counter } => counter,
        Kind::Totp { period, t0, time } => step(period, t0, time)?,
        Kind::Verify { .. } => return None,
    };
    let hotp = Hotp::new(request.algorithm, &Secret::from_bytes(&key), Digits::SIX);
    let snum = u64::from(hotp.truncated(counter));
    let d = request.digits as usize;
    Some(format!("{:0d$}", snum % 10u64.pow(request.digits)))
}

/// RFC 6238 §4.2's `T = floor((time − T0) / X)`; `None` where it defines no step.
fn step(period: u64, t0: u64, time: i64) -> Option<u64> {
    let time = u64::try_from(time).ok()?;
    if period == 0 {
        return None;
    }
    Some(time.checked_sub(t0)? / period)
}

/// Whether a verifier that follows RFC 6238 §5.2 accepts `request` (a `verify` with a
/// window): the candidate, exactly as written, is the code of a step no more than `window`
/// steps from the current one. Steps are counted from 0 to 2^64−1 with no wraparound. `None`
/// for other requests, the default window, or parameters with no step or code.
#[must_use]
pub fn reference_verdict(request: &Request) -> Option<bool> {
    let Kind::Verify {
        period,
        t0,
        time,
        window: Some(window),
        ref code,
    } = request.kind
    else {
        return None;
    };
    let current = step(period, t0, time)?;
    let candidate = |counter: u64| Request {
        kind: Kind::Hotp { counter },
        ..request.clone()
    };
    let reference = reference_code(&candidate(current))?;
    let lowest = current.saturating_sub(u64::from(window));
    let highest = current.saturating_add(u64::from(window));
    let matched = (lowest..=highest).any(|s| {
        s == current && reference == *code
            || s != current && reference_code(&candidate(s)).as_deref() == Some(code)
    });
    Some(matched)
}

/// A case builder.
struct Cases(Vec<Case>);

impl Cases {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        id: impl Into<String>,
        group: &'static str,
        title: impl Into<String>,
        grounding: &'static str,
        request: Request,
        accept: Accept,
        fixture: Option<&str>,
    ) {
        let id = id.into();
        let code = reference_code(&request);
        // RFC 4226 R6: a key under 128 bits may be refused, whatever else the case tests.
        let short = match request.encoding {
            KeyEncoding::Hex => unhex(&request.key).map(|k| k.len()),
            KeyEncoding::Base32 => Secret::from_base32(&request.key).ok().map(|k| k.len()),
        }
        .is_some_and(|len| len < 16);
        let accept = match accept {
            Accept::Code if short => Accept::CodeOrReject,
            other => other,
        };
        let expect = match (accept, code) {
            (Accept::Code, Some(c)) => Expect::Code(c),
            (Accept::CodeOrReject, Some(c)) => Expect::CodeOrReject(c),
            (Accept::Reject, None) => Expect::Reject,
            // A case whose expectation contradicts the core is a catalogue bug.
            (accept, code) => panic!("case {id}: {accept:?} but the core computes {code:?}"),
        };
        self.0.push(Case {
            id: format!("{group}.{id}"),
            group,
            title: title.into(),
            grounding,
            request,
            expect,
            fixture: fixture.map(str::to_owned),
            repeat: false,
        });
    }

    /// A `verify` case, in the group `verify`: `must` cases expect the RFC's verdict (which
    /// the core computes), the others observe.
    fn verify(
        &mut self,
        id: &str,
        title: &str,
        grounding: &'static str,
        request: Request,
        must: bool,
        repeat: bool,
    ) {
        // Every window holds the current step: under the default window, a current-step code
        // is still one the verifier must accept.
        let verdict = reference_verdict(&request).or_else(|| {
            let mut exact = request.clone();
            if let Kind::Verify { window, .. } = &mut exact.kind {
                window.get_or_insert(0);
            }
            reference_verdict(&exact).filter(|accepted| *accepted)
        });
        let expect = match (must, verdict) {
            (false, _) => Expect::Observe,
            (true, Some(true)) => Expect::Accept,
            (true, Some(false)) => Expect::Refuse,
            (true, None) => panic!("case verify.{id}: no verdict to expect"),
        };
        self.0.push(Case {
            id: format!("verify.{id}"),
            group: "verify",
            title: title.to_owned(),
            grounding,
            request,
            expect,
            fixture: None,
            repeat,
        });
    }
}

fn verify(time: i64, window: Option<u32>, digits: u32, code: &str) -> Request {
    Request {
        kind: Kind::Verify {
            period: 30,
            t0: 0,
            time,
            window,
            code: code.to_owned(),
        },
        algorithm: Algorithm::Sha1,
        digits,
        encoding: KeyEncoding::Hex,
        key: hex(K20),
    }
}

#[derive(Debug, Clone, Copy)]
enum Accept {
    Code,
    CodeOrReject,
    Reject,
}

fn totp(
    alg: Algorithm,
    digits: u32,
    period: u64,
    t0: u64,
    time: i64,
    encoding: KeyEncoding,
    key: &str,
) -> Request {
    Request {
        kind: Kind::Totp { period, t0, time },
        algorithm: alg,
        digits,
        encoding,
        key: key.to_owned(),
    }
}

fn hotp(alg: Algorithm, digits: u32, counter: u64, encoding: KeyEncoding, key: &str) -> Request {
    Request {
        kind: Kind::Hotp { counter },
        algorithm: alg,
        digits,
        encoding,
        key: key.to_owned(),
    }
}

/// The fixed cases: the RFC vectors and the cases that separate implementations.
#[must_use]
pub fn fixed() -> Vec<Case> {
    use Accept::{Code, CodeOrReject, Reject};
    use Algorithm::{Sha1, Sha256, Sha512};
    use KeyEncoding::{Base32, Hex};
    let k20 = hex(K20);
    let mut c = Cases(Vec::new());

    // 1. RFC 4226 Appendix D, as fixtures/rfc4226.yaml holds it.
    let d = super::vectors::rfc4226();
    let hotp_key = hex(d.secret.ascii.as_bytes());
    for v in &d.vectors {
        let counter = v.count;
        c.add(
            format!("c{counter}"),
            "rfc4226",
            format!("HOTP, counter {counter}"),
            "RFC 4226 App. D",
            hotp(Sha1, 6, counter, Hex, &hotp_key),
            Code,
            Some(&v.hotp),
        );
    }
    // 2. RFC 6238 Appendix B, with errata 2866's seeds per algorithm, as
    // fixtures/rfc6238.yaml holds it.
    let b = super::vectors::rfc6238();
    for v in &b.vectors {
        let (alg, name) = match v.algorithm.as_str() {
            "SHA1" => (Sha1, "sha1"),
            "SHA256" => (Sha256, "sha256"),
            "SHA512" => (Sha512, "sha512"),
            other => panic!("fixtures/rfc6238.yaml: unknown algorithm {other}"),
        };
        let key = b
            .seeds
            .get(&v.algorithm)
            .map(|s| hex(s.ascii.as_bytes()))
            .unwrap_or_else(|| panic!("fixtures/rfc6238.yaml: no seed for {}", v.algorithm));
        let time = v.time;
        c.add(
            format!("{name}.t{time}"),
            "rfc6238",
            format!("TOTP {name}, T={time}"),
            "RFC 6238 App. B, errata 2866",
            totp(alg, 8, 30, 0, time, Hex, &key),
            Code,
            Some(&v.code_8),
        );
    }
    // 3. The 20-byte key with SHA-256/512 is used as it is, never repeated to the digest size.
    c.add(
        "sha256",
        "key",
        "SHA-256 with a 20-byte key: no repeating to 32 bytes",
        "RFC 2104 §2",
        totp(Sha256, 8, 30, 0, 59, Hex, &k20),
        Code,
        Some("32247374"),
    );
    c.add(
        "sha512",
        "key",
        "SHA-512 with a 20-byte key: no repeating to 64 bytes",
        "RFC 2104 §2",
        totp(Sha512, 8, 30, 0, 59, Hex, &k20),
        Code,
        Some("69342147"),
    );
    // 4. A key shorter than 128 bits: RFC 4226 R6 lets an implementation refuse it.
    c.add(
        "short_base32",
        "key",
        "a 5-byte key (JBSWY3DP)",
        "RFC 4226 R6",
        totp(Sha1, 6, 30, 0, 59, Base32, "JBSWY3DP"),
        CodeOrReject,
        Some("409098"),
    );
    c.add(
        "short_hex",
        "key",
        "a 5-byte key given as bytes",
        "RFC 4226 R6",
        totp(Sha1, 6, 30, 0, 59, Hex, &hex(b"Hello")),
        CodeOrReject,
        None,
    );
    // 5. A key longer than the hash's block is hashed first.
    let long100: Vec<u8> = (0..100).collect();
    let long200: Vec<u8> = (0..200).collect();
    c.add(
        "long_sha1",
        "key",
        "a 100-byte key with SHA-1 (hashed, not cut to 64 bytes)",
        "RFC 2104 §2",
        totp(Sha1, 6, 30, 0, 59, Hex, &hex(&long100)),
        Code,
        Some("695482"),
    );
    c.add(
        "long_sha512",
        "key",
        "a 200-byte key with SHA-512",
        "RFC 2104 §2",
        totp(Sha512, 8, 30, 0, 59, Hex, &hex(&long200)),
        Code,
        Some("87518001"),
    );
    // 6–8. Base32 as users write it.
    c.add(
        "unpadded",
        "base32",
        "an unpadded key (as the Key Uri Format writes it)",
        "RFC 4648 §3.2, Key Uri Format",
        totp(
            Sha1,
            6,
            30,
            0,
            1_612_380_872,
            Base32,
            "S46SQCPPTCNPROMHWYBDCTBZXV",
        ),
        Code,
        Some("100172"),
    );
    c.add(
        "lowercase",
        "base32",
        "the key in lower case",
        "RFC 4648 §3.3",
        totp(
            Sha1,
            8,
            30,
            0,
            59,
            Base32,
            "gezdgnbvgy3tqojqgezdgnbvgy3tqojq",
        ),
        CodeOrReject,
        Some("94287082"),
    );
    c.add(
        "padded",
        "base32",
        "a key with `=` padding",
        "RFC 4648 §6",
        totp(
            Sha1,
            6,
            30,
            0,
            1_612_380_872,
            Base32,
            "S46SQCPPTCNPROMHWYBDCTBZXV======",
        ),
        CodeOrReject,
        Some("100172"),
    );
    c.add(
        "spaces",
        "base32",
        "the key in groups of four",
        "RFC 4648 §3.3",
        totp(
            Sha1,
            8,
            30,
            0,
            59,
            Base32,
            "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ",
        ),
        CodeOrReject,
        Some("94287082"),
    );
    c.add(
        "invalid",
        "base32",
        "a key with 0, 1, 8 and 9 (not Base32)",
        "RFC 4648 §3.3",
        totp(Sha1, 6, 30, 0, 59, Base32, "GEZDGNBV01890000"),
        Reject,
        None,
    );
    // 9. Leading zeros.
    c.add(
        "totp",
        "zeros",
        "a code with a leading zero",
        "RFC 4226 App. C",
        totp(Sha1, 6, 30, 0, 1_111_111_109, Hex, &k20),
        Code,
        Some("081804"),
    );
    c.add(
        "hotp",
        "zeros",
        "a code with two leading zeros",
        "RFC 4226 App. C",
        hotp(Sha1, 6, 45_187_109, Base32, "R5MB5FAQNX5UIPWL"),
        Code,
        Some("002941"),
    );
    // 11–13. Digits.
    c.add(
        "d7",
        "digits",
        "7 digits",
        "RFC 4226 §5.3",
        totp(Sha1, 7, 30, 0, 59, Hex, &k20),
        Code,
        Some("4287082"),
    );
    c.add(
        "d9",
        "digits",
        "9 digits (beyond the RFC's 6–8: refusing is fine)",
        "RFC 4226 §5.3",
        totp(Sha1, 9, 30, 0, 59, Hex, &k20),
        CodeOrReject,
        Some("094287082"),
    );
    c.add(
        "d10",
        "digits",
        "10 digits",
        "RFC 4226 §5.3",
        totp(Sha1, 10, 30, 0, 59, Hex, &k20),
        CodeOrReject,
        Some("1094287082"),
    );
    c.add(
        "d10_hotp",
        "digits",
        "10 digits, HOTP counter 0",
        "RFC 4226 §5.3",
        hotp(Sha1, 10, 0, Hex, &k20),
        CodeOrReject,
        Some("1284755224"),
    );
    for d in [0, 5, 11] {
        c.add(
            format!("d{d}"),
            "digits",
            format!("{d} digits: no such code"),
            "RFC 4226 §5.3",
            totp(Sha1, d, 30, 0, 59, Hex, &k20),
            Reject,
            None,
        );
    }
    // 14–17. Time.
    c.add(
        "t29",
        "time",
        "the last second of step 0",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 0, 29, Hex, &k20),
        Code,
        Some("84755224"),
    );
    c.add(
        "t30",
        "time",
        "the first second of step 1 (floor, not round)",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 0, 30, Hex, &k20),
        Code,
        Some("94287082"),
    );
    c.add(
        "p60_t59",
        "time",
        "period 60, T=59",
        "RFC 6238 §4.1",
        totp(Sha1, 8, 60, 0, 59, Hex, &k20),
        Code,
        Some("84755224"),
    );
    c.add(
        "p60_t119",
        "time",
        "period 60, T=119",
        "RFC 6238 §4.1",
        totp(Sha1, 8, 60, 0, 119, Hex, &k20),
        Code,
        Some("94287082"),
    );
    c.add(
        "p300",
        "time",
        "period 300, T=599 (not the recommended 30: refusing is fine)",
        "RFC 6238 §5.2",
        totp(Sha1, 8, 300, 0, 599, Hex, &k20),
        CodeOrReject,
        Some("94287082"),
    );
    c.add(
        "p0",
        "time",
        "period 0: no step",
        "RFC 6238 §4.1",
        totp(Sha1, 6, 0, 0, 59, Hex, &k20),
        Reject,
        None,
    );
    c.add(
        "t0_44",
        "time",
        "T0=15, T=44",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 15, 44, Hex, &k20),
        CodeOrReject,
        Some("84755224"),
    );
    c.add(
        "t0_45",
        "time",
        "T0=15, T=45",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 15, 45, Hex, &k20),
        CodeOrReject,
        Some("94287082"),
    );
    c.add(
        "y2038",
        "time",
        "T=2^31 (past 32-bit signed time)",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 0, 1 << 31, Hex, &k20),
        Code,
        Some("24703886"),
    );
    c.add(
        "y2106",
        "time",
        "T=2^32",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 0, 1 << 32, Hex, &k20),
        Code,
        Some("59791428"),
    );
    c.add(
        "negative",
        "time",
        "T=-1, before the epoch: no step",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 0, -1, Hex, &k20),
        Reject,
        None,
    );
    c.add(
        "dst_zone",
        "time",
        "T=1730615400 (a DST change in New York): no local time",
        "RFC 6238 §4.1",
        totp(Sha1, 6, 30, 0, 1_730_615_400, Hex, &k20),
        Code,
        Some("066758"),
    );
    // 18–19. Big counters.
    c.add(
        "c2_32",
        "counter",
        "HOTP counter 2^32",
        "RFC 4226 §5.2",
        hotp(Sha1, 6, 1 << 32, Hex, &k20),
        Code,
        Some("999456"),
    );
    c.add(
        "t_c2_32",
        "counter",
        "TOTP whose step is 2^32",
        "RFC 4226 §5.2",
        totp(Sha1, 8, 30, 0, 128_849_018_895, Hex, &k20),
        Code,
        Some("55999456"),
    );
    c.add(
        "c2_53",
        "counter",
        "HOTP counter 2^53+1 (past a double's integers)",
        "RFC 4226 §5.2",
        hotp(Sha1, 6, (1 << 53) + 1, Hex, &k20),
        CodeOrReject,
        Some("354518"),
    );
    c.add(
        "c_max",
        "counter",
        "HOTP counter 2^64-1",
        "RFC 4226 §5.2",
        hotp(Sha1, 6, u64::MAX, Hex, &k20),
        CodeOrReject,
        Some("094451"),
    );
    verify_cases(&mut c);
    c.0
}

/// Research cases 10 and 21–23: what a verifier takes. The codes are the RFC 6238 key's
/// (K20): `94287082` is step 1's, `84755224` step 0's, `37359152` step 2's, `081804` the
/// code at T=1111111109, and `094451` counter 2^64−1's.
fn verify_cases(c: &mut Cases) {
    let (must, observe) = (true, false);
    let at_zero = 1_111_111_109;
    c.verify(
        "exact",
        "the current step's code",
        "RFC 6238 §5.2",
        verify(59, Some(0), 8, "94287082"),
        must,
        false,
    );
    c.verify(
        "leading_zero",
        "a code with its leading zero",
        "RFC 4226 §5.3",
        verify(at_zero, Some(0), 6, "081804"),
        must,
        false,
    );
    c.verify(
        "zero_dropped",
        "the same code without its leading zero (81804)",
        "RFC 4226 §5.3",
        verify(at_zero, Some(0), 6, "81804"),
        must,
        false,
    );
    c.verify(
        "space",
        "the code after a space (` 081804`)",
        "RFC 4226 §5.3",
        verify(at_zero, Some(0), 6, " 081804"),
        observe,
        false,
    );
    c.verify(
        "fullwidth",
        "the code in full-width digits (０８１８０４)",
        "RFC 4226 §5.3",
        verify(
            at_zero,
            Some(0),
            6,
            "\u{ff10}\u{ff18}\u{ff11}\u{ff18}\u{ff10}\u{ff14}",
        ),
        observe,
        false,
    );
    c.verify(
        "behind",
        "window 1: the previous step's code",
        "RFC 6238 §5.2",
        verify(59, Some(1), 8, "84755224"),
        must,
        false,
    );
    c.verify(
        "ahead",
        "window 1: the next step's code",
        "RFC 6238 §5.2",
        verify(29, Some(1), 8, "94287082"),
        must,
        false,
    );
    c.verify(
        "behind2",
        "window 1: the code of two steps before",
        "RFC 6238 §5.2",
        verify(89, Some(1), 8, "84755224"),
        must,
        false,
    );
    c.verify(
        "ahead2",
        "window 1: the code of two steps after",
        "RFC 6238 §5.2",
        verify(29, Some(1), 8, "37359152"),
        must,
        false,
    );
    c.verify(
        "step0",
        "window 1 at step 0: step 0's own code",
        "RFC 6238 §5.2",
        verify(10, Some(1), 8, "84755224"),
        must,
        false,
    );
    c.verify(
        "wrap",
        "window 1 at step 0: counter 2^64−1's code (no wraparound)",
        "RFC 6238 §4.2, pquerna/otp #97",
        verify(10, Some(1), 6, "094451"),
        must,
        false,
    );
    c.verify(
        "default_now",
        "the default window: the current step's code",
        "RFC 6238 §5.2",
        verify(59, None, 8, "94287082"),
        must,
        false,
    );
    c.verify(
        "default_behind",
        "the default window: the previous step's code",
        "RFC 6238 §5.2",
        verify(59, None, 8, "84755224"),
        observe,
        false,
    );
    c.verify(
        "default_ahead",
        "the default window: the next step's code",
        "RFC 6238 §5.2",
        verify(29, None, 8, "94287082"),
        observe,
        false,
    );
    c.verify(
        "replay",
        "the same code a second time in its step",
        "RFC 6238 §5.2",
        verify(59, Some(0), 8, "94287082"),
        observe,
        true,
    );
}

/// `n` random cases (seeded): algorithms, digits 6–8, periods, times and keys of 10–64
/// bytes; half the keys in Base32 as mfaspec writes it. The core computes each expectation.
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
        let (encoding, text) = if rng.random_bool(0.5) {
            (KeyEncoding::Hex, hex(&key))
        } else {
            (KeyEncoding::Base32, Secret::from_bytes(&key).to_base32())
        };
        let request = if rng.random_bool(0.8) {
            // Periods deployments use: 30 s mostly, 60 s, and any up to two minutes.
            let period = [30, 30, 30, 60, rng.random_range(1..=120)][rng.random_range(0..5)];
            let time = rng.random_range(0..(1i64 << 34));
            totp(alg, digits, period, 0, time, encoding, &text)
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
            Accept::Code,
            None,
        );
    }
    c.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The research's and the RFCs' printed values agree with the core — the core is what the
    /// catalogue expects, so this is the core's test, not the catalogue's source.
    #[test]
    fn the_core_reproduces_every_published_value() {
        let cases = fixed();
        assert!(cases.len() >= 60, "{}", cases.len());
        for case in &cases {
            if let Some(fixture) = &case.fixture {
                let computed = match &case.expect {
                    Expect::Code(c) | Expect::CodeOrReject(c) => c.as_str(),
                    other => panic!("{}: a fixture but {other:?}", case.id),
                };
                assert_eq!(computed, fixture, "{}", case.id);
            }
        }
        let mut ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), cases.len(), "ids are unique");
    }

    /// The verdicts the core computes for the verify cases are the ones worked out by hand
    /// from RFC 6238 §5.2 (the step codes: 0 → 84755224, 1 → 94287082, 2 → 37359152).
    #[test]
    fn verify_cases_expect_the_verdicts_worked_out_by_hand() {
        let cases = fixed();
        let expect = |id: &str| {
            cases
                .iter()
                .find(|c| c.id == format!("verify.{id}"))
                .unwrap_or_else(|| panic!("no verify.{id}"))
                .expect
                .clone()
        };
        for id in [
            "exact",
            "leading_zero",
            "behind",
            "ahead",
            "step0",
            "default_now",
        ] {
            assert_eq!(expect(id), Expect::Accept, "{id}");
        }
        for id in ["zero_dropped", "behind2", "ahead2", "wrap"] {
            assert_eq!(expect(id), Expect::Refuse, "{id}");
        }
        for id in [
            "space",
            "fullwidth",
            "default_behind",
            "default_ahead",
            "replay",
        ] {
            assert_eq!(expect(id), Expect::Observe, "{id}");
        }
        assert!(cases.iter().any(|c| c.repeat && c.id == "verify.replay"));
        // The window's edge, and no wraparound below step 0.
        let at = |time, window, code: &str| reference_verdict(&verify(time, Some(window), 8, code));
        assert_eq!(at(89, 2, "84755224"), Some(true));
        assert_eq!(at(89, 1, "84755224"), Some(false));
        assert_eq!(at(-1, 1, "84755224"), None);
        assert_eq!(reference_verdict(&verify(59, None, 8, "94287082")), None);
    }

    #[test]
    fn random_cases_are_seeded_and_computed_by_the_core() {
        let a = random(50, 7);
        let b = random(50, 7);
        assert_eq!(a.len(), 50);
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.request, y.request);
            assert_eq!(Some(x.expect.clone()), Some(y.expect.clone()));
        }
        assert!(a.iter().any(|c| c.request.encoding == KeyEncoding::Base32));
    }
}
