//! Deliberate defects, for negative controls: an endpoint that is wrong in one known way, so
//! that a test can show the suite fails it. Set only through [`super::Options`] from Rust;
//! `mfaspec serve` has no flag for them.
//!
//! Owns: the list of defects. Uses nothing of the crate.

/// One deliberate defect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Defect {
    /// USER_AUTH's PASSWORD first factor issues tokens at once, without the MFA challenge
    /// that must follow it: the bypass `mfa_bypass.feature` exists to catch.
    UserAuthSkipsMfa,
    /// EMAIL_OTP takes any code of the right length: the "accepts anything" emulator that
    /// `email_mfa.feature`'s wrong-code scenarios exist to catch.
    EmailOtpAcceptsAnyCode,
    /// Access tokens are accepted whatever their scopes: the hole `token_scopes.feature`
    /// exists to catch (a hosted-UI token for `openid email` could turn TOTP off).
    IgnoresScopes,
    /// ID tokens carry `email_verified` and `phone_number_verified` as the stored strings
    /// (`"true"`), as an emulator that copies attributes into claims does.
    IdClaimsAsStrings,
    /// Errors of the JSON API come without `x-amzn-ErrorType` and `x-amzn-ErrorMessage`
    /// (the body alone names them).
    NoErrorHeaders,
}
