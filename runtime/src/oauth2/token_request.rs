//! What every token request shares, whatever its grant: how the request carries its fields and
//! authenticates the client, and how its answer is read (an error, "retry later", or a token
//! response of the declared shape).

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use url::Url;

use super::client::{ClientError, MAX_RETRY_AFTER, TokenError};
use super::token_response::{OAuthErrorCode, TokenResponse, parse_token_response_shaped};
use crate::credentials::{ClientCredentials, ClientId};
use crate::definition::{ClientAuth, TokenRequestFormat};
use crate::http::HttpError;
use crate::secret::ClientSecret;

/// How a definition's token requests are made.
pub(crate) struct RequestShape<'a> {
    pub(crate) format: TokenRequestFormat,
    pub(crate) client_auth: ClientAuth,
    /// The declared extra headers, filled in.
    pub(crate) headers: &'a [(&'static str, String)],
}

/// How a definition's token responses are read.
pub(crate) struct ResponseShape {
    pub(crate) scope_delimiter: &'static str,
    pub(crate) token_path: Option<&'static str>,
    pub(crate) token_metadata: &'static [&'static str],
}

/// The client's private key, read once when its client is made: a signing key with the `jwt`
/// feature; without it no definition signs (the macros refuse them), so there is none.
#[cfg(feature = "jwt")]
pub(crate) type ClientKey = crate::jwt::SigningKey;
/// The client's private key: without the `jwt` feature no definition signs, so there is none.
#[cfg(not(feature = "jwt"))]
#[derive(Debug, Clone)]
pub(crate) enum ClientKey {}

/// A client's DPoP key and its server's nonce (RFC 9449), with the `jwt` feature.
#[cfg(feature = "jwt")]
pub(crate) use super::dpop::Dpop;
/// Without the `jwt` feature no definition binds its tokens (the macros refuse it).
#[cfg(not(feature = "jwt"))]
#[derive(Clone)]
pub(crate) enum Dpop {}

/// Runs `attempt` again, once, when the server answered `use_dpop_nonce` (RFC 9449 §8): the
/// nonce it sent was kept, and the second proof carries it.
pub(crate) async fn with_nonce_retry<T, F, Fut>(dpop: bool, mut attempt: F) -> Result<T, TokenError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, TokenError>>,
{
    match attempt().await {
        Err(error) if dpop && error.oauth_code() == Some(&OAuthErrorCode::UseDpopNonce) => {
            attempt().await
        }
        other => other,
    }
}

/// [`with_nonce_retry`] for a blocking request.
pub(crate) fn with_nonce_retry_blocking<T>(
    dpop: bool,
    mut attempt: impl FnMut() -> Result<T, TokenError>,
) -> Result<T, TokenError> {
    match attempt() {
        Err(error) if dpop && error.oauth_code() == Some(&OAuthErrorCode::UseDpopNonce) => {
            attempt()
        }
        other => other,
    }
}

/// The client as a token request authenticates it.
#[derive(Clone, Copy)]
pub(crate) struct Client<'a> {
    pub(crate) id: &'a ClientId,
    pub(crate) secret: Option<&'a ClientSecret>,
    pub(crate) key: Option<&'a ClientKey>,
}

/// The client's key of `credentials`, read, and a check that the client has what `auth`
/// signs or sends.
pub(crate) fn client_key(
    connection_id: &'static str,
    auth: ClientAuth,
    credentials: &ClientCredentials,
) -> Result<Option<ClientKey>, ClientError> {
    match auth {
        ClientAuth::ClientSecretJwt if credentials.client_secret.is_none() => {
            return Err(ClientError::MissingClientSecret { connection_id });
        }
        ClientAuth::PrivateKeyJwt if credentials.client_key.is_none() => {
            return Err(ClientError::MissingClientKey { connection_id });
        }
        _ => {}
    }
    #[cfg(feature = "jwt")]
    if auth == ClientAuth::PrivateKeyJwt
        && let Some(pem) = &credentials.client_key
    {
        let key = crate::jwt::SigningKey::from_pem(pem.expose_secret()).map_err(|source| {
            ClientError::ClientKey {
                connection_id,
                source,
            }
        })?;
        return Ok(Some(match &credentials.client_key_id {
            Some(key_id) => key.with_key_id(key_id.clone()),
            None => key,
        }));
    }
    Ok(None)
}

/// The type of a client assertion (RFC 7523 §2.2).
#[cfg(feature = "jwt")]
const JWT_BEARER_ASSERTION: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long a client assertion is valid: a minute, as providers ask of short-lived assertions.
#[cfg(feature = "jwt")]
const ASSERTION_LIFETIME: u64 = 60;

/// A client assertion for a request to `audience` (RFC 7523 §3): issued by and about the
/// client, with a fresh `jti`, valid a minute from now.
#[cfg(feature = "jwt")]
fn client_assertion(
    client: Client<'_>,
    auth: ClientAuth,
    audience: &Url,
) -> Result<String, TokenError> {
    let now = crate::clock::unix_seconds(crate::clock::now());
    let jti = crate::random::base64url_of::<16>().map_err(setup_error)?;
    let claims = serde_json::json!({
        "iss": client.id.as_str(),
        "sub": client.id.as_str(),
        "aud": audience.as_str(),
        "jti": jti,
        "iat": now,
        "exp": now + ASSERTION_LIFETIME,
    });
    let mut header = serde_json::Map::new();
    header.insert("typ".to_owned(), "JWT".into());
    match (auth, client.key, client.secret) {
        (ClientAuth::PrivateKeyJwt, Some(key), _) => {
            key.compact(header, &claims).map_err(setup_error)
        }
        (ClientAuth::ClientSecretJwt, _, Some(secret)) => Ok(crate::jwt::hs256_compact(
            secret.expose_secret().as_bytes(),
            header,
            &claims,
        )),
        // The client was checked when it was made (`client_key`).
        _ => Err(setup_error(MissingSigner)),
    }
}

/// A client that signs, made without its key or secret.
#[derive(Debug, thiserror::Error)]
#[error("the client has no key or secret to sign its assertion with")]
struct MissingSigner;

/// A POST of `form` to `url`, in the declared format, with the client authenticated as
/// declared (a public client, without a secret, sends its id only; `None`: a grant whose
/// assertion is all the authentication) and the declared headers.
pub(crate) fn build_token_request<'a>(
    url: &Url,
    form: Vec<(&'a str, &'a str)>,
    shape: &RequestShape<'_>,
    client: Option<Client<'a>>,
    dpop: Option<&Dpop>,
) -> Result<http::Request<Vec<u8>>, TokenError> {
    // Declared before the form, which may borrow it.
    #[cfg(feature = "jwt")]
    let assertion: String;
    let mut form: Vec<(&str, &str)> = form;
    let content_type = match shape.format {
        TokenRequestFormat::Form => "application/x-www-form-urlencoded",
        TokenRequestFormat::Json => "application/json",
    };
    let mut builder = http::Request::post(url.as_str())
        .header(CONTENT_TYPE, content_type)
        .header(ACCEPT, "application/json");
    if let Some(client) = client {
        let (client_id, client_secret) = (client.id, client.secret);
        match (shape.client_auth, client_secret) {
            (ClientAuth::Header, Some(secret)) => {
                builder = builder.header(AUTHORIZATION, basic_credentials(client_id, secret));
            }
            (ClientAuth::Body, Some(secret)) => {
                form.push(("client_id", client_id.as_str()));
                form.push(("client_secret", secret.expose_secret()));
            }
            #[cfg(feature = "jwt")]
            (auth @ (ClientAuth::PrivateKeyJwt | ClientAuth::ClientSecretJwt), _) => {
                assertion = client_assertion(client, auth, url)?;
                form.push(("client_id", client_id.as_str()));
                form.push(("client_assertion_type", JWT_BEARER_ASSERTION));
                form.push(("client_assertion", &assertion));
            }
            // Without the `jwt` feature no definition signs: the macros refuse them.
            #[cfg(not(feature = "jwt"))]
            (ClientAuth::PrivateKeyJwt | ClientAuth::ClientSecretJwt, _) => {
                let _ = client.key;
                return Err(setup_error(MissingSigner));
            }
            (_, None) => form.push(("client_id", client_id.as_str())),
        }
    }
    let body = match shape.format {
        TokenRequestFormat::Form => url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish()
            .into_bytes(),
        TokenRequestFormat::Json => {
            let object: serde_json::Map<String, serde_json::Value> = form
                .into_iter()
                .map(|(name, value)| (name.to_owned(), serde_json::Value::from(value)))
                .collect();
            serde_json::to_vec(&object).map_err(setup_error)?
        }
    };
    let mut request = builder.body(body).map_err(setup_error)?;
    #[cfg(feature = "jwt")]
    if let Some(dpop) = dpop {
        let proof = dpop
            .key
            .proof(&http::Method::POST, url, None, dpop.nonce().as_deref())
            .map_err(setup_error)?;
        let value = http::HeaderValue::from_str(&proof).map_err(setup_error)?;
        request.headers_mut().insert("dpop", value);
    }
    #[cfg(not(feature = "jwt"))]
    let _ = dpop;
    for (name, value) in shape.headers {
        // Names and values were checked at compile time; a declared header replaces a default
        // one (such as Accept).
        let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(setup_error)?;
        let value = http::HeaderValue::from_str(value).map_err(setup_error)?;
        request.headers_mut().insert(name, value);
    }
    Ok(request)
}

/// Reads a token endpoint's answer: [`TokenError::RetryLater`] for 429 and 503 (with the
/// `Retry-After` seconds, capped), the OAuth2 error it carries, or the token response.
pub(crate) fn read_token_response(
    response: &http::Response<Vec<u8>>,
    shape: &ResponseShape,
    dpop: Option<&Dpop>,
) -> Result<TokenResponse, TokenError> {
    #[cfg(feature = "jwt")]
    if let Some(dpop) = dpop {
        dpop.remember_nonce(response);
    }
    #[cfg(not(feature = "jwt"))]
    let _ = dpop;
    let status = response.status().as_u16();
    if status == 429 || status == 503 {
        // Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3); a date is not
        // read, and says only "later".
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(|seconds| Duration::from_secs(seconds).min(MAX_RETRY_AFTER));
        return Err(TokenError::RetryLater {
            status,
            retry_after,
        });
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    Ok(parse_token_response_shaped(
        status,
        content_type,
        response.body(),
        shape.scope_delimiter,
        shape.token_path,
        shape.token_metadata,
    )?)
}

/// A token request that could not be built.
pub(crate) fn setup_error(error: impl std::error::Error + Send + Sync + 'static) -> TokenError {
    TokenError::Http(HttpError::Setup(Box::new(error)))
}

/// `Basic base64(urlencode(id):urlencode(secret))`, RFC 6749 §2.3.1.
fn basic_credentials(client_id: &ClientId, secret: &ClientSecret) -> http::HeaderValue {
    let encode =
        |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let credentials = format!(
        "{}:{}",
        encode(client_id.as_str()),
        encode(secret.expose_secret())
    );
    let mut value = http::HeaderValue::try_from(format!("Basic {}", STANDARD.encode(credentials)))
        .unwrap_or_else(|_| http::HeaderValue::from_static("Basic"));
    value.set_sensitive(true);
    value
}
