//! Every integration test, compiled into one binary of modules (as ripgrep does); what
//! several modules share is in `support/`.

mod architecture;
mod aws_safety;
mod base32;
mod ci_reports;
mod claims;
mod cli;
mod cli_run;
mod features_lint;
mod golden;
mod key_uri;
mod mail_command;
mod matrix;
mod negative_controls;
mod otpcheck;
mod profiles;
mod properties;
mod reference;
mod reference_admin;
mod reference_cors;
mod reference_devices;
mod reference_email;
mod reference_fuzz;
mod reference_hosted;
mod reference_mfa;
mod reference_oauth;
mod reference_phone;
mod reference_srp;
mod reference_user_auth;
mod repro;
mod repro_clock;
mod results;
mod rfc_vectors;
mod sdk_walkthrough;
mod serve_seed;
mod serve_state;
mod serve_tls;
mod sign_in_method;
mod srp;
mod support;
mod verification;

// `$crate::peers` in support/peers.rs's macros (which benches/totp.rs includes as `peers`).
use support::peers;
