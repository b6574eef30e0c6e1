//! Property tests: our codes equal the peers', both SHA-1 backends agree (one code, a window, a batch of users), Base32 and key
//! URIs round-trip, verification accepts exactly the steps inside the window, and every
//! code is exactly `digits` characters wide.

use mfaspec::totp::{
    Algorithm, Backend, Code, Digits, Hotp, KeyUri, OtpKind, Secret, Totp, TotpParams, Window,
};
use proptest::prelude::*;

use crate::support::peers::{Implementation, Mfaspec, TotpLite, TotpRs};

fn algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![
        Just(Algorithm::Sha1),
        Just(Algorithm::Sha256),
        Just(Algorithm::Sha512)
    ]
}

fn digits() -> impl Strategy<Value = Digits> {
    (6u32..=8).prop_map(|d| Digits::new(d).unwrap())
}

fn key() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(any::<u8>(), 1..=128)
}

fn params() -> impl Strategy<Value = TotpParams> {
    (algorithm(), digits(), 1u64..=300).prop_map(|(algorithm, digits, period)| TotpParams {
        algorithm,
        digits,
        period,
        t0: 0,
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Random secrets of 1–128 bytes (both sides of every block size), any time, digits and
    /// algorithm: the same code as totp-rs and totp-lite.
    #[test]
    fn codes_equal_totp_rs_and_totp_lite(key in key(), time in any::<u64>(), p in params()) {
        let d = p.digits.get();
        let ours = Mfaspec(Backend::Detect).totp(p.algorithm, &key, d, p.period, time);
        prop_assert_eq!(&ours, &TotpRs.totp(p.algorithm, &key, d, p.period, time));
        prop_assert_eq!(&ours, &TotpLite.totp(p.algorithm, &key, d, p.period, time));
    }

    /// The fused SHA-NI kernels (where the CPU has them) and the portable path agree, one
    /// code at a time and several interleaved.
    #[test]
    fn backends_agree(key in key(), counter in any::<u64>(), d in digits(), a in algorithm()) {
        let secret = Secret::from_bytes(&key);
        let fused = Hotp::with_backend(a, &secret, d, Backend::Detect);
        let portable = Hotp::with_backend(a, &secret, d, Backend::Portable);
        prop_assert_eq!(fused.code(counter), portable.code(counter));
        let counters = [counter, counter.wrapping_add(1), counter.wrapping_sub(7)];
        prop_assert_eq!(fused.codes(counters), counters.map(|c| portable.code(c)));
        let pair = [counter.rotate_left(17), counter];
        prop_assert_eq!(fused.codes(pair), pair.map(|c| portable.code(c)));
    }

    /// A batch of different users' generators — each its own key, digits and counter, the
    /// algorithms the same (the interleaved kernels) or mixed (one at a time) — gives each the
    /// code it gives alone on the portable path.
    #[test]
    fn batches_of_different_keys_agree_with_one_code_each(
        keys in proptest::collection::vec(key(), 4),
        counters in proptest::array::uniform4(any::<u64>()),
        d in proptest::array::uniform4(digits()),
        a in proptest::array::uniform4(algorithm()),
        same in any::<bool>(),
    ) {
        let algorithms = if same { [a[0]; 4] } else { a };
        let fused: Vec<Hotp> = (0..4)
            .map(|i| Hotp::with_backend(algorithms[i], &Secret::from_bytes(&keys[i]), d[i], Backend::Detect))
            .collect();
        let portable: Vec<Hotp> = (0..4)
            .map(|i| Hotp::with_backend(algorithms[i], &Secret::from_bytes(&keys[i]), d[i], Backend::Portable))
            .collect();
        let alone: Vec<Code> = (0..4).map(|i| portable[i].code(counters[i])).collect();
        let batch = Hotp::batch([&fused[0], &fused[1], &fused[2], &fused[3]], counters);
        prop_assert_eq!(batch.to_vec(), alone.clone());
        let pair = Hotp::batch([&fused[3], &fused[0]], [counters[3], counters[0]]);
        prop_assert_eq!(pair.to_vec(), vec![alone[3], alone[0]]);
    }

    /// `Totp::batch_at` is each generator's `code_at`, each with its own period and `T0`;
    /// a time before any one's `T0` is that generator's error.
    #[test]
    fn totp_batches_are_each_generators_code(
        keys in proptest::collection::vec(key(), 3),
        p in proptest::array::uniform3(params()),
        time in any::<u64>(),
    ) {
        let totps: Vec<Totp> = (0..3)
            .map(|i| Totp::new(&Secret::from_bytes(&keys[i]), p[i]).unwrap())
            .collect();
        let batch = Totp::batch_at([&totps[0], &totps[1], &totps[2]], time).unwrap();
        for (i, code) in batch.iter().enumerate() {
            prop_assert_eq!(*code, totps[i].code_at(time).unwrap());
        }
        let late = TotpParams { t0: time.saturating_add(1), ..p[1] };
        let late = Totp::new(&Secret::from_bytes(&keys[1]), late).unwrap();
        if time < u64::MAX {
            prop_assert!(Totp::batch_at([&totps[0], &late], time).is_err());
        }
    }

    /// Every code is exactly `digits` ASCII digits, and reads back as itself.
    #[test]
    fn every_code_has_exactly_digits_characters(key in key(), time in any::<u64>(), p in params()) {
        let code = Totp::new(&Secret::from_bytes(&key), p).unwrap().code_at(time).unwrap();
        let text = code.to_string();
        prop_assert_eq!(text.len(), usize::from(p.digits.get()));
        prop_assert!(text.bytes().all(|b| b.is_ascii_digit()));
        prop_assert_eq!(Code::parse(&text, p.digits).unwrap(), code);
    }

    /// Bytes → Base32 → bytes, also as an app's user types it: lower case, grouped with
    /// spaces or hyphens, with `=` padding.
    #[test]
    fn base32_round_trips(key in key(), lower in any::<bool>(), group in 0usize..6, pad in any::<bool>()) {
        let secret = Secret::from_bytes(&key);
        let text = secret.to_base32();
        prop_assert!(text.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        prop_assert_eq!(Secret::from_base32(&text).unwrap().expose_bytes().to_vec(), key.clone());

        let mut typed: String = if lower { text.to_ascii_lowercase() } else { text.clone() };
        if group > 0 {
            let sep = if group % 2 == 0 { " " } else { "-" };
            typed = typed.as_bytes().chunks(group + 2).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(sep);
        }
        if pad {
            typed.push_str(&"=".repeat((8 - text.len() % 8) % 8));
        }
        prop_assert_eq!(Secret::from_base32(&typed).unwrap().expose_bytes().to_vec(), key);
    }

    /// A key URI survives to_uri_string → parse, whatever the names hold (but colons).
    #[test]
    fn key_uri_round_trips(
        key in key(),
        account in "[^:]{1,24}",
        issuer in proptest::option::of("[^:]{1,24}"),
        p in params(),
        hotp in proptest::option::of(any::<u64>()),
    ) {
        let original = KeyUri {
            kind: match hotp { Some(counter) => OtpKind::Hotp { counter }, None => OtpKind::Totp { period: p.period } },
            issuer,
            account,
            secret: Secret::from_bytes(&key),
            algorithm: p.algorithm,
            digits: p.digits,
        };
        prop_assume!(!original.account.trim_start().is_empty() && original.account.trim_start() == original.account);
        let text = original.to_uri_string().unwrap();
        prop_assert!(text.starts_with("otpauth://"));
        prop_assert!(!text.contains(' '));
        prop_assert_eq!(KeyUri::parse(&text).unwrap(), original);
    }

    /// The code of step `current + d` is accepted exactly when `d` lies in the window (or
    /// when it happens to equal the code of a step that does), and the match names a step
    /// inside the window whose code it is.
    #[test]
    fn verification_accepts_exactly_the_window(
        key in key(),
        step in 10u64..u64::MAX / 400,
        into_step in 0u64..30,
        behind in 0u32..4,
        ahead in 0u32..4,
        d in -6i64..=6,
        backend in prop_oneof![Just(Backend::Detect), Just(Backend::Portable)],
    ) {
        let totp = Totp::with_backend(&Secret::from_bytes(&key), TotpParams::default(), backend).unwrap();
        let now = step * 30 + into_step;
        let window = Window { behind, ahead };
        let presented = totp.code_for_step(step.checked_add_signed(d).unwrap());
        let in_window = |o: i64| -i64::from(behind) <= o && o <= i64::from(ahead);
        let expected = (-6i64..=6).filter(|&o| in_window(o))
            .any(|o| totp.code_for_step(step.checked_add_signed(o).unwrap()) == presented);
        prop_assert!(!in_window(d) || expected);
        let matched = totp.verify(&presented, now, window).unwrap();
        prop_assert_eq!(matched.is_some(), expected);
        if let Some(m) = matched {
            prop_assert!(in_window(m.offset));
            prop_assert_eq!(m.step, step.checked_add_signed(m.offset).unwrap());
            prop_assert_eq!(totp.code_for_step(m.step), presented);
        }
    }
}
