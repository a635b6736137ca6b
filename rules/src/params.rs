//! Extra request parameters and headers of a definition: which names the OAuth2 flow owns, and
//! what a header name and value may contain.

use core::fmt;

/// Authorization request parameters the flow sets itself; `auth_params` may not set them.
/// (`response_type` is allowed only as `"code"`.)
pub const FLOW_OWNED_AUTHORIZE_PARAMS: &[&str] = &[
    "client_id",
    "redirect_uri",
    "state",
    "scope",
    "code_challenge",
    "code_challenge_method",
];

/// Refresh request fields the flow sets itself; `refresh_params` may not set them.
pub const FLOW_OWNED_REFRESH_PARAMS: &[&str] = &[
    "grant_type",
    "refresh_token",
    "client_id",
    "client_secret",
    "scope",
];

/// Code exchange fields the flow sets itself; `token_params` may not set them.
pub const FLOW_OWNED_TOKEN_PARAMS: &[&str] = &[
    "grant_type",
    "code",
    "redirect_uri",
    "code_verifier",
    "client_id",
    "client_secret",
];

/// Why an extra parameter is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamError {
    /// The parameter name is empty.
    EmptyName,
    /// The flow sets this parameter itself.
    FlowOwned {
        /// What to use instead, if anything.
        instead: Option<&'static str>,
    },
    /// `response_type` with a value other than `code`.
    ResponseTypeNotCode,
}

impl ParamError {
    /// The fix, when one is obvious.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::EmptyName | Self::FlowOwned { instead: None } => None,
            Self::FlowOwned {
                instead: Some(instead),
            } => Some(format!("use `{instead}`")),
            Self::ResponseTypeNotCode => Some("leave this entry out".to_owned()),
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyName => f.write_str("a parameter name must not be empty"),
            Self::FlowOwned { .. } => f.write_str("the OAuth2 flow sets this parameter itself"),
            Self::ResponseTypeNotCode => {
                f.write_str("the authorization code flow always sends response_type \"code\"")
            }
        }
    }
}

impl std::error::Error for ParamError {}

/// Checks one `auth_params` entry.
///
/// ```
/// use connkit_rules::params::check_auth_param;
/// assert!(check_auth_param("access_type", "offline").is_ok());
/// assert!(check_auth_param("state", "x").is_err());
/// assert!(check_auth_param("response_type", "code").is_ok());
/// assert!(check_auth_param("response_type", "token").is_err());
/// ```
pub fn check_auth_param(name: &str, value: &str) -> Result<(), ParamError> {
    if name.is_empty() {
        return Err(ParamError::EmptyName);
    }
    if name == "response_type" {
        return if value == "code" {
            Ok(())
        } else {
            Err(ParamError::ResponseTypeNotCode)
        };
    }
    if FLOW_OWNED_AUTHORIZE_PARAMS.contains(&name) {
        let instead = match name {
            "scope" => Some("scopes"),
            "code_challenge" | "code_challenge_method" => Some("pkce = true"),
            _ => None,
        };
        return Err(ParamError::FlowOwned { instead });
    }
    Ok(())
}

/// A parameter in the query of a declared `authorize_url` that the flow sets itself.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryParamError {
    /// The parameter's name, decoded.
    pub name: String,
    /// Why it is refused.
    pub problem: ParamError,
}

impl QueryParamError {
    /// The fix: remove it from the URL (and what to use instead, if anything).
    pub fn help(&self) -> Option<String> {
        let instead = match &self.problem {
            ParamError::FlowOwned {
                instead: Some(instead),
            } => format!(", and use `{instead}`"),
            _ => String::new(),
        };
        Some(format!(
            "remove `{}` from the URL's query{instead}",
            self.name
        ))
    }
}

impl fmt::Display for QueryParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "its query sets `{}`: {}, so the request would carry it twice",
            self.name, self.problem
        )
    }
}

// The problem is part of the message, so it is not repeated as the source.
impl std::error::Error for QueryParamError {}

/// Checks the query of a declared `authorize_url` (without `?`): it may not set a parameter the
/// flow sets (`client_id`, `redirect_uri`, `state`, `scope`, the PKCE ones, or `response_type`
/// other than `code`). Names are percent- and `+`-decoded as a server would.
///
/// ```
/// use connkit_rules::params::check_authorize_query;
/// assert!(check_authorize_query("prompt=consent&response_type=code").is_ok());
/// assert_eq!(check_authorize_query("a=1&st%61te=x").unwrap_err().name, "state");
/// ```
pub fn check_authorize_query(query: &str) -> Result<(), QueryParamError> {
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (name, value) = (form_decode(name), form_decode(value));
        if let Err(problem) = check_auth_param(&name, &value)
            && problem != ParamError::EmptyName
        {
            return Err(QueryParamError { name, problem });
        }
    }
    Ok(())
}

/// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte; invalid escapes
/// and invalid UTF-8 are kept as written (lossily), as a lenient server would read them.
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Checks one `refresh_params` entry.
pub fn check_refresh_param(name: &str) -> Result<(), ParamError> {
    if name.is_empty() {
        return Err(ParamError::EmptyName);
    }
    if FLOW_OWNED_REFRESH_PARAMS.contains(&name) {
        let instead = match name {
            "client_id" | "client_secret" => Some("client_auth"),
            "scope" => Some("refresh_scopes = true"),
            _ => None,
        };
        return Err(ParamError::FlowOwned { instead });
    }
    Ok(())
}

/// Checks one `token_params` entry (extra fields of the code exchange).
///
/// ```
/// use connkit_rules::params::check_token_param;
/// assert!(check_token_param("resource").is_ok());
/// assert!(check_token_param("code").is_err());
/// ```
pub fn check_token_param(name: &str) -> Result<(), ParamError> {
    if name.is_empty() {
        return Err(ParamError::EmptyName);
    }
    if FLOW_OWNED_TOKEN_PARAMS.contains(&name) {
        let instead = match name {
            "client_id" | "client_secret" => Some("client_auth"),
            "code_verifier" => Some("pkce = true"),
            _ => None,
        };
        return Err(ParamError::FlowOwned { instead });
    }
    Ok(())
}

/// Fields of a client-credentials token request the flow sets itself.
pub const FLOW_OWNED_CLIENT_CREDENTIALS_PARAMS: &[&str] = &[
    "grant_type",
    "scope",
    "client_id",
    "client_secret",
    "client_assertion",
    "client_assertion_type",
];

/// Checks one `token_params` entry of a client-credentials connection.
///
/// ```
/// use connkit_rules::params::check_client_credentials_param;
/// assert!(check_client_credentials_param("account_id").is_ok());
/// assert_eq!(
///     check_client_credentials_param("grant_type").unwrap_err().help().as_deref(),
///     Some("use `grant_type`"),
/// );
/// ```
pub fn check_client_credentials_param(name: &str) -> Result<(), ParamError> {
    if name.is_empty() {
        return Err(ParamError::EmptyName);
    }
    if FLOW_OWNED_CLIENT_CREDENTIALS_PARAMS.contains(&name) {
        let instead = match name {
            "client_id" | "client_secret" | "client_assertion" | "client_assertion_type" => {
                Some("client_auth")
            }
            "scope" => Some("scopes"),
            _ => Some("grant_type"),
        };
        return Err(ParamError::FlowOwned { instead });
    }
    Ok(())
}

/// Fields of a JWT-bearer token request the flow sets itself.
pub const FLOW_OWNED_JWT_BEARER_PARAMS: &[&str] = &["grant_type", "assertion", "scope"];

/// Checks one `token_params` entry of a JWT-bearer connection; `scope` is the flow's unless the
/// scopes go in the assertion (`scope_in_claim`).
///
/// ```
/// use connkit_rules::params::check_jwt_bearer_param;
/// assert!(check_jwt_bearer_param("client_id", false).is_ok());
/// assert!(check_jwt_bearer_param("assertion", false).is_err());
/// ```
pub fn check_jwt_bearer_param(name: &str, scope_in_claim: bool) -> Result<(), ParamError> {
    if name.is_empty() {
        return Err(ParamError::EmptyName);
    }
    if FLOW_OWNED_JWT_BEARER_PARAMS.contains(&name) {
        let instead = match name {
            "scope" => {
                let _ = scope_in_claim;
                Some("scopes")
            }
            "assertion" => Some("claims"),
            _ => None,
        };
        return Err(ParamError::FlowOwned { instead });
    }
    Ok(())
}

/// Claims of a JWT-bearer assertion the flow sets itself.
pub const FLOW_OWNED_CLAIMS: &[&str] = &["exp", "iat", "nbf", "jti"];

/// Why a `claims` entry is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimError {
    /// The claim name is empty.
    EmptyName,
    /// The flow sets this claim (the assertion's lifetime and id).
    FlowOwned,
    /// `scope`, which `scope_in_claim = true` fills from `scopes`.
    Scope,
}

impl ClaimError {
    /// The fix.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::EmptyName => None,
            Self::FlowOwned => Some(
                "remove it: each assertion is issued now, lives 55 seconds and has a fresh `jti`"
                    .to_owned(),
            ),
            Self::Scope => Some("declare the scopes in `scopes`".to_owned()),
        }
    }
}

impl fmt::Display for ClaimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::EmptyName => "a claim name must not be empty",
            Self::FlowOwned => "the flow sets this claim itself",
            Self::Scope => "`scope_in_claim = true` sets this claim from `scopes`",
        })
    }
}

impl std::error::Error for ClaimError {}

/// Checks one `claims` entry of a JWT-bearer assertion.
///
/// ```
/// use connkit_rules::params::check_jwt_claim;
/// assert!(check_jwt_claim("sub", false).is_ok());
/// assert!(check_jwt_claim("exp", false).is_err());
/// assert!(check_jwt_claim("scope", true).is_err());
/// ```
pub fn check_jwt_claim(name: &str, scope_in_claim: bool) -> Result<(), ClaimError> {
    if name.is_empty() {
        Err(ClaimError::EmptyName)
    } else if FLOW_OWNED_CLAIMS.contains(&name) {
        Err(ClaimError::FlowOwned)
    } else if scope_in_claim && name == "scope" {
        Err(ClaimError::Scope)
    } else {
        Ok(())
    }
}

/// Why a client-credentials connection's `grant_type` is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GrantTypeError {
    /// Empty, or with a character a form field name cannot carry unescaped.
    Shape {
        /// The value as written.
        found: String,
    },
    /// A grant a user takes part in, or that has its own connection kind.
    UserGrant {
        /// The value as written.
        found: String,
        /// Where it is declared instead.
        instead: &'static str,
    },
}

impl GrantTypeError {
    /// Where the grant is declared instead, for a grant that is not a client's own.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::Shape { .. } => None,
            Self::UserGrant { instead, .. } => Some((*instead).to_owned()),
        }
    }
}

impl fmt::Display for GrantTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Shape { found } => write!(
                f,
                "invalid grant_type {found:?}: a grant type is a name of letters, digits and `-._~` or an absolute URI (RFC 6749 §4.5)"
            ),
            Self::UserGrant { found, .. } => write!(
                f,
                "grant_type {found:?} is not a grant the client obtains on its own"
            ),
        }
    }
}

impl std::error::Error for GrantTypeError {}

/// Checks the `grant_type` of a client-credentials connection: `client_credentials`, or a
/// provider's own grant of the same shape (Zoom's `account_credentials`). The grants a user
/// takes part in are declared elsewhere, and say where.
///
/// ```
/// use connkit_rules::params::check_client_grant_type;
/// assert!(check_client_grant_type("account_credentials").is_ok());
/// assert!(check_client_grant_type("authorization_code").unwrap_err().help().is_some());
/// assert!(check_client_grant_type("client credentials").is_err());
/// ```
pub fn check_client_grant_type(value: &str) -> Result<(), GrantTypeError> {
    let user_grant = |instead| GrantTypeError::UserGrant {
        found: value.to_owned(),
        instead,
    };
    match value {
        "authorization_code" => {
            return Err(user_grant(
                "a user's consent is declared with #[oauth2_connection]",
            ));
        }
        "refresh_token" => {
            return Err(user_grant(
                "a client-credentials token is obtained again when it expires, never refreshed; remove `grant_type`",
            ));
        }
        "password" => {
            return Err(user_grant(
                "the password grant is deprecated (RFC 9700 §2.4); declare #[basic_auth_connection] or #[oauth2_connection]",
            ));
        }
        "urn:ietf:params:oauth:grant-type:device_code" => {
            return Err(user_grant(
                "device authorization is a user's consent; declare it on #[oauth2_connection]",
            ));
        }
        _ => {}
    }
    let name_char = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
    let uri_char = |c: char| c.is_ascii_graphic() && !"\"<>\\^`{|}".contains(c);
    let shaped = !value.is_empty()
        && (value.chars().all(name_char) || (value.contains(':') && value.chars().all(uri_char)));
    if shaped {
        Ok(())
    } else {
        Err(GrantTypeError::Shape {
            found: value.to_owned(),
        })
    }
}

/// Why a `token_path` or `token_metadata` dot-path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotPathError;

impl fmt::Display for DotPathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a path into the token response is field names separated by dots, like \"authed_user\" or \"team.id\"; no empty name, whitespace or control character")
    }
}

impl std::error::Error for DotPathError {}

/// Checks a dot-path into the JSON token response (`authed_user`, `team.id`).
///
/// ```
/// use connkit_rules::params::check_dot_path;
/// assert!(check_dot_path("team.id").is_ok());
/// assert!(check_dot_path("team..id").is_err());
/// assert!(check_dot_path("").is_err());
/// ```
pub fn check_dot_path(path: &str) -> Result<(), DotPathError> {
    let ok = path
        .split('.')
        .all(|name| !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c.is_control()));
    if ok { Ok(()) } else { Err(DotPathError) }
}

/// How the client authenticates at the token endpoint, as written in `client_auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Not `#[non_exhaustive]`: the macros map each method to the runtime's `ClientAuth`, so a new method is a change there whatever the attribute says.
pub enum ClientAuthMethod {
    /// `"body"`: `client_id` and `client_secret` as form fields.
    Body,
    /// `"header"`: HTTP Basic.
    Header,
    /// `"private_key_jwt"`: a JWT signed with the client's private key (RFC 7523 §2.2).
    PrivateKeyJwt,
    /// `"client_secret_jwt"`: a JWT signed with the client secret, HMAC SHA-256 (RFC 7523
    /// §2.2).
    ClientSecretJwt,
}

impl ClientAuthMethod {
    /// Whether the client authenticates with a signed JWT (connkit's `jwt` feature).
    pub const fn signs(self) -> bool {
        matches!(self, Self::PrivateKeyJwt | Self::ClientSecretJwt)
    }
}

/// A `client_auth` value connkit does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientAuthError {
    /// The value as written.
    pub found: String,
}

impl ClientAuthError {
    /// The fix, when one is obvious (`"basic"` means `"header"`, `"client_secret_post"`
    /// means `"body"`, a near miss of a name).
    pub fn help(&self) -> Option<String> {
        match self.found.to_ascii_lowercase().as_str() {
            "basic" | "client_secret_basic" => {
                Some("HTTP Basic authentication is `client_auth = \"header\"`".to_owned())
            }
            "post" | "client_secret_post" | "form" => {
                Some("the id and secret in the form body is `client_auth = \"body\"`".to_owned())
            }
            lower => crate::suggest::closest(lower, CLIENT_AUTH_METHODS)
                .map(|close| format!("did you mean \"{close}\"?")),
        }
    }
}

impl fmt::Display for ClientAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid client_auth {:?}: expected \"body\" (credentials in the form), \"header\" (HTTP Basic), \"private_key_jwt\" or \"client_secret_jwt\" (a signed JWT, RFC 7523)",
            self.found
        )
    }
}

impl std::error::Error for ClientAuthError {}

/// Every `client_auth` value.
pub const CLIENT_AUTH_METHODS: &[&str] =
    &["body", "header", "private_key_jwt", "client_secret_jwt"];

/// Reads a `client_auth` value.
///
/// ```
/// use connkit_rules::params::{parse_client_auth, ClientAuthMethod};
/// assert_eq!(parse_client_auth("header"), Ok(ClientAuthMethod::Header));
/// assert!(parse_client_auth("basic").unwrap_err().help().is_some());
/// ```
pub fn parse_client_auth(value: &str) -> Result<ClientAuthMethod, ClientAuthError> {
    match value {
        "body" => Ok(ClientAuthMethod::Body),
        "header" => Ok(ClientAuthMethod::Header),
        "private_key_jwt" => Ok(ClientAuthMethod::PrivateKeyJwt),
        "client_secret_jwt" => Ok(ClientAuthMethod::ClientSecretJwt),
        other => Err(ClientAuthError {
            found: other.to_owned(),
        }),
    }
}

/// Token request headers the flow or the HTTP client sets itself; `token_headers` may not set
/// them (compared ignoring case).
pub const FLOW_OWNED_HEADERS: &[&str] = &[
    "authorization",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
];

/// What is wrong with a declared token header.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderError {
    /// The name is not an RFC 9110 token.
    Name {
        /// The name as written.
        name: String,
    },
    /// The value is not a valid field value.
    Value {
        /// The header's name.
        name: String,
    },
    /// The flow or the HTTP client sets this header itself.
    FlowOwned {
        /// The name as written.
        name: String,
    },
}

impl HeaderError {
    /// The fix, when one is obvious.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::FlowOwned { name } if name.eq_ignore_ascii_case("authorization") => Some(
                "client authentication is `client_auth = \"header\"` (HTTP Basic) or \"body\"; the client id and secret come from a credential source".to_owned(),
            ),
            Self::FlowOwned { .. } => Some("leave this entry out".to_owned()),
            _ => None,
        }
    }
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name { name } => write!(f, "{name:?} is not a valid HTTP header name"),
            Self::Value { name } => write!(
                f,
                "the value of header `{name}` is not a valid HTTP header value (visible ASCII, no line breaks, no surrounding spaces)"
            ),
            Self::FlowOwned { name } => write!(
                f,
                "`{name}` is set by the OAuth2 flow or the HTTP client itself"
            ),
        }
    }
}

impl std::error::Error for HeaderError {}

/// Checks one `token_headers` entry.
pub fn check_token_header(name: &str, value: &str) -> Result<(), HeaderError> {
    if FLOW_OWNED_HEADERS
        .iter()
        .any(|owned| owned.eq_ignore_ascii_case(name))
    {
        return Err(HeaderError::FlowOwned {
            name: name.to_owned(),
        });
    }
    if !is_header_name(name) {
        Err(HeaderError::Name {
            name: name.to_owned(),
        })
    } else if !is_header_value(value) {
        Err(HeaderError::Value {
            name: name.to_owned(),
        })
    } else {
        Ok(())
    }
}

/// Whether `name` is an HTTP header field name (an RFC 9110 token).
pub fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Whether `value` is a valid HTTP header field value: visible ASCII, spaces and tabs, no
/// leading or trailing whitespace.
pub fn is_header_value(value: &str) -> bool {
    value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        && value.trim_matches([' ', '\t']) == value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_params() {
        for name in FLOW_OWNED_AUTHORIZE_PARAMS {
            assert!(check_auth_param(name, "x").is_err(), "{name}");
        }
        assert_eq!(
            check_auth_param("scope", "x"),
            Err(ParamError::FlowOwned {
                instead: Some("scopes")
            })
        );
        assert_eq!(check_auth_param("", "x"), Err(ParamError::EmptyName));
        assert!(check_refresh_param("grant_type").is_err());
        assert!(check_refresh_param("client_secret").is_err());
        assert!(check_refresh_param("resource").is_ok());
    }

    #[test]
    fn headers() {
        assert!(is_header_name("Accept"));
        assert!(is_header_name("Notion-Version"));
        assert!(!is_header_name("Bad Header"));
        assert!(!is_header_name(""));
        assert!(is_header_value("application/json"));
        assert!(is_header_value(""));
        assert!(!is_header_value("a\r\nInjected: yes"));
        assert!(!is_header_value(" padded"));
    }

    #[test]
    fn authorize_queries() {
        assert!(check_authorize_query("").is_ok());
        assert!(check_authorize_query("tenant=common&prompt=consent").is_ok());
        for (query, name) in [
            ("state=x", "state"),
            ("a=1&client_id=y", "client_id"),
            ("redirect%5Furi=z", "redirect_uri"),
            ("scope=a+b", "scope"),
            ("response_type=token", "response_type"),
            ("code_challenge_method=plain", "code_challenge_method"),
        ] {
            assert_eq!(
                check_authorize_query(query).unwrap_err().name,
                name,
                "{query}"
            );
        }
        // A broken escape stays as written and names nothing the flow owns.
        assert!(check_authorize_query("x=%zz&y=%").is_ok());
        assert_eq!(form_decode("a%2"), "a%2");
        assert_eq!(form_decode("%e2%9c%93+ok"), "\u{2713} ok");
    }

    #[test]
    fn flow_owned_headers() {
        for name in [
            "Authorization",
            "host",
            "Content-Length",
            "content-type",
            "Connection",
        ] {
            assert!(matches!(
                check_token_header(name, "x"),
                Err(HeaderError::FlowOwned { .. })
            ));
        }
        assert!(check_token_header("Accept", "application/json").is_ok());
        assert!(check_token_header("X-Api-Version", "2").is_ok());
    }
}

/// Why the place an API key goes is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyPlacementError {
    /// Not an HTTP header name.
    HeaderName,
    /// A header the HTTP client sets itself.
    ReservedHeader,
    /// A prefix that is not a header value's start.
    Prefix,
    /// A query parameter name that is empty or needs escaping.
    QueryName,
}

impl fmt::Display for KeyPlacementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::HeaderName => "not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)",
            Self::ReservedHeader => "the HTTP client sets this header itself",
            Self::Prefix => "a prefix is visible ASCII and spaces, without a leading space",
            Self::QueryName => "a query parameter name is letters, digits and -._~, not empty",
        })
    }
}

impl std::error::Error for KeyPlacementError {}

/// Checks the header an API key goes in (`Authorization`, `X-Api-Key`).
///
/// ```
/// use connkit_rules::params::check_key_header;
/// assert!(check_key_header("X-Api-Key").is_ok());
/// assert!(check_key_header("Host").is_err());
/// ```
///
/// # Errors
/// [`KeyPlacementError`].
pub fn check_key_header(name: &str) -> Result<(), KeyPlacementError> {
    if !is_header_name(name) {
        return Err(KeyPlacementError::HeaderName);
    }
    let reserved = [
        "host",
        "content-length",
        "content-type",
        "transfer-encoding",
        "connection",
    ];
    if reserved.iter().any(|r| r.eq_ignore_ascii_case(name)) {
        return Err(KeyPlacementError::ReservedHeader);
    }
    Ok(())
}

/// Checks the text before an API key in its header (`Bearer `, `Token token=`).
///
/// # Errors
/// [`KeyPlacementError::Prefix`].
pub fn check_key_prefix(prefix: &str) -> Result<(), KeyPlacementError> {
    let visible = prefix.bytes().all(|b| (b' '..=b'~').contains(&b));
    if visible && !prefix.starts_with(' ') {
        Ok(())
    } else {
        Err(KeyPlacementError::Prefix)
    }
}

/// Checks the query parameter an API key goes in (`api_key`).
///
/// # Errors
/// [`KeyPlacementError::QueryName`].
pub fn check_key_query(name: &str) -> Result<(), KeyPlacementError> {
    let ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(KeyPlacementError::QueryName)
    }
}
