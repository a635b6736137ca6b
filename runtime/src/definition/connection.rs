//! A connection of any kind, and the trait every connection struct implements.

use super::client_credentials::ClientCredentialsDefinition;
use super::credential::{ApiKeyDefinition, BasicAuthDefinition, KeyPairDefinition};
use super::input::Input;
use super::jwt_bearer::JwtBearerDefinition;
use super::oauth2::OAuth2Definition;

/// A connection definition of any kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionDefinition {
    /// An OAuth2 authorization-code connection.
    OAuth2(&'static OAuth2Definition),
    /// A client-credentials connection.
    ClientCredentials(&'static ClientCredentialsDefinition),
    /// A JWT-bearer connection.
    JwtBearer(&'static JwtBearerDefinition),
    /// An API-key connection.
    ApiKey(&'static ApiKeyDefinition),
    /// A username-and-password connection.
    BasicAuth(&'static BasicAuthDefinition),
    /// A public-and-private-key connection.
    KeyPair(&'static KeyPairDefinition),
}

macro_rules! each_kind {
    ($self:ident, $connection:ident => $body:expr) => {
        match $self {
            Self::OAuth2($connection) => $body,
            Self::ClientCredentials($connection) => $body,
            Self::JwtBearer($connection) => $body,
            Self::ApiKey($connection) => $body,
            Self::BasicAuth($connection) => $body,
            Self::KeyPair($connection) => $body,
        }
    };
}

impl ConnectionDefinition {
    /// The connection id.
    pub const fn id(&self) -> &'static str {
        each_kind!(self, connection => connection.id())
    }

    /// The display name.
    pub const fn name(&self) -> &'static str {
        each_kind!(self, connection => connection.name())
    }

    /// The description.
    pub const fn description(&self) -> &'static str {
        each_kind!(self, connection => connection.description())
    }

    /// The values the end user supplies when connecting.
    pub const fn inputs(&self) -> &'static [Input] {
        each_kind!(self, connection => connection.inputs())
    }

    /// The kind, as in the id: `oauth2`, `client-credentials`, `jwt-bearer`, `api-key`,
    /// `basic-auth` or `key-pair`.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::OAuth2(_) => connkit_rules::id::OAUTH2_KIND,
            Self::ClientCredentials(_) => connkit_rules::id::CLIENT_CREDENTIALS_KIND,
            Self::JwtBearer(_) => connkit_rules::id::JWT_BEARER_KIND,
            Self::ApiKey(_) => connkit_rules::id::API_KEY_KIND,
            Self::BasicAuth(_) => connkit_rules::id::BASIC_AUTH_KIND,
            Self::KeyPair(_) => connkit_rules::id::KEY_PAIR_KIND,
        }
    }

    /// The OAuth2 definition, if this is an OAuth2 connection.
    pub const fn as_oauth2(&self) -> Option<&'static OAuth2Definition> {
        match self {
            Self::OAuth2(connection) => Some(connection),
            _ => None,
        }
    }

    /// The client-credentials definition, if this is a client-credentials connection.
    pub const fn as_client_credentials(&self) -> Option<&'static ClientCredentialsDefinition> {
        match self {
            Self::ClientCredentials(connection) => Some(connection),
            _ => None,
        }
    }

    /// The JWT-bearer definition, if this is a JWT-bearer connection.
    pub const fn as_jwt_bearer(&self) -> Option<&'static JwtBearerDefinition> {
        match self {
            Self::JwtBearer(connection) => Some(connection),
            _ => None,
        }
    }

    /// Whether connections of this definition hold a token set from a token endpoint (OAuth2,
    /// client credentials, JWT bearer), rather than a credential the end user typed in.
    pub const fn holds_tokens(&self) -> bool {
        matches!(
            self,
            Self::OAuth2(_) | Self::ClientCredentials(_) | Self::JwtBearer(_)
        )
    }

    /// Whether connections of this definition use the platform's client credentials (from a
    /// [`ClientCredentialSource`](crate::credentials::ClientCredentialSource)): OAuth2
    /// connections, and client-credentials connections with `client = "platform"`.
    pub const fn uses_platform_client(&self) -> bool {
        match self {
            Self::OAuth2(_) => true,
            Self::ClientCredentials(machine) => {
                matches!(machine.client(), super::ClientHolder::Platform)
            }
            _ => false,
        }
    }

    /// The API-key definition, if this is an API-key connection.
    pub const fn as_api_key(&self) -> Option<&'static ApiKeyDefinition> {
        match self {
            Self::ApiKey(connection) => Some(connection),
            _ => None,
        }
    }

    /// The basic-auth definition, if this is a basic-auth connection.
    pub const fn as_basic_auth(&self) -> Option<&'static BasicAuthDefinition> {
        match self {
            Self::BasicAuth(connection) => Some(connection),
            _ => None,
        }
    }

    /// The key-pair definition, if this is a key-pair connection.
    pub const fn as_key_pair(&self) -> Option<&'static KeyPairDefinition> {
        match self {
            Self::KeyPair(connection) => Some(connection),
            _ => None,
        }
    }
}

/// Implemented by every struct annotated with a connection attribute; `app!` takes types
/// implementing it in `connections: [...]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a connection",
    label = "not a connection",
    note = "a connection is a unit struct annotated with `#[connkit::oauth2_connection(...)]`, `#[connkit::client_credentials_connection(...)]`, `#[connkit::jwt_bearer_connection(...)]`, `#[connkit::api_key_connection(...)]`, `#[connkit::basic_auth_connection(...)]` or `#[connkit::key_pair_connection(...)]`"
)]
pub trait ConnectionType {
    /// The definition.
    const CONNECTION_DEFINITION: ConnectionDefinition;
}
