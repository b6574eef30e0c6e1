//! What a case is ([`Case`], [`Expect`]) and how the tables build them: [`Cases`] computes
//! each expectation with mfaspec's core as a case is added.
//!
//! Owns: the case model and its builders. Uses: [`super::reference`], the protocol's requests.

use crate::otpcheck::protocol::{KeyEncoding, Kind, Request, unhex};
use crate::totp::{Algorithm, Secret};

use super::reference::{K20, hex, reference_code, reference_verdict};

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
    /// For a case that may be refused: which choice the RFCs leave the implementation, so
    /// that the table says why a refusal is not a fault.
    pub choice: Option<&'static str>,
}

/// The choice RFC 4226 leaves an implementation for a key under 128 bits.
pub(super) const SHORT_KEY: &str = "RFC 4226 R6 lets an implementation refuse a key under 128 bits";

/// A case builder.
pub(super) struct Cases(pub(super) Vec<Case>);

impl Cases {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn add(
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
        let (accept, choice) = match accept {
            Accept::Code | Accept::CodeOrReject if short => (Accept::CodeOrReject, Some(SHORT_KEY)),
            other => (other, None),
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
            choice,
        });
    }

    /// A `verify` case, in the group `verify`: `must` cases expect the RFC's verdict (which
    /// the core computes), the others observe.
    pub(super) fn verify(
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
            choice: None,
        });
    }
}

pub(super) fn verify(time: i64, window: Option<u32>, digits: u32, code: &str) -> Request {
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
pub(super) enum Accept {
    Code,
    CodeOrReject,
    Reject,
}

pub(super) fn totp(
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

pub(super) fn hotp(
    alg: Algorithm,
    digits: u32,
    counter: u64,
    encoding: KeyEncoding,
    key: &str,
) -> Request {
    Request {
        kind: Kind::Hotp { counter },
        algorithm: alg,
        digits,
        encoding,
        key: key.to_owned(),
    }
}
