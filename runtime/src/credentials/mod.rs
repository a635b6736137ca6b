//! Where a connection's client credentials come from.
//!
//! Definitions hold only the *names* of the variables a connection's credentials are read from;
//! a [`ClientCredentialSource`] yields the values. [`Env`] reads the process environment (the
//! convention: `INTEGRATION_<APP>_CLIENT_ID` / `_CLIENT_SECRET`); a platform where each
//! workspace brings its own OAuth client passes its own lookup, as a closure ([`from_fn`]) or a
//! [`ClientCredentialMap`].
//!
//! ```
//! use connkit::credentials::{ClientCredentials, ClientCredentialMap, missing_client_credentials};
//! use connkit::{credentials::ClientId, secret::ClientSecret, app, oauth2_connection, AppDefinition};
//!
//! #[oauth2_connection(
//!     id = "acme_connection_oauth2", name = "OAuth2", description = "Acme",
//!     authorize_url = "https://acme.example/authorize", token_url = "https://acme.example/token",
//!     scopes = [],
//! )]
//! struct AcmeOAuth2;
//!
//! const ACME: AppDefinition = app! {
//!     id: "acme", name: "Acme", description: "Acme", logo_url: "https://acme.example/logo.svg",
//!     connections: [AcmeOAuth2],
//! };
//!
//! let mut workspace = ClientCredentialMap::new();
//! assert_eq!(missing_client_credentials(&workspace, &[ACME]).len(), 1);
//! workspace.insert(
//!     AcmeOAuth2::DEFINITION.id(),
//!     ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret"))),
//! );
//! assert!(missing_client_credentials(&workspace, &[ACME]).is_empty());
//! ```

mod env;
mod lookup;

use core::fmt;

pub use env::{Env, EnvError};
pub use lookup::{ClientCredentialMap, FromFn, from_fn};

use crate::definition::{AppDefinition, ConnectionDefinition};
use crate::secret::{ClientSecret, PrivateKey};

/// An OAuth2 client id. Not a secret: it appears in authorize URLs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    /// Wraps a client id.
    pub fn new(client_id: impl Into<String>) -> Self {
        Self(client_id.into())
    }

    /// The client id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A connection's client credentials: the client id and, for a confidential client, the secret
/// (`None` for a public client, which sends only its id), or the private key it signs its
/// assertions with (`private_key_jwt`). `Debug` shows no secret and no key.
///
/// ```
/// use connkit::credentials::{ClientCredentials, ClientId};
/// use connkit::secret::PrivateKey;
///
/// let signing = ClientCredentials::new(ClientId::new("my-app"), None)
///     .with_key(PrivateKey::new("-----BEGIN PRIVATE KEY-----\n..."), Some("key-2026".to_owned()));
/// assert!(!format!("{signing:?}").contains("BEGIN"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientCredentials {
    /// The client id.
    pub client_id: ClientId,
    /// The client secret; `None` for a public client, or one that signs with a key.
    pub client_secret: Option<ClientSecret>,
    /// The client's private key (PEM), for `private_key_jwt`.
    pub client_key: Option<PrivateKey>,
    /// The key's id (`kid`), when the provider holds several of the client's keys.
    pub client_key_id: Option<String>,
}

impl ClientCredentials {
    /// Credentials from their parts.
    pub fn new(client_id: ClientId, client_secret: Option<ClientSecret>) -> Self {
        Self {
            client_id,
            client_secret,
            client_key: None,
            client_key_id: None,
        }
    }

    /// With the client's private key and its key id, for `private_key_jwt`.
    #[must_use]
    pub fn with_key(mut self, key: PrivateKey, key_id: Option<String>) -> Self {
        self.client_key = Some(key);
        self.client_key_id = key_id;
        self
    }
}

/// The client credentials of a connection could not be had. No variant carries a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientCredentialError {
    /// An environment variable could not be read; names the variable, never its value.
    #[error(transparent)]
    Env(#[from] EnvError),
    /// The source has no credentials for this connection.
    #[error("no client credentials are configured for connection {connection_id}")]
    NotConfigured {
        /// The connection.
        connection_id: &'static str,
    },
    /// The connection is of a kind whose credential the end user gives (an API key, a
    /// password, a key pair): it has no client credentials.
    #[error("connection {connection_id} is a {kind} connection, which has no client credentials")]
    NoClientCredentials {
        /// The connection.
        connection_id: &'static str,
        /// Its kind.
        kind: &'static str,
    },
    /// The caller's lookup failed.
    #[error("looking up the client credentials of connection {connection_id} failed")]
    Lookup {
        /// The connection.
        connection_id: &'static str,
        /// Why, as the caller's lookup said.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// Yields the client credentials of a connection.
///
/// Implemented by [`Env`] (the default), by [`from_fn`] closures and by [`ClientCredentialMap`]; any
/// type can implement it to read a secrets manager or a per-workspace table.
pub trait ClientCredentialSource {
    /// The client credentials of `connection`.
    ///
    /// # Errors
    /// [`ClientCredentialError`] saying what is missing (never a value).
    fn client_credentials(
        &self,
        connection: ConnectionDefinition,
    ) -> Result<ClientCredentials, ClientCredentialError>;

    /// Every reason the client credentials of `connection` cannot be had right now; empty when
    /// they can. The default asks [`client_credentials`](Self::client_credentials) once;
    /// [`Env`] names every unreadable variable.
    fn problems(&self, connection: ConnectionDefinition) -> Vec<ClientCredentialError> {
        self.client_credentials(connection)
            .err()
            .into_iter()
            .collect()
    }
}

impl<T: ClientCredentialSource + ?Sized> ClientCredentialSource for &T {
    fn client_credentials(
        &self,
        connection: ConnectionDefinition,
    ) -> Result<ClientCredentials, ClientCredentialError> {
        (**self).client_credentials(connection)
    }

    fn problems(&self, connection: ConnectionDefinition) -> Vec<ClientCredentialError> {
        (**self).problems(connection)
    }
}

/// A client credential a connection of an app cannot get from a source.
#[derive(Debug)]
#[non_exhaustive]
pub struct MissingClientCredential {
    /// The app of the connection.
    pub app_id: &'static str,
    /// The connection.
    pub connection_id: &'static str,
    /// What is missing.
    pub error: ClientCredentialError,
}

impl fmt::Display for MissingClientCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (needed by connection {})",
            self.error, self.connection_id
        )
    }
}

/// Every client credential the connections of `apps` cannot get from `source` right now. Lecca
/// silently unpublished an app whose variable was missing; this says which one.
///
/// Pass `registry.apps()` for a whole [`Registry`](crate::Registry).
pub fn missing_client_credentials(
    source: &impl ClientCredentialSource,
    apps: &[AppDefinition],
) -> Vec<MissingClientCredential> {
    apps.iter()
        .flat_map(|app| {
            // Only OAuth2 connections and platform clients' client-credentials connections
            // have client credentials of the platform's.
            app.connections()
                .iter()
                .filter(|connection| connection.uses_platform_client())
                .flat_map(move |connection| {
                    source.problems(*connection).into_iter().map(move |error| {
                        MissingClientCredential {
                            app_id: app.id(),
                            connection_id: connection.id(),
                            error,
                        }
                    })
                })
        })
        .collect()
}
