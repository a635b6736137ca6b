//! Stored credentials of the kinds the end user types in (an API key, a username and password,
//! a key pair): sealed at rest like a token set, in the same table, with their input values.
//! They are never refreshed, so they have no scopes, lease or health.

use serde::{Deserialize, Serialize};

use super::backend::{Backend, Filter, Row};
use super::store::{ConnectionStatus, Store, StoreError, holds_tokens, kind_of, new_id};
use crate::definition::{BasicCredentials, ConnectionDefinition, InputValues, KeyPair};
use crate::secret::ApiKey;

/// The field a credential is sealed under (another than a token set's, so neither opens as
/// the other).
const CREDENTIAL_FIELD: &str = "credential";

/// A credential the end user gave. `Debug` shows no secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Credential {
    /// The key of an API-key connection.
    ApiKey {
        /// The key.
        key: ApiKey,
    },
    /// The username and password of a basic-auth connection.
    BasicAuth(BasicCredentials),
    /// The key pair of a key-pair connection.
    KeyPair(KeyPair),
}

impl Credential {
    /// The connection kind this credential belongs to.
    pub const fn kind(&self) -> &'static str {
        match self {
            Self::ApiKey { .. } => connkit_rules::id::API_KEY_KIND,
            Self::BasicAuth(_) => connkit_rules::id::BASIC_AUTH_KIND,
            Self::KeyPair(_) => connkit_rules::id::KEY_PAIR_KIND,
        }
    }
}

/// What a new stored credential starts with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewCredential<'a> {
    /// The owner (tenant, workspace).
    pub owner: &'a str,
    /// Its definition: an API-key, basic-auth or key-pair connection.
    pub definition: ConnectionDefinition,
    /// The credential, of the definition's kind.
    pub credential: Credential,
    /// The values of the definition's inputs.
    pub inputs: InputValues,
}

impl<'a> NewCredential<'a> {
    /// A new credential of `owner` for `definition` (an API-key, basic-auth or key-pair
    /// connection), with no input values (add them with [`with_inputs`](Self::with_inputs)).
    #[must_use]
    pub fn new(owner: &'a str, definition: ConnectionDefinition, credential: Credential) -> Self {
        Self {
            owner,
            definition,
            credential,
            inputs: InputValues::new(),
        }
    }

    /// With the values of the definition's inputs.
    #[must_use]
    pub fn with_inputs(mut self, inputs: InputValues) -> Self {
        self.inputs = inputs;
        self
    }
}

/// A stored credential of a kind the end user types in. `Debug` shows no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredCredential {
    /// Its own id.
    pub id: String,
    /// The owner.
    pub owner: String,
    /// The connection definition's id.
    pub definition_id: String,
    /// The credential.
    pub credential: Credential,
    /// The values of the definition's inputs.
    pub inputs: InputValues,
    /// When it was stored.
    pub created_at: std::time::SystemTime,
    pub(crate) version: i64,
}

impl StoredCredential {
    /// The stored version this value was read at (see [`StoredConnection::version`](super::StoredConnection::version)).
    pub fn version(&self) -> i64 {
        self.version
    }
}

/// What is sealed at rest for a credential.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedCredential {
    credential: Credential,
    #[serde(default)]
    inputs: InputValues,
}

impl<B: Backend> Store<B> {
    /// Stores a credential the end user gave, sealed, for `new.owner`.
    ///
    /// # Errors
    /// [`StoreError::WrongKind`] when the definition's connections hold tokens (OAuth2 or client
    /// credentials: use [`insert`](Self::insert)) or its kind is not the credential's; the
    /// backend's error.
    pub async fn insert_credential(
        &self,
        new: NewCredential<'_>,
    ) -> Result<StoredCredential, StoreError> {
        let kind = new.definition.kind();
        if new.definition.holds_tokens() || kind != new.credential.kind() {
            return Err(StoreError::WrongKind {
                connection_id: new.definition.id().to_owned(),
                kind: kind.to_owned(),
            });
        }
        let stored = StoredCredential {
            id: new_id()?,
            owner: new.owner.to_owned(),
            definition_id: new.definition.id().to_owned(),
            credential: new.credential,
            inputs: new.inputs,
            created_at: crate::clock::now_to_the_second(),
            version: 1,
        };
        self.backend
            .insert(self.seal_credential_row(&stored)?)
            .await?;
        Ok(stored)
    }

    /// The stored credential with this id.
    ///
    /// # Errors
    /// [`StoreError::WrongKind`] for an OAuth2 connection, [`StoreError::Unreadable`] for a
    /// value that does not open, or the backend's error.
    pub async fn credential(&self, id: &str) -> Result<Option<StoredCredential>, StoreError> {
        match self.backend.get(id).await? {
            Some(row) if holds_tokens(&row) => Err(StoreError::WrongKind {
                kind: kind_of(&row).to_owned(),
                connection_id: row.id,
            }),
            Some(row) => self.open_credential_row(row).map(Some),
            None => Ok(None),
        }
    }

    /// Every credential of `owner`, oldest first.
    ///
    /// # Errors
    /// As [`credential`](Self::credential).
    pub async fn credentials_by_owner(
        &self,
        owner: &str,
    ) -> Result<Vec<StoredCredential>, StoreError> {
        self.backend
            .list(Filter {
                owner: Some(owner),
                definition_id: None,
            })
            .await?
            .into_iter()
            .filter(|row| !holds_tokens(row))
            .map(|row| self.open_credential_row(row))
            .collect()
    }

    /// Saves `credential` (a replaced key, say) if nobody changed it since it was read.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when another writer came first, or the backend's error.
    pub async fn save_credential(
        &self,
        credential: &StoredCredential,
    ) -> Result<StoredCredential, StoreError> {
        let mut saved = credential.clone();
        saved.version = credential.version + 1;
        self.compare_and_set(&self.seal_credential_row(&saved)?, credential.version)
            .await?;
        Ok(saved)
    }

    fn seal_credential_row(&self, stored: &StoredCredential) -> Result<Row, StoreError> {
        let secrets = SealedCredential {
            credential: stored.credential.clone(),
            inputs: stored.inputs.clone(),
        };
        let mut row = Row {
            id: stored.id.clone(),
            owner: stored.owner.clone(),
            definition_id: stored.definition_id.clone(),
            sealed_tokens: String::new(),
            key_id: String::new(),
            scopes_requested: String::new(),
            scopes_granted: String::new(),
            status: ConnectionStatus::Active.as_str().to_owned(),
            created_at: crate::clock::to_unix_seconds(stored.created_at),
            refreshed_at: None,
            used_at: None,
            last_error: None,
            failures: 0,
            last_ok_at: None,
            version: stored.version,
            refresh_at: None,
        };
        self.seal_into(&secrets, &mut row, CREDENTIAL_FIELD)?;
        Ok(row)
    }

    pub(super) fn open_credential_row(&self, row: Row) -> Result<StoredCredential, StoreError> {
        let plaintext = self.open_value(&row, CREDENTIAL_FIELD)?;
        let SealedCredential { credential, inputs } =
            serde_json::from_slice(&plaintext).map_err(|_| StoreError::Corrupt {
                connection_id: row.id.clone(),
                field: CREDENTIAL_FIELD,
            })?;
        Ok(StoredCredential {
            credential,
            inputs,
            created_at: crate::clock::from_unix_seconds(row.created_at),
            version: row.version,
            id: row.id,
            owner: row.owner,
            definition_id: row.definition_id,
        })
    }
}
