//! The OAuth2 authorization-code protocol, with no I/O of its own (requests go through
//! [`crate::http`]):
//!
//! - `authorize`: state, PKCE, the pending authorization and the check of the callback;
//! - `callback`: what the redirect back carries, and its errors;
//! - `client`: [`OAuth2Client`] (exchange, refresh) and [`TokenError`];
//! - [`token_response`]: the tolerant parser of token endpoint answers;
//! - `token`: [`TokenSet`], what a connection keeps.
//!
#![cfg_attr(feature = "reqwest", doc = include_str!("../../docs/oauth2_flow.md"))]

mod authorize;
mod callback;
mod client;
mod client_credentials;
mod device;
#[cfg(feature = "jwt")]
mod dpop;
#[cfg(feature = "jwt")]
mod jwt_bearer;
mod par;
mod token;
mod token_request;
pub mod token_response;

pub(crate) use authorize::base64url;
#[cfg(feature = "axum")]
pub(crate) use authorize::constant_time_eq;
pub use authorize::{
    AuthorizationRequest, CompletedAuthorization, DEFAULT_AUTHORIZATION_TTL, PendingAuthorization,
    RandomnessError,
};
pub use callback::{AuthorizationErrorCode, CallbackError};
pub use client::{ClientError, MAX_RETRY_AFTER, OAuth2Client, OriginError, TokenError};
pub use client_credentials::ClientCredentialsClient;
#[cfg(feature = "store")]
pub(crate) use device::expired as device_expired;
pub use device::{DEVICE_CODE_GRANT, DeviceAuthorization, DeviceError, DevicePoll};
#[cfg(feature = "jwt")]
pub use dpop::DpopKey;
#[cfg(all(feature = "jwt", feature = "store"))]
pub(crate) use dpop::response_nonce;
#[cfg(feature = "jwt")]
pub use jwt_bearer::{ASSERTION_LIFETIME_SECONDS, JWT_BEARER_GRANT, JwtBearerClient};
pub use par::PushError;
pub use token::TokenSet;
pub use token_response::{OAuthError, OAuthErrorCode, TokenResponse, TokenResponseError};
