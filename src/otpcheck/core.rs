//! The in-process side of the adapters' contract: the [`Implementation`] trait (Rust crates,
//! called directly), mfaspec's own core behind it ([`Core`]), and [`serve`], which answers
//! otp-line/1 on a reader and a writer for any implementation (`mfaspec totp-adapter`).
//!
//! Owns: the trait and the core's adapter. Uses: [`super::protocol`], [`crate::totp`].

use std::collections::HashMap;
use std::io::{BufRead, Write};

use crate::totp::{Code, Digits, Hotp, Secret, Totp, TotpParams, Window};

use super::protocol::{self, Answer, KeyEncoding, Kind, Request};

/// An implementation called in-process.
pub trait Implementation {
    /// Answers one request. Never panics for a request it cannot serve: it refuses
    /// ([`Answer::Reject`]) or says it cannot take it ([`Answer::Unsupported`]).
    fn answer(&mut self, request: &Request) -> Answer;

    /// Switches between one generator per distinct key and parameters (`true`) and a new one
    /// per request (`false`, the default). `Err` says why the implementation cannot.
    fn reuse(&mut self, reuse: bool) -> Result<(), String> {
        if reuse {
            Err("no instance to reuse".into())
        } else {
            Ok(())
        }
    }
}

/// mfaspec's own core as an [`Implementation`]: [`crate::totp::Hotp`] with its policy —
/// 6, 7 or 8 digits, a period of at least a second, no time before `T0`, Base32 read as
/// authenticator apps read it — and [`Totp::verify`] for `verify`: exactly the digits asked
/// for, ASCII only, the default window Cognito's (±1 step), no state between requests.
#[derive(Default)]
pub struct Core {
    reuse: bool,
    /// By algorithm, digits, encoding and the key as written: a cached generator is found
    /// without decoding the key again.
    generators: HashMap<(u8, u8, bool, String), Hotp>,
}

impl Core {
    fn key(request: &Request) -> Result<Secret, String> {
        match request.encoding {
            KeyEncoding::Hex => protocol::unhex(&request.key)
                .map(|bytes| Secret::from_bytes(&bytes))
                .ok_or_else(|| "the key is not hex".to_owned()),
            KeyEncoding::Base32 => Secret::from_base32(&request.key).map_err(|e| e.to_string()),
        }
    }
}

impl Core {
    fn verify(request: &Request, digits: Digits) -> Answer {
        let Kind::Verify {
            period,
            t0,
            time,
            window,
            ref code,
        } = request.kind
        else {
            return Answer::Reject("not a verify request".into());
        };
        let totp = match Core::key(request).and_then(|secret| {
            let params = TotpParams {
                algorithm: request.algorithm,
                digits,
                period,
                t0,
            };
            Totp::new(&secret, params).map_err(|e| e.to_string())
        }) {
            Ok(totp) => totp,
            Err(e) => return Answer::Reject(e),
        };
        let Ok(time) = u64::try_from(time) else {
            return Answer::Reject(format!("time {time} lies before the epoch"));
        };
        // A candidate that is not `digits` ASCII digits is no code of any step.
        let Ok(code) = Code::parse(code, digits) else {
            return Answer::Code(protocol::REFUSE.into());
        };
        let window = window.map_or(Window::COGNITO, Window::symmetric);
        match totp.verify(&code, time, window) {
            Ok(Some(_)) => Answer::Code(protocol::ACCEPT.into()),
            Ok(None) => Answer::Code(protocol::REFUSE.into()),
            Err(e) => Answer::Reject(e.to_string()),
        }
    }
}

impl Implementation for Core {
    fn answer(&mut self, request: &Request) -> Answer {
        let digits = match Digits::new(request.digits) {
            Ok(d) => d,
            Err(e) => return Answer::Reject(e.to_string()),
        };
        let counter = match request.kind {
            Kind::Hotp { counter } => counter,
            Kind::Totp { period, t0, time } => {
                if period == 0 {
                    return Answer::Reject(crate::totp::TotpError::ZeroPeriod.to_string());
                }
                match u64::try_from(time).ok().and_then(|t| t.checked_sub(t0)) {
                    Some(elapsed) => elapsed / period,
                    None => {
                        return Answer::Reject(format!("time {time} lies before T0 = {t0}"));
                    }
                }
            }
            Kind::Verify { .. } => return Core::verify(request, digits),
        };
        let id = self.reuse.then(|| {
            (
                request.algorithm as u8,
                digits.get(),
                request.encoding == KeyEncoding::Base32,
                request.key.clone(),
            )
        });
        if let Some(hotp) = id.as_ref().and_then(|id| self.generators.get(id)) {
            return Answer::Code(hotp.code(counter).to_string());
        }
        let secret = match Core::key(request) {
            Ok(s) => s,
            Err(e) => return Answer::Reject(e),
        };
        let hotp = Hotp::new(request.algorithm, &secret, digits);
        let code = hotp.code(counter);
        if let Some(id) = id {
            self.generators.insert(id, hotp);
        }
        Answer::Code(code.to_string())
    }

    fn reuse(&mut self, reuse: bool) -> Result<(), String> {
        self.reuse = reuse;
        self.generators.clear();
        Ok(())
    }
}

/// Serves `implementation` over the protocol: a request per line of `input`, an answer per
/// line of `output`, flushed after each; until `input` ends.
pub fn serve(
    implementation: &mut dyn Implementation,
    input: impl BufRead,
    mut output: impl Write,
) -> std::io::Result<()> {
    let mut input = input;
    let mut buf = String::new();
    loop {
        buf.clear();
        if input.read_line(&mut buf)? == 0 {
            return Ok(());
        }
        let line = buf.trim_end_matches(['\n', '\r']);
        let answer = match line.split_once(' ') {
            Some(("mode", mode)) => match mode {
                "reuse" | "construct" => match implementation.reuse(mode == "reuse") {
                    Ok(()) => "ok".to_owned(),
                    Err(why) => Answer::Unsupported(why).line(),
                },
                _ => Answer::Reject(format!("unknown mode `{mode}`")).line(),
            },
            _ => match Request::parse(line) {
                Ok(request) => implementation.answer(&request).line(),
                Err(e) => Answer::Reject(format!("malformed request: {e}")).line(),
            },
        };
        writeln!(output, "{answer}")?;
        output.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otpcheck::{catalogue, model, run};

    #[test]
    fn the_core_passes_its_own_catalogue() {
        let mut cases = catalogue::fixed();
        cases.extend(catalogue::random(200, 1));
        let outcomes = run::in_process(&mut Core::default(), &cases);
        for (id, outcome) in &outcomes {
            assert!(outcome.conforms(), "{id}: {outcome:?}");
        }
        // Strict on what it is given: no space, no full-width digits; ±1 step by default;
        // no memory of codes between requests (replay protection is the caller's, §5.2).
        for (id, accepted) in [
            ("verify.space", false),
            ("verify.fullwidth", false),
            ("verify.default_behind", true),
            ("verify.default_ahead", true),
            ("verify.replay", true),
        ] {
            assert_eq!(
                outcomes[id],
                model::Outcome::Observed {
                    accepted,
                    reason: None
                },
                "{id}"
            );
        }
    }

    #[test]
    fn the_protocol_is_served_line_by_line() {
        let input = b"totp SHA1 8 30 0 59 hex 3132333435363738393031323334353637383930\nmode reuse\nhotp SHA1 6 0 base32 GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\nfrob\ntotp SHA1 6 0 0 59 hex 00\n";
        let mut out = Vec::new();
        serve(&mut Core::default(), &input[..], &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "ok 94287082");
        assert_eq!(lines[1], "ok");
        assert_eq!(lines[2], "ok 755224");
        assert!(lines[3].starts_with("reject malformed request"));
        assert!(lines[4].starts_with("reject "));
        assert_eq!(lines.len(), 5);
    }
}
