//! Token endpoint responses, parsed tolerantly: JSON or form-encoded bodies (chosen by the body
//! as well as the Content-Type, a leading byte-order mark allowed), `expires_in` as number or
//! string, any 2xx status, an `error` field in a 2xx body (GitHub, Slack), RFC 6749 §5.2 errors
//! as an enum. A field given twice is refused, as in the callback.

use core::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};

use crate::printable::printable;
use crate::secret::{AccessToken, RefreshToken};

/// The largest token response body accepted: what the HTTP adapters read at most.
pub const MAX_TOKEN_RESPONSE_BYTES: usize = crate::http::DEFAULT_MAX_BODY_BYTES;

/// The longest token lifetime believed: ten years. A larger `expires_in` (servers have sent
/// `18446744073709551616` and `1e19`) is clamped to it when parsed, so that no later time
/// computation on the token set can overflow.
pub const MAX_EXPIRES_IN: u64 = 10 * 365 * 24 * 60 * 60;

/// A successful token response.
///
/// `Debug` shows neither token nor any metadata value (metadata may hold an `id_token` or Slack's
/// nested `authed_user.access_token`), only the metadata keys.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct TokenResponse {
    /// `access_token`.
    pub access_token: AccessToken,
    /// `token_type`, as sent. A missing or non-`Bearer` type is accepted: providers omit it
    /// (GitHub's form answers) or name the token's owner (Slack's `bot` and `user`), and all of
    /// them issue bearer tokens (RFC 6750).
    pub token_type: Option<String>,
    /// `refresh_token`.
    pub refresh_token: Option<RefreshToken>,
    /// `expires_in`, in seconds, at most [`MAX_EXPIRES_IN`].
    pub expires_in: Option<u64>,
    /// `scope`, split with the connection's delimiter.
    pub scopes: Option<Vec<String>>,
    /// Every other field.
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("refresh_token", &self.refresh_token)
            .field("expires_in", &self.expires_in)
            .field("scopes", &self.scopes)
            .field("metadata_keys", &self.metadata.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The error codes of RFC 6749 §5.2.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
    /// `authorization_pending` (RFC 8628 §3.5): the user has not yet approved the device.
    AuthorizationPending,
    /// `slow_down` (RFC 8628 §3.5): poll five seconds less often.
    SlowDown,
    /// `access_denied` (RFC 8628 §3.5): the user refused.
    AccessDenied,
    /// `expired_token` (RFC 8628 §3.5): the device code expired before the user approved.
    ExpiredToken,
    /// `use_dpop_nonce` (RFC 9449 §8): send the proof again with the nonce the server gave.
    UseDpopNonce,
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
            "authorization_pending" => Self::AuthorizationPending,
            "slow_down" => Self::SlowDown,
            "access_denied" => Self::AccessDenied,
            "expired_token" => Self::ExpiredToken,
            "use_dpop_nonce" => Self::UseDpopNonce,
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
            Self::AuthorizationPending => "authorization_pending",
            Self::SlowDown => "slow_down",
            Self::AccessDenied => "access_denied",
            Self::ExpiredToken => "expired_token",
            Self::UseDpopNonce => "use_dpop_nonce",
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for OAuthErrorCode {
    /// The code as sent, with control characters escaped (a server-sent code reaches logs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&printable(self.as_str()))
    }
}

/// An error answer of the token endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
            // Server-sent: control characters escaped, so it cannot forge a log line.
            write!(f, ": {}", printable(description))?;
        }
        Ok(())
    }
}

impl std::error::Error for OAuthError {}

/// Why a token endpoint answer holds no tokens. No variant carries a token, a secret or the
/// response body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
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
    /// The definition's `token_path` leads to no object in a successful answer.
    #[error("the token response has no object at {path:?} (the definition's token_path)")]
    MissingTokenObject {
        /// The path, as declared.
        path: &'static str,
    },
    /// A field given twice (refused, as a repeated callback parameter is).
    #[error("the token response gives the field {field} twice")]
    RepeatedField {
        /// The field's name, printable.
        field: String,
    },
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
/// use connkit::oauth2::token_response::parse_token_response;
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
    parse_token_response_shaped(status, content_type, body, scope_delimiter, None, &[])
}

/// [`parse_token_response`] for a definition that declares where the tokens are and which
/// fields to keep: with `token_path` (`"authed_user"`), the tokens are read from the object at
/// that dot-path and its other fields are the metadata; each of `metadata_paths` (`"team.id"`)
/// found in the whole answer is copied into the metadata under that path. Errors are read at
/// the top level, where providers send them.
///
/// ```
/// use connkit::oauth2::token_response::parse_token_response_shaped;
/// let slack = br#"{"ok":true,"access_token":"xoxb-bot","team":{"id":"T1"},
///     "authed_user":{"id":"U1","scope":"chat:write","access_token":"xoxp-user","token_type":"user"}}"#;
/// let user = parse_token_response_shaped(200, None, slack, ",", Some("authed_user"), &["team.id"]).unwrap();
/// assert_eq!(user.access_token.expose_secret(), "xoxp-user");
/// assert_eq!(user.metadata["id"], "U1");
/// assert_eq!(user.metadata["team.id"], "T1");
/// ```
///
/// # Errors
/// As `parse_token_response`, and [`TokenResponseError::MissingTokenObject`].
pub fn parse_token_response_shaped(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    scope_delimiter: &str,
    token_path: Option<&'static str>,
    metadata_paths: &[&str],
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
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
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
    // Compared ignoring ASCII case, without making a lowercase copy.
    let media_type = content_type
        .map(|value| {
            let end = value.bytes().position(|b| b == b';').unwrap_or(value.len());
            value.get(..end).unwrap_or_default().trim()
        })
        .unwrap_or_default();
    let json_type = media_type
        .len()
        .checked_sub(4)
        .and_then(|at| media_type.get(at..))
        .is_some_and(|end| end.eq_ignore_ascii_case("json"));
    let form_type = media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded");
    // Filled in place: the field set is large, and moving it through results costs more than
    // the rest of the parse.
    let mut fields = FieldSet::default();
    let parsed = if trimmed.starts_with(b"{") || json_type {
        parse_json(trimmed, &mut fields)
    } else if form_type || looks_form_encoded(trimmed) {
        parse_form(trimmed, &mut fields)
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
    match parsed {
        Ok(()) => {}
        // A non-2xx answer whose body is broken JSON is reported by its status.
        Err(_) if !(200..300).contains(&status) => {
            return Err(TokenResponseError::Status {
                status,
                content_type: owned_type(),
            });
        }
        Err(error) => return Err(error),
    };
    // Only a non-empty string is an error code. `null`, `""` or `false` in a success (some
    // providers send them) is no error, and an object is never copied into a message: both stay
    // in the metadata.
    match fields.known[ERROR].take() {
        Some(serde_json::Value::String(code)) if !code.is_empty() => {
            return Err(TokenResponseError::OAuth(OAuthError {
                code: OAuthErrorCode::parse(&code),
                description: error_text(fields.rest.remove("error_description")),
                uri: error_text(fields.rest.remove("error_uri")),
                status,
            }));
        }
        other => fields.known[ERROR] = other,
    }
    if !(200..300).contains(&status) {
        return Err(TokenResponseError::Status {
            status,
            content_type: owned_type(),
        });
    }
    let selected: Vec<(&str, serde_json::Value)> = metadata_paths
        .iter()
        .filter_map(|path| Some((*path, at_path(&fields, path)?.clone())))
        .collect();
    if let Some(path) = token_path {
        fields = match at_path(&fields, path) {
            Some(serde_json::Value::Object(object)) => FieldSet::from_map(object.clone()),
            _ => return Err(TokenResponseError::MissingTokenObject { path }),
        };
    }
    // A selected path stays metadata, whatever its name.
    for (path, value) in selected {
        fields.rest.insert(path.to_owned(), value);
    }
    let access_token = take_string(&mut fields, ACCESS_TOKEN)?
        .filter(|token| !token.is_empty())
        .ok_or(TokenResponseError::MissingAccessToken)?;
    Ok(TokenResponse {
        access_token: AccessToken::new(access_token),
        token_type: take_string(&mut fields, TOKEN_TYPE)?,
        refresh_token: take_string(&mut fields, REFRESH_TOKEN)?
            .filter(|token| !token.is_empty())
            .map(RefreshToken::new),
        expires_in: take_expires_in(&mut fields)?,
        scopes: take_scopes(&mut fields, scope_delimiter)?,
        metadata: fields.take_map(),
    })
}

type Fields = serde_json::Map<String, serde_json::Value>;

/// The fields a token response is read for, each in its own slot, so that reading one is no
/// map lookup and no key is allocated for it (`FieldSet::slot` maps a name to its index here,
/// and the constants below name the indices).
const KNOWN: [&str; 6] = [
    "access_token",
    "token_type",
    "refresh_token",
    "expires_in",
    "scope",
    "error",
];
const ACCESS_TOKEN: usize = 0;
const TOKEN_TYPE: usize = 1;
const REFRESH_TOKEN: usize = 2;
const EXPIRES_IN: usize = 3;
const SCOPE: usize = 4;
const ERROR: usize = 5;

/// A token response's fields: the known ones in slots (a known name is never in the map), every
/// other one in a map (what becomes the metadata).
#[derive(Default)]
struct FieldSet {
    known: [Option<serde_json::Value>; KNOWN.len()],
    rest: Fields,
}

impl FieldSet {
    fn from_map(map: Fields) -> Self {
        let mut fields = Self::default();
        for (name, value) in map {
            fields.insert(name, value);
        }
        fields
    }

    #[inline]
    fn slot(name: &str) -> Option<usize> {
        // A match, which compiles to a switch on the length: a key is compared with at most
        // one or two names, not all six. (An error's description and URI, read only in an
        // error, are looked up in the map.)
        Some(match name {
            "access_token" => ACCESS_TOKEN,
            "token_type" => TOKEN_TYPE,
            "refresh_token" => REFRESH_TOKEN,
            "expires_in" => EXPIRES_IN,
            "scope" => SCOPE,
            "error" => ERROR,
            _ => return None,
        })
    }

    fn get(&self, name: &str) -> Option<&serde_json::Value> {
        match Self::slot(name) {
            Some(slot) => self.known[slot].as_ref(),
            None => self.rest.get(name),
        }
    }

    fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Puts a field in its slot or in the map.
    fn insert(&mut self, name: String, value: serde_json::Value) {
        match Self::slot(&name) {
            Some(slot) => self.known[slot] = Some(value),
            None => {
                self.rest.insert(name, value);
            }
        }
    }

    /// Every field not taken, as a map (by reference: moving the whole set is a large copy).
    #[inline]
    fn take_map(&mut self) -> Fields {
        let mut map = core::mem::take(&mut self.rest);
        for (slot, name) in KNOWN.iter().enumerate() {
            if let Some(value) = self.known[slot].take() {
                map.insert((*name).to_owned(), value);
            }
        }
        map
    }
}

/// The value at a dot-path (`team.id`) of `fields`.
fn at_path<'a>(fields: &'a FieldSet, path: &str) -> Option<&'a serde_json::Value> {
    let mut names = path.split('.');
    let mut value = fields.get(names.next()?)?;
    for name in names {
        value = value.as_object()?.get(name)?;
    }
    Some(value)
}

/// Reads a JSON object into `fields`.
fn parse_json(body: &[u8], fields: &mut FieldSet) -> Result<(), TokenResponseError> {
    let mut repeated = None;
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let parsed = UniqueFields {
        fields,
        repeated: &mut repeated,
    }
    .deserialize(&mut deserializer)
    .and_then(|object| deserializer.end().map(|()| object));
    if let Some(field) = repeated {
        return Err(TokenResponseError::RepeatedField { field });
    }
    match parsed {
        Ok(true) => Ok(()),
        Ok(false) => Err(TokenResponseError::InvalidJson {
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

/// Reads a form-encoded body into `fields`.
fn parse_form(body: &[u8], fields: &mut FieldSet) -> Result<(), TokenResponseError> {
    for (name, value) in url::form_urlencoded::parse(body) {
        if fields.contains(&name) {
            return Err(TokenResponseError::RepeatedField {
                field: printable(&name),
            });
        }
        fields.insert(
            name.into_owned(),
            serde_json::Value::String(value.into_owned()),
        );
    }
    Ok(())
}

/// A key of the response object: one of [`KNOWN`] (no allocation), or another name.
enum Key {
    Known(usize),
    Other(String),
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    #[inline]
    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        Ok(match FieldSet::slot(name) {
            Some(slot) => Key::Known(slot),
            None => Key::Other(name.to_owned()),
        })
    }

    fn visit_string<E>(self, name: String) -> Result<Self::Value, E> {
        Ok(match FieldSet::slot(&name) {
            Some(slot) => Key::Known(slot),
            None => Key::Other(name),
        })
    }
}

/// Reads a JSON object whose top-level keys are unique into `fields`: `true`, or `false` for
/// JSON that is not an object. A repeated key is written to `repeated` (and fails the parse).
struct UniqueFields<'a> {
    fields: &'a mut FieldSet,
    repeated: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for UniqueFields<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueFields<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let fields = self.fields;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let value = map.next_value::<serde_json::Value>()?;
            let repeated = match &key {
                Key::Known(slot) => fields.known[*slot].is_some(),
                Key::Other(name) => fields.rest.contains_key(name),
            };
            if repeated {
                let name = match &key {
                    Key::Known(slot) => KNOWN[*slot],
                    Key::Other(name) => name,
                };
                *self.repeated = Some(printable(name));
                return Err(serde::de::Error::custom("repeated field"));
            }
            match key {
                Key::Known(slot) => fields.known[slot] = Some(value),
                Key::Other(name) => {
                    fields.rest.insert(name, value);
                }
            }
        }
        Ok(true)
    }

    // Any other JSON value: read it whole (so syntax errors are still found), then say "not an
    // object".
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(false)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(false)
    }
}

/// An error's description or URI: a string, or nothing.
fn error_text(value: Option<serde_json::Value>) -> Option<String> {
    match value {
        Some(serde_json::Value::String(text)) => Some(text),
        _ => None,
    }
}

/// The string in `slot`, taken out.
#[inline]
fn take_string(fields: &mut FieldSet, slot: usize) -> Result<Option<String>, TokenResponseError> {
    let field = KNOWN[slot];
    match fields.known[slot].take() {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(TokenResponseError::InvalidField {
            field,
            expected: "a string",
        }),
    }
}

fn take_expires_in(fields: &mut FieldSet) -> Result<Option<u64>, TokenResponseError> {
    let invalid = || TokenResponseError::InvalidField {
        field: "expires_in",
        expected: "a non-negative number of seconds",
    };
    let seconds = match fields.known[EXPIRES_IN].take() {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::Number(number)) => match (number.as_u64(), number.as_f64()) {
            (Some(seconds), _) => seconds,
            // Fractional seconds round down; anything past u64 is clamped below.
            (None, Some(seconds)) if seconds >= 0.0 && seconds.is_finite() => {
                if seconds >= MAX_EXPIRES_IN as f64 {
                    MAX_EXPIRES_IN
                } else {
                    seconds as u64
                }
            }
            _ => return Err(invalid()),
        },
        Some(serde_json::Value::String(text)) => {
            let digits = text.trim();
            if digits.is_empty() {
                return Ok(None);
            }
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid());
            }
            // Every digit string is a number of seconds; one too long for u64 is only too large.
            digits.parse::<u64>().unwrap_or(u64::MAX)
        }
        Some(_) => return Err(invalid()),
    };
    Ok(Some(seconds.min(MAX_EXPIRES_IN)))
}

fn take_scopes(
    fields: &mut FieldSet,
    delimiter: &str,
) -> Result<Option<Vec<String>>, TokenResponseError> {
    let split = |text: &str| -> Vec<String> {
        let delimiter = if delimiter.is_empty() { " " } else { delimiter };
        let mut scopes = Vec::with_capacity(4);
        let mut rest = text;
        loop {
            // A one-byte (so ASCII) delimiter, nearly always, is found by a plain byte search;
            // either way each piece starts and ends at a character boundary.
            let (piece, next) = match *delimiter.as_bytes() {
                [byte] => match rest.bytes().position(|b| b == byte) {
                    Some(at) => (rest.get(..at), rest.get(at + 1..)),
                    None => (Some(rest), None),
                },
                _ => match rest.split_once(delimiter) {
                    Some((piece, next)) => (Some(piece), Some(next)),
                    None => (Some(rest), None),
                },
            };
            // ASCII whitespace first (no decoding); a non-ASCII end may be Unicode whitespace.
            let mut scope = piece.unwrap_or_default().trim_ascii();
            if scope.bytes().next().is_some_and(|b| b >= 0x80)
                || scope.bytes().next_back().is_some_and(|b| b >= 0x80)
            {
                scope = scope.trim();
            }
            if !scope.is_empty() {
                scopes.push(scope.to_owned());
            }
            match next {
                Some(next) => rest = next,
                None => return scopes,
            }
        }
    };
    match fields.known[SCOPE].take() {
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

    // Hardening finding 1: a server-sent expires_in at or past i64::MAX - now used to parse,
    // saturate, and panic every later expires_at() call, also after a reload.
    #[test]
    fn absurd_expires_in_is_clamped_and_never_panics_later() {
        use std::time::{Duration, SystemTime};

        use crate::oauth2::TokenSet;

        for value in [
            "18446744073709551616",
            "1e19",
            r#""18446744073709551615""#,
            "9223372036854775807",
        ] {
            let body = format!(r#"{{"access_token":"a","expires_in":{value}}}"#);
            let response = parse(200, "application/json", &body).unwrap();
            assert_eq!(response.expires_in, Some(MAX_EXPIRES_IN), "{value}");
            let tokens = TokenSet::from_response(response, SystemTime::now());
            assert!(tokens.expires_at().is_some());
            assert!(tokens.expires_within(SystemTime::now(), Duration::MAX));
            assert!(!tokens.expires_within(SystemTime::now(), Duration::ZERO));
        }
        // A stored set written with an expiry no clock can hold (by an older version, or by
        // hand) reads back without a panic.
        let stored: TokenSet =
            serde_json::from_str(r#"{"access_token":"a","expires_at":18446744073709551615}"#)
                .unwrap();
        assert_eq!(stored.expires_at(), None);
        assert!(!stored.expires_within(SystemTime::now(), Duration::from_secs(60)));
    }

    // Hardening finding 5: only a non-empty string `error` is an error.
    #[test]
    fn a_null_empty_or_false_error_in_a_success_is_no_error() {
        for error in ["null", r#""""#, "false"] {
            let body = format!(r#"{{"access_token":"a","error":{error}}}"#);
            let response = parse(200, "application/json", &body).unwrap();
            assert_eq!(response.access_token.expose_secret(), "a", "{error}");
        }
        let with_object = parse(
            200,
            "application/json",
            r#"{"access_token":"a","error":{"message":"ignored"}}"#,
        )
        .unwrap();
        assert_eq!(with_object.metadata["error"]["message"], "ignored");
    }

    #[test]
    fn an_object_error_is_never_copied_into_a_message() {
        let body = r#"{"error":{"message":"SECRET-INSIDE"},"error_description":"x"}"#;
        let error = parse(400, "application/json", body).unwrap_err();
        assert!(matches!(
            error,
            TokenResponseError::Status { status: 400, .. }
        ));
        assert!(!format!("{error} {error:?}").contains("SECRET-INSIDE"));
        let error = parse(200, "application/json", body).unwrap_err();
        assert!(matches!(error, TokenResponseError::MissingAccessToken));
    }

    // Hardening finding 7: repeated fields are refused, as repeated callback parameters are.
    #[test]
    fn a_repeated_field_is_refused_in_json_and_form() {
        let json = parse(
            200,
            "application/json",
            r#"{"access_token":"a","access_token":"b"}"#,
        );
        assert!(
            matches!(json, Err(TokenResponseError::RepeatedField { ref field }) if field == "access_token")
        );
        let form = parse(
            200,
            "application/x-www-form-urlencoded",
            "access_token=a&scope=x&scope=y",
        );
        assert!(
            matches!(form, Err(TokenResponseError::RepeatedField { ref field }) if field == "scope")
        );
        // Nested objects may repeat nothing of ours; the top level is what is read.
        assert!(
            parse(
                200,
                "application/json",
                r#"{"access_token":"a","x":{"k":1}}"#
            )
            .is_ok()
        );
    }

    #[test]
    fn a_leading_byte_order_mark_is_allowed() {
        let body = "\u{feff}{\"access_token\":\"a\"}";
        assert_eq!(
            parse(200, "application/json", body)
                .unwrap()
                .access_token
                .expose_secret(),
            "a"
        );
    }

    #[test]
    fn a_description_cannot_forge_a_log_line() {
        let body = r#"{"error":"invalid_grant","error_description":"no\r\nINFO all good"}"#;
        let message = parse(400, "application/json", body)
            .unwrap_err()
            .to_string();
        assert!(
            !message.contains('\n') && !message.contains('\r'),
            "{message}"
        );
        assert!(message.ends_with(r"no\r\nINFO all good"), "{message}");
        let code = parse(400, "application/json", r#"{"error":"bad\ncode"}"#).unwrap_err();
        assert!(!code.to_string().contains('\n'));
    }

    #[test]
    fn debug_shows_no_token_and_no_metadata_value() {
        let response = parse(
            200,
            "application/json",
            r#"{"access_token":"AT-1","refresh_token":"RT-1","id_token":"ID-1","authed_user":{"access_token":"USER-1"}}"#,
        )
        .unwrap();
        let debug = format!("{response:?} {response:#?}");
        for secret in ["AT-1", "RT-1", "ID-1", "USER-1"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        assert!(debug.contains("authed_user") && debug.contains("id_token"));
    }

    #[test]
    fn a_missing_or_non_bearer_token_type_is_accepted_as_sent() {
        assert_eq!(
            parse(200, "application/json", r#"{"access_token":"a"}"#)
                .unwrap()
                .token_type,
            None
        );
        let slack = parse(
            200,
            "application/json",
            r#"{"access_token":"a","token_type":"bot"}"#,
        );
        assert_eq!(slack.unwrap().token_type.as_deref(), Some("bot"));
    }

    // Found by the token_response fuzz target: a huge number in an unknown field changed when
    // the token set was stored and read back (serde_json's default float parsing is not
    // correctly rounded), so stored metadata silently drifted.
    #[test]
    fn a_token_set_round_trips_through_a_store_exactly() {
        use crate::oauth2::TokenSet;

        let body = r#"{"access_token":"Q5Km5CyV0XLJk7DqM2yGx1Fa","expires_i)":3000000000000000000000000000000000000000000601,"id_token":"eyJhbGciOiJSUi","token_type":"Bearer"}"#;
        let response = parse(200, "application/json", body).unwrap();
        let tokens = TokenSet::from_response(response, std::time::SystemTime::UNIX_EPOCH);
        let stored = serde_json::to_string(&tokens).unwrap();
        let reloaded: TokenSet = serde_json::from_str(&stored).unwrap();
        assert!(reloaded == tokens, "{stored}");
        // And once more: what a store writes back reads the same.
        assert_eq!(serde_json::to_string(&reloaded).unwrap(), stored);
    }
}

#[cfg(test)]
mod slot_tests {
    use super::{FieldSet, KNOWN};

    #[test]
    fn scopes_split_on_the_delimiter_trimmed_without_empty_pieces() {
        let scopes = |scope: &str, delimiter: &str| {
            let body = serde_json::json!({ "access_token": "a", "scope": scope }).to_string();
            super::parse_token_response(200, None, body.as_bytes(), delimiter)
                .unwrap()
                .scopes
                .unwrap()
        };
        assert_eq!(scopes("read write", " "), ["read", "write"]);
        assert_eq!(scopes("  read   write ", " "), ["read", "write"]);
        assert_eq!(scopes("a, b ,,c,", ","), ["a", "b", "c"]);
        assert_eq!(scopes("a\u{a0},\u{2003}b\tc", ","), ["a", "b\tc"]);
        assert_eq!(scopes("é ü", " "), ["é", "ü"]);
        assert_eq!(scopes("a::b:: c", "::"), ["a", "b", "c"]);
        assert_eq!(scopes("a b", ""), ["a", "b"]);
        assert!(scopes("", " ").is_empty());
        assert!(scopes(" , ", ",").is_empty());
        assert_eq!(scopes("one", "+"), ["one"]);
    }

    #[test]
    fn every_known_name_has_its_own_slot() {
        for (index, name) in KNOWN.iter().enumerate() {
            assert_eq!(FieldSet::slot(name), Some(index), "{name}");
        }
        assert_eq!(FieldSet::slot("id_token"), None);
        assert_eq!(FieldSet::slot("Access_token"), None);
    }
}
