//! The OAuth2 authorization-code connection kind: the `'static` data `#[oauth2_connection]`
//! expands into.

use core::fmt;

use url::Url;

/// How the client authenticates at the token endpoint (the key `client_auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` as form fields of the request body (`"body"`).
    Body,
    /// HTTP Basic authentication with the form-urlencoded id and secret, RFC 6749 §2.3.1
    /// (`"header"`).
    Header,
}

impl fmt::Display for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Body => "credentials in the form body",
            Self::Header => "HTTP Basic",
        })
    }
}

/// The keys of `#[oauth2_connection]`, one field each, named as the keys. Generated code fills
/// it through `connkit::__private`; it is not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct OAuth2Fields {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub authorize_url: &'static str,
    pub token_url: &'static str,
    pub scopes: &'static [&'static str],
    pub scope_delimiter: &'static str,
    pub client_id_env: &'static str,
    pub client_secret_env: &'static str,
    pub client_auth: ClientAuth,
    pub pkce: bool,
    pub auth_params: &'static [(&'static str, &'static str)],
    pub token_headers: &'static [(&'static str, &'static str)],
    pub refresh_params: &'static [(&'static str, &'static str)],
    pub redirect_to_localhost_in_development: bool,
    pub issuer: Option<&'static str>,
    pub require_iss: bool,
}

/// An OAuth2 authorization-code connection, as declared with `#[oauth2_connection(...)]`.
///
/// Every value was checked at compile time, and each key is read back by the method of the same
/// name. A definition is data: it never reads the environment. Client credentials come from a
/// [`CredentialSource`](crate::credentials::CredentialSource).
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
/// assert_eq!(definition.authorize_url(), "https://github.com/login/oauth/authorize");
/// assert_eq!(definition.client_secret_env(), "INTEGRATION_GITHUB_CLIENT_SECRET");
/// let url = definition.authorization_request_url("my-client", "https://app.example/cb", "xyz", None);
/// assert_eq!(url.query(), Some("client_id=my-client&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&state=xyz&scope=repo+workflow"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OAuth2Definition(OAuth2Fields);

impl fmt::Debug for OAuth2Definition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl OAuth2Definition {
    /// Wraps checked fields; called by generated code through `connkit::__private`.
    pub(crate) const fn from_fields(fields: OAuth2Fields) -> Self {
        Self(fields)
    }

    /// The connection id, `<app-id>_connection_oauth2[-<variant>]`.
    pub const fn id(&self) -> &'static str {
        self.0.id
    }

    /// The display name.
    pub const fn name(&self) -> &'static str {
        self.0.name
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        self.0.description
    }

    /// The authorization endpoint as declared (it may carry a query, which is kept).
    pub const fn authorize_url(&self) -> &'static str {
        self.0.authorize_url
    }

    /// The token endpoint as declared.
    pub const fn token_url(&self) -> &'static str {
        self.0.token_url
    }

    /// The declared scopes, in order, without duplicates.
    pub const fn scopes(&self) -> &'static [&'static str] {
        self.0.scopes
    }

    /// The string the scopes are joined with (a space unless declared otherwise).
    pub const fn scope_delimiter(&self) -> &'static str {
        self.0.scope_delimiter
    }

    /// The scopes joined with the delimiter, as sent in the `scope` parameter; `None` when no
    /// scope is declared (then no `scope` parameter is sent).
    pub fn scope_param(&self) -> Option<String> {
        (!self.0.scopes.is_empty()).then(|| self.0.scopes.join(self.0.scope_delimiter))
    }

    /// The name of the environment variable holding the client id (read by
    /// [`Env`](crate::credentials::Env)).
    pub const fn client_id_env(&self) -> &'static str {
        self.0.client_id_env
    }

    /// The name of the environment variable holding the client secret (read by
    /// [`Env`](crate::credentials::Env)).
    pub const fn client_secret_env(&self) -> &'static str {
        self.0.client_secret_env
    }

    /// How the client authenticates at the token endpoint.
    pub const fn client_auth(&self) -> ClientAuth {
        self.0.client_auth
    }

    /// Whether the flow uses PKCE with the S256 method (on unless declared `pkce = false`; a
    /// public client uses it regardless).
    pub const fn pkce(&self) -> bool {
        self.0.pkce
    }

    /// Extra parameters of the authorization request.
    pub const fn auth_params(&self) -> &'static [(&'static str, &'static str)] {
        self.0.auth_params
    }

    /// Extra headers of every token endpoint request (code exchange and refresh).
    pub const fn token_headers(&self) -> &'static [(&'static str, &'static str)] {
        self.0.token_headers
    }

    /// Extra form fields of refresh requests.
    pub const fn refresh_params(&self) -> &'static [(&'static str, &'static str)] {
        self.0.refresh_params
    }

    /// Whether a client running in development sends a loopback redirect URI with the host
    /// `localhost` (see [`development_redirect_uri`](Self::development_redirect_uri)).
    pub const fn redirect_to_localhost_in_development(&self) -> bool {
        self.0.redirect_to_localhost_in_development
    }

    /// The authorization server's issuer identifier (RFC 9207), when declared: a callback whose
    /// `iss` names another server is refused.
    pub const fn issuer(&self) -> Option<&'static str> {
        self.0.issuer
    }

    /// Whether the server always sends `iss` (its metadata says
    /// `authorization_response_iss_parameter_supported`): a callback without it is refused.
    pub const fn require_iss(&self) -> bool {
        self.0.require_iss
    }

    /// The id of the app this connection belongs to (the part before `_connection_`).
    pub fn app_id(&self) -> &'static str {
        connkit_rules::id::connection_app_id(self.0.id).unwrap_or(self.0.id)
    }

    /// The redirect URI a client running in development sends for `redirect_uri`.
    ///
    /// Some providers (Microsoft's identity platform, Notion) accept a plain-`http` redirect URI
    /// only on the host name `localhost`, while a development server usually listens on
    /// `127.0.0.1`. Lecca's `redirectToLocalHostInDevelopment` sent `localhost` in development
    /// for them; so does connkit: when the definition sets
    /// `redirect_to_localhost_in_development = true` and `redirect_uri` is an `http` URI on
    /// `127.0.0.1` or `[::1]`, the host becomes `localhost` (port, path and query are kept).
    /// Every other URI, and every URI of other definitions, is returned unchanged.
    ///
    /// ```
    /// #[connkit::oauth2_connection(
    ///     id = "notion_connection_oauth2", name = "OAuth2", description = "Notion",
    ///     authorize_url = "https://api.notion.com/v1/oauth/authorize",
    ///     token_url = "https://api.notion.com/v1/oauth/token",
    ///     scopes = [], redirect_to_localhost_in_development = true,
    /// )]
    /// struct NotionOAuth2;
    ///
    /// let notion = NotionOAuth2::DEFINITION;
    /// assert_eq!(notion.development_redirect_uri("http://127.0.0.1:3000/cb"), "http://localhost:3000/cb");
    /// assert_eq!(notion.development_redirect_uri("https://app.example/cb"), "https://app.example/cb");
    /// ```
    pub fn development_redirect_uri(&self, redirect_uri: &str) -> String {
        if !self.0.redirect_to_localhost_in_development {
            return redirect_uri.to_owned();
        }
        for loopback in ["http://127.0.0.1", "http://[::1]"] {
            if let Some(rest) = redirect_uri.strip_prefix(loopback)
                && (rest.is_empty() || rest.starts_with([':', '/', '?']))
            {
                return format!("http://localhost{rest}");
            }
        }
        redirect_uri.to_owned()
    }

    /// Parses one of this definition's endpoints, which `connkit-rules` accepted at compile time.
    pub(crate) fn endpoint(&self, endpoint: &'static str) -> Url {
        // connkit-rules accepts a subset of what the WHATWG parser accepts (a property test in
        // runtime/tests/url_shape.rs checks this), and every endpoint reached here was checked
        // by the macro, so this cannot fail for a definition built by `#[oauth2_connection]`.
        #[allow(clippy::expect_used)]
        Url::parse(endpoint).expect("endpoint URL validated at compile time by connkit-rules")
    }

    /// The authorization request URL: the authorize endpoint (keeping any query it has) with
    /// `client_id`, `redirect_uri`, `response_type=code`, `state`, `scope` (the scopes joined
    /// with the delimiter; left out when there are none), `code_challenge` and
    /// `code_challenge_method=S256` when a challenge is given, then the declared `auth_params`.
    ///
    /// Pass a challenge exactly when [`pkce`](Self::pkce) is true. This is pure: generating
    /// `state` and the PKCE verifier is the client's job
    /// ([`OAuth2Client::authorize`](crate::OAuth2Client::authorize)).
    pub fn authorization_request_url(
        &self,
        client_id: &str,
        redirect_uri: &str,
        state: &str,
        code_challenge: Option<&str>,
    ) -> Url {
        let mut url = self.endpoint(self.0.authorize_url);
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
            for (name, value) in self.0.auth_params {
                // `response_type = "code"` is the only flow parameter a definition may repeat.
                if *name != "response_type" {
                    query.append_pair(name, value);
                }
            }
        }
        url
    }
}
