//! DPoP (RFC 9449; feature `jwt`): a key of the connection's own, and the proofs it signs for
//! each request, so that a token bound to it is useless to whoever steals the token alone.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value, json};
use url::Url;

use crate::jwt::{KeyError, SignError, SigningKey};
use crate::secret::AccessToken;

/// A DPoP key: a P-256 key of one connection, generated for it and kept sealed with it.
/// `Debug` shows its thumbprint, never the key.
///
/// ```
/// use connkit::oauth2::DpopKey;
///
/// let key = DpopKey::generate()?;
/// let proof = key.proof(&http::Method::POST, &"https://as.example/token?x=1".parse()?, None, None)?;
/// let header = proof.split('.').next().unwrap();
/// assert!(format!("{key:?}").contains(&key.thumbprint()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct DpopKey {
    key: SigningKey,
    pkcs8: Arc<[u8]>,
}

impl std::fmt::Debug for DpopKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DpopKey")
            .field("thumbprint", &self.thumbprint())
            .finish_non_exhaustive()
    }
}

impl DpopKey {
    /// A new key.
    ///
    /// # Errors
    /// [`SignError`] when the library cannot generate one.
    pub fn generate() -> Result<Self, SignError> {
        let (key, pkcs8) = SigningKey::generate_es256()?;
        Ok(Self {
            key,
            pkcs8: pkcs8.into(),
        })
    }

    /// The key kept by [`expose_pkcs8`](Self::expose_pkcs8).
    ///
    /// # Errors
    /// [`KeyError::Unsupported`] for a document that is not a P-256 key.
    pub fn from_pkcs8(pkcs8: &[u8]) -> Result<Self, KeyError> {
        Ok(Self {
            key: SigningKey::from_es256_pkcs8(pkcs8)?,
            pkcs8: pkcs8.into(),
        })
    }

    /// The private key as a PKCS#8 document, to keep it sealed (the store does) and read it
    /// back with [`from_pkcs8`](Self::from_pkcs8). A secret: never log or show it.
    pub fn expose_pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }

    /// The key's JWK thumbprint (RFC 7638): what a bound token names (`cnf.jkt`).
    pub fn thumbprint(&self) -> String {
        self.key.thumbprint()
    }

    /// A proof for a request of `method` to `url` (RFC 9449 §4.2): a fresh `jti`, `iat` now,
    /// `htu` without query or fragment, `ath` (the hash of `access_token`) for a request that
    /// carries one, and the server's `nonce` when it gave one.
    ///
    /// # Errors
    /// [`SignError`] when randomness or the signature fails.
    pub fn proof(
        &self,
        method: &http::Method,
        url: &Url,
        access_token: Option<&AccessToken>,
        nonce: Option<&str>,
    ) -> Result<String, SignError> {
        let mut htu = url.clone();
        htu.set_query(None);
        htu.set_fragment(None);
        let jti = crate::random::base64url_of::<16>().map_err(|_| SignError)?;
        let mut claims = json!({
            "jti": jti,
            "htm": method.as_str(),
            "htu": htu.as_str(),
            "iat": crate::clock::unix_seconds(crate::clock::now()),
        });
        if let Some(token) = access_token {
            use sha2::Digest as _;
            let hash = sha2::Sha256::digest(token.expose_secret().as_bytes());
            claims["ath"] = URL_SAFE_NO_PAD.encode(hash).into();
        }
        if let Some(nonce) = nonce {
            claims["nonce"] = nonce.into();
        }
        let mut header = Map::new();
        header.insert("typ".to_owned(), "dpop+jwt".into());
        header.insert(
            "jwk".to_owned(),
            Value::Object(self.key.required_jwk_members()),
        );
        self.key.compact(header, &claims)
    }
}

/// The DPoP key of a client and the nonce its server last gave (RFC 9449 §8), shared by the
/// token requests the client makes.
pub(crate) struct Dpop {
    pub(crate) key: DpopKey,
    nonce: Mutex<Option<String>>,
}

impl Clone for Dpop {
    fn clone(&self) -> Self {
        Self {
            key: self.key.clone(),
            nonce: Mutex::new(self.nonce()),
        }
    }
}

impl Dpop {
    pub(crate) fn new(key: DpopKey) -> Self {
        Self {
            key,
            nonce: Mutex::new(None),
        }
    }

    /// The nonce the server last gave.
    pub(crate) fn nonce(&self) -> Option<String> {
        self.nonce
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Keeps the nonce of a response's `DPoP-Nonce` header, if it has one.
    pub(crate) fn remember_nonce(&self, response: &http::Response<Vec<u8>>) {
        if let Some(nonce) = response_nonce(response) {
            *self
                .nonce
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(nonce);
        }
    }
}

/// A response's `DPoP-Nonce` header, when it is a printable value of sane length.
#[cfg_attr(not(feature = "store"), allow(dead_code))]
pub(crate) fn response_nonce(response: &http::Response<Vec<u8>>) -> Option<String> {
    let value = response.headers().get("dpop-nonce")?.to_str().ok()?.trim();
    (!value.is_empty() && value.len() <= 512 && value.bytes().all(|b| b.is_ascii_graphic()))
        .then(|| value.to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use super::*;

    fn decode(part: &str) -> Value {
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn rfc_9449_ath_example() {
        // RFC 9449 §7.1: the hash of this access token.
        let key = DpopKey::generate().unwrap();
        let token = AccessToken::new("Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU");
        let url: Url = "https://resource.example.org/protectedresource"
            .parse()
            .unwrap();
        let proof = key
            .proof(
                &http::Method::GET,
                &url,
                Some(&token),
                Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"),
            )
            .unwrap();
        let parts: Vec<&str> = proof.split('.').collect();
        let claims = decode(parts[1]);
        assert_eq!(claims["ath"], "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo");
        assert_eq!(claims["nonce"], "eyJ7S_zG.eyJH0-Z.HX4w-7v");
        assert_eq!(claims["htm"], "GET");
    }

    #[test]
    fn a_proof_has_the_header_and_claims_of_rfc_9449_and_verifies() {
        use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
        let key = DpopKey::generate().unwrap();
        let url: Url = "https://as.example/token?a=1#f".parse().unwrap();
        let proof = key.proof(&http::Method::POST, &url, None, None).unwrap();
        let parts: Vec<&str> = proof.split('.').collect();
        let header = decode(parts[0]);
        assert_eq!(header["typ"], "dpop+jwt");
        assert_eq!(header["alg"], "ES256");
        assert!(header["jwk"].get("d").is_none(), "the public key only");
        let claims = decode(parts[1]);
        assert_eq!(claims["htu"], "https://as.example/token");
        assert_eq!(claims["htm"], "POST");
        assert!(claims.get("ath").is_none() && claims.get("nonce").is_none());
        let again = decode(
            key.proof(&http::Method::POST, &url, None, None)
                .unwrap()
                .split('.')
                .nth(1)
                .unwrap(),
        );
        assert_ne!(claims["jti"], again["jti"]);
        // Verified with the JWK in its header, which is the key's (its thumbprint).
        let x = URL_SAFE_NO_PAD
            .decode(header["jwk"]["x"].as_str().unwrap())
            .unwrap();
        let y = URL_SAFE_NO_PAD
            .decode(header["jwk"]["y"].as_str().unwrap())
            .unwrap();
        let point = [&[4u8][..], &x, &y].concat();
        let signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(
            UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point)
                .verify(input.as_bytes(), &signature)
                .is_ok()
        );
        // Kept and read back, it is the same key.
        let kept = DpopKey::from_pkcs8(key.expose_pkcs8()).unwrap();
        assert_eq!(kept.thumbprint(), key.thumbprint());
        assert!(!format!("{key:?}").contains("MIG"));
    }

    #[test]
    fn a_nonce_is_kept_from_a_response() {
        let dpop = Dpop::new(DpopKey::generate().unwrap());
        let response = http::Response::builder()
            .status(400)
            .header("DPoP-Nonce", "eyJ7S_zG.eyJH0-Z.HX4w-7v")
            .body(Vec::new())
            .unwrap();
        dpop.remember_nonce(&response);
        assert_eq!(dpop.nonce().as_deref(), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        let bad = http::Response::builder()
            .header("DPoP-Nonce", "two words")
            .body(Vec::new())
            .unwrap();
        assert_eq!(response_nonce(&bad), None);
    }
}
