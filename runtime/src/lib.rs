//! connkit: declare the OAuth2 connections of integration apps, with every naming convention
//! checked at compile time, and run them.
//!
//! ```
//! use connkit::{app, oauth2_connection, registry, AppDefinition, Registry};
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
//! pub const GOOGLE_SHEETS: AppDefinition = app! {
//!     id: "google-sheets",
//!     name: "Google Sheets",
//!     description: "Read and write spreadsheets",
//!     logo_url: "https://example.com/google-sheets.svg",
//!     connections: [GoogleSheetsOAuth2],
//! };
//!
//! pub const APPS: Registry = registry![GOOGLE_SHEETS];
//!
//! let connection = APPS.connection("google-sheets_connection_oauth2").unwrap();
//! let oauth2 = connection.as_oauth2().unwrap();
//! assert_eq!(oauth2.client_id_env(), "INTEGRATION_GOOGLE_SHEETS_CLIENT_ID");
//! let params = connkit::definition::AuthorizationParams::new("client", "https://app.example/cb", "state");
//! let url = oauth2.authorization_request_url(&params)?;
//! assert!(url.as_str().ends_with("&access_type=offline&prompt=consent&state=state"));
//! # Ok::<(), connkit::definition::InputError>(())
//! ```
//!
//! A mistake in a definition is a compile error at the offending token:
//!
//! ```compile_fail
//! #[connkit::oauth2_connection(
//!     id = "GoogleSheets_connection_oauth2", // error: invalid connection id, with a suggestion
//!     name = "OAuth2",
//!     description = "Connect using OAuth2",
//!     authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
//!     token_url = "https://oauth2.googleapis.com/token",
//!     scopes = [],
//! )]
//! pub struct GoogleSheetsOAuth2;
//! ```
//!
//! # Which grant do I need?
//!
//! | who connects | what the provider offers | declare | connect with |
//! |---|---|---|---|
//! | a user, in a browser | OAuth2 authorization code | [`oauth2_connection`] | `Connections::connect` → `complete` |
//! | a user, from a terminal or a headless server | device authorization (RFC 8628) | [`oauth2_connection`] with `device_authorization_url` | `Connections::start_device` → `complete_device`, `authorize --device` |
//! | a user, where the request must not pass through the browser (atproto, FAPI) | pushed authorization requests (RFC 9126) | [`oauth2_connection`] with `par_url` | `Connections::connect` (pushes) |
//! | a server, with its own client (Zoom server-to-server, machine APIs) | client credentials (RFC 6749 §4.4) | [`client_credentials_connection`] | `Connections::connect_client_credentials` |
//! | a server, with a service account's key (Google, Salesforce, Box, DocuSign) | JWT bearer (RFC 7523 §2.1) | [`jwt_bearer_connection`] (feature `jwt`) | `Connections::connect_jwt_bearer`, `authorize --service-account` |
//! | any of the above, where the provider wants a signed client assertion | `private_key_jwt` or `client_secret_jwt` (RFC 7523 §2.2) | `client_auth = "private_key_jwt"` (feature `jwt`) | as the grant |
//! | any token grant, with tokens a thief cannot use | DPoP (RFC 9449) | `dpop = true` (feature `jwt`) | as the grant; `Connections::send` adds the proofs |
//! | a user who types a key or a password | no OAuth | [`api_key_connection`], [`basic_auth_connection`], [`key_pair_connection`] | `Connections::store_credential` |
//!
//! Every token grant is stored the same way (sealed, bound to its row) and renewed under the
//! same single-flight lease: an authorization-code connection by its refresh token (a refused
//! refresh token makes it need a reconnect), a client-credentials or JWT-bearer connection by
//! obtaining a new token (a refusal is a failure in its health, never a needs-reconnect).
//!
//! The crate is laid out by layer, in the order data flows (ARCHITECTURE.md in the repository
//! has the map and the glossary):
//! - [`definition`]: the `'static` data the macros expand into (connection kinds, apps, the
//!   registry);
//! - [`credentials`]: where client credentials come from (the environment by default, or the
//!   caller's own lookup);
//! - [`oauth2`]: the protocol (authorize, callback, exchange, refresh, token responses, and the
//!   other grants: client credentials, JWT bearer, device authorization, PAR, DPoP);
//! - `jwt` (feature `jwt`): the keys connkit signs with;
//! - [`http`]: the HTTP seam and its reqwest / ureq adapters;
//! - `store` (feature `store`, with `sqlite` or `postgres`): stored connections, sealed, and the
//!   `Connections` service that connects them and keeps their tokens fresh;
//! - the front ends: `cli` (feature `cli`, the terminal) and `connect` (feature `axum`, the
//!   browser).
//!
//! The root re-exports what a first program names; everything else is in its module. Every
//! secret (client secret, tokens, code, state, PKCE verifier, API key, password, private key) is
//! a redacted newtype in [`secret`]: `Debug` and `Display` never show it.

// docs.rs (and scripts/publish-check.sh) build with `--cfg docsrs`: each item gated on a feature
// shows which.
#![cfg_attr(docsrs, feature(doc_cfg))]

// The macros name `::connkit`; the unit tests declare their definitions and registry with them.
// (The conformance suite in `store::testing` names `crate = crate` instead: this item in a
// non-test build would clash with the `extern crate connkit` rustdoc puts in every doctest.)
#[cfg(test)]
extern crate self as connkit;

#[cfg(any(feature = "cli", feature = "axum"))]
mod civil;
#[cfg(feature = "cli")]
pub mod cli;
mod clock;
#[cfg(feature = "axum")]
pub mod connect;
pub mod credentials;
pub mod definition;
#[cfg(any(feature = "cli", feature = "axum"))]
mod html;
pub mod http;
#[cfg(feature = "jwt")]
pub mod jwt;
pub mod oauth2;
mod printable;
mod random;
pub mod secret;
#[cfg(feature = "store")]
pub mod store;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

// The root holds what a first program names: the macros, the app and registry types their
// constants have, the client and the tokens it returns. Everything else lives in its module
// (ARCHITECTURE.md, "API decisions").
pub use definition::{AppDefinition, Registry};
pub use oauth2::{OAuth2Client, TokenSet};
pub use url::Url;

#[doc = include_str!("../docs/oauth2_connection.md")]
pub use connkit_macros::oauth2_connection;

#[doc = include_str!("../docs/client_credentials_connection.md")]
pub use connkit_macros::client_credentials_connection;

#[doc = include_str!("../docs/jwt_bearer_connection.md")]
pub use connkit_macros::jwt_bearer_connection;

#[doc = include_str!("../docs/api_key_connection.md")]
pub use connkit_macros::api_key_connection;

#[doc = include_str!("../docs/basic_auth_connection.md")]
pub use connkit_macros::basic_auth_connection;

#[doc = include_str!("../docs/key_pair_connection.md")]
pub use connkit_macros::key_pair_connection;

#[doc = include_str!("../docs/app.md")]
pub use connkit_macros::app;

#[doc = include_str!("../docs/registry.md")]
pub use connkit_macros::registry;
