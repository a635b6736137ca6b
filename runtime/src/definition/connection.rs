//! A connection of any kind, and the trait every connection struct implements.

use super::oauth2::OAuth2Definition;

/// A connection definition of any kind. Only OAuth2 exists today; more kinds will be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionDefinition {
    /// An OAuth2 authorization-code connection.
    OAuth2(&'static OAuth2Definition),
}

impl ConnectionDefinition {
    /// The connection id.
    pub const fn id(&self) -> &'static str {
        match self {
            Self::OAuth2(connection) => connection.id(),
        }
    }

    /// The display name.
    pub const fn name(&self) -> &'static str {
        match self {
            Self::OAuth2(connection) => connection.name(),
        }
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        match self {
            Self::OAuth2(connection) => connection.description(),
        }
    }

    /// The OAuth2 definition, if this is an OAuth2 connection.
    pub const fn as_oauth2(&self) -> Option<&'static OAuth2Definition> {
        match self {
            Self::OAuth2(connection) => Some(connection),
        }
    }
}

/// Implemented by every struct annotated with `#[oauth2_connection(...)]`; `app!` takes types
/// implementing it in `connections: [...]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a connection",
    label = "not a connection",
    note = "a connection is a unit struct annotated with `#[connkit::oauth2_connection(...)]`"
)]
pub trait Connection {
    /// The definition.
    const CONNECTION: ConnectionDefinition;
}
