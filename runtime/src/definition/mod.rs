//! Definitions: the `'static` data the macros expand into. Every value was checked at compile
//! time; a definition never reads the environment and does no I/O.
//!
//! - [`OAuth2Definition`], [`ApiKeyDefinition`], [`BasicAuthDefinition`] and
//!   [`KeyPairDefinition`]: the connection kinds;
//! - [`ConnectionDefinition`]: a connection of any kind, as an app lists it;
//! - [`AppDefinition`]: an app with its connections, actions and triggers;
//! - [`Registry`]: the apps of a catalogue, indexed by id.

mod app;
mod connection;
mod credential;
mod input;
mod oauth2;
mod registry;

#[doc(hidden)]
pub use app::AppFields;
pub use app::{Action, AppDefinition, ComponentDefinition, Trigger};
pub use connection::{ConnectionDefinition, ConnectionType};
pub use credential::{
    ApiKeyDefinition, BasicAuthDefinition, BasicCredentials, KeyPair, KeyPairDefinition,
    KeyPlacement, PlacementError,
};
#[doc(hidden)]
pub use credential::{ApiKeyFields, BasicAuthFields, KeyPairFields};
#[doc(hidden)]
pub use input::InputFields;
#[cfg(feature = "store")]
pub(crate) use input::checked_input_values;
pub use input::{Input, InputError, InputValues};
#[doc(hidden)]
pub use oauth2::OAuth2Fields;
pub use oauth2::{
    AuthorizationParams, ClientAuth, Endpoints, OAuth2Definition, TokenRequestFormat,
};
pub use registry::Registry;
pub(crate) use registry::app_id_hash;
