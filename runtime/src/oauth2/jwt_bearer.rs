//! The client of one JWT-bearer connection (RFC 7523 §2.1; feature `jwt`): an assertion signed
//! with the owner's key, exchanged for a token; a token that expires is obtained again with a
//! new assertion.

use std::time::SystemTime;

use tracing::Instrument as _;

use super::client::{ClientError, OriginError, TokenError, parse_origin, traced};
use super::token::TokenSet;
use super::token_request::{
    RequestShape, ResponseShape, build_token_request, read_token_response, setup_error,
};
use crate::definition::{ClientAuth, InputValues, JwtBearerDefinition, KeyPair, TokenEndpoint};
use crate::http::{BlockingHttpClient, HttpClient};
use crate::jwt::SigningKey;

/// The `grant_type` of RFC 7523 §2.1.
pub const JWT_BEARER_GRANT: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// How long an assertion is valid: 55 seconds, under the shortest limit providers set (Box's
/// 60 seconds; Salesforce allows 3 minutes, Google an hour).
pub const ASSERTION_LIFETIME_SECONDS: u64 = 55;

/// A JWT-bearer definition with the owner's key and the connection's input values: everything
/// needed to obtain a token. `Debug` shows the key's algorithm and id, never the key.
///
/// ```
/// use connkit::definition::{InputValues, KeyPair};
/// use connkit::oauth2::JwtBearerClient;
/// use connkit::secret::PrivateKey;
///
/// #[connkit::jwt_bearer_connection(
///     id = "salesforce_connection_jwt-bearer", name = "JWT bearer", description = "Salesforce",
///     token_url = "https://login.salesforce.com/services/oauth2/token",
///     claims = { iss = "{consumer_key}", sub = "{username}", aud = "https://login.salesforce.com" },
///     inputs = { consumer_key = { label = "Consumer key" }, username = { label = "Username" } },
/// )]
/// struct Salesforce;
///
/// let key = KeyPair::new("", PrivateKey::new("-----BEGIN PRIVATE KEY-----
/// MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g
/// -----END PRIVATE KEY-----"));
/// let values = InputValues::new().with("consumer_key", "3MVG9").with("username", "ops@acme.example");
/// let client = JwtBearerClient::new(Salesforce::DEFINITION, &key, &values)?;
/// let request = client.token_request()?;
/// let body = String::from_utf8(request.body().clone())?;
/// assert!(body.starts_with("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=ey"));
/// assert!(!format!("{client:?}").contains("MC4C"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct JwtBearerClient {
    connection: &'static JwtBearerDefinition,
    key: SigningKey,
    endpoint: TokenEndpoint,
}

impl JwtBearerClient {
    /// A client signing with `key` (its `public_key` is the key id the provider knows the key
    /// by, sent as `kid`; empty for none) and the values of the connection's inputs, each
    /// checked against its pattern and position before any request is made.
    ///
    /// # Errors
    /// [`ClientError::Input`] naming the input whose value is missing, unknown or refused;
    /// [`ClientError::ClientKey`] for a key that cannot sign (the message says what it is,
    /// never what it holds).
    pub fn new(
        connection: &'static JwtBearerDefinition,
        key: &KeyPair,
        inputs: &InputValues,
    ) -> Result<Self, ClientError> {
        let endpoint = connection.endpoints(inputs)?;
        let signing = SigningKey::from_pem(key.private_key.expose_secret()).map_err(|source| {
            ClientError::ClientKey {
                connection_id: connection.id(),
                source,
            }
        })?;
        let signing = if key.public_key.trim().is_empty() {
            signing
        } else {
            signing.with_key_id(key.public_key.clone())
        };
        Ok(Self {
            connection,
            key: signing,
            endpoint,
        })
    }

    /// Sends this client's requests to `origin` instead of the declared token endpoint's (see
    /// [`OAuth2Client::with_origin`](crate::OAuth2Client::with_origin)). The assertion's `aud`
    /// stays as declared.
    ///
    /// # Errors
    /// [`OriginError`] for a URL the endpoint rules refuse, or one with a path or query.
    pub fn with_origin(mut self, origin: &str) -> Result<Self, OriginError> {
        self.endpoint.relocate(&parse_origin(origin)?);
        Ok(self)
    }

    /// The definition.
    pub fn connection(&self) -> &'static JwtBearerDefinition {
        self.connection
    }

    /// The values of the connection's inputs, defaults included.
    pub fn inputs(&self) -> &InputValues {
        self.endpoint.values()
    }

    /// The signing key (its algorithm and key id; the key stays inside).
    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    /// The assertion: the declared claims with their inputs filled in, `iat` now, `exp`
    /// [`ASSERTION_LIFETIME_SECONDS`] later, a fresh `jti`, and `scope` when the definition puts
    /// the scopes in the claim.
    ///
    /// # Errors
    /// [`TokenError::Http`] when the operating system's random numbers or the signature fail.
    pub fn assertion(&self) -> Result<String, TokenError> {
        let now = crate::clock::unix_seconds(crate::clock::now());
        let mut claims = serde_json::Map::new();
        for (name, value) in self.endpoint.claims() {
            claims.insert((*name).to_owned(), value.clone().into());
        }
        if self.connection.scope_in_claim()
            && let Some(scope) = self.connection.scope_param()
        {
            claims.insert("scope".to_owned(), scope.into());
        }
        let jti = crate::random::base64url_of::<16>().map_err(setup_error)?;
        claims.insert("jti".to_owned(), jti.into());
        claims.insert("iat".to_owned(), now.into());
        claims.insert("exp".to_owned(), (now + ASSERTION_LIFETIME_SECONDS).into());
        let mut header = serde_json::Map::new();
        header.insert("typ".to_owned(), "JWT".into());
        self.key
            .compact(header, &serde_json::Value::Object(claims))
            .map_err(setup_error)
    }

    /// The token request: `grant_type` (RFC 7523's), a new assertion, `scope` unless it is in
    /// the assertion, and the declared `token_params`. Send it with any HTTP client and read
    /// the answer with [`read_token_response`](Self::read_token_response).
    ///
    /// # Errors
    /// As [`assertion`](Self::assertion), or a declared header that cannot be sent.
    pub fn token_request(&self) -> Result<http::Request<Vec<u8>>, TokenError> {
        let assertion = self.assertion()?;
        let scope = (!self.connection.scope_in_claim())
            .then(|| self.connection.scope_param())
            .flatten();
        let mut form: Vec<(&str, &str)> =
            vec![("grant_type", JWT_BEARER_GRANT), ("assertion", &assertion)];
        if let Some(scope) = &scope {
            form.push(("scope", scope));
        }
        form.extend(
            self.endpoint
                .token_params()
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        );
        let shape = RequestShape {
            format: self.connection.token_request_format(),
            client_auth: ClientAuth::Body,
            headers: self.endpoint.token_headers(),
        };
        build_token_request(self.endpoint.token_url(), form, &shape, None, None)
    }

    /// Reads the answer to a [`token_request`](Self::token_request), the expiry computed from
    /// `now`.
    ///
    /// # Errors
    /// [`TokenError`] for an error answer (`invalid_grant` for an assertion the provider
    /// refuses), "retry later", or an unreadable answer.
    pub fn read_token_response(
        &self,
        response: &http::Response<Vec<u8>>,
        now: SystemTime,
    ) -> Result<TokenSet, TokenError> {
        let shape = ResponseShape {
            scope_delimiter: self.connection.scope_delimiter(),
            token_path: self.connection.token_path(),
            token_metadata: self.connection.token_metadata(),
        };
        read_token_response(response, &shape, None)
            .map(|parsed| TokenSet::from_response(parsed, now))
    }

    /// Obtains a token.
    ///
    /// # Errors
    /// [`TokenError`]: an OAuth2 error, an HTTP failure, or an unreadable answer.
    pub async fn obtain(&self, http: &impl HttpClient) -> Result<TokenSet, TokenError> {
        self.obtain_with_clock(http, SystemTime::now).await
    }

    /// [`obtain`](Self::obtain), the expiry computed on `clock` (the store's).
    pub(crate) async fn obtain_with_clock(
        &self,
        http: &impl HttpClient,
        clock: impl Fn() -> SystemTime + Send + Sync,
    ) -> Result<TokenSet, TokenError> {
        let span = self.span();
        let result = async {
            let response = http.send(self.token_request()?).await?;
            self.read_token_response(&response, clock())
        }
        .instrument(span.clone())
        .await;
        span.in_scope(|| traced(result))
    }

    /// [`obtain`](Self::obtain) over a blocking client.
    ///
    /// # Errors
    /// As `obtain`.
    pub fn obtain_blocking(&self, http: &impl BlockingHttpClient) -> Result<TokenSet, TokenError> {
        self.span().in_scope(|| {
            traced((|| {
                let response = http.send(self.token_request()?)?;
                self.read_token_response(&response, SystemTime::now())
            })())
        })
    }

    fn span(&self) -> tracing::Span {
        tracing::debug_span!(
            "connkit.token_request",
            connection = self.connection.id(),
            grant = "jwt-bearer",
            host = self.endpoint.token_url().host_str().unwrap_or_default(),
        )
    }
}
