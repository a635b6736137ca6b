//! TLS to PostgreSQL through rustls (aws-lc-rs, which the store already builds), verifying the
//! server as libpq's `sslmode` says.

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::config::{PostgresConfigError, RootCertificates, SslMode};

/// The connector for `mode`, verifying with `root` where the mode asks (and, as libpq does,
/// `require` with a root certificate given behaves as `verify-ca`).
pub(super) fn connector(
    mode: SslMode,
    root: Option<&RootCertificates>,
) -> Result<MakeRustlsConnect, PostgresConfigError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let tls_error = |error: rustls::Error| PostgresConfigError::Tls(error.to_string());
    let verifier: Arc<dyn ServerCertVerifier> = match (mode, root) {
        (SslMode::VerifyFull, Some(root)) => {
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots(root)?), provider.clone())
                .build()
                .map_err(|error| PostgresConfigError::Tls(error.to_string()))?
        }
        (SslMode::VerifyCa | SslMode::Require | SslMode::Prefer, Some(root)) => {
            Arc::new(ChainOnly(
                WebPkiServerVerifier::builder_with_provider(
                    Arc::new(roots(root)?),
                    provider.clone(),
                )
                .build()
                .map_err(|error| PostgresConfigError::Tls(error.to_string()))?,
            ))
        }
        (SslMode::VerifyCa | SslMode::VerifyFull, None) => {
            return Err(PostgresConfigError::NoRootCertificate(mode.as_str()));
        }
        (SslMode::Disable | SslMode::Prefer | SslMode::Require, None) => {
            Arc::new(Unverified(provider.clone()))
        }
        (SslMode::Disable, Some(_)) => Arc::new(Unverified(provider.clone())),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(MakeRustlsConnect::new(config))
}

/// The root certificates of `root`.
fn roots(root: &RootCertificates) -> Result<RootCertStore, PostgresConfigError> {
    let mut store = RootCertStore::empty();
    let (name, certificates): (String, Vec<CertificateDer<'static>>) = match root {
        RootCertificates::File(path) => {
            let name = path.display().to_string();
            let read = CertificateDer::pem_file_iter(path)
                .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
                .map_err(|error| PostgresConfigError::RootCertificate {
                    source_name: name.clone(),
                    reason: error.to_string(),
                })?;
            (name, read)
        }
        RootCertificates::System => {
            let loaded = rustls_native_certs::load_native_certs();
            ("system".to_owned(), loaded.certs)
        }
    };
    let (added, _ignored) = store.add_parsable_certificates(certificates);
    if added == 0 {
        return Err(PostgresConfigError::RootCertificate {
            source_name: name,
            reason: "it holds no certificate".to_owned(),
        });
    }
    Ok(store)
}

/// `verify-ca`: the chain must lead to a root certificate, whatever host it names.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0
            .verify_tls12_signature(message, certificate, signature)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0
            .verify_tls13_signature(message, certificate, signature)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

/// `prefer` and `require` without a root certificate, as libpq: encrypted, the server not
/// authenticated (its handshake signature is still checked).
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
