//! Every integration test, compiled into one binary of modules (as ripgrep does).

mod architecture;
mod aws_safety;
mod base32;
mod ci_reports;
mod cli;
mod features_lint;
mod golden;
mod key_uri;
mod matrix;
mod otpcheck;
mod peers;
mod profiles;
mod properties;
mod reference;
mod reference_fuzz;
mod reference_hosted;
mod reference_oauth;
mod reference_srp;
mod rfc_vectors;
mod scratch;
mod sdk_walkthrough;
mod sign_in_method;
mod srp;
mod verification;
