//! The client of one connection: authorize URL, code exchange, refresh; and [`TokenError`],
//! the error of every token request.

use std::time::{Duration, SystemTime};

use tracing::Instrument as _;

use super::authorize::{
    AuthorizationRequest, CompletedAuthorization, DEFAULT_AUTHORIZATION_TTL, PendingAuthorization,
    RandomnessError, state_and_verifier,
};
use super::callback::CallbackError;
use super::token::TokenSet;
use super::token_request::{
    Client, ClientKey, Dpop, RequestShape, ResponseShape, build_token_request, client_key,
    read_token_response, with_nonce_retry, with_nonce_retry_blocking,
};
use super::token_response::{OAuthErrorCode, TokenResponse, TokenResponseError};
use crate::clock::unix_seconds;
use crate::credentials::{
    ClientCredentialError, ClientCredentialSource, ClientCredentials, ClientId,
};
use crate::definition::{
    ConnectionDefinition, Endpoints, InputError, InputValues, OAuth2Definition,
};
use crate::http::{BlockingHttpClient, HttpClient, HttpError};
use crate::secret::{ClientSecret, PkceVerifier, State};
use connkit_rules::url_shape::{RedirectUriError, UrlError, check_redirect_uri, check_url};
use url::Url;

/// Why a token request did not produce tokens. No variant carries a token, a secret or the
/// response body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The answer holds no tokens: an OAuth2 error, or an unreadable answer.
    #[error(transparent)]
    Response(#[from] TokenResponseError),
    /// Refreshing needs a refresh token and the token set has none.
    #[error("the token set has no refresh token")]
    NoRefreshToken,
    /// The authorization belongs to another connection.
    #[error("the authorization is for connection {found}, not {expected}")]
    WrongConnection {
        /// This client's connection.
        expected: &'static str,
        /// The authorization's connection.
        found: String,
    },
    /// The token endpoint asked to be retried later (HTTP 429 or 503), after `retry_after` when
    /// it sent `Retry-After` in seconds (capped at [`MAX_RETRY_AFTER`]). Nothing was changed:
    /// the token set refreshed is still the one to use.
    #[error("the token endpoint answered HTTP {status}: retry later{}", retry_after.map(|after| format!(" (after {} s)", after.as_secs())).unwrap_or_default())]
    RetryLater {
        /// 429 or 503.
        status: u16,
        /// The delay the server asked for.
        retry_after: Option<Duration>,
    },
    /// The pending authorization expired between the callback and the code exchange.
    #[error("the pending authorization expired before the code exchange")]
    AuthorizationExpired,
    /// The HTTP request failed.
    #[error(transparent)]
    Http(#[from] HttpError),
}

/// The longest `Retry-After` believed: an hour.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

impl TokenError {
    /// The OAuth2 error code, when the endpoint sent one.
    pub fn oauth_code(&self) -> Option<&OAuthErrorCode> {
        match self {
            Self::Response(error) => error.oauth_code(),
            _ => None,
        }
    }
}

/// A connection definition with the client's credentials and redirect URI: everything needed to
/// run the authorization-code flow.
///
/// ```no_run
/// # async fn run(callback_url: &str) -> Result<(), Box<dyn std::error::Error>> {
/// # #[connkit::oauth2_connection(id = "acme_connection_oauth2", name = "OAuth2", description = "Acme",
/// #     authorize_url = "https://acme.example/authorize", token_url = "https://acme.example/token",
/// #     scopes = ["read"], pkce = true)]
/// # struct AcmeOAuth2;
/// use connkit::{OAuth2Client, credentials::Env, http::ReqwestClient};
///
/// // The client id and secret come from INTEGRATION_ACME_CLIENT_ID / _SECRET.
/// let client = OAuth2Client::from_source(AcmeOAuth2::DEFINITION, &Env, "https://app.example/callback")?;
/// let request = client.authorize()?;
/// // Send the user to request.url; keep request.pending (it serializes), tied to the user's
/// // session, until the callback.
/// let completed = client.complete(request.pending, callback_url)?;
/// let tokens = client.exchange_code(&ReqwestClient::new()?, &completed).await?;
/// let tokens = client.refresh(&ReqwestClient::new()?, &tokens).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct OAuth2Client {
    connection: &'static OAuth2Definition,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    /// The private key of `private_key_jwt`, read once.
    client_key: Option<ClientKey>,
    /// The DPoP key that binds the tokens, and the server's nonce.
    dpop: Option<Dpop>,
    redirect_uri: String,
    /// The endpoints and parameters with the connection's inputs filled in (and moved to the
    /// origin given to `with_origin`, if any).
    endpoints: Endpoints,
    /// The authorize URL with everything but `state` and PKCE, made once.
    authorize_base: Url,
}

impl std::fmt::Debug for OAuth2Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The authorize URL's fixed part is left out: it repeats the endpoints, whose `Debug`
        // hides URLs that carry a secret input.
        f.debug_struct("OAuth2Client")
            .field("connection", &self.connection)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("redirect_uri", &self.redirect_uri)
            .field("endpoints", &self.endpoints)
            .finish_non_exhaustive()
    }
}

/// An origin given to [`OAuth2Client::with_origin`] that is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OriginError {
    /// It breaks the URL rules of declared endpoints.
    #[error("invalid origin {origin:?}: {problem}")]
    Url {
        /// The origin as given.
        origin: String,
        /// What is wrong with it.
        problem: UrlError,
    },
    /// It has a path or a query.
    #[error(
        "{origin:?} is not an origin: give the scheme, host and port only, like \"http://127.0.0.1:8080\""
    )]
    NotAnOrigin {
        /// The origin as given.
        origin: String,
    },
}

/// An [`OAuth2Client`] could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The credential source has no usable client credentials.
    #[error(transparent)]
    Credentials(#[from] ClientCredentialError),
    /// An input value is missing or refused.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The connection authenticates with `private_key_jwt`, and its client credentials have
    /// no private key.
    #[error(
        "connection {connection_id} signs its client assertions with a private key, and the client credentials have none"
    )]
    MissingClientKey {
        /// The connection.
        connection_id: &'static str,
    },
    /// The connection authenticates with `client_secret_jwt`, and its client credentials have
    /// no secret.
    #[error(
        "connection {connection_id} signs its client assertions with the client secret, and the client credentials have none"
    )]
    MissingClientSecret {
        /// The connection.
        connection_id: &'static str,
    },
    /// The client's private key could not be read (the message says what it is, never what
    /// it holds).
    #[cfg(feature = "jwt")]
    #[error("the client key of connection {connection_id} cannot be used: {source}")]
    ClientKey {
        /// The connection.
        connection_id: &'static str,
        /// Why.
        #[source]
        source: crate::jwt::KeyError,
    },
    /// The redirect URI is refused: `https`, `http` on a loopback host, or a native app's
    /// private-use scheme, never a fragment.
    #[error("invalid redirect URI {uri:?}: {problem}")]
    RedirectUri {
        /// The URI as given.
        uri: String,
        /// What is wrong with it.
        problem: RedirectUriError,
    },
}

impl OAuth2Client {
    /// A client with the given credentials; `client_secret` is `None` for a public client
    /// (which then sends its `client_id` in the form, and always uses PKCE).
    ///
    /// # Errors
    /// [`ClientError::RedirectUri`] unless the redirect URI is `https`, `http` on a loopback
    /// host, or a private-use scheme (RFC 8252), without a fragment;
    /// [`ClientError::Input`] when the connection has an input without a default (use
    /// [`with_inputs`](Self::with_inputs)).
    pub fn new(
        connection: &'static OAuth2Definition,
        credentials: ClientCredentials,
        redirect_uri: impl Into<String>,
    ) -> Result<Self, ClientError> {
        Self::with_inputs(connection, credentials, redirect_uri, &InputValues::new())
    }

    /// A client for a connection with inputs: `inputs` gives the values the end user supplied
    /// (the inputs' defaults fill the rest). Each value is checked against its pattern and the
    /// position of its placeholders before any request is made.
    ///
    /// ```
    /// # #[connkit::oauth2_connection(id = "shopify_connection_oauth2", name = "OAuth2", description = "Shopify",
    /// #     inputs = { shop = { label = "Shop name", pattern = "[a-z0-9][a-z0-9-]*" } },
    /// #     authorize_url = "https://{shop}.myshopify.com/admin/oauth/authorize",
    /// #     token_url = "https://{shop}.myshopify.com/admin/oauth/access_token", scopes = ["read_products"])]
    /// # struct ShopifyOAuth2;
    /// use connkit::{credentials::ClientCredentials, credentials::ClientId, definition::InputValues, OAuth2Client};
    ///
    /// let credentials = || ClientCredentials::new(ClientId::new("id"), None);
    /// let shop = InputValues::new().with("shop", "acme");
    /// let client = OAuth2Client::with_inputs(ShopifyOAuth2::DEFINITION, credentials(), "https://app.example/cb", &shop)?;
    /// assert!(client.authorize()?.url.as_str().starts_with("https://acme.myshopify.com/admin/oauth/authorize?"));
    ///
    /// let evil = InputValues::new().with("shop", "evil.com/x");
    /// let refused = OAuth2Client::with_inputs(ShopifyOAuth2::DEFINITION, credentials(), "https://app.example/cb", &evil);
    /// assert_eq!(refused.unwrap_err().to_string(), "the value of `shop` (Shop name) does not match its pattern \"[a-z0-9][a-z0-9-]*\"");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`new`](Self::new), and [`ClientError::Input`] naming the input whose value is
    /// missing, unknown or refused.
    pub fn with_inputs(
        connection: &'static OAuth2Definition,
        credentials: ClientCredentials,
        redirect_uri: impl Into<String>,
        inputs: &InputValues,
    ) -> Result<Self, ClientError> {
        let redirect_uri = redirect_uri.into();
        if let Err(problem) = check_redirect_uri(&redirect_uri) {
            return Err(ClientError::RedirectUri {
                uri: redirect_uri,
                problem,
            });
        }
        let endpoints = connection.endpoints(inputs)?;
        let client_key = client_key(connection.id(), connection.client_auth(), &credentials)?;
        let authorize_base = endpoints.authorization_base(
            connection.scope_param().as_deref(),
            credentials.client_id.as_str(),
            &redirect_uri,
        );
        Ok(Self {
            connection,
            client_id: credentials.client_id,
            client_secret: credentials.client_secret,
            client_key,
            dpop: None,
            redirect_uri,
            endpoints,
            authorize_base,
        })
    }

    /// Makes the authorize URL's fixed part again (after the redirect URI or the origin changed).
    fn rebase(mut self) -> Self {
        self.authorize_base = self.endpoints.authorization_base(
            self.connection.scope_param().as_deref(),
            self.client_id.as_str(),
            &self.redirect_uri,
        );
        self
    }

    /// A client whose credentials come from `source`, such as
    /// [`Env`](crate::credentials::Env).
    ///
    /// # Errors
    /// [`ClientError::Credentials`] saying what the source is missing (never a value), or
    /// [`ClientError::RedirectUri`].
    pub fn from_source(
        connection: &'static OAuth2Definition,
        source: &impl ClientCredentialSource,
        redirect_uri: impl Into<String>,
    ) -> Result<Self, ClientError> {
        Self::from_source_with_inputs(connection, source, redirect_uri, &InputValues::new())
    }

    /// [`from_source`](Self::from_source) for a connection with inputs (see
    /// [`with_inputs`](Self::with_inputs)).
    ///
    /// # Errors
    /// As `from_source` and `with_inputs`.
    pub fn from_source_with_inputs(
        connection: &'static OAuth2Definition,
        source: &impl ClientCredentialSource,
        redirect_uri: impl Into<String>,
        inputs: &InputValues,
    ) -> Result<Self, ClientError> {
        let credentials = source.client_credentials(ConnectionDefinition::OAuth2(connection))?;
        Self::with_inputs(connection, credentials, redirect_uri, inputs)
    }

    /// A client running in development: for a definition with
    /// `redirect_to_localhost_in_development = true`, a loopback redirect URI is sent with the
    /// host `localhost` (see [`OAuth2Definition::development_redirect_uri`]).
    #[must_use]
    pub fn in_development(mut self) -> Self {
        self.redirect_uri = self.connection.development_redirect_uri(&self.redirect_uri);
        self.rebase()
    }

    /// Sends this client's requests to `origin` (scheme, host and port) instead of the declared
    /// endpoints' origin, keeping their paths and queries: for tests against a server on
    /// loopback, or a staging deployment of the same provider. The origin obeys the rules of
    /// declared endpoints (`https`, or `http` for a loopback host). The client secret goes
    /// there: pass only an origin your own code chose, never one from a user.
    ///
    /// ```
    /// # #[connkit::oauth2_connection(id = "acme_connection_oauth2", name = "OAuth2", description = "Acme",
    /// #     authorize_url = "https://acme.example/oauth/authorize", token_url = "https://acme.example/oauth/token",
    /// #     scopes = [])]
    /// # struct AcmeOAuth2;
    /// use connkit::{credentials::ClientCredentials, credentials::ClientId, OAuth2Client};
    ///
    /// let credentials = || ClientCredentials::new(ClientId::new("id"), None);
    /// let client = OAuth2Client::new(AcmeOAuth2::DEFINITION, credentials(), "http://127.0.0.1:9000/cb")?
    ///     .with_origin("http://127.0.0.1:8080")?;
    /// let request = client.authorize()?;
    /// assert!(request.url.as_str().starts_with("http://127.0.0.1:8080/oauth/authorize?"));
    /// let other = OAuth2Client::new(AcmeOAuth2::DEFINITION, credentials(), "http://127.0.0.1:9000/cb")?;
    /// assert!(other.with_origin("http://example.com").is_err(), "plain http off loopback");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`OriginError`] for a URL the endpoint rules refuse, or one with a path or query.
    pub fn with_origin(mut self, origin: &str) -> Result<Self, OriginError> {
        self.endpoints.relocate(&parse_origin(origin)?);
        Ok(self.rebase())
    }

    /// The endpoints and parameters this client uses: the definition's, with its inputs filled
    /// in.
    pub fn endpoints(&self) -> &Endpoints {
        &self.endpoints
    }

    /// The values of the connection's inputs, defaults included (what a stored connection
    /// keeps).
    pub fn inputs(&self) -> &InputValues {
        self.endpoints.values()
    }

    /// The connection definition.
    pub fn connection(&self) -> &'static OAuth2Definition {
        self.connection
    }

    /// With a DPoP key (RFC 9449): every token request carries a proof signed by it, and the
    /// tokens are bound to it (the `jwt` feature). A server's `use_dpop_nonce` is answered
    /// once, with its nonce.
    #[cfg(feature = "jwt")]
    #[must_use]
    pub fn with_dpop(mut self, key: super::DpopKey) -> Self {
        self.dpop = Some(Dpop::new(key));
        self
    }

    /// The DPoP key, if the client has one.
    #[cfg(feature = "jwt")]
    pub fn dpop_key(&self) -> Option<&super::DpopKey> {
        self.dpop.as_ref().map(|dpop| &dpop.key)
    }

    /// The client id.
    pub fn client_id(&self) -> &ClientId {
        &self.client_id
    }

    /// Whether the client has a secret (a confidential client).
    pub(crate) fn has_secret(&self) -> bool {
        self.client_secret.is_some()
    }

    /// The redirect URI sent in the authorization request and the code exchange.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Starts an authorization: a fresh state (and PKCE verifier, when the connection uses
    /// PKCE), the authorize URL, and the pending authorization to keep, valid for
    /// [`DEFAULT_AUTHORIZATION_TTL`].
    ///
    /// # Errors
    /// When the OS random number generator fails.
    pub fn authorize(&self) -> Result<AuthorizationRequest, RandomnessError> {
        self.authorize_at(crate::clock::now(), DEFAULT_AUTHORIZATION_TTL)
    }

    /// [`authorize`](Self::authorize) at a given time with a given lifetime.
    ///
    /// # Errors
    /// When the OS random number generator fails.
    pub fn authorize_at(
        &self,
        now: SystemTime,
        ttl: Duration,
    ) -> Result<AuthorizationRequest, RandomnessError> {
        self.authorize_for(None, false, now, ttl)
    }

    /// An authorization that asks for `scopes` only (the scopes a stored connection lacks),
    /// with `include_granted_scopes=true` when the definition sets `incremental_auth`, so that
    /// the provider adds them to those granted before (Google's incremental authorization).
    ///
    /// # Errors
    /// When the OS random number generator fails.
    pub fn authorize_incremental(
        &self,
        scopes: &[&str],
    ) -> Result<AuthorizationRequest, RandomnessError> {
        let scope = (!scopes.is_empty()).then(|| scopes.join(self.connection.scope_delimiter()));
        self.authorize_for(
            Some(scope),
            self.connection.incremental_auth(),
            crate::clock::now(),
            DEFAULT_AUTHORIZATION_TTL,
        )
    }

    /// An authorization; `scope` replaces the definition's scope parameter when given.
    fn authorize_for(
        &self,
        scope: Option<Option<String>>,
        include_granted_scopes: bool,
        now: SystemTime,
        ttl: Duration,
    ) -> Result<AuthorizationRequest, RandomnessError> {
        // RFC 9700 §2.1.1: a public client (no secret) must use PKCE, whatever the definition says.
        let (state, pkce_verifier) = if self.connection.pkce() || self.client_secret.is_none() {
            let (state, verifier) = state_and_verifier()?;
            (state, Some(verifier))
        } else {
            (State::generate()?, None)
        };
        let challenge = pkce_verifier.as_ref().map(PkceVerifier::challenge_bytes);
        let base = match scope {
            None => self.authorize_base.clone(),
            Some(scope) => self.endpoints.authorization_base(
                scope.as_deref(),
                self.client_id.as_str(),
                &self.redirect_uri,
            ),
        };
        let mut url = Endpoints::with_state(
            base,
            state.expose_secret(),
            challenge.as_ref().map(|challenge| challenge.as_str()),
        );
        if include_granted_scopes {
            url.query_pairs_mut()
                .append_pair("include_granted_scopes", "true");
        }
        tracing::debug!(
            connection = self.connection.id(),
            pkce = pkce_verifier.is_some(),
            ttl_s = ttl.as_secs(),
            "authorization request made"
        );
        Ok(AuthorizationRequest {
            url,
            pending: PendingAuthorization {
                connection_id: self.connection.id().to_owned(),
                redirect_uri: self.redirect_uri.clone(),
                state,
                pkce_verifier,
                expires_at: unix_seconds(now).saturating_add(ttl.as_secs()),
            },
        })
    }

    /// Checks the callback against `pending` and consumes it, so an authorization completes
    /// once. The state is compared in constant time; the pending authorization must not have
    /// expired and must be this client's connection's; an error response becomes
    /// [`CallbackError::Authorization`] (with its code, description and state); and when the
    /// definition declares an `issuer`, a callback naming another one is refused, as is one
    /// without `iss` when the definition sets `require_iss` (RFC 9207, mix-up attacks).
    ///
    /// `callback` is the whole redirect URL or only its query. See [`PendingAuthorization`] for
    /// how to tie the pending authorization to the browser that started it.
    ///
    /// # Errors
    /// [`CallbackError`] for each refusal above, a missing code or a repeated parameter.
    pub fn complete(
        &self,
        pending: PendingAuthorization,
        callback: &str,
    ) -> Result<CompletedAuthorization, CallbackError> {
        self.complete_at(pending, callback, crate::clock::now())
    }

    /// [`complete`](Self::complete) at a given time.
    ///
    /// # Errors
    /// As `complete`.
    pub fn complete_at(
        &self,
        pending: PendingAuthorization,
        callback: &str,
        now: SystemTime,
    ) -> Result<CompletedAuthorization, CallbackError> {
        if pending.connection_id != self.connection.id() {
            return Err(CallbackError::WrongConnection {
                expected: self.connection.id(),
                found: pending.connection_id,
            });
        }
        let result = pending.verify_callback(
            callback,
            now,
            self.connection.issuer(),
            self.connection.require_iss(),
        );
        match &result {
            Ok(completed) => tracing::debug!(
                connection = self.connection.id(),
                issuer = completed.issuer(),
                "callback accepted"
            ),
            Err(error) => tracing::debug!(
                connection = self.connection.id(),
                error = %error,
                "callback refused"
            ),
        }
        result
    }

    /// The code exchange request: `grant_type=authorization_code`, the code, the redirect URI
    /// of the authorization, the PKCE verifier, client authentication as the connection
    /// declares, `Accept: application/json`, and the connection's token headers.
    ///
    /// # Errors
    /// [`TokenError::WrongConnection`] when `completed` belongs to another connection, and
    /// [`TokenError::AuthorizationExpired`] when its pending authorization has expired since.
    pub fn exchange_request(
        &self,
        completed: &CompletedAuthorization,
    ) -> Result<http::Request<Vec<u8>>, TokenError> {
        self.exchange_request_at(completed, crate::clock::now())
    }

    /// [`exchange_request`](Self::exchange_request) at a given time.
    ///
    /// # Errors
    /// As `exchange_request`.
    pub fn exchange_request_at(
        &self,
        completed: &CompletedAuthorization,
        now: SystemTime,
    ) -> Result<http::Request<Vec<u8>>, TokenError> {
        if completed.connection_id != self.connection.id() {
            return Err(TokenError::WrongConnection {
                expected: self.connection.id(),
                found: completed.connection_id.clone(),
            });
        }
        if unix_seconds(now) >= completed.expires_at {
            return Err(TokenError::AuthorizationExpired);
        }
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", completed.code.expose_secret()),
            ("redirect_uri", completed.redirect_uri.as_str()),
        ];
        if let Some(verifier) = &completed.pkce_verifier {
            form.push(("code_verifier", verifier.expose_secret()));
        }
        form.extend(
            self.endpoints
                .token_params()
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        );
        self.token_request(self.endpoints.token_url(), form)
    }

    /// The refresh request, to the refresh endpoint (`refresh_url`, or the token endpoint):
    /// `grant_type=refresh_token`, the refresh token, the definition's scopes as `scope` when it
    /// sets `refresh_scopes`, the redirect URI when it sets `redirect_uri_on_refresh`, client
    /// authentication, the connection's `refresh_params` and token headers.
    ///
    /// # Errors
    /// [`TokenError::NoRefreshToken`] when `tokens` has no refresh token.
    pub fn refresh_request(&self, tokens: &TokenSet) -> Result<http::Request<Vec<u8>>, TokenError> {
        let refresh_token = tokens.refresh_token().ok_or(TokenError::NoRefreshToken)?;
        let scope = self
            .connection
            .refresh_scopes()
            .then(|| self.connection.scope_param())
            .flatten();
        let mut form = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token.expose_secret()),
        ];
        if let Some(scope) = &scope {
            form.push(("scope", scope));
        }
        if self.connection.redirect_uri_on_refresh() {
            form.push(("redirect_uri", &self.redirect_uri));
        }
        form.extend(
            self.endpoints
                .refresh_params()
                .iter()
                .map(|(name, value)| (*name, value.as_str())),
        );
        self.token_request(self.endpoints.refresh_url(), form)
    }

    /// The revocation request (RFC 7009) for `tokens`, to the definition's `revoke_url`: the
    /// refresh token when there is one (revoking it ends its access tokens too at most
    /// providers), else the access token, with `token_type_hint`, client authentication as the
    /// connection declares and its token headers. `None` when the definition declares no
    /// revocation endpoint.
    ///
    /// # Errors
    /// When the request cannot be built.
    pub fn revoke_request(
        &self,
        tokens: &TokenSet,
    ) -> Option<Result<http::Request<Vec<u8>>, TokenError>> {
        let url = self.endpoints.revoke_url()?;
        let form = match tokens.refresh_token() {
            Some(refresh) => vec![
                ("token", refresh.expose_secret()),
                ("token_type_hint", "refresh_token"),
            ],
            None => vec![
                ("token", tokens.access_token().expose_secret()),
                ("token_type_hint", "access_token"),
            ],
        };
        Some(self.token_request(url, form))
    }

    /// Reads the answer to a [`revoke_request`](Self::revoke_request): any 2xx is success (RFC
    /// 7009 §2.2: an unknown or already revoked token is success too).
    ///
    /// # Errors
    /// [`TokenError::RetryLater`] for 429 and 503, the OAuth2 error the server sent, or the
    /// status.
    pub fn read_revoke_response(
        &self,
        response: &http::Response<Vec<u8>>,
    ) -> Result<(), TokenError> {
        if response.status().is_success() {
            return Ok(());
        }
        // Not a success: the error the body carries, or the status (reading a non-2xx answer
        // never yields tokens).
        match self.read(response) {
            Err(error) => Err(error),
            Ok(_) => Err(TokenError::Response(TokenResponseError::Status {
                status: response.status().as_u16(),
                content_type: None,
            })),
        }
    }

    /// Revokes `tokens` at the provider; `Ok(false)` when the definition declares no
    /// revocation endpoint.
    ///
    /// # Errors
    /// [`TokenError`] for an HTTP failure or a refusal.
    pub async fn revoke(
        &self,
        http: &impl HttpClient,
        tokens: &TokenSet,
    ) -> Result<bool, TokenError> {
        let Some(request) = self.revoke_request(tokens) else {
            return Ok(false);
        };
        let response = http.send(request?).await?;
        self.read_revoke_response(&response)?;
        tracing::debug!(connection = self.connection.id(), "tokens revoked");
        Ok(true)
    }

    /// A request of `form` to `url` with the client authenticated as declared: the device
    /// authorization endpoint's, a poll's.
    pub(crate) fn token_request_to<'a>(
        &'a self,
        url: &Url,
        form: Vec<(&'a str, &'a str)>,
    ) -> Result<http::Request<Vec<u8>>, TokenError> {
        self.token_request(url, form)
    }

    /// The error an answer carries, read as a token endpoint's (`Ok` when it holds none).
    pub(crate) fn read_error(&self, response: &http::Response<Vec<u8>>) -> Result<(), TokenError> {
        self.read(response).map(drop)
    }

    fn token_request<'a>(
        &'a self,
        url: &Url,
        form: Vec<(&'a str, &'a str)>,
    ) -> Result<http::Request<Vec<u8>>, TokenError> {
        let shape = RequestShape {
            format: self.connection.token_request_format(),
            client_auth: self.connection.client_auth(),
            headers: self.endpoints.token_headers(),
        };
        let client = Client {
            id: &self.client_id,
            secret: self.client_secret.as_ref(),
            key: self.client_key.as_ref(),
        };
        build_token_request(url, form, &shape, Some(client), self.dpop.as_ref())
    }

    /// Reads the answer to an [`exchange_request`](Self::exchange_request).
    ///
    /// # Errors
    /// [`TokenError`] for an error answer or an unreadable one.
    pub fn read_exchange_response(
        &self,
        response: &http::Response<Vec<u8>>,
        now: SystemTime,
    ) -> Result<TokenSet, TokenError> {
        self.read(response)
            .map(|parsed| TokenSet::from_response(parsed, now))
    }

    /// Reads the answer to a [`refresh_request`](Self::refresh_request) made for `tokens`.
    ///
    /// # Errors
    /// [`TokenError`] for an error answer or an unreadable one.
    pub fn read_refresh_response(
        &self,
        tokens: &TokenSet,
        response: &http::Response<Vec<u8>>,
        now: SystemTime,
    ) -> Result<TokenSet, TokenError> {
        self.read(response)
            .map(|parsed| tokens.refreshed(parsed, now))
    }

    fn read(&self, response: &http::Response<Vec<u8>>) -> Result<TokenResponse, TokenError> {
        read_token_response(
            response,
            &ResponseShape {
                scope_delimiter: self.connection.scope_delimiter(),
                token_path: self.connection.token_path(),
                token_metadata: self.connection.token_metadata(),
            },
            self.dpop.as_ref(),
        )
    }

    /// Exchanges the callback's code for tokens.
    ///
    /// # Errors
    /// [`TokenError`]: an OAuth2 error (`invalid_grant` for a wrong, replayed or expired code,
    /// verifier or redirect URI; `invalid_client` for wrong credentials), an HTTP failure, or an
    /// unreadable answer.
    pub async fn exchange_code(
        &self,
        http: &impl HttpClient,
        completed: &CompletedAuthorization,
    ) -> Result<TokenSet, TokenError> {
        self.exchange_code_with_clock(http, completed, SystemTime::now)
            .await
    }

    /// [`exchange_code`](Self::exchange_code), the expiry computed on `clock` (the store's).
    pub(crate) async fn exchange_code_with_clock(
        &self,
        http: &impl HttpClient,
        completed: &CompletedAuthorization,
        clock: impl Fn() -> SystemTime + Send + Sync,
    ) -> Result<TokenSet, TokenError> {
        let span = self.token_span("authorization_code");
        let result = with_nonce_retry(self.dpop.is_some(), || async {
            let response = http.send(self.exchange_request(completed)?).await?;
            self.read_exchange_response(&response, clock())
        })
        .instrument(span.clone())
        .await;
        span.in_scope(|| traced(result))
    }

    /// [`exchange_code`](Self::exchange_code) over a blocking client.
    ///
    /// # Errors
    /// As `exchange_code`.
    pub fn exchange_code_blocking(
        &self,
        http: &impl BlockingHttpClient,
        completed: &CompletedAuthorization,
    ) -> Result<TokenSet, TokenError> {
        let span = self.token_span("authorization_code");
        span.in_scope(|| {
            traced(with_nonce_retry_blocking(self.dpop.is_some(), || {
                let response = http.send(self.exchange_request(completed)?)?;
                self.read_exchange_response(&response, crate::clock::now())
            }))
        })
    }

    /// Refreshes `tokens`; the result keeps the old refresh token when none is returned and
    /// merges metadata.
    ///
    /// # Errors
    /// [`TokenError`], including [`TokenError::NoRefreshToken`].
    pub async fn refresh(
        &self,
        http: &impl HttpClient,
        tokens: &TokenSet,
    ) -> Result<TokenSet, TokenError> {
        self.refresh_with_clock(http, tokens, SystemTime::now).await
    }

    /// [`refresh`](Self::refresh), the expiry computed on `clock` (the store's).
    pub(crate) async fn refresh_with_clock(
        &self,
        http: &impl HttpClient,
        tokens: &TokenSet,
        clock: impl Fn() -> SystemTime + Send + Sync,
    ) -> Result<TokenSet, TokenError> {
        let span = self.token_span("refresh_token");
        let result = with_nonce_retry(self.dpop.is_some(), || async {
            let response = http.send(self.refresh_request(tokens)?).await?;
            self.read_refresh_response(tokens, &response, clock())
        })
        .instrument(span.clone())
        .await;
        span.in_scope(|| traced(result))
    }

    /// [`refresh`](Self::refresh) over a blocking client.
    ///
    /// # Errors
    /// As `refresh`.
    pub fn refresh_blocking(
        &self,
        http: &impl BlockingHttpClient,
        tokens: &TokenSet,
    ) -> Result<TokenSet, TokenError> {
        let span = self.token_span("refresh_token");
        span.in_scope(|| {
            traced(with_nonce_retry_blocking(self.dpop.is_some(), || {
                let response = http.send(self.refresh_request(tokens)?)?;
                self.read_refresh_response(tokens, &response, crate::clock::now())
            }))
        })
    }
}

impl OAuth2Client {
    /// The span of one token request: the connection, the grant and the endpoint's host, never
    /// a credential.
    fn token_span(&self, grant: &'static str) -> tracing::Span {
        let endpoint = if grant == "refresh_token" {
            self.endpoints.refresh_url()
        } else {
            self.endpoints.token_url()
        };
        tracing::debug_span!(
            "connkit.token_request",
            connection = self.connection.id(),
            grant,
            host = endpoint.host_str().unwrap_or_default(),
        )
    }
}

/// An origin that the rules of declared endpoints accept, without a path or a query.
pub(crate) fn parse_origin(origin: &str) -> Result<Url, OriginError> {
    let parts = check_url(origin).map_err(|problem| OriginError::Url {
        origin: origin.to_owned(),
        problem,
    })?;
    let not_an_origin = || OriginError::NotAnOrigin {
        origin: origin.to_owned(),
    };
    if !matches!(parts.path, "" | "/") || parts.query.is_some() {
        return Err(not_an_origin());
    }
    Url::parse(origin).map_err(|_| not_an_origin())
}

/// Logs a token request's outcome: what was granted, or the error (whose `Display` carries no
/// secret), never a token.
pub(crate) fn traced(result: Result<TokenSet, TokenError>) -> Result<TokenSet, TokenError> {
    match &result {
        Ok(tokens) => tracing::debug!(
            expires_in_s = tokens
                .expires_at()
                .and_then(|at| at.duration_since(crate::clock::now()).ok())
                .map(|left| left.as_secs()),
            scopes = ?tokens.scopes(),
            refresh_token = tokens.refresh_token().is_some(),
            "token endpoint granted tokens"
        ),
        Err(error) => tracing::debug!(error = %error, "token request failed"),
    }
    result
}
