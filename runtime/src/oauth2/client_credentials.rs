//! The client of one client-credentials connection (RFC 6749 §4.4): the token request, and its
//! answer read into a token set. No user, no redirect, no refresh token: a token that expires is
//! obtained again with the same request.

use std::time::SystemTime;

use tracing::Instrument as _;

use super::client::{ClientError, OriginError, TokenError, parse_origin, traced};
use super::token::TokenSet;
use super::token_request::{
    Client, ClientKey, Dpop, RequestShape, ResponseShape, build_token_request, client_key,
    read_token_response, with_nonce_retry, with_nonce_retry_blocking,
};
use crate::credentials::{ClientCredentialSource, ClientCredentials, ClientId};
use crate::definition::{
    ClientCredentialsDefinition, ConnectionDefinition, InputValues, TokenEndpoint,
};
use crate::http::{BlockingHttpClient, HttpClient};
use crate::secret::ClientSecret;

/// A client-credentials definition with the client's credentials and the connection's input
/// values: everything needed to obtain a token. `Debug` shows no secret.
///
/// ```
/// use connkit::credentials::{ClientCredentials, ClientId};
/// use connkit::definition::InputValues;
/// use connkit::oauth2::ClientCredentialsClient;
/// use connkit::secret::ClientSecret;
///
/// #[connkit::client_credentials_connection(
///     id = "zoom_connection_client-credentials", name = "Server-to-server",
///     description = "Zoom", token_url = "https://zoom.us/oauth/token",
///     grant_type = "account_credentials", client_auth = "header",
///     token_params = { account_id = "{account_id}" },
///     inputs = { account_id = { label = "Account ID" } },
/// )]
/// struct Zoom;
///
/// let credentials = ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("s3cret")));
/// let account = InputValues::new().with("account_id", "AbC");
/// let client = ClientCredentialsClient::new(Zoom::DEFINITION, credentials, &account)?;
/// let request = client.token_request()?;
/// assert_eq!(request.uri(), "https://zoom.us/oauth/token");
/// assert_eq!(request.body(), b"grant_type=account_credentials&account_id=AbC");
/// assert!(!format!("{client:?}").contains("s3cret"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct ClientCredentialsClient {
    connection: &'static ClientCredentialsDefinition,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    client_key: Option<ClientKey>,
    dpop: Option<Dpop>,
    endpoint: TokenEndpoint,
}

impl std::fmt::Debug for ClientCredentialsClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredentialsClient")
            .field("connection", &self.connection.id())
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("endpoint", &self.endpoint)
            .finish()
    }
}

impl ClientCredentialsClient {
    /// A client with the given credentials and the values of the connection's inputs (the
    /// inputs' defaults fill the rest), each checked against its pattern and position before
    /// any request is made.
    ///
    /// # Errors
    /// [`ClientError::Input`] naming the input whose value is missing, unknown or refused.
    pub fn new(
        connection: &'static ClientCredentialsDefinition,
        credentials: ClientCredentials,
        inputs: &InputValues,
    ) -> Result<Self, ClientError> {
        Ok(Self {
            connection,
            endpoint: connection.endpoints(inputs)?,
            client_key: client_key(connection.id(), connection.client_auth(), &credentials)?,
            dpop: None,
            client_id: credentials.client_id,
            client_secret: credentials.client_secret,
        })
    }

    /// A client whose credentials come from `source` (for `client = "platform"`).
    ///
    /// # Errors
    /// [`ClientError::Credentials`] saying what the source is missing (never a value), or
    /// [`ClientError::Input`].
    pub fn from_source(
        connection: &'static ClientCredentialsDefinition,
        source: &impl ClientCredentialSource,
        inputs: &InputValues,
    ) -> Result<Self, ClientError> {
        let credentials =
            source.client_credentials(ConnectionDefinition::ClientCredentials(connection))?;
        Self::new(connection, credentials, inputs)
    }

    /// Sends this client's requests to `origin` instead of the declared token endpoint's (see
    /// [`OAuth2Client::with_origin`](crate::OAuth2Client::with_origin); the client secret goes
    /// there).
    ///
    /// # Errors
    /// [`OriginError`] for a URL the endpoint rules refuse, or one with a path or query.
    pub fn with_origin(mut self, origin: &str) -> Result<Self, OriginError> {
        self.endpoint.relocate(&parse_origin(origin)?);
        Ok(self)
    }

    /// With a DPoP key (RFC 9449): every token request carries a proof signed by it, and the
    /// tokens are bound to it (the `jwt` feature).
    #[cfg(feature = "jwt")]
    #[must_use]
    pub fn with_dpop(mut self, key: super::DpopKey) -> Self {
        self.dpop = Some(Dpop::new(key));
        self
    }

    /// The definition.
    pub fn connection(&self) -> &'static ClientCredentialsDefinition {
        self.connection
    }

    /// The token endpoint and its extra fields, with the inputs filled in.
    pub fn endpoint(&self) -> &TokenEndpoint {
        &self.endpoint
    }

    /// The values of the connection's inputs, defaults included.
    pub fn inputs(&self) -> &InputValues {
        self.endpoint.values()
    }

    /// The token request: `grant_type` (the declared one), `scope` when scopes are declared,
    /// the declared `token_params`, and the client authenticated as declared. Pure: send it
    /// with any HTTP client and read the answer with
    /// [`read_token_response`](Self::read_token_response).
    ///
    /// # Errors
    /// [`TokenError::Http`] when a declared header cannot be sent (checked at compile time, so
    /// only a filled-in input could cause it).
    pub fn token_request(&self) -> Result<http::Request<Vec<u8>>, TokenError> {
        let scope = self.connection.scope_param();
        let mut form: Vec<(&str, &str)> = vec![("grant_type", self.connection.grant_type())];
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
            client_auth: self.connection.client_auth(),
            headers: self.endpoint.token_headers(),
        };
        let client = Client {
            id: &self.client_id,
            secret: self.client_secret.as_ref(),
            key: self.client_key.as_ref(),
        };
        build_token_request(
            self.endpoint.token_url(),
            form,
            &shape,
            Some(client),
            self.dpop.as_ref(),
        )
    }

    /// Reads the answer to a [`token_request`](Self::token_request), the expiry computed from
    /// `now`. Where the server grants no `scope`, the declared scopes are recorded as granted
    /// when the connection is stored (RFC 6749 §5.1).
    ///
    /// # Errors
    /// [`TokenError`] for an error answer (`invalid_client` for wrong credentials), "retry
    /// later", or an unreadable answer.
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
        read_token_response(response, &shape, self.dpop.as_ref())
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
        let result = with_nonce_retry(self.dpop.is_some(), || async {
            let response = http.send(self.token_request()?).await?;
            self.read_token_response(&response, clock())
        })
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
            traced(with_nonce_retry_blocking(self.dpop.is_some(), || {
                let response = http.send(self.token_request()?)?;
                self.read_token_response(&response, SystemTime::now())
            }))
        })
    }

    /// The span of one token request: the connection, the grant and the endpoint's host, never
    /// a credential.
    fn span(&self) -> tracing::Span {
        tracing::debug_span!(
            "connkit.token_request",
            connection = self.connection.id(),
            grant = self.connection.grant_type(),
            host = self.endpoint.token_url().host_str().unwrap_or_default(),
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use super::*;
    use crate::__private::{ClientCredentialsFields, client_credentials};
    use crate::definition::{ClientAuth, ClientHolder, TokenRequestFormat};

    const FIELDS: ClientCredentialsFields = ClientCredentialsFields {
        id: "acme_connection_client-credentials",
        name: "n",
        description: "d",
        token_url: "https://acme.example/token",
        scopes: &["a", "b"],
        scope_delimiter: " ",
        grant_type: "client_credentials",
        client: ClientHolder::Owner,
        client_id_env: "",
        client_secret_env: "",
        client_auth: ClientAuth::Body,
        client_key_env: "",
        token_params: &[("audience", "https://api.acme.example")],
        token_headers: &[("x-tenant", "t1")],
        token_request_format: TokenRequestFormat::Form,
        token_path: None,
        token_metadata: &[],
        dpop: false,
        inputs: &[],
        hosts: &[],
        any_host: false,
    };
    static BODY: ClientCredentialsDefinition = client_credentials(FIELDS);
    static HEADER_JSON: ClientCredentialsDefinition = client_credentials(ClientCredentialsFields {
        client_auth: ClientAuth::Header,
        token_request_format: TokenRequestFormat::Json,
        scopes: &[],
        ..FIELDS
    });

    fn credentials() -> ClientCredentials {
        ClientCredentials::new(ClientId::new("my id"), Some(ClientSecret::new("s&cret")))
    }

    #[test]
    fn the_request_carries_the_grant_the_scopes_the_params_and_the_client() {
        let client =
            ClientCredentialsClient::new(&BODY, credentials(), &InputValues::new()).unwrap();
        let request = client.token_request().unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(
            std::str::from_utf8(request.body()).unwrap(),
            "grant_type=client_credentials&scope=a+b&audience=https%3A%2F%2Fapi.acme.example&client_id=my+id&client_secret=s%26cret"
        );
        assert_eq!(request.headers()["x-tenant"], "t1");
        assert!(request.headers().get("authorization").is_none());
    }

    #[test]
    fn basic_authentication_and_json() {
        let client =
            ClientCredentialsClient::new(&HEADER_JSON, credentials(), &InputValues::new()).unwrap();
        let request = client.token_request().unwrap();
        let body: serde_json::Value = serde_json::from_slice(request.body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"grant_type": "client_credentials", "audience": "https://api.acme.example"})
        );
        // base64("my+id:s%26cret")
        assert_eq!(
            request.headers()["authorization"],
            "Basic bXkraWQ6cyUyNmNyZXQ="
        );
        assert!(request.headers()["authorization"].is_sensitive());
    }

    #[test]
    fn the_answer_is_read_with_the_expiry_from_now() {
        let client =
            ClientCredentialsClient::new(&BODY, credentials(), &InputValues::new()).unwrap();
        let now = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000);
        let response = http::Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(br#"{"access_token":"at","token_type":"Bearer","expires_in":600}"#.to_vec())
            .unwrap();
        let tokens = client.read_token_response(&response, now).unwrap();
        assert_eq!(tokens.access_token().expose_secret(), "at");
        assert!(tokens.refresh_token().is_none());
        assert_eq!(
            tokens.expires_at(),
            Some(now + std::time::Duration::from_secs(600))
        );
        let refused = http::Response::builder()
            .status(401)
            .header("content-type", "application/json")
            .body(br#"{"error":"invalid_client"}"#.to_vec())
            .unwrap();
        let error = client.read_token_response(&refused, now).unwrap_err();
        assert_eq!(
            error.oauth_code(),
            Some(&crate::oauth2::OAuthErrorCode::InvalidClient)
        );
    }

    #[test]
    fn debug_shows_no_secret_and_origin_moves_the_endpoint() {
        let client = ClientCredentialsClient::new(&BODY, credentials(), &InputValues::new())
            .unwrap()
            .with_origin("http://127.0.0.1:9")
            .unwrap();
        assert!(!format!("{client:?}").contains("s&cret"));
        assert_eq!(
            client.token_request().unwrap().uri(),
            "http://127.0.0.1:9/token"
        );
    }
}
