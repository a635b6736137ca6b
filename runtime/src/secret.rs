//! Redacted newtypes for every secret connkit handles, all made by one macro: `Debug` prints
//! `Name([redacted])`, `Display` prints `[redacted]`, and the value is reachable only through
//! `expose_secret()`, so a secret cannot reach a log line by accident.
//!
//! Serialization writes the value in clear (for a store that seals it); deserialization reads
//! it back.

use core::fmt;

use serde::{Deserialize, Serialize};

macro_rules! redacted_secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// `Debug` and `Display` are redacted; [`expose_secret`](Self::expose_secret) gives the
        /// value to the one place that must send it.
        #[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The value itself, for the one place that must send it.
            pub fn expose_secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("[redacted]")
            }
        }
    };
}

redacted_secret!(
    /// An OAuth2 client secret.
    ///
    /// ```
    /// let secret = connkit::secret::ClientSecret::new("hunter2");
    /// assert_eq!(format!("{secret:?} {secret}"), "ClientSecret([redacted]) [redacted]");
    /// assert_eq!(secret.expose_secret(), "hunter2");
    /// ```
    ClientSecret
);

redacted_secret!(
    /// An OAuth2 access token.
    AccessToken
);

redacted_secret!(
    /// An OAuth2 refresh token.
    RefreshToken
);

redacted_secret!(
    /// An authorization code from the callback.
    AuthorizationCode
);

redacted_secret!(
    /// The `state` parameter of an authorization request: 256 bits from the OS CSPRNG (see
    /// [`State::generate`]).
    State
);

redacted_secret!(
    /// A device code (RFC 8628): what a client polls with while the user approves.
    DeviceCode
);

redacted_secret!(
    /// A PKCE code verifier (RFC 7636): 43 unreserved characters carrying 256 random bits (see
    /// [`PkceVerifier::generate`]).
    PkceVerifier
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_secret_is_redacted_in_debug_and_display() {
        let value = "the-secret-value";
        let rendered = [
            format!(
                "{:?} {}",
                ClientSecret::new(value),
                ClientSecret::new(value)
            ),
            format!("{:?} {}", AccessToken::new(value), AccessToken::new(value)),
            format!(
                "{:?} {}",
                RefreshToken::new(value),
                RefreshToken::new(value)
            ),
            format!(
                "{:?} {}",
                AuthorizationCode::new(value),
                AuthorizationCode::new(value)
            ),
            format!("{:?} {:#?}", State::new(value), State::new(value)),
            format!(
                "{:?} {}",
                PkceVerifier::new(value),
                PkceVerifier::new(value)
            ),
        ];
        for text in rendered {
            assert!(!text.contains(value), "{text}");
            assert!(text.contains("[redacted]"), "{text}");
        }
        assert_eq!(format!("{:?}", State::new(value)), "State([redacted])");
        assert_eq!(AccessToken::new(value).expose_secret(), value);
    }

    #[test]
    fn secrets_serialize_as_plain_strings() {
        let token = RefreshToken::new("rt");
        let json = serde_json::to_string(&token).unwrap();
        assert_eq!(json, "\"rt\"");
        assert_eq!(serde_json::from_str::<RefreshToken>(&json).unwrap(), token);
    }
}

redacted_secret!(
    /// An API key, as the end user gave it for an API-key connection.
    ///
    /// ```
    /// let key = connkit::secret::ApiKey::new("sk_live_123");
    /// assert_eq!(format!("{key:?} {key}"), "ApiKey([redacted]) [redacted]");
    /// ```
    ApiKey
);

redacted_secret!(
    /// The password of a basic-auth connection.
    Password
);

redacted_secret!(
    /// A private key: a key-pair connection's (PEM or whatever the provider issues), or a
    /// client's, for `private_key_jwt` (PEM).
    PrivateKey
);
