//! A target: where a run's requests go and what the target can do. The profile schema and
//! its validation ([`profile`]), resolving a built-in name or a file with the endpoint
//! overrides (`resolve`), and building the client a profile's endpoint is reached with, with
//! its retry policy (`client`). `mfaspec run` and `mfaspec cleanup` both start here.
//!
//! Owns: targets. Uses: [`crate::builtin`] (the profiles the binary carries),
//! [`crate::cognito`] (the client it builds), [`crate::totp`]. Never the runner.

mod client;
pub mod profile;
mod resolve;

pub use client::{TargetError, client_for, retry_policy};
pub use profile::{
    BUILTIN, CAPABILITIES, ExistingPool, Location, Mail, Profile, ProfileError, Provisioning,
    SignIn,
};
pub use resolve::{DEFAULT_TARGET, ENDPOINT_VARIABLES, TARGET_VARIABLE, resolve};
