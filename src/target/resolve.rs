//! Which profile a run uses: a built-in name or a file, with `--endpoint` — else the AWS
//! tools' endpoint variables — applied over its URL, as the AWS CLI and SDKs honour them.
//!
//! Owns: resolution. Uses: [`super::profile`].

use super::profile::{Location, Profile, ProfileError};

/// The target when none is named: the embedded reference endpoint.
pub const DEFAULT_TARGET: &str = "reference";

/// The environment variable that names the target (`mfaspec run`'s `--target`, and the
/// conformance test's).
pub const TARGET_VARIABLE: &str = "MFASPEC_TARGET";

/// The AWS tools' endpoint variables, most specific first.
pub const ENDPOINT_VARIABLES: &[&str] = &[
    "AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER",
    "AWS_ENDPOINT_URL",
];

/// Resolves a target name or file, with `endpoint` (`--endpoint`) or else the AWS tools'
/// endpoint variables applied: over a URL; over `aws`, where the signed requests go; over the
/// embedded endpoint only when given explicitly.
pub fn resolve(target: &str, endpoint: Option<&str>) -> Result<Profile, ProfileError> {
    let mut profile = Profile::resolve(target)?;
    let url = endpoint.map(str::to_owned).or_else(endpoint_override);
    match (&mut profile.endpoint, url) {
        (Location::Aws(to), Some(url)) => *to = Some(url),
        (Location::Url(to), Some(url)) => *to = url,
        (Location::Embedded, Some(url)) if endpoint.is_some() => {
            profile.endpoint = Location::Url(url);
        }
        _ => {}
    }
    Ok(profile)
}

/// The first of [`ENDPOINT_VARIABLES`] that is set and not empty.
fn endpoint_override() -> Option<String> {
    ENDPOINT_VARIABLES
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
}
