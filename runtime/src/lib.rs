//! connkit: declare the OAuth2 connections of integration apps, with every naming convention
//! checked at compile time, and run them.
//!
//! ```
//! use connkit::{app, oauth2_connection, registry, App, Registry};
//!
//! #[oauth2_connection(
//!     id = "google-sheets_connection_oauth2",
//!     name = "OAuth2",
//!     description = "Connect using OAuth2",
//!     authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
//!     token_url = "https://oauth2.googleapis.com/token",
//!     scopes = [
//!         "https://www.googleapis.com/auth/spreadsheets",
//!         "https://www.googleapis.com/auth/drive.readonly",
//!     ],
//!     auth_params = { access_type = "offline", prompt = "consent" },
//! )]
//! pub struct GoogleSheetsOAuth2;
//!
//! pub const GOOGLE_SHEETS: App = app! {
//!     id: "google-sheets",
//!     name: "Google Sheets",
//!     description: "Read and write spreadsheets",
//!     logo_url: "https://example.com/google-sheets.svg",
//!     actions: [],
//!     triggers: [],
//!     connections: [GoogleSheetsOAuth2],
//! };
//!
//! pub const APPS: Registry = registry![GOOGLE_SHEETS];
//!
//! let connection = APPS.connection("google-sheets_connection_oauth2").unwrap();
//! let oauth2 = connection.as_oauth2().unwrap();
//! assert_eq!(oauth2.client_id_env(), "INTEGRATION_GOOGLE_SHEETS_CLIENT_ID");
//! let url = oauth2.authorize_url("client", "https://app.example/cb", "state", None);
//! assert!(url.as_str().ends_with("&access_type=offline&prompt=consent"));
//! ```
//!
//! A mistake in a definition is a compile error at the offending token:
//!
//! ```compile_fail
//! #[connkit::oauth2_connection(
//!     id = "GoogleSheets_connection_oauth2", // error: did you mean "google-sheets_connection_oauth2"
//!     name = "OAuth2",
//!     description = "Connect using OAuth2",
//!     authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
//!     token_url = "https://oauth2.googleapis.com/token",
//!     scopes = [],
//! )]
//! pub struct GoogleSheetsOAuth2;
//! ```

mod app;
mod authorization;
mod callback;
mod connection;
mod credentials;
mod flow;
pub mod http;
mod registry;
mod token;
pub mod token_response;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use app::{Action, App, ComponentDefinition, MissingEnv, Trigger};
pub use authorization::{
    AuthorizationRequest, DEFAULT_AUTHORIZATION_TTL, PendingAuthorization, PkceVerifier,
    RandomnessError, State,
};
pub use callback::{
    AuthorizationCode, AuthorizationErrorCode, AuthorizationResponse, CallbackError,
};
pub use connection::{ClientAuth, Connection, ConnectionDefinition, OAuth2Connection};
pub use connkit_macros::{app, oauth2_connection, registry};
pub use credentials::{ClientId, ClientSecret, EnvError};
pub use flow::OAuth2Client;
pub use registry::Registry;
pub use token::{AccessToken, RefreshToken, TokenSet};
pub use token_response::{OAuthError, OAuthErrorCode, TokenError, TokenResponse};
pub use url::Url;

/// Parses an endpoint that `connkit-rules` accepted at compile time.
pub(crate) fn endpoint_url(endpoint: &'static str) -> Url {
    // connkit-rules accepts a subset of what the WHATWG parser accepts (a property test in
    // runtime/tests/url_shape.rs checks this), and every endpoint reached here was checked by
    // the macro, so this cannot fail for a definition built by `#[oauth2_connection]`.
    #[allow(clippy::expect_used)]
    Url::parse(endpoint).expect("endpoint URL validated at compile time by connkit-rules")
}
