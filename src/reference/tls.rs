//! HTTPS for `mfaspec serve --tls-addr ADDR --tls-cert FILE --tls-key FILE`: the same
//! routes over TLS, so that the hosted UI can be reached as AWS's is, at `https://` — which
//! Amplify JS requires (it builds `https://<domain>/oauth2/authorize`, `/oauth2/token` and
//! `/logout` from the configured domain). The certificate is the user's (mkcert's, or a
//! self-signed one for a headless browser told to accept it).
//!
//! Owns: reading the certificate and key into a rustls server configuration. Uses nothing
//! of the endpoint; the HTTP layer (`http.rs`) serves with it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// Where and with what to serve HTTPS.
#[derive(Debug, Clone)]
pub struct TlsOptions {
    /// The address of the HTTPS listener (beside the plain one).
    pub addr: std::net::SocketAddr,
    /// The certificate chain, PEM.
    pub cert: PathBuf,
    /// Its private key, PEM (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

/// The certificate or key cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("TLS: `{path}`: {reason}")]
pub struct TlsError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub reason: String,
}

/// A server configuration of `cert` and `key` (HTTP/1.1 only, as the plain listener).
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, TlsError> {
    let bad = |path: &Path, reason: String| TlsError {
        path: path.to_owned(),
        reason,
    };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad(cert, format!("cannot be read as PEM: {e}")))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad(cert, format!("cannot be read as PEM: {e}")))?;
    if certs.is_empty() {
        return Err(bad(cert, "holds no CERTIFICATE".into()));
    }
    let key = PrivateKeyDer::from_pem_file(key)
        .map_err(|e| bad(key, format!("holds no private key: {e}")))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(cert, e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| bad(cert, format!("does not go with the key: {e}")))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}
