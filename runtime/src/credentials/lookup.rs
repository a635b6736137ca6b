//! Credential sources of the caller's own: a closure, or a map from connection id.

use std::collections::HashMap;

use super::{ClientCredentialError, ClientCredentialSource, ClientCredentials};
use crate::definition::ConnectionDefinition;

/// A credential source from a closure; see [`from_fn`].
#[derive(Debug, Clone, Copy)]
pub struct FromFn<F>(F);

/// A credential source that calls `lookup` for each connection: a secrets manager, a
/// per-workspace table, anything the caller reads.
///
/// ```
/// use connkit::credentials::{ClientCredentials, ClientCredentialError, ClientCredentialSource, from_fn};
/// use connkit::credentials::ClientId;
///
/// // A public client: an id and no secret.
/// let source = from_fn(|connection| match connection.id() {
///     "acme_connection_oauth2" => Ok(ClientCredentials::new(ClientId::new("public-id"), None)),
///     id => Err(ClientCredentialError::NotConfigured { connection_id: id }),
/// });
/// # #[connkit::oauth2_connection(id = "acme_connection_oauth2", name = "OAuth2", description = "Acme",
/// #     authorize_url = "https://acme.example/a", token_url = "https://acme.example/t", scopes = [])]
/// # struct AcmeOAuth2;
/// let credentials = source.client_credentials(connkit::definition::ConnectionDefinition::OAuth2(AcmeOAuth2::DEFINITION))?;
/// assert_eq!(credentials.client_id.as_str(), "public-id");
/// # Ok::<(), ClientCredentialError>(())
/// ```
pub fn from_fn<F>(lookup: F) -> FromFn<F>
where
    F: Fn(ConnectionDefinition) -> Result<ClientCredentials, ClientCredentialError>,
{
    FromFn(lookup)
}

impl<F> ClientCredentialSource for FromFn<F>
where
    F: Fn(ConnectionDefinition) -> Result<ClientCredentials, ClientCredentialError>,
{
    fn client_credentials(
        &self,
        connection: ConnectionDefinition,
    ) -> Result<ClientCredentials, ClientCredentialError> {
        (self.0)(connection)
    }
}

/// Client credentials held in memory, by connection id. `Debug` shows the ids and redacted
/// secrets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientCredentialMap(HashMap<String, ClientCredentials>);

impl ClientCredentialMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the credentials of a connection, returning those it replaces.
    pub fn insert(
        &mut self,
        connection_id: impl Into<String>,
        credentials: ClientCredentials,
    ) -> Option<ClientCredentials> {
        self.0.insert(connection_id.into(), credentials)
    }

    /// Removes the credentials of a connection.
    pub fn remove(&mut self, connection_id: &str) -> Option<ClientCredentials> {
        self.0.remove(connection_id)
    }
}

impl ClientCredentialSource for ClientCredentialMap {
    fn client_credentials(
        &self,
        connection: ConnectionDefinition,
    ) -> Result<ClientCredentials, ClientCredentialError> {
        self.0
            .get(connection.id())
            .cloned()
            .ok_or(ClientCredentialError::NotConfigured {
                connection_id: connection.id(),
            })
    }
}
