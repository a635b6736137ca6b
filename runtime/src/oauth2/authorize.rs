//! The authorization request: the authorize URL plus what must be kept until the callback (the
//! `state` and, with PKCE, the code verifier), and the check of the callback against it.

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::clock::unix_seconds;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use super::callback::{AuthorizationErrorCode, CallbackError, CallbackParams};
use crate::secret::{AuthorizationCode, PkceVerifier, State};

/// How long a pending authorization stays valid unless told otherwise.
pub const DEFAULT_AUTHORIZATION_TTL: Duration = Duration::from_secs(10 * 60);

/// The operating system's random number generator failed.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub struct RandomnessError(pub(crate) getrandom::Error);

/// `bytes` base64url-encoded without padding, into a string allocated once at its size
/// (`Engine::encode` zeroes a buffer first, and `encode_string` goes through a chunked
/// encoder: both show in the authorize URL's cost).
pub(crate) fn base64url(bytes: &[u8]) -> String {
    // Up to 48 bytes (the ids and tokens made here) go through a stack buffer, whose encoder is
    // the fast one; longer input takes the general path.
    let mut buffer = [0u8; 64];
    match URL_SAFE_NO_PAD.encode_slice(bytes, &mut buffer) {
        Ok(written) => core::str::from_utf8(&buffer[..written])
            .map(str::to_owned)
            .unwrap_or_else(|_| URL_SAFE_NO_PAD.encode(bytes)),
        Err(_) => URL_SAFE_NO_PAD.encode(bytes),
    }
}

fn random_token() -> Result<String, RandomnessError> {
    // 32 bytes = 256 bits, 43 unreserved characters once base64url-encoded.
    crate::random::base64url_of::<32>()
}

/// A fresh state and a fresh PKCE verifier (32 random bytes each, as from their `generate`),
/// drawn from the operating system in one call: each call is a system call, which costs about
/// as much as the rest of an authorize URL.
pub(crate) fn state_and_verifier() -> Result<(State, PkceVerifier), RandomnessError> {
    let bytes = crate::random::bytes::<64>()?;
    let (state, verifier) = bytes.split_at(32);
    Ok((
        State::new(base64url(state)),
        PkceVerifier::new(base64url(verifier)),
    ))
}

impl State {
    /// A fresh random state.
    ///
    /// # Errors
    /// When the OS random number generator fails.
    pub fn generate() -> Result<Self, RandomnessError> {
        random_token().map(Self::new)
    }

    /// Whether `other` equals this state, compared in constant time.
    pub fn matches(&self, other: &str) -> bool {
        constant_time_eq(self.expose_secret().as_bytes(), other.as_bytes())
    }
}

/// Compares two byte strings in time independent of where they differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut difference = a.len() ^ b.len();
    for (index, byte) in a.iter().enumerate() {
        difference |= usize::from(byte ^ b.get(index).copied().unwrap_or(!byte));
    }
    difference == 0
}

impl PkceVerifier {
    /// A fresh random verifier.
    ///
    /// # Errors
    /// When the OS random number generator fails.
    pub fn generate() -> Result<Self, RandomnessError> {
        random_token().map(Self::new)
    }

    /// A verifier from 32 given octets (base64url-encoded), as in RFC 7636 appendix B.
    pub fn from_octets(octets: &[u8; 32]) -> Self {
        Self::new(URL_SAFE_NO_PAD.encode(octets))
    }

    /// The S256 challenge: `BASE64URL(SHA256(verifier))`.
    ///
    /// ```
    /// // RFC 7636, appendix B.
    /// let octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
    ///               22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
    /// let verifier = connkit::secret::PkceVerifier::from_octets(&octets);
    /// assert_eq!(verifier.expose_secret(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    /// assert_eq!(verifier.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    /// ```
    pub fn challenge(&self) -> String {
        self.challenge_bytes().as_str().to_owned()
    }

    /// The challenge on the stack (an authorization request needs it only long enough to put
    /// it in the URL).
    pub(crate) fn challenge_bytes(&self) -> Challenge {
        let mut bytes = [0u8; 43];
        // 32 bytes of digest are 43 base64url characters without padding, so this fits.
        let written = URL_SAFE_NO_PAD
            .encode_slice(Sha256::digest(self.expose_secret().as_bytes()), &mut bytes)
            .unwrap_or(0);
        Challenge {
            bytes,
            len: written,
        }
    }
}

/// An S256 challenge, base64url on the stack.
pub(crate) struct Challenge {
    bytes: [u8; 43],
    len: usize,
}

impl Challenge {
    pub(crate) fn as_str(&self) -> &str {
        // base64url is ASCII; an impossible failure gives an empty challenge, which the
        // server refuses, never a wrong one.
        core::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

/// What a server keeps between sending the user to the authorize URL and receiving the callback:
/// the state, the PKCE verifier, the redirect URI, the connection, and when it expires.
///
/// It completes once: [`OAuth2Client::complete`](crate::OAuth2Client::complete) consumes it, and
/// it is not `Clone`. But it serializes, and a serialized copy completes again with
/// `OAuth2Client` alone, which keeps no record: delete the copy you took it from. With a store,
/// [`Connections::complete`](crate::store::Connections::complete) records each completed
/// authorization and refuses a second one, whatever copies exist. It can wait in a session
/// store; then it must be tied to
/// the browser that started the authorization (RFC 9700 §4.7.1), or an attacker can have a
/// victim's browser complete the attacker's authorization (login CSRF, session swapping):
///
/// - keep it server-side under the user's session (or in a sealed, `HttpOnly` cookie), never in
///   a URL, and never take one from the request the callback arrives with;
/// - *take* it out of the session when the callback arrives (read and delete), so that a replayed
///   callback finds nothing;
/// - it holds the state and the PKCE verifier in clear when serialized: store it where a session
///   secret would be stored.
///
/// ```no_run
/// # use std::collections::HashMap;
/// # #[connkit::oauth2_connection(id = "acme_connection_oauth2", name = "OAuth2", description = "Acme",
/// #     authorize_url = "https://acme.example/authorize", token_url = "https://acme.example/token", scopes = [])]
/// # struct AcmeOAuth2;
/// use connkit::{OAuth2Client, oauth2::PendingAuthorization, credentials::Env};
///
/// // Your server's session storage, keyed by the session cookie's id.
/// let mut sessions: HashMap<String, String> = HashMap::new();
/// let client = OAuth2Client::from_source(AcmeOAuth2::DEFINITION, &Env, "https://app.example/cb")?;
///
/// // GET /connect, in session "s-123": send the user to request.url.
/// let request = client.authorize()?;
/// sessions.insert("s-123".into(), serde_json::to_string(&request.pending)?);
///
/// // GET /cb?code=..&state=.., in the same browser's session: take the pending authorization out.
/// let stored = sessions.remove("s-123").ok_or("no authorization in progress")?;
/// let pending: PendingAuthorization = serde_json::from_str(&stored)?;
/// let completed = client.complete(pending, "https://app.example/cb?code=..&state=..")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAuthorization {
    pub(crate) connection_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) state: State,
    pub(crate) pkce_verifier: Option<PkceVerifier>,
    /// Seconds since the Unix epoch.
    pub(crate) expires_at: u64,
}

impl PendingAuthorization {
    /// The connection this authorization is for.
    pub fn connection_id(&self) -> &str {
        &self.connection_id
    }

    /// The redirect URI sent in the authorize URL (the code exchange must send the same).
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The `state` sent in the authorize URL.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The PKCE verifier, when the authorization uses PKCE.
    pub fn pkce_verifier(&self) -> Option<&PkceVerifier> {
        self.pkce_verifier.as_ref()
    }

    /// When this pending authorization stops being accepted; `None` when that is later than
    /// this platform's clock can represent (a lifetime of `Duration::MAX`, say).
    pub fn expires_at(&self) -> Option<SystemTime> {
        UNIX_EPOCH.checked_add(Duration::from_secs(self.expires_at))
    }

    /// Whether it has expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        unix_seconds(now) >= self.expires_at
    }

    /// Checks `callback` against this pending authorization, consuming it: the state (compared
    /// in constant time), the expiry, an error response, the code, and the issuer (RFC 9207)
    /// when `issuer` is known. Called by
    /// [`OAuth2Client::complete`](crate::OAuth2Client::complete), which knows the issuer.
    pub(crate) fn verify_callback(
        self,
        callback: &str,
        now: SystemTime,
        issuer: Option<&str>,
        issuer_required: bool,
    ) -> Result<CompletedAuthorization, CallbackError> {
        let params = CallbackParams::parse(callback)?;
        let state = params.state.ok_or(CallbackError::MissingState)?;
        if !self.state.matches(&state) {
            return Err(CallbackError::StateMismatch);
        }
        if self.is_expired_at(now) {
            return Err(CallbackError::Expired);
        }
        if let Some(expected) = issuer {
            // RFC 9207 §2.4: compared as strings; an error response is checked too.
            let mismatch = match params.iss.as_deref() {
                Some(found) => found != expected,
                None => issuer_required,
            };
            if mismatch {
                return Err(CallbackError::IssuerMismatch {
                    expected: expected.to_owned(),
                    found: params.iss,
                });
            }
        }
        if let Some(error) = params.error {
            return Err(CallbackError::Authorization {
                code: AuthorizationErrorCode::parse(&error),
                description: params.error_description,
                uri: params.error_uri,
                state: self.state,
            });
        }
        let code = params
            .code
            .filter(|code| !code.is_empty())
            .ok_or(CallbackError::MissingCode)?;
        Ok(CompletedAuthorization {
            connection_id: self.connection_id,
            redirect_uri: self.redirect_uri,
            pkce_verifier: self.pkce_verifier,
            code: AuthorizationCode::new(code),
            issuer: params.iss,
            expires_at: self.expires_at,
        })
    }
}

impl fmt::Debug for PendingAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingAuthorization")
            .field("connection_id", &self.connection_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("state", &self.state)
            .field("pkce_verifier", &self.pkce_verifier)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A callback checked against its pending authorization: what the code exchange needs. Only
/// [`OAuth2Client::complete`](crate::OAuth2Client::complete) makes one, so the checks cannot be
/// skipped. `Debug` is redacted.
#[non_exhaustive]
pub struct CompletedAuthorization {
    pub(crate) connection_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) pkce_verifier: Option<PkceVerifier>,
    pub(crate) code: AuthorizationCode,
    pub(crate) issuer: Option<String>,
    /// The pending authorization's expiry, checked again when the code is exchanged.
    pub(crate) expires_at: u64,
}

impl CompletedAuthorization {
    /// The connection this authorization is for.
    pub fn connection_id(&self) -> &str {
        &self.connection_id
    }

    /// The `iss` parameter of the callback (RFC 9207), when the server sent one.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The authorization code.
    pub fn code(&self) -> &AuthorizationCode {
        &self.code
    }
}

impl fmt::Debug for CompletedAuthorization {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompletedAuthorization")
            .field("connection_id", &self.connection_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("pkce_verifier", &self.pkce_verifier)
            .field("code", &self.code)
            .field("issuer", &self.issuer)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// An authorization request: send the user to `url`, keep `pending` until the callback.
/// `Debug` shows the URL with its `state` redacted.
#[non_exhaustive]
pub struct AuthorizationRequest {
    /// Where to send the user.
    pub url: Url,
    /// What to keep until the callback.
    pub pending: PendingAuthorization,
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.pending.state.expose_secret();
        let url = self.url.as_str().replace(state, "[redacted]");
        f.debug_struct("AuthorizationRequest")
            .field("url", &url)
            .field("pending", &self.pending)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        let octets = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = PkceVerifier::from_octets(&octets);
        assert_eq!(
            verifier.expose_secret(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            verifier.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_values_are_long_unreserved_and_distinct() {
        let unreserved = |s: &str| {
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
        };
        let verifiers: Vec<String> = (0..64)
            .map(|_| PkceVerifier::generate().unwrap().expose_secret().to_owned())
            .collect();
        for verifier in &verifiers {
            assert!((43..=128).contains(&verifier.len()) && unreserved(verifier));
        }
        let mut unique = verifiers.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), verifiers.len());
        let state = State::generate().unwrap();
        assert!(state.expose_secret().len() >= 22 && unreserved(state.expose_secret()));
        assert_ne!(state, State::generate().unwrap());
        // Drawn together, the two halves are as long, unreserved and distinct as drawn apart.
        let (state, verifier) = state_and_verifier().unwrap();
        let (state, verifier) = (state.expose_secret(), verifier.expose_secret());
        assert!(state.len() == 43 && unreserved(state));
        assert!(verifier.len() == 43 && unreserved(verifier));
        assert_ne!(state, verifier);
        assert_ne!(state_and_verifier().unwrap().1.expose_secret(), verifier);
    }

    #[test]
    fn state_comparison() {
        let state = State::new("abc");
        assert!(state.matches("abc"));
        for other in ["abd", "ab", "abcd", "", "ABC"] {
            assert!(!state.matches(other), "{other}");
        }
        assert_eq!(format!("{state:?}"), "State([redacted])");
    }

    #[test]
    fn pending_round_trips_through_json_and_hides_secrets_in_debug() {
        let pending = PendingAuthorization {
            connection_id: "x_connection_oauth2".into(),
            redirect_uri: "http://127.0.0.1/cb".into(),
            state: State::new("the-state"),
            pkce_verifier: Some(PkceVerifier::new("the-verifier")),
            expires_at: 10,
        };
        let json = serde_json::to_string(&pending).unwrap();
        assert_eq!(
            serde_json::from_str::<PendingAuthorization>(&json).unwrap(),
            pending
        );
        let debug = format!("{pending:?}");
        assert!(
            !debug.contains("the-state") && !debug.contains("the-verifier"),
            "{debug}"
        );
        assert!(pending.is_expired_at(UNIX_EPOCH + Duration::from_secs(10)));
        assert!(!pending.is_expired_at(UNIX_EPOCH + Duration::from_secs(9)));
    }
}

#[cfg(test)]
mod complete_tests {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    use super::*;

    fn pending() -> PendingAuthorization {
        PendingAuthorization {
            connection_id: "x_connection_oauth2".into(),
            redirect_uri: "http://127.0.0.1/cb".into(),
            state: State::new("s1"),
            pkce_verifier: None,
            expires_at: 100,
        }
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    /// Completes `pending()` at time 1 with no issuer known.
    fn complete(callback: &str) -> Result<CompletedAuthorization, CallbackError> {
        pending().verify_callback(callback, at(1), None, false)
    }

    #[test]
    fn code_and_issuer() {
        let completed =
            complete("http://127.0.0.1/cb?code=abc%2F1&state=s1&iss=http%3A%2F%2Fas").unwrap();
        assert_eq!(completed.code().expose_secret(), "abc/1");
        assert_eq!(completed.issuer(), Some("http://as"));
        assert_eq!(completed.redirect_uri, "http://127.0.0.1/cb");
        assert_eq!(
            complete("?code=c&state=s1").unwrap().code().expose_secret(),
            "c"
        );
        assert_eq!(complete("code=c&state=s1").unwrap().issuer(), None);
    }

    #[test]
    fn denial_is_typed_and_carries_the_state_redacted() {
        let error = complete(
            "http://127.0.0.1/cb?error=access_denied&error_description=End-User+denied&state=s1",
        )
        .unwrap_err();
        assert_eq!(
            error,
            CallbackError::Authorization {
                code: AuthorizationErrorCode::AccessDenied,
                description: Some("End-User denied".into()),
                uri: None,
                state: State::new("s1"),
            }
        );
        assert_eq!(
            error.to_string(),
            "the authorization server answered access_denied: End-User denied"
        );
        assert!(!format!("{error:?}").contains("s1"), "{error:?}");
    }

    #[test]
    fn refusals() {
        let cases = [
            ("code=c", CallbackError::MissingState),
            ("code=c&state=s2", CallbackError::StateMismatch),
            (
                "error=access_denied&state=forged",
                CallbackError::StateMismatch,
            ),
            ("state=s1", CallbackError::MissingCode),
            ("state=s1&code=", CallbackError::MissingCode),
            (
                "code=a&code=b&state=s1",
                CallbackError::RepeatedParameter("code".into()),
            ),
            (
                "code=a&state=s1&state=s1",
                CallbackError::RepeatedParameter("state".into()),
            ),
            ("http://127.0.0.1/cb", CallbackError::MissingState),
            ("", CallbackError::MissingState),
            ("%%%&&==", CallbackError::MissingState),
            // The fragment is dropped before the query is found (hardening finding 7).
            (
                "http://127.0.0.1/cb#x?code=c&state=s1",
                CallbackError::MissingState,
            ),
        ];
        for (callback, expected) in cases {
            assert_eq!(complete(callback).err(), Some(expected), "{callback}");
        }
        assert_eq!(
            pending()
                .verify_callback("code=c&state=s1", at(100), None, false)
                .err(),
            Some(CallbackError::Expired)
        );
    }

    // Hardening finding 2: with an issuer known, a callback naming another issuer is refused
    // (a mix-up attack), and so is one without `iss` where the server always sends it.
    #[test]
    fn issuer_check() {
        let verify = |callback: &str, required: bool| {
            pending().verify_callback(callback, at(1), Some("https://as"), required)
        };
        assert!(verify("code=c&state=s1&iss=https%3A%2F%2Fas", true).is_ok());
        assert!(verify("code=c&state=s1", false).is_ok(), "iss optional");
        assert_eq!(
            verify("code=c&state=s1", true).err(),
            Some(CallbackError::IssuerMismatch {
                expected: "https://as".into(),
                found: None
            })
        );
        assert_eq!(
            verify("code=c&state=s1&iss=https%3A%2F%2Fattacker", false).err(),
            Some(CallbackError::IssuerMismatch {
                expected: "https://as".into(),
                found: Some("https://attacker".into())
            })
        );
        // An error response from the wrong issuer is refused as a mix-up, not reported.
        assert!(matches!(
            verify(
                "error=access_denied&state=s1&iss=https%3A%2F%2Fattacker",
                false
            ),
            Err(CallbackError::IssuerMismatch { .. })
        ));
    }

    #[test]
    fn the_code_is_redacted() {
        let completed = complete("code=secret-code&state=s1").unwrap();
        assert!(!format!("{completed:?}").contains("secret-code"));
    }
}
