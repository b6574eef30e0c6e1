//! The fixed cases: the RFC vectors (read from `fixtures/`), the cases where real
//! implementations disagree, and the `verify` cases. A data table.
//!
//! Owns: the table. Uses: [`super::case`]'s builders, [`crate::otpcheck::vectors`].

use crate::otpcheck::protocol::KeyEncoding;
use crate::totp::Algorithm;

use super::case::{Accept, Case, Cases, hotp, totp, verify};
use super::reference::{K20, hex};

/// The fixed cases: the RFC vectors and the cases that separate implementations.
#[must_use]
pub fn fixed() -> Vec<Case> {
    use Accept::{Code, CodeOrReject, Reject};
    use Algorithm::{Sha1, Sha256, Sha512};
    use KeyEncoding::{Base32, Hex};
    let k20 = hex(K20);
    let mut c = Cases(Vec::new());

    // 1. RFC 4226 Appendix D, as fixtures/rfc4226.yaml holds it.
    let d = crate::otpcheck::vectors::rfc4226();
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
    let b = crate::otpcheck::vectors::rfc6238();
    for v in &b.vectors {
        let alg: Algorithm = v
            .algorithm
            .parse()
            .unwrap_or_else(|_| panic!("fixtures/rfc6238.yaml: unknown algorithm {}", v.algorithm));
        let name = v.algorithm.to_ascii_lowercase();
        let key = b
            .seeds
            .get(&v.algorithm)
            .map(|s| hex(s.ascii.as_bytes()))
            .unwrap_or_else(|| panic!("fixtures/rfc6238.yaml: no seed for {}", v.algorithm));
        let time = i64::try_from(v.time).expect("the RFC's times fit in an i64");
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
        CodeOrReject,
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
        "t0_big",
        "time",
        "T0=1000000000, T=1111111109 (T0 subtracted: step 3703703, not 37037036)",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 1_000_000_000, 1_111_111_109, Hex, &k20),
        CodeOrReject,
        None,
    );
    c.add(
        "before_t0",
        "time",
        "T0=60, T=59: before T0, no step",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 60, 59, Hex, &k20),
        Reject,
        None,
    );
    c.add(
        "p60_t45",
        "time",
        "period 60, T=45: three quarters of a step is still step 0 (floor, not round)",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 60, 0, 45, Hex, &k20),
        Code,
        None,
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
        "y2038_late",
        "time",
        "T=3000000000 (past 32-bit signed time, within unsigned)",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 0, 3_000_000_000, Hex, &k20),
        Code,
        None,
    );
    c.add(
        "y2106_late",
        "time",
        "T=5000000000 (past 32-bit unsigned time)",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 0, 5_000_000_000, Hex, &k20),
        Code,
        None,
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
        "negative_step",
        "time",
        "T=-30, a whole step before the epoch: no step",
        "RFC 6238 §4.2",
        totp(Sha1, 8, 30, 0, -30, Hex, &k20),
        Reject,
        None,
    );
    c.add(
        "negative_far",
        "time",
        "T=-1000000000: no step",
        "RFC 6238 §4.2",
        totp(Sha1, 6, 30, 0, -1_000_000_000, Hex, &k20),
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
        "c2_32_plus1",
        "counter",
        "HOTP counter 2^32+1",
        "RFC 4226 §5.2",
        hotp(Sha1, 6, (1 << 32) + 1, Hex, &k20),
        Code,
        None,
    );
    c.add(
        "t_c2_32_plus",
        "counter",
        "TOTP whose step is 2^32+12345 (T=128849389237)",
        "RFC 4226 §5.2",
        totp(Sha1, 8, 30, 0, ((1 << 32) + 12_345) * 30 + 7, Hex, &k20),
        Code,
        None,
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
    for case in &mut c.0 {
        if let Some((_, why)) = CHOICES.iter().find(|(id, _)| *id == case.id) {
            case.choice = Some(why);
        }
    }
    c.0
}

/// Why a refusal conforms, for the cases the RFCs let an implementation refuse (short keys
/// say it themselves).
const CHOICES: &[(&str, &str)] = &[
    (
        "base32.lowercase",
        "lower case is outside RFC 4648's alphabet (§3.3): refusing it conforms, and so does reading it as upper case",
    ),
    (
        "base32.padded",
        "the Key Uri Format leaves padding out: refusing `=` is a choice",
    ),
    (
        "base32.spaces",
        "spaces are outside RFC 4648's alphabet (§3.3): refusing them conforms, and so does skipping them",
    ),
    (
        "digits.d7",
        "RFC 4226 §5.3: 6 digits at a minimum, \"and possibly 7 and 8\" (8 are RFC 6238's own vectors)",
    ),
    (
        "digits.d9",
        "RFC 4226 §5.3 asks for 6 to 8 digits: more may be refused",
    ),
    (
        "digits.d10",
        "RFC 4226 §5.3 asks for 6 to 8 digits: more may be refused",
    ),
    (
        "digits.d10_hotp",
        "RFC 4226 §5.3 asks for 6 to 8 digits: more may be refused",
    ),
    (
        "time.p300",
        "RFC 6238 §5.2 recommends 30 seconds: other periods may be refused",
    ),
    (
        "time.t0_44",
        "T0 is a parameter an implementation need not offer (RFC 6238 §4.1)",
    ),
    (
        "time.t0_45",
        "T0 is a parameter an implementation need not offer (RFC 6238 §4.1)",
    ),
    (
        "time.t0_big",
        "T0 is a parameter an implementation need not offer (RFC 6238 §4.1)",
    ),
    (
        "counter.c2_53",
        "a counter past what the language's numbers hold may be refused, never wrapped",
    ),
    (
        "counter.c_max",
        "a counter past what the language's numbers hold may be refused, never wrapped",
    ),
];

/// Research cases 10 and 21–23: what a verifier takes. The codes are the RFC 6238 key's
/// (K20): `94287082` is step 1's, `84755224` step 0's, `37359152` step 2's, `081804` the
/// code at T=1111111109, and `094451` counter 2^64−1's.
pub(super) fn verify_cases(c: &mut Cases) {
    use Algorithm::Sha1;
    use KeyEncoding::Hex;
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
    // What a verifier must not take for the code: part of it, more than it, nothing, or
    // another string with the same number (RFC 4226 §5.3: the value is the Digit-long
    // decimal string; a match on less would cut the attacker's odds to 10^-len).
    for (id, title, time, digits, code) in [
        (
            "prefix4",
            "the first four digits only (0818 for 081804)",
            at_zero,
            6,
            "0818",
        ),
        (
            "prefix5",
            "the first five digits only (08180)",
            at_zero,
            6,
            "08180",
        ),
        (
            "prefix_8",
            "the first four of eight digits (9428 for 94287082)",
            59,
            8,
            "9428",
        ),
        ("empty", "an empty candidate", at_zero, 6, ""),
        (
            "extended",
            "the code and one digit more (0818041)",
            at_zero,
            6,
            "0818041",
        ),
        (
            "extended_8",
            "an 8-digit code and one digit more (942870821)",
            59,
            8,
            "942870821",
        ),
        (
            "plus",
            "the number with a `+` for its leading zero (+81804)",
            at_zero,
            6,
            "+81804",
        ),
        (
            "space_for_zero",
            "the number with a space for its leading zero (` 81804`)",
            at_zero,
            6,
            " 81804",
        ),
    ] {
        c.verify(
            id,
            title,
            "RFC 4226 §5.3",
            verify(time, Some(0), digits, code),
            must,
            false,
        );
    }
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
        "w0_behind",
        "window 0: the previous step's code",
        "RFC 6238 §5.2",
        verify(59, Some(0), 8, "84755224"),
        must,
        false,
    );
    c.verify(
        "w0_ahead",
        "window 0: the next step's code",
        "RFC 6238 §5.2",
        verify(29, Some(0), 8, "94287082"),
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
    let max_code = |digits| {
        super::reference::reference_code(&hotp(Sha1, digits, u64::MAX, Hex, &hex(K20)))
            .expect("counter 2^64-1 has a code")
    };
    c.verify(
        "wrap_8",
        "window 1 at step 0: counter 2^64−1's 8-digit code (no wraparound)",
        "RFC 6238 §4.2",
        verify(10, Some(1), 8, &max_code(8)),
        must,
        false,
    );
    c.verify(
        "wrap_w2",
        "window 2 at step 1: counter 2^64−1's code (no wraparound)",
        "RFC 6238 §4.2",
        verify(40, Some(2), 6, &max_code(6)),
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
