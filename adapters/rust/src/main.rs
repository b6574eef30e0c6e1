//! `rust-otp-adapter <crate>`: a Rust TOTP crate behind otp-line/1 (see ../README.md), on
//! stdin/stdout. Each crate is called the way its documentation shows a user calling it:
//!
//! - `totp-rs` 6.0.0: `Builder::new().with_algorithm(..).with_digits(..).with_step_duration(..)
//!   .with_secret(bytes).build()?.generate(time)` — `build()` is the checked constructor (RFC
//!   digits and key length). Base32 keys through its own `Secret::try_from_base32`. No T0, no
//!   HOTP: `unsupported`.
//! - `totp-lite` 2.0.1: `totp_custom::<Sha1|Sha256|Sha512>(step, digits, key, time)`. Raw keys
//!   only (it has no Base32 decoder), no T0, no HOTP: `unsupported`. No instance to reuse.
//! - `libreauth` 0.18.1: `TOTPBuilder::new().key(..)|.base32_key(..).hash_function(..)
//!   .output_len(..).period(..).initial_time(..).timestamp(..).finalize()?.generate()` and
//!   `HOTPBuilder` with `.counter(..)`. A period or time that does not fit its `u32`/`i64` is
//!   `unsupported`.
//!
//! `verify` goes to each crate's own verifier, the candidate passed as given:
//! - `totp-rs`: `Totp::check(token, time)`, the window as `.with_skew(w)`; `default` keeps the
//!   builder's skew, 1.
//! - `totp-lite`: no verifier, `unsupported`.
//! - `libreauth`: `TOTP::is_valid(code)`, the window as `.tolerance(w)`; `default` keeps the
//!   builder's tolerance, 0.

use std::collections::HashMap;
use std::io::{BufRead, Write};

/// One parsed request: (kind, algorithm, digits, period, t0, time-or-counter, encoding, key),
/// and for a `verify` the window (`None`: the crate's default) and the candidate.
struct Request<'a> {
    totp: bool,
    verify: Option<(Option<u64>, String)>,
    algorithm: &'a str,
    digits: u64,
    period: u64,
    t0: u64,
    time: i64,
    counter: u64,
    base32: bool,
    key: &'a str,
}

fn parse(line: &str) -> Option<Request<'_>> {
    let (kind, rest) = line.split_once(' ')?;
    let n = match kind {
        "totp" => 6,
        "hotp" => 4,
        "verify" => 8,
        _ => return None,
    };
    let f: Vec<&str> = rest.splitn(n + 1, ' ').collect();
    if f.len() < n {
        return None;
    }
    let key = f.get(n).copied().unwrap_or("");
    let enc = f[n - 1];
    if enc != "hex" && enc != "base32" {
        return None;
    }
    let totp = kind != "hotp";
    let verify = if kind == "verify" {
        let window = match f[5] {
            "default" => None,
            w => Some(w.parse().ok()?),
        };
        let code = String::from_utf8(unhex(f[6]).ok()?).ok()?;
        Some((window, code))
    } else {
        None
    };
    Some(Request {
        totp,
        verify,
        algorithm: f[0],
        digits: f[1].parse().ok()?,
        period: if totp { f[2].parse().ok()? } else { 0 },
        t0: if totp { f[3].parse().ok()? } else { 0 },
        time: if totp { f[4].parse().ok()? } else { 0 },
        counter: if totp { 0 } else { f[2].parse().ok()? },
        base32: enc == "base32",
        key,
    })
}

fn unhex(text: &str) -> Result<Vec<u8>, String> {
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the key is not hex".into());
    }
    Ok((0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap_or(0))
        .collect())
}

/// An answer line.
enum Answer {
    Ok(String),
    Reject(String),
    Unsupported(String),
}

fn totp_rs(r: &Request, cache: Option<&mut HashMap<String, totp_rs::Totp>>) -> Answer {
    use totp_rs::{Algorithm, Builder, Secret};
    if !r.totp {
        return Answer::Unsupported("HOTP (totp-rs is TOTP only)".into());
    }
    if r.t0 != 0 {
        return Answer::Unsupported("t0 (totp-rs has no T0)".into());
    }
    let Ok(time) = u64::try_from(r.time) else {
        return Answer::Unsupported("a negative time (totp-rs takes a u64)".into());
    };
    let build_with = |skew: Option<u16>| -> Result<totp_rs::Totp, String> {
        let algorithm = match r.algorithm {
            "SHA1" => Algorithm::SHA1,
            "SHA256" => Algorithm::SHA256,
            _ => Algorithm::SHA512,
        };
        let secret = if r.base32 {
            Secret::try_from_base32(r.key).map_err(|e| format!("{e:?}"))?
        } else {
            Secret::from(unhex(r.key)?)
        };
        let digits = u8::try_from(r.digits).map_err(|_| "digits do not fit a u8".to_owned())?;
        let builder = Builder::new()
            .with_algorithm(algorithm)
            .with_digits(digits)
            .with_step_duration(r.period)
            .with_secret(secret);
        match skew {
            Some(skew) => builder.with_skew(skew),
            None => builder,
        }
        .build()
        .map_err(|e| format!("{e:?}"))
    };
    let build = || build_with(None);
    if let Some((window, code)) = &r.verify {
        let totp = match window.map(u16::try_from) {
            None => build(),
            Some(Ok(w)) => build_with(Some(w)),
            Some(Err(_)) => return Answer::Unsupported("a window past totp-rs's u16 skew".into()),
        };
        return match totp {
            Ok(t) if t.check(code, time).is_some() => Answer::Ok("accept".into()),
            Ok(_) => Answer::Ok("refuse".into()),
            Err(e) => Answer::Reject(e),
        };
    }
    let id = format!("{} {} {} {}", r.algorithm, r.digits, r.period, r.key);
    let generated = match cache {
        Some(cache) => match cache.get(&id) {
            Some(t) => Ok(t.generate(time).to_string()),
            None => build().map(|t| {
                let code = t.generate(time).to_string();
                cache.insert(id, t);
                code
            }),
        },
        None => build().map(|t| t.generate(time).to_string()),
    };
    // A zero period panics inside `generate` (a division): report it as the crash it is.
    match generated {
        Ok(code) => Answer::Ok(code),
        Err(e) => Answer::Reject(e),
    }
}

fn totp_lite(r: &Request) -> Answer {
    if r.verify.is_some() {
        return Answer::Unsupported("verify (totp-lite has no verifier)".into());
    }
    if !r.totp {
        return Answer::Unsupported("HOTP (totp-lite is TOTP only)".into());
    }
    if r.t0 != 0 {
        return Answer::Unsupported("t0 (totp-lite has no T0)".into());
    }
    if r.base32 {
        return Answer::Unsupported("Base32 keys (totp-lite takes raw bytes)".into());
    }
    let Ok(time) = u64::try_from(r.time) else {
        return Answer::Unsupported("a negative time (totp-lite takes a u64)".into());
    };
    let Ok(digits) = u32::try_from(r.digits) else {
        return Answer::Unsupported("digits do not fit a u32".into());
    };
    let key = match unhex(r.key) {
        Ok(k) => k,
        Err(e) => return Answer::Reject(e),
    };
    let code = match r.algorithm {
        "SHA1" => totp_lite::totp_custom::<totp_lite::Sha1>(r.period, digits, &key, time),
        "SHA256" => totp_lite::totp_custom::<totp_lite::Sha256>(r.period, digits, &key, time),
        _ => totp_lite::totp_custom::<totp_lite::Sha512>(r.period, digits, &key, time),
    };
    Answer::Ok(code)
}

fn libreauth(r: &Request) -> Answer {
    use libreauth::hash::HashFunction;
    use libreauth::oath::{HOTPBuilder, TOTPBuilder};
    let hash = match r.algorithm {
        "SHA1" => HashFunction::Sha1,
        "SHA256" => HashFunction::Sha256,
        _ => HashFunction::Sha512,
    };
    let Ok(len) = usize::try_from(r.digits) else {
        return Answer::Unsupported("digits do not fit a usize".into());
    };
    let key = if r.base32 {
        None
    } else {
        match unhex(r.key) {
            Ok(k) => Some(k),
            Err(e) => return Answer::Reject(e),
        }
    };
    let result = if r.totp {
        let Ok(period) = u32::try_from(r.period) else {
            return Answer::Unsupported("a period that does not fit libreauth's u32".into());
        };
        let mut b = TOTPBuilder::new();
        match &key {
            Some(k) => b.key(k),
            None => b.base32_key(r.key),
        };
        b.hash_function(hash)
            .output_len(len)
            .period(period)
            .initial_time(r.t0)
            .timestamp(r.time);
        if let Some((Some(w), _)) = &r.verify {
            b.tolerance(*w);
        }
        match &r.verify {
            Some((_, code)) => b
                .finalize()
                .map(|t| if t.is_valid(code) { "accept" } else { "refuse" }.to_owned()),
            None => b.finalize().map(|t| t.generate()),
        }
    } else {
        let mut b = HOTPBuilder::new();
        match &key {
            Some(k) => b.key(k),
            None => b.base32_key(r.key),
        };
        b.hash_function(hash).output_len(len).counter(r.counter);
        b.finalize().map(|h| h.generate())
    };
    match result {
        Ok(code) => Answer::Ok(code),
        Err(e) => Answer::Reject(format!("{e:?}")),
    }
}

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    if !["totp-rs", "totp-lite", "libreauth"].contains(&which.as_str()) {
        eprintln!("usage: rust-otp-adapter totp-rs|totp-lite|libreauth");
        std::process::exit(2);
    }
    let mut reuse: Option<HashMap<String, totp_rs::Totp>> = None;
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let answer = if let Some(mode) = line.strip_prefix("mode ") {
            match (which.as_str(), mode) {
                (_, "construct") => {
                    reuse = None;
                    Answer::Ok(String::new())
                }
                ("totp-rs", "reuse") => {
                    reuse = Some(HashMap::new());
                    Answer::Ok(String::new())
                }
                (_, "reuse") => Answer::Unsupported("no instance to reuse".into()),
                _ => Answer::Reject(format!("unknown mode `{mode}`")),
            }
        } else {
            match parse(&line) {
                None => Answer::Reject("malformed request".into()),
                Some(r) => {
                    // A library that panics is a crash of the implementation, not of the
                    // adapter: the process dies and the runner says so.
                    match which.as_str() {
                        "totp-rs" => totp_rs(&r, reuse.as_mut()),
                        "totp-lite" => totp_lite(&r),
                        _ => libreauth(&r),
                    }
                }
            }
        };
        let text = match answer {
            Answer::Ok(c) if c.is_empty() => "ok".to_owned(),
            Answer::Ok(c) => format!("ok {c}"),
            Answer::Reject(r) => format!("reject {}", r.replace('\n', " ")),
            Answer::Unsupported(w) => format!("unsupported {w}"),
        };
        if writeln!(out, "{text}").and_then(|()| out.flush()).is_err() {
            break;
        }
    }
}
