//! The client a profile's endpoint is reached with: its URL, or real AWS signed with the AWS
//! SDK's default credential chain; retried as the profile says.
//!
//! Owns: building the client and its retry policy. Uses: [`crate::cognito`],
//! [`super::profile`].

use super::profile::{Location, Profile};
use crate::cognito::sign::SignError;
use crate::cognito::{Client, RetryPolicy, Signer};

/// A target that cannot be reached as it is.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    /// The embedded endpoint exists only during a run.
    #[error(
        "target `{0}` is the embedded endpoint, which exists only during a run: name a target with an endpoint (or --endpoint URL)"
    )]
    Embedded(String),
    /// Signing requests for AWS failed (no credentials, no region).
    #[error(transparent)]
    Signing(#[from] SignError),
}

/// A client for a profile's running endpoint: its URL, or real AWS signed with the default
/// credential chain. An embedded endpoint has none until a run starts it.
pub async fn client_for(profile: &Profile) -> Result<Client, TargetError> {
    Ok(match &profile.endpoint {
        Location::Url(u) => Client::new(u),
        Location::Aws(url) => {
            let signer = Signer::from_default_chain(profile.region.as_deref()).await?;
            let url = url.clone().unwrap_or_else(|| {
                format!("https://cognito-idp.{}.amazonaws.com", signer.region())
            });
            Client::new(&url).with_signer(signer)
        }
        Location::Embedded => return Err(TargetError::Embedded(profile.name.clone())),
    }
    .with_retry(retry_policy(profile)))
}

/// The default retry policy with the profile's number of attempts.
#[must_use]
pub fn retry_policy(profile: &Profile) -> RetryPolicy {
    RetryPolicy {
        max_attempts: profile.max_attempts,
        ..RetryPolicy::default()
    }
}
