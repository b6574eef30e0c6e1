//! What a scenario keeps between its steps besides ids and secrets: the SRP exchange in
//! flight, the user's devices, the hosted UI and its browser. Types only; the steps that fill
//! them are in the step modules. The World holds them, so they live below both.
//!
//! Owns: those types. Uses: [`crate::srp`], [`crate::webdriver`], the redaction type.

use serde_json::Value;

use super::redacted::Redacted;
use crate::srp;
use crate::webdriver::Session;

/// One exchange in flight: the client half and the PASSWORD_VERIFIER challenge's parameters.
#[derive(Debug, Default)]
pub struct SrpExchange {
    pub(in crate::steps) client: Option<srp::Client>,
    pub(in crate::steps) parameters: Option<Redacted<Value>>,
    /// Whether the PASSWORD_VERIFIER answer carried a Session.
    pub had_session: Option<bool>,
    /// The SECRET_HASH choice, kept for the answer.
    pub(in crate::steps) hash: Hash,
    /// The DEVICE_KEY sent with the initiate, sent again with the claim.
    pub(in crate::steps) device_key: Option<String>,
}

/// Which SECRET_HASH to send: the right one (where the client has a secret), or exactly
/// this one (none, or a wrong one) — for the SECRET_HASH scenarios in SRP mode.
#[derive(Debug, Clone, Default)]
pub(in crate::steps) enum Hash {
    #[default]
    Right,
    Given(Option<String>),
}

/// A device the user has, as the client keeps it.
#[derive(Debug, Clone)]
pub struct DeviceState {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
    /// The device password ConfirmDevice's verifier was made from.
    pub password: Option<Redacted<String>>,
}

/// The scenario's hosted UI: its domain, the app client's URLs, the browser (once opened) and
/// what the app holds.
#[derive(Debug)]
pub struct HostedUi {
    /// `https://<prefix>.auth.<region>.amazoncognito.com`, or the loopback `.localhost` one.
    pub base: String,
    /// The app's callback URL, registered with the app client.
    pub(in crate::steps) callback: String,
    /// Reaches the domain (on loopback for `.localhost` names).
    pub(in crate::steps) http: reqwest::Client,
    /// The browser, and its slot.
    pub browser: Option<(Session, Redacted<tokio::sync::OwnedSemaphorePermit>)>,
    pub(in crate::steps) state: String,
    pub(in crate::steps) nonce: String,
    pub(in crate::steps) verifier: Redacted<String>,
    /// The scopes the app asks for at the authorize endpoint.
    pub(in crate::steps) scope: String,
    /// The code the browser brought back.
    pub(in crate::steps) code: Option<Redacted<String>>,
    /// The token endpoint's last answer: status and body.
    pub(in crate::steps) tokens: Option<(u16, Redacted<Value>)>,
    /// Whether a page that shows a TOTP secret was seen: no screenshot of it is kept.
    pub showed_secret: bool,
}
