//! SigV4 for real AWS: credentials from the AWS SDK's default chain (environment, shared
//! profiles, SSO, web identity, container and instance roles — whatever `aws-config` finds),
//! signatures from `aws-sigv4`, the SDK's own signer. Credentials are cached until five
//! minutes before they expire. Nothing here prints a credential: errors name the step.
//!
//! Owns: SigV4 for the `aws` target. Uses nothing of the crate.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

/// The signing name of Cognito user pools.
pub const SERVICE: &str = "cognito-idp";

/// Signs requests with the default credential chain's credentials.
pub struct Signer {
    provider: SharedCredentialsProvider,
    region: String,
    cached: tokio::sync::Mutex<Option<Credentials>>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("region", &self.region)
            .field("credentials", &"<redacted>")
            .finish()
    }
}

/// Why a request could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The default chain found no credentials.
    #[error(
        "no AWS credentials: the default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, web identity, instance role) found none: {0}"
    )]
    NoCredentials(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// No region in the profile or the chain.
    #[error(
        "no AWS region: set `region:` in the target profile, or AWS_REGION, or a region in the AWS profile"
    )]
    NoRegion,
    /// aws-sigv4 refused the request.
    #[error("signing the request: {0}")]
    Signing(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Signer {
    /// The default chain; `region` is the profile's, or `None` to take the chain's.
    pub async fn from_default_chain(region: Option<&str>) -> Result<Signer, SignError> {
        let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        if let Some(region) = region {
            loader = loader.region(aws_config::Region::new(region.to_owned()));
        }
        let config = loader.load().await;
        let region = config
            .region()
            .map(ToString::to_string)
            .ok_or(SignError::NoRegion)?;
        let provider = config
            .credentials_provider()
            .ok_or_else(|| SignError::NoCredentials("no provider configured".into()))?;
        Ok(Signer {
            provider,
            region,
            cached: tokio::sync::Mutex::new(None),
        })
    }

    /// A signer with fixed credentials (tests).
    #[must_use]
    pub fn with_credentials(credentials: Credentials, region: &str) -> Signer {
        Signer {
            provider: SharedCredentialsProvider::new(credentials),
            region: region.to_owned(),
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// The region requests are signed for.
    #[must_use]
    pub fn region(&self) -> &str {
        &self.region
    }

    async fn credentials(&self) -> Result<Credentials, SignError> {
        let mut cached = self.cached.lock().await;
        let fresh_enough = |c: &Credentials| {
            c.expiry().is_none_or(|at| {
                at.duration_since(SystemTime::now())
                    .is_ok_and(|left| left > Duration::from_secs(300))
            })
        };
        if let Some(c) = cached.as_ref().filter(|c| fresh_enough(c)) {
            return Ok(c.clone());
        }
        let c = self
            .provider
            .provide_credentials()
            .await
            .map_err(|e| SignError::NoCredentials(Box::new(e)))?;
        *cached = Some(c.clone());
        Ok(c)
    }

    /// The headers that sign a `POST url` carrying `headers` and `body` (`authorization`,
    /// `x-amz-date`, and `x-amz-security-token` for temporary credentials).
    pub async fn sign(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, SignError> {
        let identity: Identity = self.credentials().await?.into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(SERVICE)
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| SignError::Signing(Box::new(e)))?
            .into();
        let host = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default();
        let mut all: Vec<(&str, &str)> = headers
            .iter()
            .copied()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("authorization"))
            .collect();
        all.push(("host", host));
        let request = SignableRequest::new("POST", url, all.into_iter(), SignableBody::Bytes(body))
            .map_err(|e| SignError::Signing(Box::new(e)))?;
        let (instructions, _signature) = sign(request, &params)
            .map_err(|e| SignError::Signing(Box::new(e)))?
            .into_parts();
        Ok(instructions
            .headers()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn signs_with_the_credential_scope_of_cognito_idp() {
        let signer = Signer::with_credentials(
            Credentials::new(
                "AKIDEXAMPLE",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                Some("session-token-x".into()),
                None,
                "test",
            ),
            "eu-west-1",
        );
        let headers = signer
            .sign(
                "https://cognito-idp.eu-west-1.amazonaws.com/",
                &[
                    (
                        "x-amz-target",
                        "AWSCognitoIdentityProviderService.ListUserPools",
                    ),
                    ("content-type", "application/x-amz-json-1.1"),
                    ("authorization", "placeholder"),
                ],
                b"{\"MaxResults\":1}",
            )
            .await
            .unwrap();
        let get = |k: &str| {
            headers
                .iter()
                .find(|(h, _)| h == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no {k} in {headers:?}"))
        };
        let auth = get("authorization");
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"),
            "{auth}"
        );
        assert!(
            auth.contains("/eu-west-1/cognito-idp/aws4_request"),
            "{auth}"
        );
        assert!(
            auth.contains("x-amz-target"),
            "the target is signed: {auth}"
        );
        let signature = auth.rsplit("Signature=").next().unwrap();
        assert_eq!(signature.len(), 64);
        assert!(
            !auth.contains("wJalrXUtnFEMI"),
            "the secret key is never in a header"
        );
        assert_eq!(get("x-amz-date").len(), 16);
        assert_eq!(get("x-amz-security-token"), "session-token-x");
    }
}
