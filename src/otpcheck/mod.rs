//! `mfaspec totp-check`: any TOTP/HOTP implementation, in any language, against one case
//! catalogue, for correctness and speed.
//!
//! An implementation is plugged in three ways:
//! - a long-lived process speaking [`protocol`] (`otp-line/1`) on stdin/stdout;
//! - a command run once per request with the request's fields as its arguments (CLIs such
//!   as `oathtool`);
//! - in-process, through the [`Implementation`] trait (Rust crates, and mfaspec's own core,
//!   [`Core`], which `mfaspec totp-adapter` also serves over the protocol).
//!
//! One entry point, [`check`]: the adapters run against the catalogue and the reports written.
//! Behind it, [`catalogue`] holds the cases (the RFC vectors read by [`vectors`]), [`run`]
//! drives the adapters and classifies each answer, [`model`] is what a check produces,
//! [`report`] writes the tables ([`junit`] the JUnit file), [`core`] is the in-process contract, [`broken`] the
//! deliberately broken implementations that show the catalogue catches each classic bug.
//!
//! Owns: the entry point. Uses: [`crate::totp`] (through its parts).

pub mod broken;
pub mod catalogue;
mod check;
pub mod core;
pub mod junit;
pub mod model;
pub mod protocol;
pub mod report;
pub mod run;
pub mod vectors;

pub use check::{Checked, check};
pub use core::{Core, Implementation, serve};
pub use protocol::{Answer, KeyEncoding, Kind, Request};
