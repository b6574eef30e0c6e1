//! Verification against a window of steps and the replay memory, on the Cognito tolerance
//! fixture of spec §7.3 (derived from RFC 4226 Appendix D).

use mfaspec::totp::{
    AlreadyUsed, Backend, Code, CodeError, Digits, Rejection, ReplayMemory, ReplayPolicy, Secret,
    StepMatch, Totp, TotpError, TotpParams, Window,
};

/// spec §7.3: SHA-1, 6 digits, 30 s; at unix time 59 (T = 1) the current code is 287082.
fn fixture(backend: Backend) -> Totp {
    let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
    Totp::with_backend(&secret, TotpParams::default(), backend).unwrap()
}

fn code(text: &str) -> Code {
    Code::parse(text, Digits::SIX).unwrap()
}

/// spec §7.3 / B1: previous, current and next step accepted; T = 3 and T = 9 refused.
#[test]
fn cognito_window_accepts_previous_current_and_next_step() {
    for backend in [Backend::Detect, Backend::Portable] {
        let totp = fixture(backend);
        let at = |c: &str| totp.verify(&code(c), 59, Window::COGNITO).unwrap();
        assert_eq!(at("287082"), Some(StepMatch { step: 1, offset: 0 }));
        assert_eq!(
            at("755224"),
            Some(StepMatch {
                step: 0,
                offset: -1
            })
        );
        assert_eq!(at("359152"), Some(StepMatch { step: 2, offset: 1 }));
        assert_eq!(at("969429"), None, "T = 3 is two steps ahead");
        assert_eq!(at("520489"), None, "T = 9");
    }
}

/// At T = 0 there is no previous step; the window still checks T = 0 and T = 1.
#[test]
fn window_at_the_first_step() {
    let totp = fixture(Backend::Detect);
    assert_eq!(
        totp.verify(&code("755224"), 0, Window::COGNITO).unwrap(),
        Some(StepMatch { step: 0, offset: 0 })
    );
    assert_eq!(
        totp.verify(&code("287082"), 29, Window::COGNITO).unwrap(),
        Some(StepMatch { step: 1, offset: 1 })
    );
}

#[test]
fn wider_and_one_sided_windows() {
    let totp = fixture(Backend::Detect);
    // At T = 5: T = 3 is two behind, T = 9 four ahead.
    let now = 5 * 30;
    assert_eq!(
        totp.verify(&code("969429"), now, Window::COGNITO).unwrap(),
        None
    );
    assert_eq!(
        totp.verify(&code("969429"), now, Window::symmetric(2))
            .unwrap(),
        Some(StepMatch {
            step: 3,
            offset: -2
        })
    );
    assert_eq!(
        totp.verify(
            &code("520489"),
            now,
            Window {
                behind: 0,
                ahead: 4
            }
        )
        .unwrap()
        .map(|m| m.offset),
        Some(4)
    );
    assert_eq!(
        totp.verify(
            &code("520489"),
            now,
            Window {
                behind: 4,
                ahead: 3
            }
        )
        .unwrap(),
        None
    );
    assert_eq!(
        totp.verify(&code("254676"), now, Window::EXACT)
            .unwrap()
            .map(|m| m.step),
        Some(5)
    );
}

/// B2: a code accepted once is refused the second time, even inside its window.
#[test]
fn replay_memory_refuses_a_code_already_used() {
    let totp = fixture(Backend::Detect);
    let mut memory = ReplayMemory::cognito();
    let first = totp.verify_once(&code("287082"), 59, Window::COGNITO, &mut memory);
    assert_eq!(first, Ok(StepMatch { step: 1, offset: 0 }));
    let again = totp.verify_once(&code("287082"), 61, Window::COGNITO, &mut memory);
    assert_eq!(again, Err(Rejection::AlreadyUsed(AlreadyUsed { step: 1 })));
    // An unused neighbouring step is still accepted under Cognito's observed rule (§9 Q2 open).
    let next = totp.verify_once(&code("755224"), 59, Window::COGNITO, &mut memory);
    assert_eq!(
        next,
        Ok(StepMatch {
            step: 0,
            offset: -1
        })
    );
    assert_eq!(
        totp.verify_once(&code("000000"), 59, Window::COGNITO, &mut memory),
        Err(Rejection::Mismatch)
    );
}

#[test]
fn monotonic_policy_refuses_earlier_steps_too() {
    let totp = fixture(Backend::Detect);
    let mut memory = ReplayMemory::new(Window::COGNITO, ReplayPolicy::Monotonic);
    assert!(
        totp.verify_once(&code("287082"), 59, Window::COGNITO, &mut memory)
            .is_ok()
    );
    assert_eq!(
        totp.verify_once(&code("755224"), 59, Window::COGNITO, &mut memory),
        Err(Rejection::AlreadyUsed(AlreadyUsed { step: 0 }))
    );
    assert!(
        totp.verify_once(&code("359152"), 59, Window::COGNITO, &mut memory)
            .is_ok()
    );
}

/// The memory forgets steps no window can reach, and keeps those it can.
#[test]
fn replay_memory_stays_small() {
    let mut memory = ReplayMemory::cognito();
    for step in 0..10_000 {
        memory.accept(step).unwrap();
    }
    assert!(memory.is_used(9_999) && memory.is_used(9_997));
    assert!(
        !memory.is_used(9_996),
        "three steps below the latest is out of any ±1 window"
    );
    assert_eq!(memory.latest(), Some(9_999));
}

#[test]
fn code_width_and_characters_are_checked() {
    assert_eq!(
        Code::parse("12345", Digits::SIX),
        Err(CodeError::WrongLength {
            expected: 6,
            found: 5
        })
    );
    assert_eq!(
        Code::parse("1234567", Digits::SIX),
        Err(CodeError::WrongLength {
            expected: 6,
            found: 7
        })
    );
    assert_eq!(
        Code::parse("12a456", Digits::SIX),
        Err(CodeError::NotADigit {
            character: 'a',
            position: 3
        })
    );
    assert_eq!(Code::parse("012345", Digits::SIX).unwrap().value(), 12_345);
    assert_eq!(Code::new(12_345, Digits::EIGHT).to_string(), "00012345");
    // Same value, other width: not the same code.
    assert_ne!(Code::new(1, Digits::SIX), Code::new(1, Digits::SEVEN));
}

#[test]
fn parameters_are_validated() {
    let secret = Secret::from_bytes(b"k");
    let params = TotpParams {
        period: 0,
        ..TotpParams::default()
    };
    assert_eq!(
        Totp::new(&secret, params).unwrap_err(),
        TotpError::ZeroPeriod
    );
    let params = TotpParams {
        t0: 100,
        ..TotpParams::default()
    };
    let totp = Totp::new(&secret, params).unwrap();
    assert_eq!(
        totp.code_at(99).unwrap_err(),
        TotpError::BeforeT0 { time: 99, t0: 100 }
    );
    assert_eq!(totp.step_at(100 + 59).unwrap(), 1);
    assert_eq!(totp.step_start(1), 130);
    assert!(Digits::new(5).is_err() && Digits::new(9).is_err());
}

/// Nothing of the key shows in `Debug`, in any form (the bytes, Base32, the keyed HMAC
/// states): two generators that differ only in their keys print the same.
#[test]
fn generator_debug_hides_the_key() {
    let one = Totp::cognito(&Secret::from_bytes(b"12345678901234567890"));
    let other = Totp::cognito(&Secret::from_bytes(b"another key, 20 byte"));
    let shown = format!("{one:?}");
    assert_eq!(
        shown,
        format!("{other:?}"),
        "Debug shows something of the key"
    );
    assert!(shown.contains("redacted"), "{shown}");
    assert_eq!(format!("{:?}", fixture(Backend::Detect)), shown);
}
