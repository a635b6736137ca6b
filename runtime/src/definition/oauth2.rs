//! The OAuth2 authorization-code connection kind: the `'static` data `#[oauth2_connection]`
//! expands into.

use core::fmt;

use url::Url;

use super::input::{Input, InputError, InputValues, checked_values, fill_text, fill_url};

/// How the client authenticates at the token endpoint (the key `client_auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ClientAuth {
    /// `client_id` and `client_secret` as form fields of the request body (`"body"`).
    Body,
    /// HTTP Basic authentication with the form-urlencoded id and secret, RFC 6749 §2.3.1
    /// (`"header"`).
    Header,
    /// A client assertion signed with the client's private key (`"private_key_jwt"`, RFC 7523
    /// §2.2; connkit's `jwt` feature). The key comes with the client credentials.
    PrivateKeyJwt,
    /// A client assertion signed with the client secret, HMAC SHA-256 (`"client_secret_jwt"`,
    /// RFC 7523 §2.2; connkit's `jwt` feature).
    ClientSecretJwt,
}

/// How the code exchange and refresh requests carry their fields (the key
/// `token_request_format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenRequestFormat {
    /// `application/x-www-form-urlencoded`, as RFC 6749 says (`"form"`).
    Form,
    /// A JSON object of strings (`"json"`), for providers that accept nothing else.
    Json,
}

impl fmt::Display for ClientAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Body => "credentials in the form body",
            Self::Header => "HTTP Basic",
            Self::PrivateKeyJwt => "a JWT signed with the client's private key",
            Self::ClientSecretJwt => "a JWT signed with the client secret",
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
    pub client_key_env: &'static str,
    pub pkce: bool,
    pub auth_params: &'static [(&'static str, &'static str)],
    pub token_headers: &'static [(&'static str, &'static str)],
    pub refresh_params: &'static [(&'static str, &'static str)],
    pub redirect_to_localhost_in_development: bool,
    pub issuer: Option<&'static str>,
    pub require_iss: bool,
    pub inputs: &'static [Input],
    pub hosts: &'static [&'static str],
    pub any_host: bool,
    pub refresh_url: Option<&'static str>,
    pub revoke_url: Option<&'static str>,
    pub device_authorization_url: Option<&'static str>,
    pub par_url: Option<&'static str>,
    pub dpop: bool,
    pub token_params: &'static [(&'static str, &'static str)],
    pub token_request_format: TokenRequestFormat,
    pub refresh_scopes: bool,
    pub redirect_uri_on_refresh: bool,
    pub token_path: Option<&'static str>,
    pub token_metadata: &'static [&'static str],
    pub incremental_auth: bool,
}

/// An OAuth2 authorization-code connection, as declared with `#[oauth2_connection(...)]`.
///
/// Every value was checked at compile time, and each key is read back by the method of the same
/// name. A definition is data: it never reads the environment. Client credentials come from a
/// [`ClientCredentialSource`](crate::credentials::ClientCredentialSource).
///
/// ```
/// use connkit::definition::AuthorizationParams;
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
/// let params = AuthorizationParams::new("my-client", "https://app.example/cb", "xyz");
/// let url = definition.authorization_request_url(&params)?;
/// assert_eq!(url.query(), Some("client_id=my-client&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=code&scope=repo+workflow&state=xyz"));
/// # Ok::<(), connkit::definition::InputError>(())
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

    /// With [`ClientAuth::PrivateKeyJwt`]: the variable [`Env`](crate::credentials::Env) reads
    /// the client's private key from (PEM), and `<it>_ID` the key id, if set.
    pub const fn client_key_env(&self) -> &'static str {
        self.0.client_key_env
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

    /// The values the end user supplies when connecting (`{name}` in URLs, parameters and
    /// headers).
    pub const fn inputs(&self) -> &'static [Input] {
        self.0.inputs
    }

    /// The hosts a whole-host input may name: exact names, or `*.example.com` for any name
    /// under `example.com`; empty when the definition declares none.
    pub const fn hosts(&self) -> &'static [&'static str] {
        self.0.hosts
    }

    /// Whether the definition opted out of `hosts` for a whole-host input of an endpoint that
    /// receives the client secret (`any_host = true`).
    pub const fn any_host(&self) -> bool {
        self.0.any_host
    }

    /// The refresh endpoint, when it is not the token endpoint.
    pub const fn refresh_url(&self) -> Option<&'static str> {
        self.0.refresh_url
    }

    /// The revocation endpoint (RFC 7009), if the provider has one.
    pub const fn revoke_url(&self) -> Option<&'static str> {
        self.0.revoke_url
    }

    /// The device authorization endpoint (RFC 8628), if the provider has one.
    pub const fn device_authorization_url(&self) -> Option<&'static str> {
        self.0.device_authorization_url
    }

    /// The pushed authorization request endpoint (RFC 9126), when the authorization request is
    /// pushed.
    pub const fn par_url(&self) -> Option<&'static str> {
        self.0.par_url
    }

    /// Whether the tokens are bound to a key of the connection's own (DPoP, RFC 9449).
    pub const fn dpop(&self) -> bool {
        self.0.dpop
    }

    /// Extra fields of the code exchange.
    pub const fn token_params(&self) -> &'static [(&'static str, &'static str)] {
        self.0.token_params
    }

    /// How token requests carry their fields.
    pub const fn token_request_format(&self) -> TokenRequestFormat {
        self.0.token_request_format
    }

    /// Whether a refresh request sends the definition's scopes as `scope` (Microsoft's v2.0
    /// endpoint expects it).
    pub const fn refresh_scopes(&self) -> bool {
        self.0.refresh_scopes
    }

    /// Whether a refresh request sends the redirect URI (Tempo requires it).
    pub const fn redirect_uri_on_refresh(&self) -> bool {
        self.0.redirect_uri_on_refresh
    }

    /// The dot-path of the object in the token response that holds the tokens (Slack's user
    /// tokens sit under `authed_user`), if not the top level.
    pub const fn token_path(&self) -> Option<&'static str> {
        self.0.token_path
    }

    /// Dot-paths of token response fields copied into the token set's metadata.
    pub const fn token_metadata(&self) -> &'static [&'static str] {
        self.0.token_metadata
    }

    /// Whether a re-consent asks only for the missing scopes, with
    /// `include_granted_scopes=true`, keeping the scopes granted before.
    pub const fn incremental_auth(&self) -> bool {
        self.0.incremental_auth
    }

    /// The endpoints and extra parameters with every `{input}` filled in from `values` (and the
    /// inputs' defaults), each value checked against its pattern and the position of each
    /// placeholder it fills.
    ///
    /// ```
    /// use connkit::definition::InputValues;
    /// #[connkit::oauth2_connection(
    ///     id = "azure-ad_connection_oauth2", name = "OAuth2", description = "Azure AD",
    ///     inputs = { tenant = { label = "Tenant", default = "common" } },
    ///     authorize_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
    ///     token_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    ///     scopes = ["offline_access"], refresh_scopes = true,
    /// )]
    /// struct AzureAdOAuth2;
    ///
    /// let azure = AzureAdOAuth2::DEFINITION;
    /// let endpoints = azure.endpoints(&InputValues::new().with("tenant", "contoso.onmicrosoft.com"))?;
    /// assert_eq!(endpoints.token_url().as_str(), "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
    /// let default = azure.endpoints(&InputValues::new())?;
    /// assert_eq!(default.token_url().path(), "/common/oauth2/v2.0/token");
    /// assert!(azure.endpoints(&InputValues::new().with("tenant", "..")).is_err());
    /// assert!(azure.endpoints(&InputValues::new().with("tenant", "a/b")).is_ok(), "encoded as %2F");
    /// # Ok::<(), connkit::definition::InputError>(())
    /// ```
    ///
    /// # Errors
    /// [`InputError`] naming the input whose value is missing, unknown or refused.
    pub fn endpoints(&self, values: &InputValues) -> Result<Endpoints, InputError> {
        let fields = &self.0;
        let values = checked_values(fields.id, fields.inputs, values)?;
        let url = |key, template| fill_url(key, template, fields.inputs, fields.hosts, &values);
        let token = url("token_url", fields.token_url)?;
        let refresh = match fields.refresh_url {
            Some(template) => url("refresh_url", template)?,
            None => token.clone(),
        };
        let pairs =
            |pairs: &'static [(&'static str, &'static str)]| -> Vec<(&'static str, String)> {
                pairs
                    .iter()
                    .map(|(name, value)| (*name, fill_text(value, &values)))
                    .collect()
            };
        Ok(Endpoints {
            authorize: url("authorize_url", fields.authorize_url)?,
            token,
            refresh,
            revoke: fields
                .revoke_url
                .map(|template| url("revoke_url", template))
                .transpose()?,
            device: fields
                .device_authorization_url
                .map(|template| url("device_authorization_url", template))
                .transpose()?,
            par: fields
                .par_url
                .map(|template| url("par_url", template))
                .transpose()?,
            auth_params: pairs(fields.auth_params),
            token_params: pairs(fields.token_params),
            refresh_params: pairs(fields.refresh_params),
            token_headers: pairs(fields.token_headers),
            values: values
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
            secret: fields.inputs.iter().any(|input| input.secret()),
        })
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

    /// The authorization request URL for a definition whose inputs all have defaults (or that
    /// has none); see [`Endpoints::authorization_request_url`].
    ///
    /// # Errors
    /// [`InputError::Missing`] when an input has no default: use [`endpoints`](Self::endpoints)
    /// with the values.
    pub fn authorization_request_url(
        &self,
        params: &AuthorizationParams<'_>,
    ) -> Result<Url, InputError> {
        let endpoints = self.endpoints(&InputValues::new())?;
        Ok(endpoints.authorization_request_url(self, params))
    }
}

/// What an authorization request carries besides its definition: the client, where the user
/// comes back to, the state, and the PKCE challenge. `Debug` shows neither the state nor the
/// challenge.
///
/// ```
/// use connkit::definition::AuthorizationParams;
///
/// let params = AuthorizationParams::new("client", "https://app.example/cb", "st4te")
///     .with_code_challenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
/// assert_eq!(params.client_id, "client");
/// assert!(!format!("{params:?}").contains("st4te"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuthorizationParams<'a> {
    /// The client's id at the provider.
    pub client_id: &'a str,
    /// Where the provider sends the user back.
    pub redirect_uri: &'a str,
    /// The state the callback must carry back.
    pub state: &'a str,
    /// The S256 PKCE challenge; give one exactly when [`OAuth2Definition::pkce`] is true.
    pub code_challenge: Option<&'a str>,
}

impl<'a> AuthorizationParams<'a> {
    /// A request of `client_id`, coming back to `redirect_uri` with `state`, without PKCE.
    #[must_use]
    pub const fn new(client_id: &'a str, redirect_uri: &'a str, state: &'a str) -> Self {
        Self {
            client_id,
            redirect_uri,
            state,
            code_challenge: None,
        }
    }

    /// With the S256 PKCE challenge.
    #[must_use]
    pub const fn with_code_challenge(mut self, code_challenge: &'a str) -> Self {
        self.code_challenge = Some(code_challenge);
        self
    }
}

impl fmt::Debug for AuthorizationParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationParams")
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("state", &"[redacted]")
            .field("code_challenge", &self.code_challenge.map(|_| "[redacted]"))
            .finish()
    }
}

/// A definition's endpoints and extra parameters with its inputs filled in (see
/// [`OAuth2Definition::endpoints`]). `Debug` shows the parameter and header names only, and no
/// URL at all when the definition has a secret input.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoints {
    authorize: Url,
    token: Url,
    refresh: Url,
    revoke: Option<Url>,
    device: Option<Url>,
    par: Option<Url>,
    auth_params: Vec<(&'static str, String)>,
    token_params: Vec<(&'static str, String)>,
    refresh_params: Vec<(&'static str, String)>,
    token_headers: Vec<(&'static str, String)>,
    /// Every input's value, defaults included (what a stored connection keeps).
    values: InputValues,
    /// Whether a secret input was filled in somewhere: then `Debug` shows no URL.
    secret: bool,
}

impl fmt::Debug for Endpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = |url: &Url| {
            if self.secret {
                "[redacted]".to_owned()
            } else {
                url.to_string()
            }
        };
        let names = |pairs: &[(&'static str, String)]| -> Vec<&'static str> {
            pairs.iter().map(|(name, _)| *name).collect()
        };
        f.debug_struct("Endpoints")
            .field("authorize", &url(&self.authorize))
            .field("token", &url(&self.token))
            .field("refresh", &url(&self.refresh))
            .field("revoke", &self.revoke.as_ref().map(url))
            .field("device", &self.device.as_ref().map(url))
            .field("par", &self.par.as_ref().map(url))
            .field("auth_params", &names(&self.auth_params))
            .field("token_params", &names(&self.token_params))
            .field("refresh_params", &names(&self.refresh_params))
            .field("token_headers", &names(&self.token_headers))
            .field("values", &self.values)
            .finish()
    }
}

impl Endpoints {
    /// The authorization endpoint (keeping any query it declares).
    pub fn authorize_url(&self) -> &Url {
        &self.authorize
    }

    /// The token endpoint.
    pub fn token_url(&self) -> &Url {
        &self.token
    }

    /// The refresh endpoint: `refresh_url`, or the token endpoint.
    pub fn refresh_url(&self) -> &Url {
        &self.refresh
    }

    /// The revocation endpoint, if declared.
    pub fn revoke_url(&self) -> Option<&Url> {
        self.revoke.as_ref()
    }

    /// The device authorization endpoint, if declared.
    pub fn device_authorization_url(&self) -> Option<&Url> {
        self.device.as_ref()
    }

    /// The pushed authorization request endpoint, if declared.
    pub fn par_url(&self) -> Option<&Url> {
        self.par.as_ref()
    }

    /// The extra authorization parameters, filled in.
    pub fn auth_params(&self) -> &[(&'static str, String)] {
        &self.auth_params
    }

    /// The extra code exchange fields, filled in.
    pub fn token_params(&self) -> &[(&'static str, String)] {
        &self.token_params
    }

    /// The extra refresh fields, filled in.
    pub fn refresh_params(&self) -> &[(&'static str, String)] {
        &self.refresh_params
    }

    /// The extra token request headers, filled in.
    pub fn token_headers(&self) -> &[(&'static str, String)] {
        &self.token_headers
    }

    /// Every input's value, defaults included.
    pub fn values(&self) -> &InputValues {
        &self.values
    }

    /// Moves every endpoint to `origin` (scheme, host and port), keeping paths and queries.
    pub(crate) fn relocate(&mut self, origin: &Url) {
        let urls = [&mut self.authorize, &mut self.token, &mut self.refresh];
        for url in urls
            .into_iter()
            .chain(self.revoke.as_mut())
            .chain(self.device.as_mut())
            .chain(self.par.as_mut())
        {
            // Both URLs passed the endpoint rules (http or https, a host), so each setter
            // succeeds; a failure would leave the declared part, never a mix of the two.
            let _ = url.set_scheme(origin.scheme());
            let _ = url.set_host(origin.host_str());
            let _ = url.set_port(origin.port());
        }
    }

    /// The authorization request URL: the authorize endpoint (keeping any query it has) with
    /// `client_id`, `redirect_uri`, `response_type=code`, `scope` (the scopes joined with the
    /// delimiter; left out when there are none), the `auth_params`, then `state`, and
    /// `code_challenge` with `code_challenge_method=S256` when a challenge is given.
    ///
    /// Pass a challenge exactly when [`OAuth2Definition::pkce`] is true. This is pure:
    /// generating `state` and the PKCE verifier is the client's job
    /// ([`OAuth2Client::authorize`](crate::OAuth2Client::authorize)).
    pub fn authorization_request_url(
        &self,
        definition: &OAuth2Definition,
        params: &AuthorizationParams<'_>,
    ) -> Url {
        let base = self.authorization_base(
            definition.scope_param().as_deref(),
            params.client_id,
            params.redirect_uri,
        );
        Self::with_state(base, params.state, params.code_challenge)
    }

    /// The authorize URL with what does not change from one authorization to the next (the
    /// client, the redirect URI, the scope and the `auth_params`): a client computes it once.
    pub(crate) fn authorization_base(
        &self,
        scope: Option<&str>,
        client_id: &str,
        redirect_uri: &str,
    ) -> Url {
        let mut url = self.authorize.clone();
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", client_id)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("response_type", "code");
            if let Some(scope) = scope {
                query.append_pair("scope", scope);
            }
            for (name, value) in &self.auth_params {
                // `response_type = "code"` is the only flow parameter a definition may repeat.
                if *name != "response_type" {
                    query.append_pair(name, value);
                }
            }
        }
        url
    }

    /// `base` with `state` and the PKCE challenge: what changes with every authorization.
    pub(crate) fn with_state(mut base: Url, state: &str, code_challenge: Option<&str>) -> Url {
        {
            let mut query = base.query_pairs_mut();
            query.append_pair("state", state);
            if let Some(challenge) = code_challenge {
                query
                    .append_pair("code_challenge", challenge)
                    .append_pair("code_challenge_method", "S256");
            }
        }
        base
    }
}
