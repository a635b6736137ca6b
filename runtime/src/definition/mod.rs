//! Definitions: the `'static` data the macros expand into. Every value was checked at compile
//! time; a definition never reads the environment and does no I/O.
//!
//! - [`OAuth2Definition`], [`ClientCredentialsDefinition`], [`JwtBearerDefinition`],
//!   [`ApiKeyDefinition`], [`BasicAuthDefinition`] and [`KeyPairDefinition`]: the connection
//!   kinds;
//! - [`ConnectionDefinition`]: a connection of any kind, as an app lists it;
//! - [`AppDefinition`]: an app with its connections, actions and triggers;
//! - [`Registry`]: the apps of a catalogue, indexed by id.

// The `*Fields` types are public in their modules for `__private` alone, which re-exports them
// for generated code; they have no public path of their own.
pub(crate) mod app;
pub(crate) mod client_credentials;
mod connection;
pub(crate) mod credential;
pub(crate) mod input;
pub(crate) mod jwt_bearer;
pub(crate) mod oauth2;
mod registry;

pub use app::{Action, AppDefinition, ComponentDefinition, Trigger};
pub use client_credentials::{ClientCredentialsDefinition, ClientHolder, TokenEndpoint};
pub use connection::{ConnectionDefinition, ConnectionType};
pub use credential::{
    ApiKeyDefinition, BasicAuthDefinition, BasicCredentials, KeyPair, KeyPairDefinition,
    KeyPlacement, PlacementError,
};
#[cfg(feature = "store")]
pub(crate) use input::checked_input_values;
pub use input::{Input, InputError, InputValues};
pub use jwt_bearer::JwtBearerDefinition;
pub use oauth2::{
    AuthorizationParams, ClientAuth, Endpoints, OAuth2Definition, TokenRequestFormat,
};
pub use registry::Registry;
pub(crate) use registry::app_id_hash;
