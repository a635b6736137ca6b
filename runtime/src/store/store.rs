//! The store: stored connections over any [`Backend`], their token sets sealed at rest.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use super::backend::{Backend, BackendError, Filter, Row};
use super::credential::StoredCredential;
use super::seal::{Keyring, SealContext, SealError, Sealed};
use crate::clock::{from_unix_seconds, to_unix_seconds};
use crate::credentials::{ClientCredentials, ClientId};
use crate::definition::{ClientCredentialsDefinition, InputValues, KeyPair, OAuth2Definition};
use crate::oauth2::TokenSet;
use crate::secret::{ClientSecret, PrivateKey};

/// The field name a token set is sealed under.
const TOKENS_FIELD: &str = "tokens";

/// Where a stored connection stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectionStatus {
    /// Usable.
    Active,
    /// The provider refused its refresh token (`invalid_grant`): the user must connect again.
    NeedsReconnect,
    /// Revoked by the user or the provider.
    Revoked,
}

impl ConnectionStatus {
    /// `active`, `needs_reconnect` or `revoked`, as stored.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::NeedsReconnect => "needs_reconnect",
            Self::Revoked => "revoked",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "active" => Some(Self::Active),
            "needs_reconnect" => Some(Self::NeedsReconnect),
            "revoked" => Some(Self::Revoked),
            _ => None,
        }
    }
}

/// How a connection has been doing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Health {
    /// The last refresh error, a secret-free summary.
    pub last_error: Option<String>,
    /// Refresh failures since the last success.
    pub failures: u32,
    /// The last time the connection worked.
    pub last_ok_at: Option<SystemTime>,
}

/// What is sealed at rest: the tokens, the input values, and for a client-credentials
/// connection of an owner's client, that client.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedSecrets {
    tokens: TokenSet,
    #[serde(default)]
    inputs: InputValues,
    /// Left out when there is none, so that rows without one read in connkit 0.1 as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client: Option<SealedClient>,
    /// A JWT-bearer connection's signing key, the owner's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<KeyPair>,
    /// The DPoP key the tokens are bound to (RFC 9449), its PKCS#8 document in base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dpop: Option<PrivateKey>,
}

/// What an obtained-again connection keeps sealed besides its tokens: an owner's client, or an
/// owner's signing key.
#[derive(Default)]
pub(crate) struct OwnerParts {
    pub(crate) client: Option<ClientCredentials>,
    pub(crate) key: Option<KeyPair>,
    pub(crate) dpop: Option<PrivateKey>,
}

/// An owner's client, as sealed.
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SealedClient {
    client_id: String,
    client_secret: Option<ClientSecret>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_key: Option<PrivateKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    client_key_id: Option<String>,
}

/// A stored connection: whose it is, which definition, its tokens (sealed at rest), the scopes
/// it asked for and was granted, its status and health. `Debug` shows no token.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StoredConnection {
    /// Its own id.
    pub id: String,
    /// The owner (tenant, workspace) chosen by the caller.
    pub owner: String,
    /// The connection definition's id (and so the app's).
    pub definition_id: String,
    /// The tokens.
    pub tokens: TokenSet,
    /// The values of the definition's inputs given when it was connected (defaults included);
    /// sealed at rest with the tokens.
    pub inputs: InputValues,
    /// The scopes asked for when it was (re)connected.
    pub scopes_requested: Vec<String>,
    /// The scopes granted: the token response's `scope`, or the requested ones where the
    /// provider did not say (RFC 6749 §5.1).
    pub scopes_granted: Vec<String>,
    /// Where it stands.
    pub status: ConnectionStatus,
    /// When it was stored.
    pub created_at: SystemTime,
    /// When it was last refreshed.
    pub refreshed_at: Option<SystemTime>,
    /// The last time a token was handed out after a refresh (tokens served from the cache or
    /// the store in between do not write it).
    pub used_at: Option<SystemTime>,
    /// How it has been doing.
    pub health: Health,
    /// The stored version this value was read at; a save compares it.
    pub(crate) version: i64,
    /// A client-credentials connection's own client, when its owner gave it (`client =
    /// "owner"`); sealed with the tokens, and `Debug` shows no secret.
    pub(crate) client: Option<ClientCredentials>,
    /// A JWT-bearer connection's signing key (its `public_key` the key id); sealed with the
    /// tokens, and `Debug` shows no private key.
    pub(crate) key: Option<KeyPair>,
    /// The DPoP key the tokens are bound to (RFC 9449), its PKCS#8 document in base64url;
    /// sealed with the tokens.
    pub(crate) dpop: Option<PrivateKey>,
}

impl StoredConnection {
    /// The stored version this value was read at: every save increments it, and a save from an
    /// older read is refused ([`StoreError::Conflict`]).
    pub fn version(&self) -> i64 {
        self.version
    }

    /// The scopes `definition` asks for today that this connection was not granted: the user
    /// unticked them, or the definition gained them since (scope drift). Reconnecting asks for
    /// them and updates this connection in place.
    pub fn missing_scopes(&self, definition: &OAuth2Definition) -> Vec<&'static str> {
        scopes_missing(definition, self.scopes_granted.iter().map(String::as_str))
    }
}

/// The scopes of `definition` not among `granted`.
fn scopes_missing<'a>(
    definition: &OAuth2Definition,
    granted: impl Iterator<Item = &'a str> + Clone,
) -> Vec<&'static str> {
    definition
        .scopes()
        .iter()
        .copied()
        .filter(|scope| !granted.clone().any(|granted| granted == *scope))
        .collect()
}

/// The scopes `definition` asks for, and those `tokens` were granted: the token response's
/// `scope`, or the requested ones where the provider did not say (RFC 6749 §5.1).
pub(crate) fn requested_and_granted(
    definition: &OAuth2Definition,
    tokens: &TokenSet,
) -> (Vec<String>, Vec<String>) {
    scopes_of(definition.scopes(), tokens)
}

/// The scopes asked for, and those `tokens` were granted (see [`requested_and_granted`]).
pub(crate) fn scopes_of(scopes: &[&str], tokens: &TokenSet) -> (Vec<String>, Vec<String>) {
    let requested: Vec<String> = scopes.iter().map(|scope| (*scope).to_owned()).collect();
    let granted = tokens
        .scopes()
        .map_or_else(|| requested.clone(), <[String]>::to_vec);
    (requested, granted)
}

/// What a new stored connection starts with.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct NewConnection<'a> {
    /// The owner (tenant, workspace).
    pub owner: &'a str,
    /// Its definition.
    pub definition: &'static OAuth2Definition,
    /// The tokens of the code exchange.
    pub tokens: TokenSet,
    /// The values of the definition's inputs (see [`OAuth2Client::inputs`](crate::OAuth2Client::inputs)).
    pub inputs: InputValues,
}

impl<'a> NewConnection<'a> {
    /// A new connection of `owner` to `definition`, with the tokens of its code exchange and no
    /// input values (add them with [`with_inputs`](Self::with_inputs)).
    #[must_use]
    pub fn new(owner: &'a str, definition: &'static OAuth2Definition, tokens: TokenSet) -> Self {
        Self {
            owner,
            definition,
            tokens,
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

/// A store operation failed. No variant carries a token or a key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database failed.
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// A stored value does not open: tampered with, copied from another row or field, sealed
    /// with a key the keyring lacks, or not a sealed value at all.
    #[error("the stored tokens of connection {connection_id} cannot be opened: {reason}")]
    Unreadable {
        /// The stored connection.
        connection_id: String,
        /// Why.
        reason: SealError,
    },
    /// A stored row holds a value connkit does not write (a status, say).
    #[error("connection {connection_id} holds an invalid {field}")]
    Corrupt {
        /// The stored connection.
        connection_id: String,
        /// The field.
        field: &'static str,
    },
    /// Another writer changed the connection since it was read (or, for the write that follows
    /// a refresh, took over its refresh lease meanwhile).
    #[error("connection {connection_id} was changed by another writer since it was read")]
    Conflict {
        /// The stored connection.
        connection_id: String,
    },
    /// No stored connection has this id.
    #[error("no stored connection {connection_id}")]
    NotFound {
        /// The id asked for.
        connection_id: String,
    },
    /// The row is a connection of another kind than the call reads: an OAuth2 connection
    /// read as a user-given credential, or the other way round.
    #[error("connection {connection_id} is of the kind {kind}")]
    WrongKind {
        /// The stored connection.
        connection_id: String,
        /// Its kind, from its definition id.
        kind: String,
    },
    /// Sealing failed (the OS random number generator).
    #[error(transparent)]
    Seal(#[from] SealError),
}

impl StoreError {
    /// The stored connection the error is about, when it is about one.
    pub fn connection_id(&self) -> Option<&str> {
        match self {
            Self::Unreadable { connection_id, .. }
            | Self::Corrupt { connection_id, .. }
            | Self::Conflict { connection_id }
            | Self::NotFound { connection_id }
            | Self::WrongKind { connection_id, .. } => Some(connection_id),
            Self::Backend(_) | Self::Seal(_) => None,
        }
    }
}

/// Everything one owner has stored ([`Store::owned_by`]), or everything stored
/// ([`Store::everything`]).
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Owned {
    /// The OAuth2 connections, oldest first.
    pub connections: Vec<StoredConnection>,
    /// The credentials the user gave (an API key, a password, a key pair), oldest first.
    pub credentials: Vec<StoredCredential>,
    /// The rows that do not open, oldest first. Such a row can only be deleted
    /// ([`Connections::delete`](super::Connections::delete) does, without revoking).
    pub unreadable: Vec<Unreadable>,
}

/// A stored row that does not open: sealed with a key the keyring lacks, tampered with, or
/// holding a value connkit does not write.
#[derive(Debug)]
#[non_exhaustive]
pub struct Unreadable {
    /// The stored connection's id.
    pub id: String,
    /// Its definition's id.
    pub definition_id: String,
    /// When it was stored.
    pub created_at: SystemTime,
    /// Why it does not open ([`StoreError::Unreadable`] or [`StoreError::Corrupt`]).
    pub error: StoreError,
}

/// Connections whose granted scopes lack some of their definition's, with counts per owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScopeDrift {
    /// Each such connection: its id, its owner, and the scopes it lacks.
    pub connections: Vec<(String, String, Vec<&'static str>)>,
    /// How many such connections each owner has.
    pub per_owner: BTreeMap<String, usize>,
    /// The connections of the definition whose rows do not open (tampered with, or sealed with
    /// a key the keyring lacks): their scopes cannot be trusted, so they are counted in neither
    /// list above. [`Store::get`] says why.
    pub unreadable: Vec<String>,
}

/// How far a key rotation got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rotation {
    /// Values re-sealed by this call.
    pub resealed: usize,
    /// Values another writer changed meanwhile (they are picked up by the next call).
    pub skipped: usize,
    /// Whether every value is now sealed with the newest key.
    pub done: bool,
}

/// Stored connections over a [`Backend`], with their token sets sealed by a [`Keyring`].
#[derive(Debug)]
pub struct Store<B> {
    pub(super) backend: B,
    pub(super) keyring: Keyring,
    /// How far the database's clock is ahead of this process's, in milliseconds, and when
    /// that was measured.
    clock_offset: std::sync::Mutex<Option<(std::time::Instant, i64)>>,
    /// How often that offset is measured again.
    clock_check: Duration,
}

/// How often the offset between this process's clock and the database's is measured again, by
/// default.
const CLOCK_CHECK: Duration = Duration::from_secs(60);

impl<B: Backend> Store<B> {
    /// A store over `backend`, sealing with `keyring`.
    pub fn new(backend: B, keyring: Keyring) -> Self {
        Self {
            backend,
            keyring,
            clock_offset: std::sync::Mutex::new(None),
            clock_check: CLOCK_CHECK,
        }
    }

    /// With the offset between this process's clock and the database's measured again after
    /// `every` (a minute by default; zero: at every reading, as a test whose clock jumps
    /// needs).
    #[must_use]
    pub fn with_clock_check(mut self, every: Duration) -> Self {
        self.clock_check = every;
        self
    }

    /// The time on the database's clock: this process's time plus how far the database's
    /// clock is ahead of it, measured at most a minute ago (one query), halfway through the
    /// query. [`Connections`](super::Connections) keeps expiries on this clock and judges them
    /// by it, so that processes whose clocks disagree judge a stored token alike. When the
    /// database cannot be asked, the offset last measured is used (none at first).
    pub async fn now(&self) -> SystemTime {
        (self.clock().await)()
    }

    /// The database's clock, as a function to read it by: this process's clock moved by the
    /// offset measured at most a minute ago (see [`now`](Self::now)).
    pub(crate) async fn clock(&self) -> impl Fn() -> SystemTime + Send + Sync + use<B> {
        let offset = self.clock_offset().await;
        move || {
            let now = crate::clock::now();
            let magnitude = Duration::from_millis(offset.unsigned_abs());
            if offset >= 0 {
                now.checked_add(magnitude).unwrap_or(now)
            } else {
                now.checked_sub(magnitude).unwrap_or(now)
            }
        }
    }

    /// How far the database's clock is ahead of this process's, in milliseconds.
    async fn clock_offset(&self) -> i64 {
        let known = *self
            .clock_offset
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((measured, offset)) = known
            && measured.elapsed() < self.clock_check
        {
            return offset;
        }
        let before = crate::clock::now();
        match self.backend.now_ms().await {
            Ok(database) => {
                let after = crate::clock::now();
                let halfway = after
                    .duration_since(before)
                    .map_or(before, |took| before + took / 2);
                let offset = database.saturating_sub(crate::clock::unix_ms(halfway));
                *self
                    .clock_offset
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) =
                    Some((std::time::Instant::now(), offset));
                offset
            }
            Err(error) => {
                tracing::debug!(error = %error, "the database's clock could not be read");
                known.map_or(0, |(_, offset)| offset)
            }
        }
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Stores a new connection.
    ///
    /// # Errors
    /// [`StoreError`].
    pub async fn insert(&self, new: NewConnection<'_>) -> Result<StoredConnection, StoreError> {
        let scopes = requested_and_granted(new.definition, &new.tokens);
        self.insert_tokens(
            new.owner,
            new.definition.id(),
            scopes,
            new.tokens,
            new.inputs,
            OwnerParts::default(),
        )
        .await
    }

    /// Stores a new client-credentials connection with its first token, and its owner's client
    /// when `client` is given (`client = "owner"`), sealed with the token.
    ///
    /// # Errors
    /// [`StoreError`].
    pub async fn insert_client_credentials(
        &self,
        owner: &str,
        definition: &'static ClientCredentialsDefinition,
        tokens: TokenSet,
        inputs: InputValues,
        client: Option<ClientCredentials>,
    ) -> Result<StoredConnection, StoreError> {
        let scopes = scopes_of(definition.scopes(), &tokens);
        let sealed = OwnerParts {
            client,
            ..OwnerParts::default()
        };
        self.insert_tokens(owner, definition.id(), scopes, tokens, inputs, sealed)
            .await
    }

    /// Stores a new JWT-bearer connection with its first token, and the owner's signing key
    /// sealed with it.
    ///
    /// # Errors
    /// [`StoreError`].
    pub async fn insert_jwt_bearer(
        &self,
        owner: &str,
        definition: &'static crate::definition::JwtBearerDefinition,
        tokens: TokenSet,
        inputs: InputValues,
        key: KeyPair,
    ) -> Result<StoredConnection, StoreError> {
        let scopes = scopes_of(definition.scopes(), &tokens);
        let sealed = OwnerParts {
            key: Some(key),
            ..OwnerParts::default()
        };
        self.insert_tokens(owner, definition.id(), scopes, tokens, inputs, sealed)
            .await
    }

    /// Stores a new connection of `definition_id` with its tokens, scopes, input values and
    /// the owner's parts sealed with them.
    pub(crate) async fn insert_tokens(
        &self,
        owner: &str,
        definition_id: &str,
        (requested, granted): (Vec<String>, Vec<String>),
        tokens: TokenSet,
        inputs: InputValues,
        sealed: OwnerParts,
    ) -> Result<StoredConnection, StoreError> {
        let now = crate::clock::now_to_the_second();
        let connection = StoredConnection {
            id: new_id()?,
            owner: owner.to_owned(),
            definition_id: definition_id.to_owned(),
            tokens,
            inputs,
            client: sealed.client,
            key: sealed.key,
            dpop: sealed.dpop,
            scopes_requested: requested,
            scopes_granted: granted,
            status: ConnectionStatus::Active,
            created_at: now,
            refreshed_at: None,
            used_at: None,
            health: Health {
                last_ok_at: Some(now),
                ..Health::default()
            },
            version: 1,
        };
        self.backend.insert(self.seal_row(&connection)?).await?;
        Ok(connection)
    }

    /// The stored connection with this id.
    ///
    /// # Errors
    /// [`StoreError::Unreadable`] for tokens that do not open, or the backend's error.
    pub async fn get(&self, id: &str) -> Result<Option<StoredConnection>, StoreError> {
        match self.backend.get(id).await? {
            Some(row) if !holds_tokens(&row) => Err(StoreError::WrongKind {
                kind: kind_of(&row).to_owned(),
                connection_id: row.id,
            }),
            Some(row) => self.open_row(row).map(Some),
            None => Ok(None),
        }
    }

    /// The stored connection with this id, or [`StoreError::NotFound`].
    ///
    /// # Errors
    /// As [`get`](Self::get), and [`StoreError::NotFound`].
    pub async fn require(&self, id: &str) -> Result<StoredConnection, StoreError> {
        self.get(id).await?.ok_or_else(|| StoreError::NotFound {
            connection_id: id.to_owned(),
        })
    }

    /// Every stored connection, oldest first.
    ///
    /// # Errors
    /// As [`get`](Self::get): one row that does not open fails the whole list
    /// ([`everything`](Self::everything) gives the others beside it).
    pub async fn list_all(&self) -> Result<Vec<StoredConnection>, StoreError> {
        self.list(Filter::default()).await
    }

    /// Every connection of `owner`, oldest first.
    ///
    /// # Errors
    /// As [`get`](Self::get): one row that does not open fails the whole list
    /// ([`owned_by`](Self::owned_by) gives the others beside it).
    pub async fn list_by_owner(&self, owner: &str) -> Result<Vec<StoredConnection>, StoreError> {
        self.list(Filter {
            owner: Some(owner),
            definition_id: None,
        })
        .await
    }

    /// Every connection of a definition, oldest first.
    ///
    /// # Errors
    /// As [`get`](Self::get).
    pub async fn list_by_definition(
        &self,
        definition_id: &str,
    ) -> Result<Vec<StoredConnection>, StoreError> {
        self.list(Filter {
            owner: None,
            definition_id: Some(definition_id),
        })
        .await
    }

    /// The active connections with a refresh token whose access token has expired at `now` or
    /// will within `window` ([`TokenSet::expires_within`]), soonest first: what a refresher
    /// renews. Only those rows are read and opened: the expiry is kept in the clear beside the
    /// sealed tokens, in [`Row::refresh_at`].
    ///
    /// A row written before connkit kept that column is opened once, and its value written
    /// back (its version unchanged, so no writer is turned away for it); on that first reading
    /// it comes before the others.
    ///
    /// A row that does not open is in the list as its error ([`StoreError::Unreadable`] or
    /// [`StoreError::Corrupt`], naming the connection), in its place: one bad row does not hide
    /// the others from the refresher.
    ///
    /// # Errors
    /// The backend's error.
    pub async fn due_within(
        &self,
        now: SystemTime,
        window: Duration,
    ) -> Result<Vec<Result<StoredConnection, StoreError>>, StoreError> {
        let before =
            crate::clock::to_unix_seconds(now).saturating_add(crate::clock::whole_seconds(window));
        let mut due = Vec::new();
        for row in self.backend.due(before).await? {
            if !holds_tokens(&row) {
                continue;
            }
            let written = row.refresh_at;
            let connection = match self.open_row(row.clone()) {
                Ok(connection) => connection,
                Err(error) => {
                    due.push(Err(error));
                    continue;
                }
            };
            let refresh_at = refresh_at(&connection);
            if refresh_at != written {
                // A hint only: when another writer came first, it wrote the true value.
                let version = row.version;
                self.backend
                    .update(&Row { refresh_at, ..row }, version)
                    .await?;
            }
            if refresh_at.is_some_and(|at| at <= before) {
                due.push(Ok(connection));
            }
        }
        Ok(due)
    }

    /// Everything `owner` has stored, from one read: the OAuth2 connections and the credentials
    /// the user gave, each oldest first (what [`list_by_owner`](Self::list_by_owner) and
    /// [`credentials_by_owner`](Self::credentials_by_owner) give, without reading the rows twice),
    /// and the rows that do not open, which those two refuse whole: so that a page can still
    /// show the others, and offer to delete the broken one.
    ///
    /// # Errors
    /// The backend's error.
    pub async fn owned_by(&self, owner: &str) -> Result<Owned, StoreError> {
        let rows = self
            .backend
            .list(Filter {
                owner: Some(owner),
                definition_id: None,
            })
            .await?;
        Ok(self.open_all(rows))
    }

    /// Everything stored, every owner's, as [`owned_by`](Self::owned_by) gives one owner's:
    /// what an operator lists.
    ///
    /// # Errors
    /// The backend's error.
    pub async fn everything(&self) -> Result<Owned, StoreError> {
        Ok(self.open_all(self.backend.list(Filter::default()).await?))
    }

    /// Opens each row as what it is; a row that does not open goes to `unreadable`.
    fn open_all(&self, rows: Vec<Row>) -> Owned {
        let mut owned = Owned::default();
        for row in rows {
            let (id, definition_id, created_at) =
                (row.id.clone(), row.definition_id.clone(), row.created_at);
            let opened = if holds_tokens(&row) {
                self.open_row(row).map(|c| owned.connections.push(c))
            } else {
                self.open_credential_row(row)
                    .map(|c| owned.credentials.push(c))
            };
            if let Err(error) = opened {
                owned.unreadable.push(Unreadable {
                    id,
                    definition_id,
                    created_at: crate::clock::from_unix_seconds(created_at),
                    error,
                });
            }
        }
        owned
    }

    /// The OAuth2 connections among the rows `filter` selects (user-given credentials are
    /// listed by [`credentials_by_owner`](Self::credentials_by_owner)).
    async fn list(&self, filter: Filter<'_>) -> Result<Vec<StoredConnection>, StoreError> {
        self.backend
            .list(filter)
            .await?
            .into_iter()
            .filter(holds_tokens)
            .map(|row| self.open_row(row))
            .collect()
    }

    /// Saves `connection` if nobody changed it since it was read, and returns it at its new
    /// version.
    ///
    /// # Errors
    /// [`StoreError::Conflict`] when another writer came first, or the backend's error.
    pub async fn save(
        &self,
        connection: &StoredConnection,
    ) -> Result<StoredConnection, StoreError> {
        let mut saved = connection.clone();
        saved.version = connection.version + 1;
        self.compare_and_set(&self.seal_row(&saved)?, connection.version)
            .await?;
        Ok(saved)
    }

    /// Writes `row` if the stored row is still at `expected` (the version it was read at).
    pub(super) async fn compare_and_set(&self, row: &Row, expected: i64) -> Result<(), StoreError> {
        if self.backend.update(row, expected).await? {
            Ok(())
        } else {
            Err(StoreError::Conflict {
                connection_id: row.id.clone(),
            })
        }
    }

    /// Deletes a connection; `false` when there was none.
    ///
    /// # Errors
    /// The backend's error.
    pub async fn delete(&self, id: &str) -> Result<bool, StoreError> {
        Ok(self.backend.delete(id).await?)
    }

    /// One query for scope drift: every connection of `definition` not granted all of its
    /// current scopes, with counts per owner. Each row is opened, so that its scopes are
    /// checked against its seal; the rows that do not open are listed apart.
    ///
    /// # Errors
    /// As [`get`](Self::get).
    pub async fn scope_drift(
        &self,
        definition: &'static OAuth2Definition,
    ) -> Result<ScopeDrift, StoreError> {
        let rows = self
            .backend
            .list(Filter {
                owner: None,
                definition_id: Some(definition.id()),
            })
            .await?;
        let mut drift = ScopeDrift::default();
        for row in rows {
            // Scopes are not secret, but they are trusted only once the row opens: the sealed
            // value is bound to them, so an edited column is caught here.
            let id = row.id.clone();
            let connection = match self.open_row(row) {
                Ok(connection) => connection,
                Err(_) => {
                    drift.unreadable.push(id);
                    continue;
                }
            };
            let missing = connection.missing_scopes(definition);
            if !missing.is_empty() {
                *drift.per_owner.entry(connection.owner.clone()).or_default() += 1;
                drift
                    .connections
                    .push((connection.id, connection.owner, missing));
            }
        }
        Ok(drift)
    }

    /// Re-seals up to `batch` values sealed with older keys, or in connkit 0.1.0's first format
    /// ([`Sealed::is_legacy`]), under the newest key in the current format. Each value is
    /// re-sealed on its own (compare-and-set), so an interrupted rotation resumes where it
    /// stopped: call this until [`Rotation::done`], then drop the old keys. After upgrading
    /// from 0.1.0, call it until done once, with the same keyring: only then are each row's
    /// definition, kind, status and scopes bound to its seal.
    ///
    /// # Errors
    /// [`StoreError::Unreadable`] for a value no key opens, or the backend's error.
    pub async fn rotate_keys(&self, batch: usize) -> Result<Rotation, StoreError> {
        let newest = self.keyring.newest().as_str().to_owned();
        let rows = self.backend.sealed_with_other_key(&newest, batch).await?;
        let mut rotation = Rotation::default();
        let mut seen = 0;
        for row in rows {
            seen += 1;
            let saved = if holds_tokens(&row) {
                let connection = self.open_row(row)?;
                self.save(&connection).await.map(drop)
            } else {
                let credential = self.open_credential_row(row)?;
                self.save_credential(&credential).await.map(drop)
            };
            match saved {
                Ok(_) => rotation.resealed += 1,
                Err(StoreError::Conflict { .. }) => rotation.skipped += 1,
                Err(error) => return Err(error),
            }
        }
        rotation.done = seen < batch
            && rotation.skipped == 0
            && self
                .backend
                .sealed_with_other_key(&newest, 1)
                .await?
                .is_empty();
        Ok(rotation)
    }

    /// Records `key` as used for `lasting` (and up to a second more), once: `true` the first
    /// time, `false` while an earlier record of it stands, across every process that shares the
    /// database, timed by the database's clock. [`Connections::complete`](super::Connections::complete)
    /// claims each authorization's state (hashed) before exchanging its code, so that a copy of
    /// it, or a callback replayed with copied cookies, is refused before the provider is asked.
    ///
    /// # Errors
    /// The backend's error.
    pub async fn claim_once(&self, key: &str, lasting: Duration) -> Result<bool, StoreError> {
        Ok(self.backend.claim(key, lasting).await?)
    }

    /// Takes (or renews) the refresh lease of a connection for `holder`, for `lasting` by the
    /// database's clock.
    pub(crate) async fn try_lease(
        &self,
        id: &str,
        holder: &str,
        lasting: Duration,
    ) -> Result<bool, StoreError> {
        Ok(self.backend.try_lease(id, holder, lasting).await?)
    }

    /// [`save`](Self::save), only while `holder` holds the connection's refresh lease: the
    /// write after a refresh, so that a holder whose lease was taken over never overwrites the
    /// new holder's tokens ([`StoreError::Conflict`]).
    pub(crate) async fn save_leased(
        &self,
        connection: &StoredConnection,
        holder: &str,
    ) -> Result<StoredConnection, StoreError> {
        let mut saved = connection.clone();
        saved.version = connection.version + 1;
        let row = self.seal_row(&saved)?;
        if self
            .backend
            .update_leased(&row, connection.version, holder)
            .await?
        {
            Ok(saved)
        } else {
            Err(StoreError::Conflict {
                connection_id: row.id,
            })
        }
    }

    /// Releases a lease `holder` holds.
    pub(crate) async fn release_lease(&self, id: &str, holder: &str) -> Result<bool, StoreError> {
        Ok(self.backend.release_lease(id, holder).await?)
    }

    /// Seals `value`, serialized, into `row` under `field` (its `sealed_tokens` and `key_id`),
    /// bound to the row's id, owner and [`bound`] columns: `row` must hold its final values.
    pub(super) fn seal_into(
        &self,
        value: &impl serde::Serialize,
        row: &mut Row,
        field: &'static str,
    ) -> Result<(), StoreError> {
        let plaintext = serde_json::to_vec(value).map_err(|_| StoreError::Corrupt {
            connection_id: row.id.clone(),
            field,
        })?;
        let sealed = self
            .keyring
            .seal(&plaintext, context(row, field, &bound(row)))?;
        row.sealed_tokens = sealed.to_text();
        row.key_id = sealed.key_id().as_str().to_owned();
        Ok(())
    }

    /// The plaintext sealed in `row` under `field`, if neither it nor a column bound to it
    /// was changed.
    pub(super) fn open_value(&self, row: &Row, field: &str) -> Result<Vec<u8>, StoreError> {
        let unreadable = |reason| StoreError::Unreadable {
            connection_id: row.id.clone(),
            reason,
        };
        let sealed = Sealed::from_text(&row.sealed_tokens).map_err(unreadable)?;
        self.keyring
            .open(&sealed, context(row, field, &bound(row)))
            .map_err(unreadable)
    }

    fn seal_row(&self, connection: &StoredConnection) -> Result<Row, StoreError> {
        let secrets = SealedSecrets {
            tokens: connection.tokens.clone(),
            inputs: connection.inputs.clone(),
            client: connection.client.as_ref().map(|client| SealedClient {
                client_id: client.client_id.as_str().to_owned(),
                client_secret: client.client_secret.clone(),
                client_key: client.client_key.clone(),
                client_key_id: client.client_key_id.clone(),
            }),
            key: connection.key.clone(),
            dpop: connection.dpop.clone(),
        };
        let mut row = Row {
            id: connection.id.clone(),
            owner: connection.owner.clone(),
            definition_id: connection.definition_id.clone(),
            sealed_tokens: String::new(),
            key_id: String::new(),
            scopes_requested: connection.scopes_requested.join(" "),
            scopes_granted: connection.scopes_granted.join(" "),
            status: connection.status.as_str().to_owned(),
            created_at: to_unix_seconds(connection.created_at),
            refreshed_at: connection.refreshed_at.map(to_unix_seconds),
            used_at: connection.used_at.map(to_unix_seconds),
            last_error: connection.health.last_error.clone(),
            failures: i64::from(connection.health.failures),
            last_ok_at: connection.health.last_ok_at.map(to_unix_seconds),
            version: connection.version,
            refresh_at: refresh_at(connection),
        };
        self.seal_into(&secrets, &mut row, TOKENS_FIELD)?;
        Ok(row)
    }

    fn open_row(&self, row: Row) -> Result<StoredConnection, StoreError> {
        let plaintext = self.open_value(&row, TOKENS_FIELD)?;
        let corrupt = |field| StoreError::Corrupt {
            connection_id: row.id.clone(),
            field,
        };
        // Rows sealed before inputs existed hold the token set alone.
        let SealedSecrets {
            tokens,
            inputs,
            client,
            key,
            dpop,
        } = serde_json::from_slice(&plaintext)
            .or_else(|_| {
                serde_json::from_slice::<TokenSet>(&plaintext).map(|tokens| SealedSecrets {
                    tokens,
                    inputs: InputValues::new(),
                    client: None,
                    key: None,
                    dpop: None,
                })
            })
            .map_err(|_| corrupt("tokens"))?;
        let status = ConnectionStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?;
        let scopes = |text: &str| -> Vec<String> {
            text.split(' ')
                .filter(|scope| !scope.is_empty())
                .map(str::to_owned)
                .collect()
        };
        Ok(StoredConnection {
            scopes_requested: scopes(&row.scopes_requested),
            scopes_granted: scopes(&row.scopes_granted),
            tokens,
            inputs,
            client: client.map(|client| {
                let credentials =
                    ClientCredentials::new(ClientId::new(client.client_id), client.client_secret);
                match client.client_key {
                    Some(key) => credentials.with_key(key, client.client_key_id),
                    None => credentials,
                }
            }),
            key,
            dpop,
            status,
            created_at: from_unix_seconds(row.created_at),
            refreshed_at: row.refreshed_at.map(from_unix_seconds),
            used_at: row.used_at.map(from_unix_seconds),
            health: Health {
                last_error: row.last_error,
                failures: u32::try_from(row.failures).unwrap_or(u32::MAX),
                last_ok_at: row.last_ok_at.map(from_unix_seconds),
            },
            version: row.version,
            id: row.id,
            owner: row.owner,
            definition_id: row.definition_id,
        })
    }
}

/// The columns of `row` kept in the clear that its sealed value is bound to, in this order:
/// its definition id, its kind, its status, and the scopes requested and granted. Editing any
/// of them in the database makes the row refuse to open ([`StoreError::Unreadable`]), so that
/// a row cannot be pointed at another definition's token URL, revived after a revocation, or
/// made to hide a scope drift.
pub(super) fn bound(row: &Row) -> [&str; 5] {
    [
        &row.definition_id,
        kind_of(row),
        &row.status,
        &row.scopes_requested,
        &row.scopes_granted,
    ]
}

/// Where the value sealed in `row` under `field` belongs.
fn context<'a>(row: &'a Row, field: &'a str, bound: &'a [&'a str]) -> SealContext<'a> {
    SealContext {
        connection_id: &row.id,
        owner: &row.owner,
        field,
        bound,
    }
}

/// When `connection` is due a refresh by time ([`Row::refresh_at`]): its access token's expiry,
/// for an active connection with a refresh token, or of a kind whose token is obtained again
/// (client credentials).
fn refresh_at(connection: &StoredConnection) -> Option<i64> {
    let refreshable = connection.status == ConnectionStatus::Active
        && (connection.tokens.refresh_token().is_some()
            || obtained_again(&connection.definition_id));
    let expires_at = connection.tokens.expires_at().filter(|_| refreshable)?;
    Some(to_unix_seconds(expires_at))
}

/// The kind of a row's connection, from its definition id (`<app-id>_connection_<kind>...`).
pub(super) fn kind_of(row: &Row) -> &str {
    kind_of_id(&row.definition_id)
}

/// The kind (and variant) part of a definition id: what follows `_connection_`.
fn kind_of_id(definition_id: &str) -> &str {
    definition_id
        .split_once(connkit_rules::id::CONNECTION_MARKER)
        .map_or("", |(_, rest)| rest)
}

/// Whether a row holds a token set (an OAuth2, client-credentials or JWT-bearer connection), not a
/// user-given credential.
pub(super) fn holds_tokens(row: &Row) -> bool {
    connkit_rules::id::kind_among(kind_of(row), connkit_rules::id::TOKEN_KINDS).is_some()
}

/// Whether connections of this definition id obtain a new token when theirs expires (client
/// credentials, JWT bearer), rather than refreshing it.
pub(crate) fn obtained_again(definition_id: &str) -> bool {
    connkit_rules::id::kind_among(kind_of_id(definition_id), connkit_rules::id::TOKEN_KINDS)
        .is_some_and(|kind| connkit_rules::id::OBTAINED_AGAIN_KINDS.contains(&kind))
}

/// A fresh connection id: `conn_` and 128 random bits.
pub(super) fn new_id() -> Result<String, SealError> {
    Ok(format!("conn_{}", crate::random::base64url_of::<16>()?))
}
