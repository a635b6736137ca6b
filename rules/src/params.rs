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

/// Why an extra parameter is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamProblem {
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

impl ParamProblem {
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

impl fmt::Display for ParamProblem {
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

/// Checks one `auth_params` entry.
///
/// ```
/// use connkit_rules::params::check_auth_param;
/// assert!(check_auth_param("access_type", "offline").is_ok());
/// assert!(check_auth_param("state", "x").is_err());
/// assert!(check_auth_param("response_type", "code").is_ok());
/// assert!(check_auth_param("response_type", "token").is_err());
/// ```
pub fn check_auth_param(name: &str, value: &str) -> Result<(), ParamProblem> {
    if name.is_empty() {
        return Err(ParamProblem::EmptyName);
    }
    if name == "response_type" {
        return if value == "code" {
            Ok(())
        } else {
            Err(ParamProblem::ResponseTypeNotCode)
        };
    }
    if FLOW_OWNED_AUTHORIZE_PARAMS.contains(&name) {
        let instead = match name {
            "scope" => Some("scopes"),
            "code_challenge" | "code_challenge_method" => Some("pkce = true"),
            _ => None,
        };
        return Err(ParamProblem::FlowOwned { instead });
    }
    Ok(())
}

/// Checks one `refresh_params` entry.
pub fn check_refresh_param(name: &str) -> Result<(), ParamProblem> {
    if name.is_empty() {
        return Err(ParamProblem::EmptyName);
    }
    if FLOW_OWNED_REFRESH_PARAMS.contains(&name) {
        let instead = match name {
            "client_id" | "client_secret" => Some("client_auth"),
            _ => None,
        };
        return Err(ParamProblem::FlowOwned { instead });
    }
    Ok(())
}

/// How the client authenticates at the token endpoint, as written in `client_auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuthMethod {
    /// `"body"`: `client_id` and `client_secret` as form fields.
    Body,
    /// `"header"`: HTTP Basic.
    Header,
}

/// A `client_auth` value other than `"body"` or `"header"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAuthError {
    /// The value as written.
    pub found: String,
}

impl ClientAuthError {
    /// The fix, when one is obvious (`"basic"` means `"header"`).
    pub fn help(&self) -> Option<String> {
        matches!(
            self.found.to_ascii_lowercase().as_str(),
            "basic" | "client_secret_basic"
        )
        .then(|| "HTTP Basic authentication is `client_auth = \"header\"`".to_owned())
    }
}

impl fmt::Display for ClientAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid client_auth {:?}: expected \"body\" (credentials in the form) or \"header\" (HTTP Basic)",
            self.found
        )
    }
}

impl std::error::Error for ClientAuthError {}

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
        other => Err(ClientAuthError {
            found: other.to_owned(),
        }),
    }
}

/// What is wrong with a declared token header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeaderProblem {
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
}

impl fmt::Display for HeaderProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name { name } => write!(f, "{name:?} is not a valid HTTP header name"),
            Self::Value { name } => write!(
                f,
                "the value of header `{name}` is not a valid HTTP header value (visible ASCII, no line breaks, no surrounding spaces)"
            ),
        }
    }
}

impl std::error::Error for HeaderProblem {}

/// Checks one `token_headers` entry.
pub fn check_token_header(name: &str, value: &str) -> Result<(), HeaderProblem> {
    if !is_header_name(name) {
        Err(HeaderProblem::Name {
            name: name.to_owned(),
        })
    } else if !is_header_value(value) {
        Err(HeaderProblem::Value {
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
            Err(ParamProblem::FlowOwned {
                instead: Some("scopes")
            })
        );
        assert_eq!(check_auth_param("", "x"), Err(ParamProblem::EmptyName));
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
}
