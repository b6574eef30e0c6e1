//! The TOTP core: RFC 4226 HOTP and RFC 6238 TOTP with SHA-1, SHA-256 and SHA-512, Base32
//! secrets (RFC 4648), `otpauth://` key URIs, window verification and replay memory.
//!
//! It plays the user's authenticator app for the harness and checks codes for the
//! reference endpoint. Pure: no I/O, no clock of its own, no allocation per code. It knows
//! nothing of Cognito beyond the defaults named after it ([`Totp::cognito`],
//! [`Window::COGNITO`], [`ReplayMemory::cognito`]). Owns the TOTP core; uses nothing else of
//! the crate, and everything else may use it.
//!
//! ```
//! use mfaspec::totp::{Code, Digits, ReplayMemory, Secret, Totp, Window};
//!
//! // RFC 6238 Appendix B, SHA-1, at unix time 59 (spec §7.3).
//! let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")?;
//! let totp = Totp::cognito(&secret);
//! assert_eq!(totp.code_at(59)?.to_string(), "287082");
//!
//! // The previous step's code is accepted once, then refused as a replay.
//! let code = Code::parse("755224", Digits::SIX)?;
//! let mut memory = ReplayMemory::cognito();
//! assert_eq!(totp.verify_once(&code, 59, Window::COGNITO, &mut memory)?.offset, -1);
//! assert!(totp.verify_once(&code, 59, Window::COGNITO, &mut memory).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod algorithm;
mod code;
mod generator;
mod hmac;
mod replay;
mod secret;
mod sha_ni;
mod uri;
mod window;

pub use algorithm::{Algorithm, Digits, InvalidDigits, UnknownAlgorithm};
pub use code::{Code, CodeError, CodeText};
pub use generator::{Backend, Hotp, Rejection, StepMatch, Totp, TotpError, TotpParams};
pub use replay::{AlreadyUsed, ReplayMemory, ReplayPolicy};
pub use secret::{Base32Error, Secret};
pub use uri::{KeyUri, OtpKind, UriError};
pub use window::Window;
