//! JSON Web Signatures connkit makes (feature `jwt`): the client assertions of `private_key_jwt`
//! and `client_secret_jwt` (RFC 7523 §2.2), with aws-lc-rs, which the store and the default
//! TLS stack already build.
//!
//! A [`SigningKey`] is read from PEM text: PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 (`BEGIN RSA
//! PRIVATE KEY`) or SEC1 (`BEGIN EC PRIVATE KEY`). Its key decides the algorithm: RSA signs
//! RS256, a P-256 key ES256, an Ed25519 key EdDSA. An encrypted key is refused with
//! [`KeyError::Encrypted`]; no error carries any of the key.
//!
//! ```
//! use connkit::jwt::{Algorithm, SigningKey};
//!
//! let pem = "-----BEGIN PRIVATE KEY-----
//! MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
//! -----END PRIVATE KEY-----";
//! let key = SigningKey::from_pem(pem)?.with_key_id("2026-12");
//! assert_eq!(key.algorithm(), Algorithm::EdDsa);
//! // What the provider registers: the public key as a JWK, never the private part.
//! assert_eq!(key.public_jwk()["x"], "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
//! assert_eq!(key.thumbprint(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
//! assert!(!format!("{key:?}").contains("MC4C"));
//! # Ok::<(), connkit::jwt::KeyError>(())
//! ```

use core::fmt;
use std::sync::Arc;

use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RSA_PKCS1_SHA256,
    RsaKeyPair,
};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::{Map, Value, json};

/// A signature algorithm connkit signs with (JWA names, RFC 7518 and RFC 8037).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256, with an RSA key.
    Rs256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
    /// Ed25519.
    EdDsa,
}

impl Algorithm {
    /// The `alg` header value: `RS256`, `ES256` or `EdDSA`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Es256 => "ES256",
            Self::EdDsa => "EdDSA",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a private key could not be read. No variant carries any of the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is not PEM: no `-----BEGIN ...-----` line with a matching end.
    #[error(
        "the private key is not PEM text (-----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)"
    )]
    NotPem,
    /// The key is encrypted with a passphrase, which connkit does not hold.
    #[error(
        "the private key is encrypted; decrypt it first (openssl pkcs8 -topk8 -nocrypt -in key.pem)"
    )]
    Encrypted,
    /// The PEM block is not a private key connkit reads (a certificate, a public key).
    #[error(
        "the PEM block is a {label:?}, not a private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)"
    )]
    NotAPrivateKey {
        /// The PEM label.
        label: String,
    },
    /// The block's content is not base64, or not a key connkit can sign with: RSA (2048 bits or
    /// more), P-256 or Ed25519.
    #[error(
        "the {label} block is not a key connkit can sign with: RSA (RS256), P-256 (ES256) or Ed25519 (EdDSA)"
    )]
    Unsupported {
        /// The PEM label.
        label: String,
    },
}

/// A signing failure of the underlying library (it does not happen with a key that was read).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("signing failed")]
#[non_exhaustive]
pub struct SignError;

enum Pair {
    Rsa(RsaKeyPair),
    Ec(EcdsaKeyPair),
    Ed(Ed25519KeyPair),
}

/// A private key to sign JWTs with, and its key id (`kid`). `Debug` shows the algorithm and
/// the key id only; cloning shares the key.
#[derive(Clone)]
pub struct SigningKey {
    pair: Arc<Pair>,
    key_id: Option<String>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Reads a private key from PEM text (the first PEM block in it). A text whose line breaks
    /// were written as `\n` (an environment variable, a JSON string read raw) is read too.
    ///
    /// # Errors
    /// [`KeyError`] saying what the text is, never what it holds.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let unescaped;
        let pem = if !pem.contains('\n') && pem.contains("\\n") {
            unescaped = pem.replace("\\n", "\n");
            unescaped.as_str()
        } else {
            pem
        };
        let (label, der) = pem_block(pem)?;
        let unsupported = || KeyError::Unsupported {
            label: label.to_owned(),
        };
        let pair = match label {
            "PRIVATE KEY" => Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der)
                .map(Pair::Ed)
                .or_else(|_| {
                    EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &der).map(Pair::Ec)
                })
                .or_else(|_| RsaKeyPair::from_pkcs8(&der).map(Pair::Rsa))
                .map_err(|_| unsupported())?,
            "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der)
                .map(Pair::Rsa)
                .map_err(|_| unsupported())?,
            "EC PRIVATE KEY" => {
                EcdsaKeyPair::from_private_key_der(&ECDSA_P256_SHA256_FIXED_SIGNING, &der)
                    .map(Pair::Ec)
                    .map_err(|_| unsupported())?
            }
            "ENCRYPTED PRIVATE KEY" => return Err(KeyError::Encrypted),
            other => {
                return Err(KeyError::NotAPrivateKey {
                    label: other.to_owned(),
                });
            }
        };
        Ok(Self {
            pair: Arc::new(pair),
            key_id: None,
        })
    }

    /// A new P-256 key (for a DPoP proof), and its PKCS#8 document to keep it by.
    ///
    /// # Errors
    /// [`SignError`] when the library cannot generate one.
    pub(crate) fn generate_es256() -> Result<(Self, Vec<u8>), SignError> {
        let pair =
            EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING).map_err(|_| SignError)?;
        let pkcs8 = pair.to_pkcs8v1().map_err(|_| SignError)?.as_ref().to_vec();
        Ok((
            Self {
                pair: Arc::new(Pair::Ec(pair)),
                key_id: None,
            },
            pkcs8,
        ))
    }

    /// A P-256 key from its PKCS#8 document (a DPoP key, kept sealed).
    pub(crate) fn from_es256_pkcs8(pkcs8: &[u8]) -> Result<Self, KeyError> {
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8).map_err(|_| {
                KeyError::Unsupported {
                    label: "PRIVATE KEY".to_owned(),
                }
            })?;
        Ok(Self {
            pair: Arc::new(Pair::Ec(pair)),
            key_id: None,
        })
    }

    /// With a key id, sent as the `kid` header so that the provider finds the public key among
    /// those registered.
    #[must_use]
    pub fn with_key_id(mut self, key_id: impl Into<String>) -> Self {
        self.key_id = Some(key_id.into());
        self
    }

    /// The key id, if one was given.
    pub fn key_id(&self) -> Option<&str> {
        self.key_id.as_deref()
    }

    /// The algorithm the key signs with.
    pub fn algorithm(&self) -> Algorithm {
        match *self.pair {
            Pair::Rsa(_) => Algorithm::Rs256,
            Pair::Ec(_) => Algorithm::Es256,
            Pair::Ed(_) => Algorithm::EdDsa,
        }
    }

    /// The public key as a JWK (RFC 7517), with `kid` when the key has one and `alg`: what a
    /// provider registers for `private_key_jwt`.
    pub fn public_jwk(&self) -> Value {
        let mut jwk = self.required_members();
        jwk.insert("alg".to_owned(), self.algorithm().as_str().into());
        if let Some(key_id) = &self.key_id {
            jwk.insert("kid".to_owned(), key_id.clone().into());
        }
        Value::Object(jwk)
    }

    /// The public key's JWK, its required members only (RFC 7638 §3.2): what a DPoP proof's
    /// header carries.
    pub(crate) fn required_jwk_members(&self) -> Map<String, Value> {
        self.required_members()
    }

    /// The JWK's required members only (RFC 7638 §3.2).
    fn required_members(&self) -> Map<String, Value> {
        let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
        let jwk = match &*self.pair {
            Pair::Rsa(pair) => {
                let public = pair.public_key();
                json!({
                    "e": b64(public.exponent().big_endian_without_leading_zero()),
                    "kty": "RSA",
                    "n": b64(public.modulus().big_endian_without_leading_zero()),
                })
            }
            Pair::Ec(pair) => {
                // The uncompressed point: 0x04, then x and y, 32 bytes each.
                let point = pair.public_key().as_ref();
                let (x, y) = point
                    .get(1..)
                    .unwrap_or_default()
                    .split_at(32.min(point.len().saturating_sub(1)));
                json!({ "crv": "P-256", "kty": "EC", "x": b64(x), "y": b64(y) })
            }
            Pair::Ed(pair) => json!({
                "crv": "Ed25519",
                "kty": "OKP",
                "x": b64(pair.public_key().as_ref()),
            }),
        };
        match jwk {
            Value::Object(members) => members,
            _ => Map::new(),
        }
    }

    /// The JWK thumbprint (RFC 7638): SHA-256 of the required members in lexicographic order,
    /// base64url. DPoP binds tokens to it (`jkt`).
    pub fn thumbprint(&self) -> String {
        thumbprint_of(self.required_members())
    }

    /// The signature of `message`: PKCS#1 v1.5 for RSA, the JWS `r || s` form for ECDSA (RFC
    /// 7518 §3.4), Ed25519's for EdDSA.
    pub(crate) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        // The RSA blinding and the ECDSA nonces come from aws-lc's own generator, seeded by
        // the operating system: the one exception to `random.rs`.
        let rng = aws_lc_rs::rand::SystemRandom::new();
        match &*self.pair {
            Pair::Rsa(pair) => {
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &rng, message, &mut signature)
                    .map_err(|_| SignError)?;
                Ok(signature)
            }
            Pair::Ec(pair) => Ok(pair
                .sign(&rng, message)
                .map_err(|_| SignError)?
                .as_ref()
                .to_vec()),
            Pair::Ed(pair) => Ok(pair.sign(message).as_ref().to_vec()),
        }
    }

    /// A compact JWS of `claims`, with `header` (to which `alg`, and `kid` when the key has
    /// one, are added).
    pub(crate) fn compact(
        &self,
        mut header: Map<String, Value>,
        claims: &Value,
    ) -> Result<String, SignError> {
        header.insert("alg".to_owned(), self.algorithm().as_str().into());
        if let Some(key_id) = &self.key_id {
            header.insert("kid".to_owned(), key_id.clone().into());
        }
        let input = signing_input(&Value::Object(header), claims);
        let signature = self.sign(input.as_bytes())?;
        Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

/// A compact JWS of `claims` signed with HMAC SHA-256 under `secret` (`client_secret_jwt`).
pub(crate) fn hs256_compact(
    secret: &[u8],
    mut header: Map<String, Value>,
    claims: &Value,
) -> String {
    header.insert("alg".to_owned(), "HS256".into());
    let input = signing_input(&Value::Object(header), claims);
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret);
    let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()))
}

/// The RFC 7638 thumbprint of a JWK's required members.
fn thumbprint_of(members: Map<String, Value>) -> String {
    use sha2::Digest as _;
    // serde_json's map keeps keys sorted, and writes no whitespace: RFC 7638's form.
    let canonical = Value::Object(members).to_string();
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(canonical.as_bytes()))
}

fn signing_input(header: &Value, claims: &Value) -> String {
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// The label and the decoded content of the first PEM block of `text`.
fn pem_block(text: &str) -> Result<(&str, Vec<u8>), KeyError> {
    let mut lines = text.lines().map(str::trim);
    let label = lines
        .by_ref()
        .find_map(|line| line.strip_prefix("-----BEGIN ")?.strip_suffix("-----"))
        .ok_or(KeyError::NotPem)?;
    let end = format!("-----END {label}-----");
    let mut body = String::new();
    let mut ended = false;
    for line in lines {
        if line == end {
            ended = true;
            break;
        }
        if line.contains(':') {
            // RFC 1421 headers: `Proc-Type: 4,ENCRYPTED` marks an encrypted traditional key.
            if line.contains("ENCRYPTED") {
                return Err(KeyError::Encrypted);
            }
            continue;
        }
        body.push_str(line);
    }
    if !ended {
        return Err(KeyError::NotPem);
    }
    let der = STANDARD
        .decode(body.as_bytes())
        .map_err(|_| KeyError::Unsupported {
            label: label.to_owned(),
        })?;
    Ok((label, der))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use super::*;

    const RSA_PKCS8: &str = include_str!("../tests/keys/rfc7515-rsa.pkcs8.pem");
    const RSA_PKCS1: &str = include_str!("../tests/keys/rfc7515-rsa.pkcs1.pem");
    const P256_PKCS8: &str = include_str!("../tests/keys/rfc7515-p256.pkcs8.pem");
    const P256_SEC1: &str = include_str!("../tests/keys/rfc7515-p256.sec1.pem");
    const ED25519: &str = include_str!("../tests/keys/rfc8037-ed25519.pkcs8.pem");
    const ENCRYPTED: &str = include_str!("../tests/keys/encrypted.pkcs8.pem");

    /// RFC 7515 A.2.1's signing input (also A.3's payload, with A.3's header).
    const RS256_INPUT: &str = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

    #[test]
    fn rfc7515_a2_rs256_signature_is_reproduced_from_both_encodings() {
        // RSASSA-PKCS1-v1_5 is deterministic: the RFC's signature, byte for byte.
        let expected = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
        for pem in [RSA_PKCS8, RSA_PKCS1] {
            let key = SigningKey::from_pem(pem).unwrap();
            assert_eq!(key.algorithm(), Algorithm::Rs256);
            let signature = key.sign(RS256_INPUT.as_bytes()).unwrap();
            assert_eq!(URL_SAFE_NO_PAD.encode(signature), expected);
        }
    }

    #[test]
    fn rfc7638_thumbprints() {
        // RFC 7638 §3.1's example, from its public members.
        let example = json!({
            "e": "AQAB",
            "kty": "RSA",
            "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        });
        let Value::Object(members) = example else {
            unreachable!()
        };
        assert_eq!(
            thumbprint_of(members),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
        // The keys of RFC 7515's examples, from their private keys; the expected values were
        // computed apart, with jose's calculateJwkThumbprint.
        let rsa = SigningKey::from_pem(RSA_PKCS8).unwrap();
        assert_eq!(
            rsa.thumbprint(),
            "IsUn6_e04MaShXFIISMp4kG62LWzMIPy_MvSA5pJgX8"
        );
        let jwk = rsa.public_jwk();
        assert_eq!(
            (jwk["e"].as_str(), jwk["alg"].as_str()),
            (Some("AQAB"), Some("RS256"))
        );
        assert!(jwk.get("d").is_none(), "no private member");
        let p256 = SigningKey::from_pem(P256_PKCS8).unwrap();
        assert_eq!(
            p256.thumbprint(),
            "oKIywvGUpTVTyxMQ3bwIIeQUudfr_CkLMjCE19ECD-U"
        );
    }

    #[test]
    fn rfc7515_a3_es256_verifies_with_the_rfc_public_key() {
        use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
        let input = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let x = URL_SAFE_NO_PAD
            .decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU")
            .unwrap();
        let y = URL_SAFE_NO_PAD
            .decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
            .unwrap();
        let point = [&[4u8][..], &x, &y].concat();
        let public = UnparsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, &point);
        // The RFC's own signature verifies, so the verifier is right...
        let rfc = URL_SAFE_NO_PAD.decode("DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q").unwrap();
        assert!(public.verify(input.as_bytes(), &rfc).is_ok());
        // ...and so does ours (ECDSA is randomized: verify, not compare), from either encoding.
        for pem in [P256_PKCS8, P256_SEC1] {
            let key = SigningKey::from_pem(pem).unwrap();
            assert_eq!(key.algorithm(), Algorithm::Es256);
            let signature = key.sign(input.as_bytes()).unwrap();
            assert_eq!(signature.len(), 64, "r || s, not DER");
            assert!(public.verify(input.as_bytes(), &signature).is_ok());
            let jwk = key.public_jwk();
            assert_eq!(
                (jwk["x"].as_str(), jwk["y"].as_str()),
                (
                    Some("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"),
                    Some("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0")
                )
            );
        }
    }

    #[test]
    fn rfc8037_a4_ed25519_signature_and_a3_thumbprint() {
        let key = SigningKey::from_pem(ED25519).unwrap();
        assert_eq!(key.algorithm(), Algorithm::EdDsa);
        let signature = key
            .sign(b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc")
            .unwrap();
        assert_eq!(
            URL_SAFE_NO_PAD.encode(signature),
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
        );
        assert_eq!(
            key.thumbprint(),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
    }

    #[test]
    fn rfc7515_a1_hs256() {
        let secret = URL_SAFE_NO_PAD
            .decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
            .unwrap();
        let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &secret);
        let input = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
        let tag = aws_lc_rs::hmac::sign(&key, input.as_bytes());
        assert_eq!(
            URL_SAFE_NO_PAD.encode(tag.as_ref()),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        // And the compact form of ours carries the header, the claims and that MAC.
        let jws = hs256_compact(&secret, Map::new(), &json!({"iss": "joe"}));
        let parts: Vec<&str> = jws.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(
            URL_SAFE_NO_PAD.decode(parts[0]).unwrap(),
            br#"{"alg":"HS256"}"#
        );
        let mac = aws_lc_rs::hmac::sign(&key, format!("{}.{}", parts[0], parts[1]).as_bytes());
        assert_eq!(parts[2], URL_SAFE_NO_PAD.encode(mac.as_ref()));
    }

    #[test]
    fn a_compact_jws_carries_alg_and_kid_and_verifies() {
        use aws_lc_rs::signature::UnparsedPublicKey;
        let key = SigningKey::from_pem(ED25519).unwrap().with_key_id("k1");
        let jws = key.compact(Map::new(), &json!({"sub": "client"})).unwrap();
        let (input, signature) = jws.rsplit_once('.').unwrap();
        let header: Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(input.split('.').next().unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(header, json!({"alg": "EdDSA", "kid": "k1"}));
        let x = URL_SAFE_NO_PAD
            .decode("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")
            .unwrap();
        assert!(
            UnparsedPublicKey::new(&aws_lc_rs::signature::ED25519, &x)
                .verify(
                    input.as_bytes(),
                    &URL_SAFE_NO_PAD.decode(signature).unwrap()
                )
                .is_ok()
        );
    }

    #[test]
    fn bad_keys_get_typed_errors_that_hold_none_of_the_key() {
        assert_eq!(
            SigningKey::from_pem(ENCRYPTED).unwrap_err(),
            KeyError::Encrypted
        );
        let traditional = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAAAA\n-----END RSA PRIVATE KEY-----\n";
        assert_eq!(
            SigningKey::from_pem(traditional).unwrap_err(),
            KeyError::Encrypted
        );
        assert_eq!(
            SigningKey::from_pem("not a key").unwrap_err(),
            KeyError::NotPem
        );
        let cut = &ED25519[..ED25519.len() - 10];
        assert_eq!(SigningKey::from_pem(cut).unwrap_err(), KeyError::NotPem);
        let certificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----";
        assert!(
            matches!(SigningKey::from_pem(certificate), Err(KeyError::NotAPrivateKey { label }) if label == "CERTIFICATE")
        );
        let garbage =
            "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----";
        let error = SigningKey::from_pem(garbage).unwrap_err();
        assert!(matches!(&error, KeyError::Unsupported { .. }));
        assert!(!error.to_string().contains("c2VjcmV0"));
        // Line breaks written as `\n`, as in an environment variable.
        let escaped = ED25519.trim_end().replace('\n', "\\n");
        assert_eq!(
            SigningKey::from_pem(&escaped).unwrap().algorithm(),
            Algorithm::EdDsa
        );
    }

    #[test]
    fn generated_keys_sign_and_come_back_from_their_document() {
        let (key, pkcs8) = SigningKey::generate_es256().unwrap();
        let again = SigningKey {
            pair: Arc::new(Pair::Ec(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &pkcs8).unwrap(),
            )),
            key_id: None,
        };
        assert_eq!(key.thumbprint(), again.thumbprint());
    }
}

/// A Google service account's JSON key file, read: who the account is and the key it signs
/// with. `Debug` shows the account, never the key.
///
/// ```
/// use connkit::jwt::{ServiceAccountKey, ServiceAccountKeyError};
///
/// let file = br#"{"type": "authorized_user", "client_id": "x"}"#;
/// assert_eq!(
///     ServiceAccountKey::from_google_json(file).unwrap_err(),
///     ServiceAccountKeyError::WrongType { found: "authorized_user".to_owned() },
/// );
/// ```
#[derive(Clone)]
pub struct ServiceAccountKey {
    client_email: String,
    private_key_id: Option<String>,
    private_key: crate::secret::PrivateKey,
    token_uri: Option<String>,
    algorithm: Algorithm,
}

impl fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("client_email", &self.client_email)
            .field("private_key_id", &self.private_key_id)
            .field("algorithm", &self.algorithm)
            .field("token_uri", &self.token_uri)
            .finish_non_exhaustive()
    }
}

/// Why a service account key file was refused. The messages name the field, never its value
/// (only `type`, which is not a secret, is shown).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ServiceAccountKeyError {
    /// The file is not a JSON object.
    #[error("the key file is not a JSON object (a Google service account key file is one)")]
    NotJson,
    /// A field the file must have is missing, or is not a string.
    #[error("the key file's `{field}` is missing or not a string")]
    Field {
        /// The field.
        field: &'static str,
    },
    /// The file is another kind of Google credential (a user's, a workload identity's).
    #[error(
        "the key file is of type {found:?}, not \"service_account\" (create a key for a service account in the Cloud console)"
    )]
    WrongType {
        /// The file's `type`.
        found: String,
    },
    /// `private_key` is not a key connkit can sign with.
    #[error("the key file's `private_key` cannot be used: {0}")]
    Key(KeyError),
}

impl ServiceAccountKey {
    /// Reads a Google service account's JSON key file (its bytes): `type` must be
    /// `"service_account"`, `client_email` and `private_key` (an unencrypted PEM key) are
    /// required, `private_key_id` (the `kid`) and `token_uri` are read when present.
    ///
    /// # Errors
    /// [`ServiceAccountKeyError`] naming the field, never the key.
    pub fn from_google_json(bytes: &[u8]) -> Result<Self, ServiceAccountKeyError> {
        let value: Value =
            serde_json::from_slice(bytes).map_err(|_| ServiceAccountKeyError::NotJson)?;
        let object = value.as_object().ok_or(ServiceAccountKeyError::NotJson)?;
        let text = |field: &'static str| -> Result<&str, ServiceAccountKeyError> {
            object
                .get(field)
                .and_then(Value::as_str)
                .ok_or(ServiceAccountKeyError::Field { field })
        };
        let optional = |field: &'static str| -> Result<Option<String>, ServiceAccountKeyError> {
            match object.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(text)) => Ok(Some(text.clone())),
                Some(_) => Err(ServiceAccountKeyError::Field { field }),
            }
        };
        let kind = text("type")?;
        if kind != "service_account" {
            return Err(ServiceAccountKeyError::WrongType {
                found: kind.to_owned(),
            });
        }
        let client_email = text("client_email")?.to_owned();
        if client_email.trim().is_empty() {
            return Err(ServiceAccountKeyError::Field {
                field: "client_email",
            });
        }
        let pem = text("private_key")?;
        let algorithm = SigningKey::from_pem(pem)
            .map_err(ServiceAccountKeyError::Key)?
            .algorithm();
        Ok(Self {
            client_email,
            private_key_id: optional("private_key_id")?,
            private_key: crate::secret::PrivateKey::new(pem),
            token_uri: optional("token_uri")?,
            algorithm,
        })
    }

    /// The service account's email: the assertion's `iss` (and `sub`, unless it acts as a user
    /// of the domain).
    pub fn client_email(&self) -> &str {
        &self.client_email
    }

    /// The key's id at Google (`kid`), when the file has one.
    pub fn private_key_id(&self) -> Option<&str> {
        self.private_key_id.as_deref()
    }

    /// The token endpoint the file names, when it has one.
    pub fn token_uri(&self) -> Option<&str> {
        self.token_uri.as_deref()
    }

    /// The algorithm the key signs with (RS256 for Google's keys).
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// The key as a JWT-bearer connection keeps it: the key id as `public_key`, the PEM as
    /// `private_key`.
    pub fn key_pair(&self) -> crate::definition::KeyPair {
        crate::definition::KeyPair::new(
            self.private_key_id.clone().unwrap_or_default(),
            self.private_key.clone(),
        )
    }

    /// The input values a JWT-bearer definition reads from the file, by their field names:
    /// `client_email`.
    pub fn inputs(&self) -> crate::definition::InputValues {
        crate::definition::InputValues::new().with("client_email", self.client_email.clone())
    }
}

#[cfg(test)]
mod service_account_tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use super::*;

    const RSA_PKCS8: &str = include_str!("../tests/keys/rfc7515-rsa.pkcs8.pem");
    const ENCRYPTED: &str = include_str!("../tests/keys/encrypted.pkcs8.pem");

    fn file(changes: &[(&str, Value)]) -> Vec<u8> {
        let mut object = json!({
            "type": "service_account",
            "project_id": "acme",
            "private_key_id": "0123abcd",
            "private_key": RSA_PKCS8,
            "client_email": "robot@acme.iam.gserviceaccount.com",
            "client_id": "1234",
            "token_uri": "https://oauth2.googleapis.com/token",
        });
        for (field, value) in changes {
            if value.is_null() {
                object.as_object_mut().unwrap().remove(*field);
            } else {
                object[*field] = value.clone();
            }
        }
        serde_json::to_vec(&object).unwrap()
    }

    #[test]
    fn a_google_key_file_is_read() {
        let key = ServiceAccountKey::from_google_json(&file(&[])).unwrap();
        assert_eq!(key.client_email(), "robot@acme.iam.gserviceaccount.com");
        assert_eq!(key.private_key_id(), Some("0123abcd"));
        assert_eq!(key.algorithm(), Algorithm::Rs256);
        assert_eq!(key.token_uri(), Some("https://oauth2.googleapis.com/token"));
        assert_eq!(key.key_pair().public_key, "0123abcd");
        assert!(!format!("{key:?}").contains("BEGIN"));
        assert!(!format!("{:?}", key.key_pair()).contains("BEGIN"));
    }

    #[test]
    fn each_bad_file_names_its_field_and_never_the_key() {
        let cases: [(Vec<u8>, ServiceAccountKeyError); 7] = [
            (b"not json".to_vec(), ServiceAccountKeyError::NotJson),
            (b"[1, 2]".to_vec(), ServiceAccountKeyError::NotJson),
            (
                file(&[("type", "authorized_user".into())]),
                ServiceAccountKeyError::WrongType {
                    found: "authorized_user".to_owned(),
                },
            ),
            (
                file(&[("private_key", Value::Null)]),
                ServiceAccountKeyError::Field {
                    field: "private_key",
                },
            ),
            (
                file(&[("client_email", 7.into())]),
                ServiceAccountKeyError::Field {
                    field: "client_email",
                },
            ),
            (
                file(&[("private_key", ENCRYPTED.into())]),
                ServiceAccountKeyError::Key(KeyError::Encrypted),
            ),
            (
                file(&[(
                    "private_key",
                    "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----".into(),
                )]),
                ServiceAccountKeyError::Key(KeyError::Unsupported {
                    label: "PRIVATE KEY".to_owned(),
                }),
            ),
        ];
        for (bytes, expected) in cases {
            let error = ServiceAccountKey::from_google_json(&bytes).unwrap_err();
            assert_eq!(error, expected);
            let shown = format!("{error} {error:?}");
            assert!(
                !shown.contains("MII") && !shown.contains("c2VjcmV0"),
                "{shown}"
            );
        }
    }
}
