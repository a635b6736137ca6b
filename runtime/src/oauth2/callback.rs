//! The redirect back from the authorization server: `code` and `state`, or an error.

use core::fmt;

use crate::printable::printable;
use crate::secret::State;

/// The error codes of an authorization error response (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthorizationErrorCode {
    /// `invalid_request`.
    InvalidRequest,
    /// `unauthorized_client`.
    UnauthorizedClient,
    /// `access_denied`: the user (or the server) refused.
    AccessDenied,
    /// `unsupported_response_type`.
    UnsupportedResponseType,
    /// `invalid_scope`.
    InvalidScope,
    /// `server_error`.
    ServerError,
    /// `temporarily_unavailable`.
    TemporarilyUnavailable,
    /// Any other code, as sent.
    Other(String),
}

impl AuthorizationErrorCode {
    pub(crate) fn parse(code: &str) -> Self {
        match code {
            "invalid_request" => Self::InvalidRequest,
            "unauthorized_client" => Self::UnauthorizedClient,
            "access_denied" => Self::AccessDenied,
            "unsupported_response_type" => Self::UnsupportedResponseType,
            "invalid_scope" => Self::InvalidScope,
            "server_error" => Self::ServerError,
            "temporarily_unavailable" => Self::TemporarilyUnavailable,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The code as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::AccessDenied => "access_denied",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::ServerError => "server_error",
            Self::TemporarilyUnavailable => "temporarily_unavailable",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for AuthorizationErrorCode {
    /// The code as sent, with control characters escaped (a server-sent code reaches logs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable(self.as_str()))
    }
}

/// Why a callback does not yield a code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CallbackError {
    /// The server answered with an error, such as `access_denied` when the user refused.
    #[error("the authorization server answered {code}{}", description.as_deref().map(|d| format!(": {}", printable(d))).unwrap_or_default())]
    Authorization {
        /// The error code.
        code: AuthorizationErrorCode,
        /// `error_description`, if sent (control characters are escaped in `Display`).
        description: Option<String>,
        /// `error_uri`, if sent.
        uri: Option<String>,
        /// The `state` the error came back with (it matched the pending authorization);
        /// redacted in `Debug`.
        state: State,
    },
    /// The callback has no `state`.
    #[error("the callback has no state parameter")]
    MissingState,
    /// The callback's `state` is not the one sent (a forged or mixed-up callback).
    #[error("the callback's state does not match the pending authorization")]
    StateMismatch,
    /// The callback has no `code`.
    #[error("the callback has neither a code nor an error")]
    MissingCode,
    /// A parameter appears more than once.
    #[error("the callback repeats the parameter {0}")]
    RepeatedParameter(String),
    /// The pending authorization belongs to another connection than the client's.
    #[error("the pending authorization is for connection {found}, not {expected}")]
    WrongConnection {
        /// The client's connection.
        expected: &'static str,
        /// The pending authorization's connection.
        found: String,
    },
    /// The pending authorization expired before the callback arrived.
    #[error("the pending authorization expired before the callback")]
    Expired,
    /// The callback came back with an `iss` other than the definition's `issuer`, or without one
    /// where the definition says the server always sends it (RFC 9207; a mix-up attack).
    #[error("the callback's issuer {found:?} is not the expected {expected:?}")]
    IssuerMismatch {
        /// The expected issuer.
        expected: String,
        /// The issuer in the callback.
        found: Option<String>,
    },
}

/// The parameters of a callback that connkit reads; any other parameter is ignored.
#[derive(Default)]
pub(crate) struct CallbackParams {
    pub(crate) code: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) error: Option<String>,
    pub(crate) error_description: Option<String>,
    pub(crate) error_uri: Option<String>,
    pub(crate) iss: Option<String>,
}

impl CallbackParams {
    /// Reads `callback`: the whole redirect URL, or only its query (with or without `?`).
    pub(crate) fn parse(callback: &str) -> Result<Self, CallbackError> {
        // The fragment goes first: a `?` inside it is not the query's.
        let callback = callback
            .split_once('#')
            .map_or(callback, |(before, _)| before);
        let query = match callback.split_once('?') {
            Some((_, query)) => query,
            None if callback.contains("://") => "",
            None => callback,
        };
        let mut params = Self::default();
        for (name, value) in url::form_urlencoded::parse(query.as_bytes()) {
            let slot = match name.as_ref() {
                "code" => &mut params.code,
                "state" => &mut params.state,
                "error" => &mut params.error,
                "error_description" => &mut params.error_description,
                "error_uri" => &mut params.error_uri,
                "iss" => &mut params.iss,
                _ => continue,
            };
            if slot.replace(value.into_owned()).is_some() {
                return Err(CallbackError::RepeatedParameter(name.into_owned()));
            }
        }
        Ok(params)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fragment_and_unknown_parameters_are_ignored() {
        let params =
            CallbackParams::parse("https://app.example/cb?code=c&x=1&state=s#frag").unwrap();
        assert_eq!(params.code.as_deref(), Some("c"));
        assert_eq!(params.state.as_deref(), Some("s"));
        assert!(params.error.is_none() && params.iss.is_none());
    }

    #[test]
    fn a_repeated_parameter_is_refused() {
        assert_eq!(
            CallbackParams::parse("iss=a&iss=b").err(),
            Some(CallbackError::RepeatedParameter("iss".into()))
        );
    }
}
