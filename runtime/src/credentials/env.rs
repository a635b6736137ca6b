//! The default credential source: the process environment, read when asked.

use super::{ClientCredentialError, ClientCredentialSource, ClientCredentials, ClientId};
use crate::definition::{ClientAuth, ClientHolder, ConnectionDefinition};
use crate::secret::{ClientSecret, PrivateKey};

/// A client credential could not be read from its environment variable. The message names the
/// variable, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvError {
    /// The variable is not set.
    #[error("environment variable {variable} is not set")]
    Missing {
        /// The variable's name.
        variable: &'static str,
    },
    /// The variable is set to the empty string (or only whitespace).
    #[error("environment variable {variable} is set but empty")]
    Empty {
        /// The variable's name.
        variable: &'static str,
    },
    /// The variable's value is not valid UTF-8.
    #[error("environment variable {variable} is not valid UTF-8")]
    NotUnicode {
        /// The variable's name.
        variable: &'static str,
    },
}

impl EnvError {
    /// The variable that could not be read.
    pub fn variable(&self) -> &'static str {
        match self {
            Self::Missing { variable }
            | Self::Empty { variable }
            | Self::NotUnicode { variable } => variable,
        }
    }
}

/// Reads client credentials from the variables a definition names
/// ([`client_id_env`](crate::definition::OAuth2Definition::client_id_env) and
/// [`client_secret_env`](crate::definition::OAuth2Definition::client_secret_env)) when asked, so a changed
/// variable is seen on the next call. Both must be set: an OAuth2 connection read from the
/// environment is a confidential client. A definition with `client_auth = "private_key_jwt"`
/// reads [`client_key_env`](crate::definition::OAuth2Definition::client_key_env) instead of
/// the secret's variable (a PEM key; its key id, if set, from the same name with `_ID`); a
/// client-credentials definition with `client = "platform"` reads its own variables the same
/// way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Env;

impl Env {
    /// The client id variable and the secret's, or with `private_key_jwt` the key's (then
    /// `true`); `None` for a kind without the platform's client credentials.
    fn variables(connection: ConnectionDefinition) -> Option<([&'static str; 2], bool)> {
        let (auth, id, secret, key) = match connection {
            ConnectionDefinition::OAuth2(oauth2) => (
                oauth2.client_auth(),
                oauth2.client_id_env(),
                oauth2.client_secret_env(),
                oauth2.client_key_env(),
            ),
            ConnectionDefinition::ClientCredentials(machine)
                if machine.client() == ClientHolder::Platform =>
            {
                (
                    machine.client_auth(),
                    machine.client_id_env(),
                    machine.client_secret_env(),
                    machine.client_key_env(),
                )
            }
            _ => return None,
        };
        Some(if auth == ClientAuth::PrivateKeyJwt {
            ([id, key], true)
        } else {
            ([id, secret], false)
        })
    }
}

impl ClientCredentialSource for Env {
    fn client_credentials(
        &self,
        connection: ConnectionDefinition,
    ) -> Result<ClientCredentials, ClientCredentialError> {
        let ([id_variable, secret_variable], reads_key) =
            Self::variables(connection).ok_or(ClientCredentialError::NoClientCredentials {
                connection_id: connection.id(),
                kind: connection.kind(),
            })?;
        let client_id = ClientId::new(read(id_variable)?);
        if reads_key {
            // The key's id, when set, is in the variable of the key's name and `_ID`.
            let key_id = std::env::var(format!("{secret_variable}_ID"))
                .ok()
                .filter(|id| !id.trim().is_empty());
            return Ok(ClientCredentials::new(client_id, None)
                .with_key(PrivateKey::new(read(secret_variable)?), key_id));
        }
        Ok(ClientCredentials::new(
            client_id,
            Some(ClientSecret::new(read(secret_variable)?)),
        ))
    }

    fn problems(&self, connection: ConnectionDefinition) -> Vec<ClientCredentialError> {
        Self::variables(connection)
            .into_iter()
            .flat_map(|(variables, _)| variables)
            .filter_map(|variable| read(variable).err().map(ClientCredentialError::Env))
            .collect()
    }
}

fn read(variable: &'static str) -> Result<String, EnvError> {
    match std::env::var(variable) {
        Ok(value) if value.trim().is_empty() => Err(EnvError::Empty { variable }),
        Ok(value) => Ok(value),
        Err(std::env::VarError::NotPresent) => Err(EnvError::Missing { variable }),
        Err(std::env::VarError::NotUnicode(_)) => Err(EnvError::NotUnicode { variable }),
    }
}
