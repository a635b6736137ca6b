//! Token endpoint responses, parsed tolerantly: JSON or form-encoded bodies (chosen by the body
//! as well as the Content-Type), `expires_in` as number or string, any 2xx status, an `error`
//! field in a 2xx body (GitHub, Slack), RFC 6749 §5.2 errors as an enum.

use core::fmt;

use crate::secret::{AccessToken, RefreshToken};

/// The largest token response body accepted: what the HTTP adapters read at most.
pub const MAX_TOKEN_RESPONSE_BYTES: usize = crate::http::DEFAULT_MAX_BODY_BYTES;

/// A successful token response.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenResponse {
    /// `access_token`.
    pub access_token: AccessToken,
    /// `token_type`, as sent.
    pub token_type: Option<String>,
    /// `refresh_token`.
    pub refresh_token: Option<RefreshToken>,
    /// `expires_in`, in seconds.
    pub expires_in: Option<u64>,
    /// `scope`, split with the connection's delimiter.
    pub scopes: Option<Vec<String>>,
    /// Every other field.
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

/// The error codes of RFC 6749 §5.2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthErrorCode {
    /// `invalid_request`.
    InvalidRequest,
    /// `invalid_client`: client authentication failed.
    InvalidClient,
    /// `invalid_grant`: the code or refresh token is invalid, expired, revoked, replayed, or
    /// does not match the redirect URI or PKCE verifier.
    InvalidGrant,
    /// `unauthorized_client`.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `invalid_scope`.
    InvalidScope,
    /// Any other code, as sent (glewlwyd answers `invalid_code`, Slack `invalid_code` etc.).
    Other(String),
}

impl OAuthErrorCode {
    pub(crate) fn parse(code: &str) -> Self {
        match code {
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_scope" => Self::InvalidScope,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The code as sent on the wire.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::InvalidScope => "invalid_scope",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error answer of the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    /// The error code.
    pub code: OAuthErrorCode,
    /// `error_description`, if sent.
    pub description: Option<String>,
    /// `error_uri`, if sent.
    pub uri: Option<String>,
    /// The HTTP status it came with (GitHub and Slack send errors with 200).
    pub status: u16,
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.code, self.status)?;
        if let Some(description) = &self.description {
            write!(f, ": {description}")?;
        }
        Ok(())
    }
}

/// Why a token endpoint answer holds no tokens. No variant carries a token, a secret or the
/// response body.
#[derive(Debug, thiserror::Error)]
pub enum TokenResponseError {
    /// The token endpoint answered with an OAuth2 error.
    #[error("the token endpoint answered {0}")]
    OAuth(OAuthError),
    /// A non-2xx answer without an OAuth2 error in it.
    #[error("the token endpoint answered HTTP {status} without an OAuth2 error{}", content_type.as_deref().map(|t| format!(" (content type {t})")).unwrap_or_default())]
    Status {
        /// The HTTP status.
        status: u16,
        /// The Content-Type, if any.
        content_type: Option<String>,
    },
    /// A redirect; the token endpoint's redirects are never followed.
    #[error(
        "the token endpoint answered with a redirect (HTTP {status}); redirects are not followed"
    )]
    Redirect {
        /// The HTTP status.
        status: u16,
    },
    /// An empty body.
    #[error("the token endpoint answered HTTP {status} with an empty body")]
    EmptyBody {
        /// The HTTP status.
        status: u16,
    },
    /// A body that is neither JSON nor form-encoded (an HTML error page, say).
    #[error("the token endpoint answered HTTP {status} with a body that is neither JSON nor form-encoded{}", content_type.as_deref().map(|t| format!(" (content type {t})")).unwrap_or_default())]
    UnreadableBody {
        /// The HTTP status.
        status: u16,
        /// The Content-Type, if any.
        content_type: Option<String>,
    },
    /// A JSON body that does not parse, or is not an object.
    #[error("the token response is not a JSON object: {reason}")]
    InvalidJson {
        /// What the parser said (positions only, never content).
        reason: String,
    },
    /// A body larger than [`MAX_TOKEN_RESPONSE_BYTES`].
    #[error("the token response is larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// A successful answer without an access token.
    #[error("the token response has no access_token")]
    MissingAccessToken,
    /// A field of the wrong type.
    #[error("the token response field {field} is not {expected}")]
    InvalidField {
        /// The field.
        field: &'static str,
        /// What it should be.
        expected: &'static str,
    },
}

impl TokenResponseError {
    /// The OAuth2 error code, when the endpoint sent one.
    pub fn oauth_code(&self) -> Option<&OAuthErrorCode> {
        match self {
            Self::OAuth(error) => Some(&error.code),
            _ => None,
        }
    }
}

/// Parses a token endpoint response.
///
/// ```
/// use connkit::token_response::parse_token_response;
/// let body = br#"{"access_token":"at","token_type":"bearer","expires_in":"3600","scope":"a,b"}"#;
/// let response = parse_token_response(200, Some("text/plain"), body, ",").unwrap();
/// assert_eq!(response.expires_in, Some(3600));
/// assert_eq!(response.scopes.as_deref(), Some(&["a".to_owned(), "b".to_owned()][..]));
///
/// let github = b"error=bad_verification_code&error_description=The+code+is+wrong";
/// let error = parse_token_response(200, Some("application/x-www-form-urlencoded"), github, " ");
/// assert_eq!(error.unwrap_err().to_string(), "the token endpoint answered bad_verification_code (HTTP 200): The code is wrong");
/// ```
///
/// # Errors
/// [`TokenResponseError`] for an error answer, a redirect, an unreadable, empty or oversized body, or a
/// success without an access token.
pub fn parse_token_response(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    scope_delimiter: &str,
) -> Result<TokenResponse, TokenResponseError> {
    if (300..400).contains(&status) {
        return Err(TokenResponseError::Redirect { status });
    }
    if body.len() > MAX_TOKEN_RESPONSE_BYTES {
        return Err(TokenResponseError::TooLarge {
            limit: MAX_TOKEN_RESPONSE_BYTES,
        });
    }
    let owned_type = || content_type.map(str::to_owned);
    let trimmed = body.trim_ascii();
    if trimmed.is_empty() {
        return Err(if (200..300).contains(&status) {
            TokenResponseError::EmptyBody { status }
        } else {
            TokenResponseError::Status {
                status,
                content_type: owned_type(),
            }
        });
    }
    let media_type = content_type
        .map(|value| {
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let fields = if trimmed.starts_with(b"{") || media_type.ends_with("json") {
        parse_json(trimmed)
    } else if media_type == "application/x-www-form-urlencoded" || looks_form_encoded(trimmed) {
        Ok(parse_form(trimmed))
    } else if (200..300).contains(&status) {
        return Err(TokenResponseError::UnreadableBody {
            status,
            content_type: owned_type(),
        });
    } else {
        return Err(TokenResponseError::Status {
            status,
            content_type: owned_type(),
        });
    };
    let mut fields = match fields {
        Ok(fields) => fields,
        // A non-2xx answer whose body is broken JSON is reported by its status.
        Err(_) if !(200..300).contains(&status) => {
            return Err(TokenResponseError::Status {
                status,
                content_type: owned_type(),
            });
        }
        Err(error) => return Err(error),
    };
    if let Some(code) = fields.remove("error") {
        let code = match code {
            serde_json::Value::String(code) => code,
            other => other.to_string(),
        };
        return Err(TokenResponseError::OAuth(OAuthError {
            code: OAuthErrorCode::parse(&code),
            description: take_string(&mut fields, "error_description").ok().flatten(),
            uri: take_string(&mut fields, "error_uri").ok().flatten(),
            status,
        }));
    }
    if !(200..300).contains(&status) {
        return Err(TokenResponseError::Status {
            status,
            content_type: owned_type(),
        });
    }
    let access_token = take_string(&mut fields, "access_token")?
        .filter(|token| !token.is_empty())
        .ok_or(TokenResponseError::MissingAccessToken)?;
    Ok(TokenResponse {
        access_token: AccessToken::new(access_token),
        token_type: take_string(&mut fields, "token_type")?,
        refresh_token: take_string(&mut fields, "refresh_token")?
            .filter(|token| !token.is_empty())
            .map(RefreshToken::new),
        expires_in: take_expires_in(&mut fields)?,
        scopes: take_scopes(&mut fields, scope_delimiter)?,
        metadata: fields,
    })
}

type Fields = serde_json::Map<String, serde_json::Value>;

fn parse_json(body: &[u8]) -> Result<Fields, TokenResponseError> {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(TokenResponseError::InvalidJson {
            reason: "the body is JSON but not an object".to_owned(),
        }),
        Err(error) => Err(TokenResponseError::InvalidJson {
            // serde_json's message names a category and a position, never the input.
            reason: format!(
                "{:?} error at line {} column {}",
                error.classify(),
                error.line(),
                error.column()
            ),
        }),
    }
}

fn looks_form_encoded(body: &[u8]) -> bool {
    body.contains(&b'=')
        && body
            .iter()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'<' | b'>' | b'"' | b'{' | b'}'))
}

fn parse_form(body: &[u8]) -> Fields {
    url::form_urlencoded::parse(body)
        .map(|(name, value)| {
            (
                name.into_owned(),
                serde_json::Value::String(value.into_owned()),
            )
        })
        .collect()
}

fn take_string(
    fields: &mut Fields,
    field: &'static str,
) -> Result<Option<String>, TokenResponseError> {
    match fields.remove(field) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(TokenResponseError::InvalidField {
            field,
            expected: "a string",
        }),
    }
}

fn take_expires_in(fields: &mut Fields) -> Result<Option<u64>, TokenResponseError> {
    let invalid = TokenResponseError::InvalidField {
        field: "expires_in",
        expected: "a non-negative number of seconds",
    };
    match fields.remove("expires_in") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(number)) => match (number.as_u64(), number.as_f64()) {
            (Some(seconds), _) => Ok(Some(seconds)),
            (None, Some(seconds)) if seconds >= 0.0 && seconds.is_finite() => {
                // Fractional seconds: round down; saturate absurdly large values.
                Ok(Some(if seconds >= u64::MAX as f64 {
                    u64::MAX
                } else {
                    seconds as u64
                }))
            }
            _ => Err(invalid),
        },
        Some(serde_json::Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(serde_json::Value::String(text)) => {
            text.trim().parse::<u64>().map(Some).map_err(|_| invalid)
        }
        Some(_) => Err(invalid),
    }
}

fn take_scopes(
    fields: &mut Fields,
    delimiter: &str,
) -> Result<Option<Vec<String>>, TokenResponseError> {
    let split = |text: &str| -> Vec<String> {
        let delimiter = if delimiter.is_empty() { " " } else { delimiter };
        text.split(delimiter)
            .map(str::trim)
            .filter(|scope| !scope.is_empty())
            .map(str::to_owned)
            .collect()
    };
    match fields.remove("scope") {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(text)) => Ok(Some(split(&text))),
        // Some servers answer a list.
        Some(serde_json::Value::Array(items)) => items
            .into_iter()
            .map(|item| match item {
                serde_json::Value::String(scope) => Ok(scope),
                _ => Err(TokenResponseError::InvalidField {
                    field: "scope",
                    expected: "a string or a list of strings",
                }),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(TokenResponseError::InvalidField {
            field: "scope",
            expected: "a string or a list of strings",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(
        status: u16,
        content_type: &str,
        body: &str,
    ) -> Result<TokenResponse, TokenResponseError> {
        parse_token_response(status, Some(content_type), body.as_bytes(), " ")
    }

    #[test]
    fn json_with_every_field() {
        let response = parse(
            200,
            "application/json; charset=utf-8",
            r#"{"access_token":"at","token_type":"Bearer","refresh_token":"rt","expires_in":3600,"scope":"openid api","id_token":"x.y.z","nested":{"a":1}}"#,
        )
        .unwrap();
        assert_eq!(response.access_token.expose_secret(), "at");
        assert_eq!(response.token_type.as_deref(), Some("Bearer"));
        assert_eq!(response.refresh_token.unwrap().expose_secret(), "rt");
        assert_eq!(response.expires_in, Some(3600));
        assert_eq!(response.scopes, Some(vec!["openid".into(), "api".into()]));
        assert_eq!(response.metadata.len(), 2);
        assert_eq!(response.metadata["nested"]["a"], 1);
    }

    #[test]
    fn tolerated_shapes() {
        // Form-encoded with a JSON-less content type (GitHub without Accept).
        let form = parse(
            200,
            "text/plain",
            "access_token=gho_1&scope=repo%2Cworkflow&token_type=bearer",
        )
        .unwrap();
        assert_eq!(form.access_token.expose_secret(), "gho_1");
        assert_eq!(form.scopes, Some(vec!["repo,workflow".into()]));
        // JSON sent as text/html, expires_in as a string, any 2xx.
        let odd = parse(
            201,
            "text/html",
            r#" {"access_token":"a","expires_in":" 60 ","scope":["x","y"]}"#,
        )
        .unwrap();
        assert_eq!(odd.expires_in, Some(60));
        assert_eq!(odd.scopes, Some(vec!["x".into(), "y".into()]));
        assert_eq!(
            parse(
                200,
                "application/json",
                r#"{"access_token":"a","expires_in":59.9}"#
            )
            .unwrap()
            .expires_in,
            Some(59)
        );
        // Null and empty optional fields.
        let nulls = parse(
            200,
            "application/json",
            r#"{"access_token":"a","refresh_token":null,"expires_in":"","scope":null}"#,
        )
        .unwrap();
        assert_eq!(
            (nulls.refresh_token, nulls.expires_in, nulls.scopes),
            (None, None, None)
        );
        // The connection's delimiter splits the scope.
        let slack = parse_token_response(
            200,
            None,
            br#"{"ok":true,"access_token":"x","scope":"chat:write,users:read"}"#,
            ",",
        )
        .unwrap();
        assert_eq!(
            slack.scopes,
            Some(vec!["chat:write".into(), "users:read".into()])
        );
    }

    #[test]
    fn errors_in_any_status() {
        let github = parse(200, "application/json", r#"{"error":"bad_verification_code","error_description":"The code passed is incorrect or expired."}"#).unwrap_err();
        assert_eq!(
            github.oauth_code(),
            Some(&OAuthErrorCode::Other("bad_verification_code".into()))
        );
        let slack = parse(
            200,
            "application/json",
            r#"{"ok":false,"error":"invalid_code"}"#,
        )
        .unwrap_err();
        assert_eq!(
            slack.oauth_code(),
            Some(&OAuthErrorCode::Other("invalid_code".into()))
        );
        let rfc = parse(400, "application/json", r#"{"error":"invalid_grant","error_description":"grant request is invalid","error_uri":"https://e/x"}"#).unwrap_err();
        let TokenResponseError::OAuth(error) = rfc else {
            panic!("{rfc:?}")
        };
        assert_eq!(error.code, OAuthErrorCode::InvalidGrant);
        assert_eq!(error.uri.as_deref(), Some("https://e/x"));
        assert_eq!(error.status, 400);
        // glewlwyd: 403 with a non-RFC code, 400 with an empty body.
        let glewlwyd = parse(403, "application/json", r#"{"error":"invalid_code"}"#).unwrap_err();
        assert_eq!(
            glewlwyd.oauth_code(),
            Some(&OAuthErrorCode::Other("invalid_code".into()))
        );
        assert!(matches!(
            parse(400, "", ""),
            Err(TokenResponseError::Status { status: 400, .. })
        ));
        assert!(matches!(
            parse(401, "application/json", r#"{"error":"invalid_client"}"#)
                .unwrap_err()
                .oauth_code(),
            Some(OAuthErrorCode::InvalidClient)
        ));
    }

    #[test]
    fn garbage_is_a_typed_error() {
        assert!(matches!(
            parse(200, "text/html", "<html><body>Oops</body></html>"),
            Err(TokenResponseError::UnreadableBody { status: 200, .. })
        ));
        assert!(matches!(
            parse(502, "text/html", "<html>Bad gateway</html>"),
            Err(TokenResponseError::Status { status: 502, .. })
        ));
        assert!(matches!(
            parse(200, "application/json", ""),
            Err(TokenResponseError::EmptyBody { status: 200 })
        ));
        assert!(matches!(
            parse(200, "application/json", "  \n"),
            Err(TokenResponseError::EmptyBody { .. })
        ));
        assert!(matches!(
            parse(200, "application/json", r#"{"access_token":"#),
            Err(TokenResponseError::InvalidJson { .. })
        ));
        assert!(matches!(
            parse(200, "application/json", "[1,2]"),
            Err(TokenResponseError::InvalidJson { .. })
        ));
        assert!(matches!(
            parse(500, "application/json", r#"{"access_tok"#),
            Err(TokenResponseError::Status { status: 500, .. })
        ));
        assert!(matches!(
            parse(200, "application/json", r#"{"token_type":"bearer"}"#),
            Err(TokenResponseError::MissingAccessToken)
        ));
        assert!(matches!(
            parse(200, "application/json", r#"{"access_token":""}"#),
            Err(TokenResponseError::MissingAccessToken)
        ));
        assert!(matches!(
            parse(200, "application/json", r#"{"access_token":7}"#),
            Err(TokenResponseError::InvalidField {
                field: "access_token",
                ..
            })
        ));
        assert!(matches!(
            parse(
                200,
                "application/json",
                r#"{"access_token":"a","expires_in":-5}"#
            ),
            Err(TokenResponseError::InvalidField {
                field: "expires_in",
                ..
            })
        ));
        assert!(matches!(
            parse(
                200,
                "application/json",
                r#"{"access_token":"a","expires_in":"soon"}"#
            ),
            Err(TokenResponseError::InvalidField {
                field: "expires_in",
                ..
            })
        ));
        assert!(matches!(
            parse(302, "text/html", ""),
            Err(TokenResponseError::Redirect { status: 302 })
        ));
        let huge = vec![b' '; MAX_TOKEN_RESPONSE_BYTES + 1];
        assert!(matches!(
            parse_token_response(200, None, &huge, " "),
            Err(TokenResponseError::TooLarge { .. })
        ));
        assert!(matches!(
            parse_token_response(200, None, &[0xff, 0xfe, b'='], " "),
            Err(TokenResponseError::UnreadableBody { .. })
        ));
    }

    #[test]
    fn error_messages_never_carry_the_body() {
        let secret = "tok-SECRET-123";
        let bodies = [
            format!(r#"{{"access_token":"{secret}""#),
            format!(r#"<html>{secret}</html>"#),
            format!(r#"{{"access_token":"{secret}","expires_in":"x"}}"#),
        ];
        for body in &bodies {
            for status in [200, 400] {
                let error = parse(status, "application/json", body).unwrap_err();
                assert!(!format!("{error} {error:?}").contains(secret), "{error:?}");
            }
        }
    }
}
