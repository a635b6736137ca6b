//! Tokens and the token set a connection stores.

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::token_response::TokenResponse;
use crate::clock::unix_seconds;
use crate::secret::{AccessToken, RefreshToken};

/// The tokens of one connection, as stored: access token, refresh token, absolute expiry,
/// granted scopes, and every other field of the token response as metadata.
///
/// `Debug` shows neither token nor any metadata value (metadata may hold secrets, such as an
/// `id_token` or Slack's nested `authed_user.access_token`), only the metadata keys.
/// Serializing writes everything in clear, for an (encrypted) store.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TokenSet {
    access_token: AccessToken,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<RefreshToken>,
    /// Seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scopes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    metadata: serde_json::Map<String, serde_json::Value>,
}

impl TokenSet {
    /// The token set of a first token response (code exchange), received at `now`.
    pub fn from_response(response: TokenResponse, now: SystemTime) -> Self {
        Self {
            access_token: response.access_token,
            token_type: response.token_type,
            refresh_token: response.refresh_token,
            expires_at: expiry(response.expires_in, now),
            scopes: response.scopes,
            metadata: response.metadata,
        }
    }

    /// The token set after a refresh answered with `response` at `now`: a refresh that returns
    /// no refresh token keeps the old one; scopes and token type not returned are kept; metadata
    /// is merged (returned fields replace stored ones, others stay).
    #[must_use]
    pub fn refreshed(&self, response: TokenResponse, now: SystemTime) -> Self {
        let mut metadata = self.metadata.clone();
        metadata.extend(response.metadata);
        Self {
            access_token: response.access_token,
            token_type: response.token_type.or_else(|| self.token_type.clone()),
            refresh_token: response
                .refresh_token
                .or_else(|| self.refresh_token.clone()),
            expires_at: expiry(response.expires_in, now),
            scopes: response.scopes.or_else(|| self.scopes.clone()),
            metadata,
        }
    }

    /// The access token.
    pub fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    /// The token type as sent (compare case-insensitively; usually `Bearer`).
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// The refresh token, if one was issued.
    pub fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    /// When the access token expires, if the server said (and the time is one this platform's
    /// clock can represent: a stored set may have been written elsewhere).
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
            .and_then(|seconds| UNIX_EPOCH.checked_add(Duration::from_secs(seconds)))
    }

    /// Whether the access token has expired at `now`, or will within `leeway`. Unknown expiry
    /// counts as not expired. Never overflows, whatever `now` and `leeway`.
    pub fn expires_within(&self, now: SystemTime, leeway: Duration) -> bool {
        self.expires_at.is_some_and(|expires_at| {
            unix_seconds(now).saturating_add(leeway.as_secs()) >= expires_at
        })
    }

    /// The granted scopes, if the server said (otherwise assume those requested).
    pub fn scopes(&self) -> Option<&[String]> {
        self.scopes.as_deref()
    }

    /// Every other field of the token responses.
    pub fn metadata(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.metadata
    }
}

/// The absolute expiry (Unix seconds) of a token answered at `now` with `expires_in`.
fn expiry(expires_in: Option<u64>, now: SystemTime) -> Option<u64> {
    expires_in.map(|seconds| unix_seconds(now).saturating_add(seconds))
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &self.access_token)
            .field("token_type", &self.token_type)
            .field("refresh_token", &self.refresh_token)
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .field("metadata_keys", &self.metadata.keys().collect::<Vec<_>>())
            .finish()
    }
}
