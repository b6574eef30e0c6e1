//! The negative controls of `mfa_bypass.feature`, `user_auth.feature`, `email_mfa.feature`,
//! `id_token_claims.feature` and `wire_protocol.feature`: run against a reference endpoint
//! with one deliberate defect — USER_AUTH's PASSWORD first factor issuing tokens without the
//! TOTP challenge, EMAIL_OTP taking any code, ID tokens signing `email_verified` as a
//! string, or errors without their `x-amzn-*` headers — the suite fails exactly the
//! scenarios that go through that door and passes the others; against the endpoint without
//! a defect it passes them all. (The scope scenarios need a browser: their control is in
//! `reference_hosted/browser.rs`.)

use std::collections::BTreeSet;

use mfaspec::reference::{Defect, Options};

use crate::support::selftest::run_against;

const USER_AUTH: [(&str, &str); 2] = [
    (
        "mfa_bypass.feature",
        include_str!("../features/mfa_bypass.feature"),
    ),
    (
        "user_auth.feature",
        include_str!("../features/user_auth.feature"),
    ),
];

const EMAIL: [(&str, &str); 1] = [(
    "email_mfa.feature",
    include_str!("../features/email_mfa.feature"),
)];

const CLAIMS: [(&str, &str); 1] = [(
    "id_token_claims.feature",
    include_str!("../features/id_token_claims.feature"),
)];

const WIRE: [(&str, &str); 1] = [(
    "wire_protocol.feature",
    include_str!("../features/wire_protocol.feature"),
)];

const CAPABILITIES: &str = "admin.api, totp.verifies_codes, totp.session_setup, auth.srp, auth.user_auth, plan.lite, wire.raw";

async fn run(
    name: &str,
    defect: Option<Defect>,
    features: &[(&str, &str)],
) -> (Option<i32>, BTreeSet<String>) {
    let options = Options {
        defect,
        ..Options::default()
    };
    run_against(name, options, features, CAPABILITIES, "").await
}

fn failed(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|id| format!("{id} fail")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_fails_an_endpoint_whose_user_auth_skips_mfa() {
    let (code, not_passed) = run("sound", None, &USER_AUTH).await;
    assert_eq!((code, not_passed), (Some(0), BTreeSet::new()));

    let (code, not_passed) = run("defective", Some(Defect::UserAuthSkipsMfa), &USER_AUTH).await;
    assert_eq!(code, Some(1));
    assert_eq!(
        not_passed,
        failed(&[
            "mfa_bypass.initiate_auth.user_auth_preferring_password",
            "mfa_bypass.respond_to_auth_challenge.user_auth_choosing_password",
            "user_auth.respond_to_auth_challenge.password_then_totp",
            "user_auth.initiate_auth.preferred_password",
            "user_auth.admin_initiate_auth.preferred_password",
            "user_auth.respond_to_auth_challenge.wrong_code",
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_fails_an_endpoint_whose_email_otp_takes_any_code() {
    let (code, not_passed) = run("sound-mail", None, &EMAIL).await;
    assert_eq!((code, not_passed), (Some(0), BTreeSet::new()));

    let (code, not_passed) = run("lax-mail", Some(Defect::EmailOtpAcceptsAnyCode), &EMAIL).await;
    assert_eq!(code, Some(1));
    assert_eq!(
        not_passed,
        failed(&[
            "email_mfa.respond_to_auth_challenge.wrong_email_code",
            "email_mfa.respond_to_auth_challenge.reused_email_code",
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_fails_an_endpoint_whose_id_tokens_hold_strings() {
    let (code, not_passed) = run("typed-claims", None, &CLAIMS).await;
    assert_eq!((code, not_passed), (Some(0), BTreeSet::new()));

    let (code, not_passed) = run("string-claims", Some(Defect::IdClaimsAsStrings), &CLAIMS).await;
    assert_eq!(code, Some(1));
    assert_eq!(
        not_passed,
        failed(&[
            "id_token_claims.respond_to_auth_challenge.email_verified_boolean",
            "id_token_claims.admin_respond_to_auth_challenge.email_verified_boolean",
            "id_token_claims.initiate_auth.refreshed_email_verified_boolean",
            "id_token_claims.respond_to_auth_challenge.srp_email_verified_boolean",
        ])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_fails_an_endpoint_whose_errors_lack_their_headers() {
    let (code, not_passed) = run("error-headers", None, &WIRE).await;
    assert_eq!((code, not_passed), (Some(0), BTreeSet::new()));

    let (code, not_passed) = run("bare-errors", Some(Defect::NoErrorHeaders), &WIRE).await;
    assert_eq!(code, Some(1));
    assert_eq!(
        not_passed,
        failed(&["wire.describe_user_pool.error_headers"])
    );
}
