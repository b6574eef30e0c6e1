//! The reference endpoint's state, in memory: pools with their app clients and users, the
//! challenge sessions in flight, issued token families, and the hosted UI's sign-ins, codes
//! and browser sessions. Plain data; the rules live in
//! the operation modules. Nothing here derives `Debug`: users hold passwords and TOTP
//! secrets, clients hold secrets, and session ids are credentials.
//!
//! Owns: the state and the ids' shapes. Uses: [`crate::totp`], [`crate::srp`],
//! [`crate::vocabulary`]; nothing of the endpoint.

pub(crate) mod codec;
pub mod tracked;

use std::collections::{BTreeMap, HashSet};

use rand::RngExt;
use serde::{Deserialize, Serialize};

pub use tracked::Tracked;

use crate::srp;
use crate::totp::{ReplayMemory, Secret};
use crate::vocabulary::Challenge;

/// A pool's `MfaConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MfaMode {
    /// `OFF`.
    Off,
    /// `ON`: every user must set up a factor.
    On,
    /// `OPTIONAL`: users choose.
    Optional,
}

impl MfaMode {
    /// The wire value.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            MfaMode::Off => "OFF",
            MfaMode::On => "ON",
            MfaMode::Optional => "OPTIONAL",
        }
    }

    /// Reads a wire value.
    #[must_use]
    pub fn parse(s: &str) -> Option<MfaMode> {
        match s {
            "OFF" => Some(MfaMode::Off),
            "ON" => Some(MfaMode::On),
            "OPTIONAL" => Some(MfaMode::Optional),
            _ => None,
        }
    }
}

/// A pool's feature plan, `UserPoolTier` (spec §2.19). New pools are on Essentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Tier {
    /// `LITE`: no email MFA, no choice-based sign-in, no managed login.
    Lite,
    /// `ESSENTIALS`, the default.
    #[default]
    Essentials,
    /// `PLUS`: Essentials and threat protection.
    Plus,
}

impl Tier {
    /// Every plan, in the service model's order.
    pub const ALL: [Tier; 3] = [Tier::Lite, Tier::Essentials, Tier::Plus];

    /// The wire value.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Tier::Lite => "LITE",
            Tier::Essentials => "ESSENTIALS",
            Tier::Plus => "PLUS",
        }
    }

    /// Reads a wire value.
    #[must_use]
    pub fn parse(s: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.name() == s)
    }
}

/// A user pool.
#[derive(Serialize, Deserialize)]
pub struct Pool {
    pub id: String,
    pub name: String,
    pub arn: String,
    pub created_ms: u64,
    pub modified_ms: u64,
    pub mfa: MfaMode,
    /// `UserPoolTier`.
    pub tier: Tier,
    /// `UserPoolAddOns.AdvancedSecurityMode` (`OFF`, `AUDIT`, `ENFORCED`): threat
    /// protection, on the Plus plan only.
    pub threat_protection: String,
    /// `SoftwareTokenMfaConfiguration.Enabled`.
    pub totp_enabled: bool,
    /// `EmailMfaConfiguration`, when email MFA is on (spec §2.20).
    pub email_mfa: Option<EmailMfa>,
    /// The `SmsMfaConfiguration` as given, if SMS MFA is configured.
    pub sms_config: Option<serde_json::Value>,
    /// `DeviceConfiguration`, when the pool tracks devices (spec §2.15).
    pub device_config: Option<DeviceConfig>,
    /// The pool's prefix domain and its managed-login version (spec §2.16).
    pub domain: Option<(String, Option<i64>)>,
    pub clients: BTreeMap<String, AppClient>,
    /// Kept in rows of their own by a state file, so not in the pool's.
    #[serde(skip)]
    pub users: Tracked<String, User>,
}

/// A pool's `EmailMfaConfiguration`: the message (with its `{####}`) and subject of the
/// emails that carry codes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EmailMfa {
    pub message: Option<String>,
    pub subject: Option<String>,
}

/// An email the endpoint would have sent: it sends none, and keeps each in the outbox
/// (`GET /_mfaspec/outbox`, spec §2.20).
#[derive(Clone, Serialize, Deserialize)]
pub struct Mail {
    pub pool_id: String,
    pub username: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// The code the message carries.
    pub code: String,
    pub sent_ms: u64,
}

/// A pool's `DeviceConfiguration`: given at all, devices are tracked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceConfig {
    /// `ChallengeRequiredOnNewDevice`: a remembered device signs in with DEVICE_SRP_AUTH
    /// instead of the MFA factors.
    pub challenge_required_on_new_device: bool,
    /// `DeviceOnlyRememberedOnUserPrompt`: a confirmed device is remembered only after
    /// UpdateDeviceStatus says so.
    pub only_remembered_on_user_prompt: bool,
}

/// A device the user signed in from (spec §2.15).
#[derive(Clone, Serialize, Deserialize)]
pub struct Device {
    pub key: String,
    /// `DeviceSecretVerifierConfig` from ConfirmDevice; `None` until then.
    pub verifier: Option<srp::Verifier>,
    pub name: Option<String>,
    pub remembered: bool,
    pub created_ms: u64,
    pub modified_ms: u64,
    pub last_authenticated_ms: u64,
}

/// An app client.
#[derive(Clone, Serialize, Deserialize)]
pub struct AppClient {
    pub id: String,
    pub name: String,
    pub secret: Option<String>,
    /// `ExplicitAuthFlows` as configured.
    pub flows: Vec<String>,
    /// `AuthSessionValidity`, minutes (3–15).
    pub session_validity_minutes: u64,
    /// `PreventUserExistenceErrors` = `ENABLED`.
    pub prevent_user_existence_errors: bool,
    /// `AccessTokenValidity` in its `TokenValidityUnits` unit (default 1 hour).
    pub access_token_validity: TokenValidity,
    /// `IdTokenValidity` (default 1 hour).
    pub id_token_validity: TokenValidity,
    /// `RefreshTokenValidity` (default 30 days).
    pub refresh_token_validity: TokenValidity,
    /// The OAuth settings the hosted UI reads (spec §2.17).
    pub oauth: OAuthSettings,
    pub created_ms: u64,
    pub modified_ms: u64,
}

/// An app client's OAuth settings, as Create/UpdateUserPoolClient set them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthSettings {
    /// `AllowedOAuthFlowsUserPoolClient`: the hosted UI and token endpoint serve this client.
    pub enabled: bool,
    /// `AllowedOAuthFlows`: `code`, `implicit`, `client_credentials`.
    pub flows: Vec<String>,
    /// `AllowedOAuthScopes`.
    pub scopes: Vec<String>,
    /// `CallbackURLs`: where `/oauth2/authorize` may send the browser back to.
    pub callback_urls: Vec<String>,
    /// `LogoutURLs`: where `/logout` may send it.
    pub logout_urls: Vec<String>,
    /// `DefaultRedirectURI`, one of `callback_urls`.
    pub default_redirect_uri: Option<String>,
    /// `SupportedIdentityProviders`: only `COGNITO` here (the endpoint has no federation).
    pub identity_providers: Vec<String>,
}

/// A token lifetime as the app client was given it: a value and its unit, reported back as
/// given (DescribeUserPoolClient's `TokenValidityUnits`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenValidity {
    /// The number of `unit`s; at most 315,360,000 (the service model's maximum), so the
    /// seconds never overflow.
    pub value: u64,
    /// `seconds`, `minutes`, `hours` or `days`.
    pub unit: TimeUnit,
}

impl TokenValidity {
    /// The lifetime in seconds.
    #[must_use]
    pub fn seconds(self) -> u64 {
        self.value.saturating_mul(self.unit.seconds())
    }
}

/// A `TokenValidityUnits` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeUnit {
    /// `seconds`
    Seconds,
    /// `minutes`
    Minutes,
    /// `hours`
    Hours,
    /// `days`
    Days,
}

impl TimeUnit {
    /// Every unit, in the order the service model lists them.
    pub const ALL: [TimeUnit; 4] = [
        TimeUnit::Seconds,
        TimeUnit::Minutes,
        TimeUnit::Hours,
        TimeUnit::Days,
    ];

    /// The wire name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "seconds",
            TimeUnit::Minutes => "minutes",
            TimeUnit::Hours => "hours",
            TimeUnit::Days => "days",
        }
    }

    /// Seconds in one unit.
    #[must_use]
    pub fn seconds(self) -> u64 {
        match self {
            TimeUnit::Seconds => 1,
            TimeUnit::Minutes => 60,
            TimeUnit::Hours => 3600,
            TimeUnit::Days => 86_400,
        }
    }

    /// The unit of a wire name.
    #[must_use]
    pub fn parse(name: &str) -> Option<TimeUnit> {
        TimeUnit::ALL.into_iter().find(|u| u.name() == name)
    }
}

impl AppClient {
    /// Whether `flow` (an `ALLOW_…` value) is enabled, counting the legacy names.
    #[must_use]
    pub fn allows(&self, flow: &str) -> bool {
        let legacy = match flow {
            "ALLOW_USER_PASSWORD_AUTH" => "USER_PASSWORD_AUTH",
            "ALLOW_ADMIN_USER_PASSWORD_AUTH" => "ADMIN_NO_SRP_AUTH",
            _ => "",
        };
        self.flows
            .iter()
            .any(|f| f == flow || (!legacy.is_empty() && f == legacy))
    }
}

/// `UserStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UserStatus {
    Confirmed,
    ForceChangePassword,
}

impl UserStatus {
    /// The wire value.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            UserStatus::Confirmed => "CONFIRMED",
            UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
        }
    }
}

/// A TOTP secret associated with a user.
#[derive(Clone, Serialize, Deserialize)]
pub struct SoftwareToken {
    #[serde(with = "self::codec::secret")]
    pub secret: Secret,
    pub friendly_name: Option<String>,
    #[serde(with = "self::codec::replay")]
    pub replay: ReplayMemory,
}

/// A user.
#[derive(Serialize, Deserialize)]
pub struct User {
    pub username: String,
    pub sub: String,
    pub attributes: Vec<(String, String)>,
    pub password: String,
    /// The SRP salt and verifier of `password` (docs/behaviour.md §2.14), made whenever it is
    /// set.
    pub srp: srp::Verifier,
    pub status: UserStatus,
    pub enabled: bool,
    pub created_ms: u64,
    pub modified_ms: u64,
    /// The verified software token in use.
    pub token: Option<SoftwareToken>,
    /// A token associated and not yet verified (spec §4 B7: it replaces `token` only when
    /// verified).
    pub pending: Option<SoftwareToken>,
    pub totp_enabled: bool,
    pub totp_preferred: bool,
    pub sms_enabled: bool,
    pub sms_preferred: bool,
    pub email_enabled: bool,
    pub email_preferred: bool,
    /// Wrong passwords in a row (spec §2.14: from the sixth, sign-in is locked for 2^(n−5)
    /// seconds).
    pub failed_sign_ins: u32,
    /// Until when sign-in is locked, epoch ms.
    pub locked_until_ms: u64,
    /// The user's `DeviceGroupKey`, made with their first device.
    pub device_group_key: Option<String>,
    /// The user's devices by key.
    pub devices: BTreeMap<String, Device>,
    /// Token families (`origin_jti`) still valid; a global sign-out empties it.
    pub live_families: HashSet<String>,
}

impl User {
    /// Sets the password and its SRP verifier (with a fresh salt) in `pool_id`.
    pub fn set_password(&mut self, pool_id: &str, password: &str) {
        self.password = password.to_owned();
        self.srp = srp::Verifier::new(srp::pool_name(pool_id), &self.username, password);
    }

    /// An attribute's value.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What a session lets its holder do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Answer this challenge (an `MFA_SETUP` one also admits AssociateSoftwareToken).
    Challenge(#[serde(with = "self::codec::challenge")] Challenge),
    /// VerifySoftwareToken, after AssociateSoftwareToken with a session.
    Verify,
    /// RespondToAuthChallenge `MFA_SETUP`, after VerifySoftwareToken with a session.
    SetupVerified,
}

/// A session string's meaning.
#[derive(Clone, Serialize, Deserialize)]
pub struct Session {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub step: Step,
    pub expires_ms: u64,
    pub used: bool,
    /// The device this sign-in is on (its DEVICE_KEY), carried to the tokens.
    pub device_key: Option<String>,
    /// The code emailed for this session's EMAIL_OTP challenge.
    pub email_code: Option<String>,
    /// This EMAIL_OTP challenge sets email MFA up (MFA_SETUP answered with an address).
    pub email_setup: bool,
}

/// A `PASSWORD_VERIFIER` challenge in flight, found by its `SECRET_BLOCK` alone (pycognito
/// sends no Session back).
#[derive(Serialize, Deserialize)]
pub struct SrpPending {
    pub pool_id: String,
    pub client_id: String,
    /// The internal username (`USER_ID_FOR_SRP`); `None` for the challenge shown for a user
    /// that does not exist (PreventUserExistenceErrors), which no claim can answer.
    pub username: Option<String>,
    /// The client's `SRP_A`, checked when it was given.
    pub srp_a: String,
    #[serde(with = "self::codec::srp_challenge")]
    pub challenge: srp::ServerChallenge,
    pub expires_ms: u64,
    /// PASSWORD_VERIFIER: the DEVICE_KEY the initiate carried. DEVICE_PASSWORD_VERIFIER: the
    /// device being verified.
    pub device_key: Option<String>,
    /// Whether this is a device's verifier (DEVICE_PASSWORD_VERIFIER).
    pub for_device: bool,
}

/// A refresh token's grant.
#[derive(Clone, Serialize, Deserialize)]
pub struct RefreshGrant {
    pub pool_id: String,
    pub client_id: String,
    pub username: String,
    pub family: String,
    pub expires_ms: u64,
    /// The device the tokens were issued to, where the pool tracks devices: a refresh must
    /// name it (`DEVICE_KEY`).
    pub device_key: Option<String>,
    /// The OAuth scopes granted, for tokens from the hosted UI's token endpoint (spec §2.17);
    /// `None`: an API sign-in's `aws.cognito.signin.user.admin`.
    pub scopes: Option<Vec<String>>,
}

/// What an `/oauth2/authorize` request asked for, once checked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Authorize {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub scopes: Vec<String>,
    pub code_challenge: Option<String>,
    pub nonce: Option<String>,
    pub login_hint: Option<String>,
    /// The query the request came with, carried to `/login`.
    pub query: String,
}

/// Where a sign-in in progress stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    Password,
    Totp { username: String },
    Setup { username: String },
}

/// A sign-in in progress, by its CSRF token.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flow {
    pub pool_id: String,
    pub request: Authorize,
    pub stage: Stage,
    pub expires_ms: u64,
}

/// An authorization code.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AuthCode {
    pub pool_id: String,
    pub username: String,
    pub request: Authorize,
    pub auth_time_s: u64,
    pub expires_ms: u64,
    pub used: bool,
}

/// A signed-in browser (cookie `cognito`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HostedSession {
    pub pool_id: String,
    pub username: String,
    pub auth_time_s: u64,
    pub expires_ms: u64,
}

/// The hosted UI's part of the store.
#[derive(Default, Serialize, Deserialize)]
pub struct HostedState {
    pub flows: Tracked<String, Flow>,
    pub codes: Tracked<String, AuthCode>,
    pub sessions: Tracked<String, HostedSession>,
}

impl HostedState {
    /// Forgets flows, codes and sessions past their time.
    pub fn expire(&mut self, now_ms: u64) {
        self.flows.retain(|_, f| f.expires_ms > now_ms);
        self.codes.retain(|_, c| c.expires_ms > now_ms);
        self.sessions.retain(|_, s| s.expires_ms > now_ms);
    }
}

/// Everything the endpoint remembers.
#[derive(Default, Serialize, Deserialize)]
pub struct Store {
    pub pools: Tracked<String, Pool>,
    pub sessions: Tracked<String, Session>,
    pub refresh_tokens: Tracked<String, RefreshGrant>,
    /// PASSWORD_VERIFIER challenges by SECRET_BLOCK.
    pub srp_pending: Tracked<String, SrpPending>,
    /// Prefix domains and the pool each belongs to.
    pub domains: Tracked<String, String>,
    /// DEVICE_SRP_AUTH sessions by (pool, client, user, device key), for an answer that
    /// carries no Session (pycognito's).
    #[serde(with = "self::codec::pairs")]
    pub device_sessions: Tracked<(String, String, String, String), String>,
    /// The hosted UI's sign-ins in progress, codes and browser sessions.
    pub hosted: HostedState,
    /// The emails the endpoint would have sent, oldest first, at most [`OUTBOX_LIMIT`].
    pub outbox: std::collections::VecDeque<Mail>,
    /// How many emails were ever sent: a state file writes the outbox when it grew.
    #[serde(skip)]
    pub sent: u64,
}

/// How many emails the outbox keeps.
pub const OUTBOX_LIMIT: usize = 1000;

impl Store {
    /// Forgets which keys changed (an endpoint without a state file, after each request;
    /// a state file's writer drains them instead).
    pub fn forget_changes(&mut self) {
        for id in self.pools.take_changes() {
            if let Some(pool) = self.pools.peek_mut(&id) {
                pool.users.take_changes();
            }
        }
        self.sessions.take_changes();
        self.refresh_tokens.take_changes();
        self.srp_pending.take_changes();
        self.domains.take_changes();
        self.device_sessions.take_changes();
        self.hosted.flows.take_changes();
        self.hosted.codes.take_changes();
        self.hosted.sessions.take_changes();
    }

    /// Keeps `mail` in the outbox, forgetting the oldest beyond [`OUTBOX_LIMIT`].
    pub fn send(&mut self, mail: Mail) {
        if self.outbox.len() >= OUTBOX_LIMIT {
            self.outbox.pop_front();
        }
        self.outbox.push_back(mail);
        self.sent += 1;
    }
}

/// Random text over `alphabet`.
pub fn random_text(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::rng();
    (0..len)
        .map(|_| char::from(alphabet[rng.random_range(0..alphabet.len())]))
        .collect()
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

/// A pool id as Cognito writes them: `<region>_<9 alphanumerics>`.
pub fn new_pool_id(region: &str) -> String {
    format!("{region}_{}", random_text(ALNUM, 9))
}

/// An app client id: 26 lower-case alphanumerics.
pub fn new_client_id() -> String {
    random_text(LOWER_ALNUM, 26)
}

/// An app client secret: 51 lower-case alphanumerics.
pub fn new_client_secret() -> String {
    random_text(LOWER_ALNUM, 51)
}

/// An opaque token (sessions, refresh tokens, key ids) of `len` URL-safe characters.
pub fn new_opaque(len: usize) -> String {
    use base64::Engine as _;
    let mut bytes = vec![0u8; len.div_ceil(4) * 3];
    rand::rng().fill(&mut bytes[..]);
    let mut text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
    text.truncate(len);
    // Never a leading `-`: the AWS CLI would read `--session -x…` as an option (AWS's own
    // sessions start `AYAB`), and a user's `--session "$SESSION"` fail one time in 64.
    if text.starts_with('-') {
        text.replace_range(..1, "A");
    }
    text
}

/// A UUID v4 (`sub`, `jti`).
pub fn new_uuid() -> String {
    let mut b: [u8; 16] = rand::rng().random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// A device key as Cognito writes them: `<region>_<uuid>`.
pub fn new_device_key(region: &str) -> String {
    format!("{region}_{}", new_uuid())
}

/// A device group key: `-` and 9 alphanumerics (the CLI's example: `-ExAmPlE1`).
pub fn new_device_group_key() -> String {
    format!("-{}", random_text(ALNUM, 9))
}

/// A one-time code of `digits` decimal digits (email codes).
pub fn new_code(digits: usize) -> String {
    random_text(b"0123456789", digits)
}

/// A TOTP secret of 32 random bytes: 52 Base32 characters, the length commonly seen from
/// Cognito (spec §9 Q6).
pub fn new_totp_secret() -> Secret {
    let bytes: [u8; 32] = rand::rng().random();
    Secret::from_bytes(&bytes)
}

#[cfg(test)]
mod tests {
    /// One draw in 64 started with `-` before: 20,000 draws would find it all but surely.
    #[test]
    fn opaque_values_never_start_with_a_hyphen() {
        for _ in 0..20_000 {
            let v = super::new_opaque(48);
            assert_eq!(v.len(), 48);
            assert!(!v.starts_with('-'), "{v}");
        }
    }
}
