//! The RFCs' readings, computed by mfaspec's core: the code RFC 4226/6238 define for a
//! request, and the verdict RFC 6238 §5.2 gives a `verify`.
//!
//! Owns: the expectations' source. Uses: [`crate::totp`], the protocol's requests.

use crate::totp::{Digits, Hotp, Secret};

use crate::otpcheck::protocol::{KeyEncoding, Kind, Request, unhex};

/// RFC 4226's and RFC 6238's 20-byte key, `12345678901234567890`.
pub const K20: &[u8] = b"12345678901234567890";

pub(super) fn hex(bytes: &[u8]) -> String {
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
pub fn step(period: u64, t0: u64, time: i64) -> Option<u64> {
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
