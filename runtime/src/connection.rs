//! Connection definitions: the `'static` data `#[oauth2_connection]` expands into.

use url::Url;

use crate::credentials::{ClientId, ClientSecret, EnvError, read_env};

/// How the client authenticates at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` as form fields of the request body.
    Body,
    /// HTTP Basic authentication with the form-urlencoded id and secret (RFC 6749 §2.3.1).
    Header,
}

/// An OAuth2 authorization-code connection, as declared with `#[oauth2_connection(...)]`.
///
/// Every value was checked at compile time. Client credentials are not part of the definition:
/// [`client_id`](Self::client_id) and [`client_secret`](Self::client_secret) read them from the
/// environment when called.
///
/// ```
/// use connkit::oauth2_connection;
///
/// #[oauth2_connection(
///     id = "github_connection_oauth2",
///     name = "OAuth2",
///     description = "Connect using OAuth2",
///     authorize_url = "https://github.com/login/oauth/authorize",
///     token_url = "https://github.com/login/oauth/access_token",
///     scopes = ["repo", "workflow"],
/// )]
/// pub struct GithubOAuth2;
///
/// let definition = GithubOAuth2::DEFINITION;
/// assert_eq!(definition.id(), "github_connection_oauth2");
/// assert_eq!(definition.client_secret_env(), "INTEGRATION_GITHUB_CLIENT_SECRET");
/// let url = definition.authorize_url("my-client", "https://app.example/cb", "xyz", None);
/// assert_eq!(url.query(), Some("client_id=my-client&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&state=xyz&scope=repo+workflow"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OAuth2Connection {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) description: &'static str,
    pub(crate) authorize_endpoint: &'static str,
    pub(crate) token_endpoint: &'static str,
    pub(crate) scopes: &'static [&'static str],
    pub(crate) scope_delimiter: &'static str,
    pub(crate) client_id_env: &'static str,
    pub(crate) client_secret_env: &'static str,
    pub(crate) client_auth: ClientAuth,
    pub(crate) pkce: bool,
    pub(crate) auth_params: &'static [(&'static str, &'static str)],
    pub(crate) token_headers: &'static [(&'static str, &'static str)],
    pub(crate) refresh_params: &'static [(&'static str, &'static str)],
    pub(crate) redirect_to_localhost_in_development: bool,
    /// Set on the stand-in emitted after a compile error, so that cross-macro checks skip it.
    pub(crate) placeholder: bool,
}

impl OAuth2Connection {
    /// The connection id, `<app-id>_connection_oauth2[-<variant>]`.
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// The display name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        self.description
    }

    /// The authorization endpoint as declared (it may carry a query, which is kept).
    pub const fn authorize_endpoint(&self) -> &'static str {
        self.authorize_endpoint
    }

    /// The token endpoint.
    pub const fn token_endpoint(&self) -> &'static str {
        self.token_endpoint
    }

    /// The declared scopes, in order, without duplicates.
    pub const fn scopes(&self) -> &'static [&'static str] {
        self.scopes
    }

    /// The string the scopes are joined with (a space unless declared otherwise).
    pub const fn scope_delimiter(&self) -> &'static str {
        self.scope_delimiter
    }

    /// The scopes joined with the delimiter, as sent in the `scope` parameter; `None` when no
    /// scope is declared (then no `scope` parameter is sent).
    pub fn scope_param(&self) -> Option<String> {
        (!self.scopes.is_empty()).then(|| self.scopes.join(self.scope_delimiter))
    }

    /// The environment variable holding the client id.
    pub const fn client_id_env(&self) -> &'static str {
        self.client_id_env
    }

    /// The environment variable holding the client secret.
    pub const fn client_secret_env(&self) -> &'static str {
        self.client_secret_env
    }

    /// How the client authenticates at the token endpoint.
    pub const fn client_auth(&self) -> ClientAuth {
        self.client_auth
    }

    /// Whether the flow uses PKCE with the S256 method.
    pub const fn pkce(&self) -> bool {
        self.pkce
    }

    /// Extra parameters of the authorization request.
    pub const fn auth_params(&self) -> &'static [(&'static str, &'static str)] {
        self.auth_params
    }

    /// Extra headers of every token endpoint request (code exchange and refresh).
    pub const fn token_headers(&self) -> &'static [(&'static str, &'static str)] {
        self.token_headers
    }

    /// Extra form fields of refresh requests.
    pub const fn refresh_params(&self) -> &'static [(&'static str, &'static str)] {
        self.refresh_params
    }

    /// Whether, in development, the provider redirects to localhost (as in Lecca).
    pub const fn redirect_to_localhost_in_development(&self) -> bool {
        self.redirect_to_localhost_in_development
    }

    /// The id of the app this connection belongs to (the part before `_connection_`).
    pub fn app_id(&self) -> &'static str {
        connkit_rules::id::connection_app_id(self.id).unwrap_or(self.id)
    }

    /// Reads the client id from [`client_id_env`](Self::client_id_env).
    ///
    /// # Errors
    /// [`EnvError`] naming the variable when it is unset, empty or not UTF-8.
    pub fn client_id(&self) -> Result<ClientId, EnvError> {
        read_env(self.client_id_env).map(ClientId::new)
    }

    /// Reads the client secret from [`client_secret_env`](Self::client_secret_env).
    ///
    /// # Errors
    /// [`EnvError`] naming the variable (never the value) when it is unset, empty or not UTF-8.
    pub fn client_secret(&self) -> Result<ClientSecret, EnvError> {
        read_env(self.client_secret_env).map(ClientSecret::new)
    }

    /// The environment variables this connection needs.
    pub const fn env_vars(&self) -> [&'static str; 2] {
        [self.client_id_env, self.client_secret_env]
    }

    /// The authorization request URL: the authorize endpoint (keeping any query it has) with
    /// `client_id`, `redirect_uri`, `response_type=code`, `state`, `scope` (the scopes joined
    /// with the delimiter; left out when there are none), `code_challenge` and
    /// `code_challenge_method=S256` when a challenge is given, then the declared `auth_params`.
    ///
    /// Pass a challenge exactly when [`pkce`](Self::pkce) is true. This is pure: generating
    /// `state` and the PKCE verifier is the flow's job.
    pub fn authorize_url(
        &self,
        client_id: &str,
        redirect_uri: &str,
        state: &str,
        code_challenge: Option<&str>,
    ) -> Url {
        let mut url = crate::endpoint_url(self.authorize_endpoint);
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", client_id)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("response_type", "code")
                .append_pair("state", state);
            if let Some(scope) = self.scope_param() {
                query.append_pair("scope", &scope);
            }
            if let Some(challenge) = code_challenge {
                query
                    .append_pair("code_challenge", challenge)
                    .append_pair("code_challenge_method", "S256");
            }
            for (name, value) in self.auth_params {
                // `response_type = "code"` is the only flow parameter a definition may repeat.
                if *name != "response_type" {
                    query.append_pair(name, value);
                }
            }
        }
        url
    }
}

/// A connection of any kind. Only OAuth2 exists today; more kinds will be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionDefinition {
    /// An OAuth2 authorization-code connection.
    OAuth2(&'static OAuth2Connection),
}

impl ConnectionDefinition {
    /// The connection id.
    pub const fn id(&self) -> &'static str {
        match self {
            Self::OAuth2(connection) => connection.id,
        }
    }

    /// The display name.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::OAuth2(connection) => connection.name,
        }
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        match self {
            Self::OAuth2(connection) => connection.description,
        }
    }

    /// The OAuth2 definition, if this is an OAuth2 connection.
    pub const fn as_oauth2(&self) -> Option<&'static OAuth2Connection> {
        match self {
            Self::OAuth2(connection) => Some(connection),
        }
    }

    /// The environment variables this connection needs.
    pub const fn env_vars(&self) -> [&'static str; 2] {
        match self {
            Self::OAuth2(connection) => connection.env_vars(),
        }
    }

    pub(crate) const fn is_placeholder(&self) -> bool {
        match self {
            Self::OAuth2(connection) => connection.placeholder,
        }
    }
}

/// Implemented by every struct annotated with `#[oauth2_connection(...)]`; `app!` takes types
/// implementing it in `connections: [...]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a connection",
    label = "not a connection",
    note = "a connection is a unit struct annotated with `#[connkit::oauth2_connection(...)]`"
)]
pub trait Connection {
    /// The definition.
    const CONNECTION: ConnectionDefinition;
}
