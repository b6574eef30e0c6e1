//! mfaspec: a conformance test harness and benchmark suite for Amazon Cognito user pools'
//! TOTP (software token) multi-factor authentication.

pub mod totp;
