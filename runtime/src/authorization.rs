//! The authorization request: the authorize URL plus what must be kept until the callback (the
//! `state` and, with PKCE, the code verifier).

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

/// How long a pending authorization stays valid unless told otherwise.
pub const DEFAULT_AUTHORIZATION_TTL: Duration = Duration::from_secs(10 * 60);

/// The operating system's random number generator failed.
#[derive(Debug, thiserror::Error)]
#[error("the operating system's random number generator failed: {0}")]
pub struct RandomnessError(getrandom::Error);

fn random_token() -> Result<String, RandomnessError> {
    // 32 bytes = 256 bits, 43 unreserved characters once base64url-encoded.
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(RandomnessError)?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The `state` parameter: 256 bits from the OS CSPRNG. `Debug` is redacted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct State(String);

impl State {
    /// A fresh random state.
    ///
    /// # Errors
    /// When the OS random number generator fails.
    pub fn generate() -> Result<Self, RandomnessError> {
        random_token().map(Self)
    }

    /// The value sent in the authorize URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` equals this state, compared in constant time.
    pub fn matches(&self, other: &str) -> bool {
        constant_time_eq(self.0.as_bytes(), other.as_bytes())
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("State([redacted])")
    }
}

/// Compares two byte strings in time independent of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut difference = a.len() ^ b.len();
    for (index, byte) in a.iter().enumerate() {
        difference |= usize::from(byte ^ b.get(index).copied().unwrap_or(!byte));
    }
    difference == 0
}

/// A PKCE code verifier (RFC 7636): 43 unreserved characters carrying 256 random bits.
/// `Debug` and `Display` are redacted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PkceVerifier(String);

impl PkceVerifier {
    /// A fresh random verifier.
    ///
    /// # Errors
    /// When the OS random number generator fails.
    pub fn generate() -> Result<Self, RandomnessError> {
        random_token().map(Self)
    }

    /// A verifier from 32 given octets (base64url-encoded), as in RFC 7636 appendix B.
    pub fn from_octets(octets: &[u8; 32]) -> Self {
        Self(URL_SAFE_NO_PAD.encode(octets))
    }

    /// The S256 challenge: `BASE64URL(SHA256(verifier))`.
    ///
    /// ```
    /// // RFC 7636, appendix B.
    /// let octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
    ///               22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
    /// let verifier = connkit::PkceVerifier::from_octets(&octets);
    /// assert_eq!(verifier.expose_secret(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    /// assert_eq!(verifier.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    /// ```
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.as_bytes()))
    }

    /// The verifier itself, for the token request.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PkceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PkceVerifier([redacted])")
    }
}

/// What a server keeps between sending the user to the authorize URL and receiving the callback.
/// Serializable, so it can live in a session or a store; it expires.
///
/// Serializing writes the state and the PKCE verifier in clear: store it where a session secret
/// would be stored.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
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

    /// The PKCE verifier, when the connection uses PKCE.
    pub fn pkce_verifier(&self) -> Option<&PkceVerifier> {
        self.pkce_verifier.as_ref()
    }

    /// When this pending authorization stops being accepted.
    pub fn expires_at(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(self.expires_at)
    }

    /// Whether it has expired at `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        unix_seconds(now) >= self.expires_at
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

/// An authorization request: send the user to `url`, keep `pending` until the callback.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    /// Where to send the user.
    pub url: Url,
    /// What to keep until the callback.
    pub pending: PendingAuthorization,
}

pub(crate) fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
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
        assert!(state.as_str().len() >= 22 && unreserved(state.as_str()));
        assert_ne!(state, State::generate().unwrap());
    }

    #[test]
    fn state_comparison() {
        let state = State("abc".into());
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
            state: State("the-state".into()),
            pkce_verifier: Some(PkceVerifier("the-verifier".into())),
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
