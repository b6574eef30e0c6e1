//! The reference endpoint's own control protocol — not an AWS API — written once for both
//! sides: the server (`reference`, which answers it) and the harness's client
//! (`cognito::Client`, which calls it).
//!
//! - `GET /_mfaspec/about` → `{"server": "mfaspec", "version", "clock_control", "outbox"}`.
//! - `GET /_mfaspec/outbox[?to=ADDRESS]` → `{"messages": [{"to", "subject", "body", "code",
//!   "pool_id", "username", "sent_ms"}, …]}`, oldest first: the emails the endpoint would
//!   have sent (it sends none).
//! - `GET /_mfaspec/clock` → `{"now_ms", "offset_ms", "frozen"}` (with `--clock-control`).
//! - `POST /_mfaspec/clock` with one of `{"advance_ms": N}`, `{"set_ms": UNIX_MS}`,
//!   `{"freeze_ms": UNIX_MS}`, `{"unfreeze": true}`.
//! - `GET /_mfaspec/phone?pool_id=ID&username=NAME` → `{"code", "step", "valid_for_s",
//!   "waited_ms", "clock_moved_ms"}` (with `--phone`): a TOTP code of the user's secret that
//!   the endpoint accepts now and has never accepted.

use serde_json::{Value, json};

/// The route that names the server.
pub const ABOUT_PATH: &str = "/_mfaspec/about";
/// The route of the outbox.
pub const OUTBOX_PATH: &str = "/_mfaspec/outbox";
/// The route of the clock.
pub const CLOCK_PATH: &str = "/_mfaspec/clock";
/// The route of the phone for app tests.
pub const PHONE_PATH: &str = "/_mfaspec/phone";
/// `server` in the about answer.
pub const SERVER: &str = "mfaspec";

/// What `POST /_mfaspec/clock` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockRequest {
    /// Move the clock by this many milliseconds.
    Advance(i64),
    /// Set it to this Unix time in milliseconds.
    Set(u64),
    /// Stop it at this Unix time in milliseconds.
    Freeze(u64),
    /// Let it run again.
    Unfreeze,
}

impl ClockRequest {
    /// The request body.
    #[must_use]
    pub fn body(self) -> Value {
        match self {
            ClockRequest::Advance(ms) => json!({ "advance_ms": ms }),
            ClockRequest::Set(ms) => json!({ "set_ms": ms }),
            ClockRequest::Freeze(ms) => json!({ "freeze_ms": ms }),
            ClockRequest::Unfreeze => json!({ "unfreeze": true }),
        }
    }

    /// Reads a request body; `None` when it is none of the four.
    #[must_use]
    pub fn parse(body: &Value) -> Option<ClockRequest> {
        if let Some(ms) = body.get("advance_ms").and_then(Value::as_i64) {
            Some(ClockRequest::Advance(ms))
        } else if let Some(ms) = body.get("set_ms").and_then(Value::as_u64) {
            Some(ClockRequest::Set(ms))
        } else if let Some(ms) = body.get("freeze_ms").and_then(Value::as_u64) {
            Some(ClockRequest::Freeze(ms))
        } else if body.get("unfreeze") == Some(&Value::Bool(true)) {
            Some(ClockRequest::Unfreeze)
        } else {
            None
        }
    }

    /// What to say when a body is none of them.
    pub const EXPECTED: &'static str = "Expected {\"advance_ms\": N}, {\"set_ms\": UNIX_MS}, {\"freeze_ms\": UNIX_MS} or {\"unfreeze\": true}";
}

/// The clock's state, as `/_mfaspec/clock` answers.
#[must_use]
pub fn clock_state(now_ms: u64, offset_ms: i64, frozen: bool) -> Value {
    json!({ "now_ms": now_ms, "offset_ms": offset_ms, "frozen": frozen })
}

/// `now_ms` of a clock answer.
#[must_use]
pub fn now_ms(state: &Value) -> Option<u64> {
    state.get("now_ms").and_then(Value::as_u64)
}

/// The about answer.
#[must_use]
pub fn about(clock_control: bool) -> Value {
    json!({ "server": SERVER, "version": env!("CARGO_PKG_VERSION"), "clock_control": clock_control,
            "outbox": OUTBOX_PATH })
}

/// Reads an about answer: `Some(clock_control)` when the server is mfaspec's.
#[must_use]
pub fn read_about(body: &Value) -> Option<bool> {
    (body.get("server").and_then(Value::as_str) == Some(SERVER))
        .then(|| body.get("clock_control") == Some(&Value::Bool(true)))
}

/// The newest code in an outbox answer for `to`, if any message to it carries one.
#[must_use]
pub fn newest_code(outbox: &Value, to: &str) -> Option<String> {
    outbox
        .get("messages")?
        .as_array()?
        .iter()
        .rev()
        .find(|m| m.get("to").and_then(Value::as_str) == Some(to))
        .and_then(|m| m.get("code").and_then(Value::as_str))
        .map(str::to_owned)
}
