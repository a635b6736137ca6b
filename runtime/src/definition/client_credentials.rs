//! The client-credentials connection kind (RFC 6749 §4.4): the `'static` data
//! `#[client_credentials_connection]` expands into.

use core::fmt;

use url::Url;

use super::input::{Input, InputError, InputValues, checked_values, fill_text, fill_url};
use super::oauth2::{ClientAuth, TokenRequestFormat};

/// Whose client a client-credentials connection uses (the key `client`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientHolder {
    /// Each connection's owner gives the client id and secret when connecting; they are sealed
    /// with the connection (`"owner"`, the default: a Zoom server-to-server app belongs to the
    /// Zoom account it reads).
    Owner,
    /// The platform's own client, from a
    /// [`ClientCredentialSource`](crate::credentials::ClientCredentialSource) (`"platform"`).
    Platform,
}

/// The keys of `#[client_credentials_connection]`, one field each, named as the keys.
/// Generated code fills it through `connkit::__private`; it is not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct ClientCredentialsFields {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub token_url: &'static str,
    pub scopes: &'static [&'static str],
    pub scope_delimiter: &'static str,
    pub grant_type: &'static str,
    pub client: ClientHolder,
    pub client_id_env: &'static str,
    pub client_secret_env: &'static str,
    pub client_auth: ClientAuth,
    pub client_key_env: &'static str,
    pub token_params: &'static [(&'static str, &'static str)],
    pub token_headers: &'static [(&'static str, &'static str)],
    pub token_request_format: TokenRequestFormat,
    pub token_path: Option<&'static str>,
    pub token_metadata: &'static [&'static str],
    pub dpop: bool,
    pub inputs: &'static [Input],
    pub hosts: &'static [&'static str],
    pub any_host: bool,
}

/// A client-credentials connection, as declared with `#[client_credentials_connection(...)]`:
/// the client obtains a token with its own credentials, no user taking part, and obtains
/// another when it expires. There is no refresh token, and so no "needs reconnect".
///
/// Every value was checked at compile time, and each key is read back by the method of the
/// same name.
///
/// ```
/// use connkit::client_credentials_connection;
/// use connkit::definition::{ClientHolder, InputValues};
///
/// #[client_credentials_connection(
///     id = "zoom_connection_client-credentials",
///     name = "Server-to-server",
///     description = "Connect a Zoom server-to-server app",
///     token_url = "https://zoom.us/oauth/token",
///     grant_type = "account_credentials",
///     client_auth = "header",
///     token_params = { account_id = "{account_id}" },
///     inputs = { account_id = { label = "Account ID", pattern = "[A-Za-z0-9_-]+" } },
/// )]
/// pub struct ZoomServerToServer;
///
/// let zoom = ZoomServerToServer::DEFINITION;
/// assert_eq!(zoom.grant_type(), "account_credentials");
/// assert_eq!(zoom.client(), ClientHolder::Owner);
/// let endpoints = zoom.endpoints(&InputValues::new().with("account_id", "AbC123"))?;
/// assert_eq!(endpoints.token_params(), [("account_id", "AbC123".to_owned())]);
/// # Ok::<(), connkit::definition::InputError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ClientCredentialsDefinition(ClientCredentialsFields);

impl fmt::Debug for ClientCredentialsDefinition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

super::credential::common_accessors!(
    ClientCredentialsDefinition,
    ClientCredentialsFields,
    "client-credentials",
    "The values the owner supplies when connecting (`{name}` in the token URL, parameters and headers)."
);

impl ClientCredentialsDefinition {
    /// The token endpoint as declared.
    pub const fn token_url(&self) -> &'static str {
        self.0.token_url
    }

    /// The declared scopes, in order, without duplicates.
    pub const fn scopes(&self) -> &'static [&'static str] {
        self.0.scopes
    }

    /// The string the scopes are joined with.
    pub const fn scope_delimiter(&self) -> &'static str {
        self.0.scope_delimiter
    }

    /// The scopes joined with the delimiter; `None` when no scope is declared.
    pub fn scope_param(&self) -> Option<String> {
        (!self.0.scopes.is_empty()).then(|| self.0.scopes.join(self.0.scope_delimiter))
    }

    /// The token request's `grant_type` (`client_credentials` unless declared).
    pub const fn grant_type(&self) -> &'static str {
        self.0.grant_type
    }

    /// Whose client the connection uses.
    pub const fn client(&self) -> ClientHolder {
        self.0.client
    }

    /// With [`ClientHolder::Platform`]: the variable [`Env`](crate::credentials::Env) reads
    /// the client id from.
    pub const fn client_id_env(&self) -> &'static str {
        self.0.client_id_env
    }

    /// With [`ClientHolder::Platform`]: the variable [`Env`](crate::credentials::Env) reads
    /// the client secret from.
    pub const fn client_secret_env(&self) -> &'static str {
        self.0.client_secret_env
    }

    /// How the client authenticates at the token endpoint.
    pub const fn client_auth(&self) -> ClientAuth {
        self.0.client_auth
    }

    /// With [`ClientHolder::Platform`] and [`ClientAuth::PrivateKeyJwt`]: the variable
    /// [`Env`](crate::credentials::Env) reads the client's private key from.
    pub const fn client_key_env(&self) -> &'static str {
        self.0.client_key_env
    }

    /// Extra fields of the token request, as declared.
    pub const fn token_params(&self) -> &'static [(&'static str, &'static str)] {
        self.0.token_params
    }

    /// Extra headers of the token request, as declared.
    pub const fn token_headers(&self) -> &'static [(&'static str, &'static str)] {
        self.0.token_headers
    }

    /// How the token request carries its fields.
    pub const fn token_request_format(&self) -> TokenRequestFormat {
        self.0.token_request_format
    }

    /// The dot-path of the object in the token response that holds the token, if not the top
    /// level.
    pub const fn token_path(&self) -> Option<&'static str> {
        self.0.token_path
    }

    /// Dot-paths of token response fields copied into the token set's metadata.
    pub const fn token_metadata(&self) -> &'static [&'static str] {
        self.0.token_metadata
    }

    /// Whether the tokens are bound to a key of the connection's own (DPoP, RFC 9449).
    pub const fn dpop(&self) -> bool {
        self.0.dpop
    }

    /// The hosts a whole-host input may name.
    pub const fn hosts(&self) -> &'static [&'static str] {
        self.0.hosts
    }

    /// Whether the definition opted out of `hosts` for a whole-host input (`any_host = true`).
    pub const fn any_host(&self) -> bool {
        self.0.any_host
    }

    /// The token endpoint and the extra fields and headers with every `{input}` filled in from
    /// `values` (and the inputs' defaults), each value checked against its pattern and the
    /// position of each placeholder it fills.
    ///
    /// # Errors
    /// [`InputError`] naming the input whose value is missing, unknown or refused.
    pub fn endpoints(&self, values: &InputValues) -> Result<TokenEndpoint, InputError> {
        let fields = &self.0;
        let values = checked_values(fields.id, fields.inputs, values)?;
        let token = fill_url(
            "token_url",
            fields.token_url,
            fields.inputs,
            fields.hosts,
            &values,
        )?;
        Ok(TokenEndpoint::filled(
            token,
            &[],
            fields.token_params,
            fields.token_headers,
            fields.inputs,
            values,
        ))
    }
}

/// A token endpoint of a client-credentials or JWT-bearer definition, with its inputs filled in
/// (see [`ClientCredentialsDefinition::endpoints`]). `Debug` shows the parameter and header names
/// only, and no URL when the definition has a secret input.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenEndpoint {
    token: Url,
    claims: Vec<(&'static str, String)>,
    token_params: Vec<(&'static str, String)>,
    token_headers: Vec<(&'static str, String)>,
    values: InputValues,
    secret: bool,
}

impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |pairs: &[(&'static str, String)]| -> Vec<&'static str> {
            pairs.iter().map(|(name, _)| *name).collect()
        };
        f.debug_struct("TokenEndpoint")
            .field(
                "token",
                &if self.secret {
                    "[redacted]".to_owned()
                } else {
                    self.token.to_string()
                },
            )
            .field("claims", &names(&self.claims))
            .field("token_params", &names(&self.token_params))
            .field("token_headers", &names(&self.token_headers))
            .field("values", &self.values)
            .finish()
    }
}

impl TokenEndpoint {
    /// The token endpoint of `token_url`, its pairs and claims filled in from `values`
    /// (checked already).
    pub(crate) fn filled(
        token: Url,
        claims: &'static [(&'static str, &'static str)],
        token_params: &'static [(&'static str, &'static str)],
        token_headers: &'static [(&'static str, &'static str)],
        inputs: &'static [Input],
        values: std::collections::BTreeMap<&'static str, String>,
    ) -> Self {
        let pairs = |pairs: &'static [(&'static str, &'static str)]| {
            pairs
                .iter()
                .map(|(name, value)| (*name, fill_text(value, &values)))
                .collect()
        };
        Self {
            token,
            claims: pairs(claims),
            token_params: pairs(token_params),
            token_headers: pairs(token_headers),
            secret: inputs.iter().any(|input| input.secret()),
            values: values
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
        }
    }

    /// The token endpoint.
    pub fn token_url(&self) -> &Url {
        &self.token
    }

    /// A JWT-bearer assertion's declared claims, filled in; empty for other kinds.
    pub fn claims(&self) -> &[(&'static str, String)] {
        &self.claims
    }

    /// The extra token request fields, filled in.
    pub fn token_params(&self) -> &[(&'static str, String)] {
        &self.token_params
    }

    /// The extra token request headers, filled in.
    pub fn token_headers(&self) -> &[(&'static str, String)] {
        &self.token_headers
    }

    /// Every input's value, defaults included.
    pub fn values(&self) -> &InputValues {
        &self.values
    }

    /// Moves the endpoint to `origin` (scheme, host and port), keeping its path and query.
    pub(crate) fn relocate(&mut self, origin: &Url) {
        // The URL passed the endpoint rules (http or https, a host), so each setter succeeds.
        let _ = self.token.set_scheme(origin.scheme());
        let _ = self.token.set_host(origin.host_str());
        let _ = self.token.set_port(origin.port());
    }
}
