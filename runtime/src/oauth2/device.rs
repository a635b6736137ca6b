//! Device authorization (RFC 8628): the client asks for a device code and a user code, the user
//! approves the user code on another device, and the client polls the token endpoint until the
//! user has. The requests and their answers are pure; the waiting between polls is the
//! caller's (`poll_device_blocking` here, or `Connections::complete_device`).

use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::client::{OAuth2Client, TokenError};
use super::token::TokenSet;
use super::token_request::{ResponseShape, read_token_response};
use super::token_response::{OAuthErrorCode, TokenResponseError};
use crate::http::BlockingHttpClient;
use crate::secret::DeviceCode;

/// The `grant_type` of RFC 8628 §3.4.
pub const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The polling interval when the server names none (RFC 8628 §3.2).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// How much longer to wait after `slow_down` (RFC 8628 §3.5).
const SLOW_DOWN: Duration = Duration::from_secs(5);

/// The longest answer read from the device authorization endpoint.
const MAX_ANSWER: usize = 64 * 1024;

/// A device authorization in progress: what to show the user, and what to poll with. It
/// serializes, to keep between a `start` and its polls. `Debug` hides the device code.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeviceAuthorization {
    /// The code the client polls with; never shown to the user.
    pub device_code: DeviceCode,
    /// The code the user enters at [`verification_uri`](Self::verification_uri).
    pub user_code: String,
    /// Where the user goes, on any device.
    pub verification_uri: String,
    /// The same with the user code in it, for a link or a QR code, when the server gives one.
    pub verification_uri_complete: Option<String>,
    /// When the codes expire, in Unix seconds.
    pub expires_at: u64,
    /// How long to wait between polls (grown by five seconds after each `slow_down`).
    pub interval: Duration,
}

impl std::fmt::Debug for DeviceAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceAuthorization")
            .field("device_code", &self.device_code)
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("verification_uri_complete", &self.verification_uri_complete)
            .field("expires_at", &self.expires_at)
            .field("interval", &self.interval)
            .finish()
    }
}

impl DeviceAuthorization {
    /// Whether the codes have expired at `now`.
    pub fn expired_at(&self, now: SystemTime) -> bool {
        crate::clock::unix_seconds(now) >= self.expires_at
    }
}

/// What a poll of the token endpoint found.
#[derive(Debug)]
#[non_exhaustive]
pub enum DevicePoll {
    /// The user has not approved yet: poll again after the interval.
    Pending,
    /// The server asked to poll less often: the interval grew by five seconds.
    SlowDown,
    /// The user approved: the tokens.
    Tokens(TokenSet),
}

/// Why a device authorization could not start. No variant carries a code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeviceError {
    /// The definition declares no `device_authorization_url`.
    #[error(
        "connection {connection_id} declares no device_authorization_url: the provider's device authorization endpoint"
    )]
    NotDeclared {
        /// The connection.
        connection_id: &'static str,
    },
    /// The endpoint refused, or did not answer as RFC 8628 says.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The answer lacks a field RFC 8628 §3.2 requires, or holds one of the wrong type.
    #[error("the device authorization answer's `{field}` is missing or invalid")]
    Field {
        /// The field.
        field: &'static str,
    },
}

#[derive(Deserialize)]
struct Answer {
    device_code: Option<String>,
    user_code: Option<String>,
    #[serde(alias = "verification_url")]
    verification_uri: Option<String>,
    verification_uri_complete: Option<String>,
    expires_in: Option<serde_json::Value>,
    interval: Option<serde_json::Value>,
}

/// A number of seconds a server sent as a number or a string of digits.
fn seconds(value: Option<&serde_json::Value>) -> Option<u64> {
    match value? {
        serde_json::Value::Number(number) => number.as_u64(),
        serde_json::Value::String(text) => text.trim().parse().ok(),
        _ => None,
    }
}

impl OAuth2Client {
    /// The device authorization request (RFC 8628 §3.1): `client_id` (and the client's
    /// authentication, as for a token request) and the scopes, to the declared
    /// `device_authorization_url`.
    ///
    /// # Errors
    /// [`DeviceError::NotDeclared`] for a definition without the endpoint.
    pub fn device_authorization_request(&self) -> Result<http::Request<Vec<u8>>, DeviceError> {
        let url = self
            .endpoints()
            .device_authorization_url()
            .ok_or(DeviceError::NotDeclared {
                connection_id: self.connection().id(),
            })?
            .clone();
        let scope = self.connection().scope_param();
        let mut form: Vec<(&str, &str)> = Vec::new();
        if let Some(scope) = &scope {
            form.push(("scope", scope));
        }
        Ok(self.token_request_to(&url, form)?)
    }

    /// Reads the answer to a [`device_authorization_request`](Self::device_authorization_request)
    /// made at `now`: the codes, the verification URI, the expiry and the interval (five
    /// seconds when the server names none).
    ///
    /// # Errors
    /// [`DeviceError::Token`] for an error answer, [`DeviceError::Field`] for one without the
    /// fields RFC 8628 requires.
    pub fn read_device_authorization(
        &self,
        response: &http::Response<Vec<u8>>,
        now: SystemTime,
    ) -> Result<DeviceAuthorization, DeviceError> {
        let status = response.status();
        if !status.is_success() || response.body().len() > MAX_ANSWER {
            // An error answer reads as a token endpoint's would.
            return Err(match self.read_error(response) {
                Err(error) => error.into(),
                Ok(()) => TokenError::Response(TokenResponseError::Status {
                    status: status.as_u16(),
                    content_type: None,
                })
                .into(),
            });
        }
        let answer: Answer =
            serde_json::from_slice(response.body()).map_err(|_| DeviceError::Field {
                field: "device_code",
            })?;
        let text = |value: Option<String>, field| {
            value
                .filter(|text| !text.trim().is_empty())
                .ok_or(DeviceError::Field { field })
        };
        let expires_in = seconds(answer.expires_in.as_ref()).ok_or(DeviceError::Field {
            field: "expires_in",
        })?;
        let verification_uri = text(answer.verification_uri, "verification_uri")?;
        if url::Url::parse(&verification_uri).is_err() {
            return Err(DeviceError::Field {
                field: "verification_uri",
            });
        }
        Ok(DeviceAuthorization {
            device_code: DeviceCode::new(text(answer.device_code, "device_code")?),
            user_code: text(answer.user_code, "user_code")?,
            verification_uri,
            verification_uri_complete: answer
                .verification_uri_complete
                .filter(|uri| url::Url::parse(uri).is_ok()),
            expires_at: crate::clock::unix_seconds(now).saturating_add(expires_in),
            interval: seconds(answer.interval.as_ref())
                .map_or(DEFAULT_INTERVAL, Duration::from_secs)
                .clamp(Duration::from_secs(1), Duration::from_secs(60)),
        })
    }

    /// A poll of the token endpoint (RFC 8628 §3.4): `grant_type` (the device code's), the
    /// device code, and the client's authentication.
    ///
    /// # Errors
    /// [`TokenError::Http`] when a declared header cannot be sent.
    pub fn device_token_request(
        &self,
        authorization: &DeviceAuthorization,
    ) -> Result<http::Request<Vec<u8>>, TokenError> {
        let url = self.endpoints().token_url().clone();
        let form = vec![
            ("grant_type", DEVICE_CODE_GRANT),
            ("device_code", authorization.device_code.expose_secret()),
        ];
        self.token_request_to(&url, form)
    }

    /// Reads the answer to a [`device_token_request`](Self::device_token_request):
    /// `authorization_pending` is [`DevicePoll::Pending`], `slow_down` grows the interval by
    /// five seconds and is [`DevicePoll::SlowDown`], and tokens end the polling.
    ///
    /// # Errors
    /// [`TokenError`]: `access_denied` (the user refused) and `expired_token` (the codes
    /// expired) end the polling, as does any other error.
    pub fn read_device_token_response(
        &self,
        authorization: &mut DeviceAuthorization,
        response: &http::Response<Vec<u8>>,
        now: SystemTime,
    ) -> Result<DevicePoll, TokenError> {
        let shape = ResponseShape {
            scope_delimiter: self.connection().scope_delimiter(),
            token_path: self.connection().token_path(),
            token_metadata: self.connection().token_metadata(),
        };
        match read_token_response(response, &shape, None) {
            Ok(parsed) => Ok(DevicePoll::Tokens(TokenSet::from_response(parsed, now))),
            Err(error) => match error.oauth_code() {
                Some(OAuthErrorCode::AuthorizationPending) => Ok(DevicePoll::Pending),
                Some(OAuthErrorCode::SlowDown) => {
                    authorization.interval =
                        (authorization.interval + SLOW_DOWN).min(Duration::from_secs(120));
                    Ok(DevicePoll::SlowDown)
                }
                _ => Err(error),
            },
        }
    }

    /// Starts a device authorization over a blocking client.
    ///
    /// # Errors
    /// As [`device_authorization_request`](Self::device_authorization_request) and
    /// [`read_device_authorization`](Self::read_device_authorization), and the HTTP failure.
    pub fn start_device_blocking(
        &self,
        http: &impl BlockingHttpClient,
    ) -> Result<DeviceAuthorization, DeviceError> {
        let response = http
            .send(self.device_authorization_request()?)
            .map_err(TokenError::from)?;
        self.read_device_authorization(&response, SystemTime::now())
    }

    /// Polls over a blocking client, sleeping the interval between polls, until the user
    /// approves, refuses or the codes expire.
    ///
    /// # Errors
    /// [`TokenError`] with `access_denied` or `expired_token`, or another failure.
    pub fn poll_device_blocking(
        &self,
        http: &impl BlockingHttpClient,
        mut authorization: DeviceAuthorization,
    ) -> Result<TokenSet, TokenError> {
        loop {
            std::thread::sleep(authorization.interval);
            if authorization.expired_at(SystemTime::now()) {
                return Err(expired());
            }
            let response = http.send(self.device_token_request(&authorization)?)?;
            if let DevicePoll::Tokens(tokens) =
                self.read_device_token_response(&mut authorization, &response, SystemTime::now())?
            {
                return Ok(tokens);
            }
        }
    }
}

/// The error a poll past the codes' expiry ends with, as the server would say it.
pub(crate) fn expired() -> TokenError {
    TokenError::Response(TokenResponseError::OAuth(
        super::token_response::OAuthError {
            code: OAuthErrorCode::ExpiredToken,
            description: Some("the device code expired before the user approved it".to_owned()),
            uri: None,
            status: 400,
        },
    ))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use super::*;
    use crate::credentials::{ClientCredentials, ClientId};
    use crate::secret::ClientSecret;

    #[crate::oauth2_connection(
        id = "github_connection_oauth2",
        name = "OAuth2",
        description = "GitHub",
        authorize_url = "https://github.com/login/oauth/authorize",
        token_url = "https://github.com/login/oauth/access_token",
        device_authorization_url = "https://github.com/login/device/code",
        scopes = ["repo", "read:org"],
    )]
    struct GitHub;

    #[crate::oauth2_connection(
        id = "acme_connection_oauth2",
        name = "OAuth2",
        description = "Acme",
        authorize_url = "https://acme.example/authorize",
        token_url = "https://acme.example/token",
        scopes = [],
    )]
    struct NoDevice;

    fn client() -> OAuth2Client {
        OAuth2Client::new(
            GitHub::DEFINITION,
            ClientCredentials::new(ClientId::new("cli-app"), Some(ClientSecret::new("s3cret"))),
            "http://127.0.0.1/callback",
        )
        .unwrap()
    }

    fn answer(status: u16, body: &str) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(body.as_bytes().to_vec())
            .unwrap()
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    /// RFC 8628 §3.2's example answer.
    const STARTED: &str = r#"{
        "device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
        "user_code": "WDJB-MJHT",
        "verification_uri": "https://example.com/device",
        "verification_uri_complete": "https://example.com/device?user_code=WDJB-MJHT",
        "expires_in": 1800,
        "interval": 5
    }"#;

    #[test]
    fn the_request_and_rfc_8628_s_answer() {
        let request = client().device_authorization_request().unwrap();
        assert_eq!(request.uri(), "https://github.com/login/device/code");
        assert_eq!(
            std::str::from_utf8(request.body()).unwrap(),
            "scope=repo+read%3Aorg&client_id=cli-app&client_secret=s3cret"
        );
        let device = client()
            .read_device_authorization(&answer(200, STARTED), at(1_000))
            .unwrap();
        assert_eq!(device.user_code, "WDJB-MJHT");
        assert_eq!(device.verification_uri, "https://example.com/device");
        assert_eq!(device.expires_at, 2_800);
        assert_eq!(device.interval, Duration::from_secs(5));
        assert!(!format!("{device:?}").contains("GmRhmhcx"));
        assert!(device.expired_at(at(2_800)) && !device.expired_at(at(2_799)));
        // Without `interval`, five seconds; a string of digits reads as a number (GitHub's
        // form answers are read as JSON here).
        let bare = r#"{"device_code":"d","user_code":"u","verification_uri":"https://x.example/d","expires_in":"900"}"#;
        let device = client()
            .read_device_authorization(&answer(200, bare), at(0))
            .unwrap();
        assert_eq!(
            (device.interval, device.expires_at),
            (Duration::from_secs(5), 900)
        );
    }

    #[test]
    fn a_bad_start_is_a_typed_error() {
        let missing =
            r#"{"device_code":"d","verification_uri":"https://x.example/d","expires_in":900}"#;
        assert!(matches!(
            client().read_device_authorization(&answer(200, missing), at(0)),
            Err(DeviceError::Field { field: "user_code" })
        ));
        let not_a_url = r#"{"device_code":"d","user_code":"u","verification_uri":"javascript alert","expires_in":900}"#;
        assert!(matches!(
            client().read_device_authorization(&answer(200, not_a_url), at(0)),
            Err(DeviceError::Field {
                field: "verification_uri"
            })
        ));
        let refused = client()
            .read_device_authorization(&answer(400, r#"{"error":"unauthorized_client"}"#), at(0))
            .unwrap_err();
        assert!(
            matches!(refused, DeviceError::Token(ref error) if error.oauth_code() == Some(&OAuthErrorCode::UnauthorizedClient))
        );
        let none = OAuth2Client::new(
            NoDevice::DEFINITION,
            ClientCredentials::new(ClientId::new("a"), None),
            "http://127.0.0.1/cb",
        )
        .unwrap();
        assert!(matches!(
            none.device_authorization_request(),
            Err(DeviceError::NotDeclared { .. })
        ));
    }

    #[test]
    fn polls_read_pending_slow_down_denial_expiry_and_tokens() {
        let client = client();
        let mut device = client
            .read_device_authorization(&answer(200, STARTED), at(1_000))
            .unwrap();
        let poll = client.device_token_request(&device).unwrap();
        let form: Vec<(String, String)> = url::form_urlencoded::parse(poll.body())
            .into_owned()
            .collect();
        assert_eq!(
            form[0],
            ("grant_type".to_owned(), DEVICE_CODE_GRANT.to_owned())
        );
        assert_eq!(form[1].0, "device_code");
        let mut read = |status, body: &str| {
            client.read_device_token_response(&mut device, &answer(status, body), at(1_010))
        };
        assert!(matches!(
            read(400, r#"{"error":"authorization_pending"}"#),
            Ok(DevicePoll::Pending)
        ));
        assert!(matches!(
            read(400, r#"{"error":"slow_down"}"#),
            Ok(DevicePoll::SlowDown)
        ));
        for (body, code) in [
            (r#"{"error":"access_denied"}"#, OAuthErrorCode::AccessDenied),
            (r#"{"error":"expired_token"}"#, OAuthErrorCode::ExpiredToken),
        ] {
            let error = read(400, body).unwrap_err();
            assert_eq!(error.oauth_code(), Some(&code));
        }
        let tokens = read(
            200,
            r#"{"access_token":"at","token_type":"bearer","expires_in":60}"#,
        )
        .unwrap();
        assert!(
            matches!(tokens, DevicePoll::Tokens(ref tokens) if tokens.access_token().expose_secret() == "at")
        );
        assert_eq!(
            device.interval,
            Duration::from_secs(10),
            "slow_down added five seconds"
        );
    }
}
