//! The reference endpoint's request handling, with state: a pool, app clients (one with a
//! secret), a user who has signed in, and their tokens exist before the first input, and
//! an input's `$POOL`, `$CLIENT`, `$SECRET_CLIENT`, `$USER`, `$ACCESS`, `$REFRESH` and
//! `$SESSION` stand for them, so that requests reach past the lookups into the operations.
//! Every answer is 200 or a Cognito-shaped 400 — never a 500 (a caught panic), never a hang.
#![no_main]

use std::sync::{Arc, Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use mfaspec::reference::{Endpoint, Options, RequestMeta, fixture};
use mfaspec::vocabulary::Operation;

fn world() -> &'static Mutex<(Arc<Endpoint>, fixture::State)> {
    static WORLD: OnceLock<Mutex<(Arc<Endpoint>, fixture::State)>> = OnceLock::new();
    WORLD.get_or_init(|| {
        let endpoint = Endpoint::new(&Options::default()).expect("the endpoint starts");
        let state = fixture::State::create(&endpoint);
        Mutex::new((endpoint, state))
    })
}

fuzz_target!(|input: (u8, u8, bool, &str)| {
    let (operation, content_type, signed, body) = input;
    let mut guard = world().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (endpoint, state) = &mut *guard;
    state.refresh_if_gone(endpoint);
    let target = match Operation::ALL.get(usize::from(operation)) {
        Some(op) => format!("AWSCognitoIdentityProviderService.{}", op.name()),
        None => format!(
            "AWSCognitoIdentityProviderService.{}",
            body.chars().take(8).collect::<String>()
        ),
    };
    let content_type = match content_type % 4 {
        0 => None,
        1 => Some("text/plain"),
        _ => Some("application/x-amz-json-1.1"),
    };
    let body = state.substitute(body);
    let meta = RequestMeta {
        target: Some(&target),
        content_type,
        authorization: signed.then_some("AWS4-HMAC-SHA256 Credential=x"),
        host: Some("127.0.0.1:1"),
    };
    let (status, answer) = endpoint.handle(meta, body.as_bytes());
    assert!(status == 200 || status == 400, "HTTP {status} for {target}: {answer}");
    if status == 400 {
        assert!(answer["__type"].as_str().is_some_and(|t| t.ends_with("Exception")), "{answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()), "{answer}");
    }
});
