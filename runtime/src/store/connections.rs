//! Stored connections at work: a valid access token on demand, refreshed once however many
//! callers and processes ask; new connections and re-consent from the authorization flow; and
//! requests authorized with a connection's token.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::backend::Backend;
use super::credential::{Credential, NewCredential, StoredCredential};
use super::store::{
    ConnectionStatus, NewConnection, Store, StoreError, StoredConnection, requested_and_granted,
    unix_now,
};
use crate::credentials::CredentialSource;
use crate::definition::{
    ConnectionDefinition, InputError, InputValues, OAuth2Definition, PlacementError, Registry,
};
use crate::http::{HttpClient, HttpError};
use crate::oauth2::{
    AuthorizationRequest, CallbackError, ClientError, OAuth2Client, OAuthErrorCode, OriginError,
    PendingAuthorization, RandomnessError, TokenError, TokenResponseError, TokenSet,
    random_base64url,
};
use crate::secret::AccessToken;
use url::Url;

/// How tokens are kept fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// A token is handed out only if it is valid for at least this long.
    pub margin: Duration,
    /// How long a refresh lease lasts from its last renewal, by the database's clock. It is
    /// renewed every third of it while a refresh runs, and the write of the refreshed tokens is
    /// fenced by it: a holder that dies (or stalls) loses it after this, and then can no longer
    /// write. Keep it longer than the HTTP client's timeout (30 s in connkit's adapters).
    pub lease: Duration,
    /// How long a caller waits for another process's refresh before giving up.
    pub wait: Duration,
    /// Retries of a refresh after a timeout, a 5xx or a 429 (each after a backoff, or the
    /// server's `Retry-After`).
    pub retries: u32,
    /// The first backoff; it doubles per retry.
    pub backoff: Duration,
    /// The longest single wait before a retry, `Retry-After` included.
    pub max_backoff: Duration,
    /// Whether valid tokens are served from memory; without the cache every call reads the
    /// store (and sees at once what another process changed).
    pub cache: bool,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            margin: Duration::from_secs(60),
            lease: Duration::from_secs(45),
            wait: Duration::from_secs(60),
            retries: 2,
            backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            cache: true,
        }
    }
}

/// Something that happened to a stored connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionEvent {
    /// A connection was stored.
    Created {
        /// The stored connection.
        connection_id: String,
    },
    /// Its tokens were refreshed.
    Refreshed {
        /// The stored connection.
        connection_id: String,
    },
    /// A refresh failed and will be tried again; the tokens are unchanged.
    RefreshFailed {
        /// The stored connection.
        connection_id: String,
        /// A secret-free summary.
        error: String,
    },
    /// It works again after failures, or after a reconnect.
    Recovered {
        /// The stored connection.
        connection_id: String,
    },
    /// The provider refused its refresh token: the user must connect again.
    NeedsReconnect {
        /// The stored connection.
        connection_id: String,
    },
    /// It lacks scopes its definition asks for.
    MissingScopes {
        /// The stored connection.
        connection_id: String,
        /// The scopes it lacks.
        scopes: Vec<&'static str>,
    },
    /// Revoking its tokens at the provider failed (it was deleted all the same).
    RevocationFailed {
        /// The stored connection.
        connection_id: String,
        /// A secret-free summary.
        error: String,
    },
    /// It was deleted (and its tokens revoked at the provider, where the definition has a
    /// `revoke_url`).
    Revoked {
        /// The stored connection.
        connection_id: String,
    },
}

/// Why a stored connection could not give a token or be changed. No variant carries a secret.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An input value of a credential is missing or refused.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A stored credential could not be put on the request.
    #[error(transparent)]
    Placement(#[from] PlacementError),
    /// A key-pair connection's requests are signed by the app, with its provider's scheme.
    #[error("connection {connection_id} holds a key pair: the app signs its requests itself")]
    SignedByTheApp {
        /// The stored connection.
        connection_id: String,
    },
    /// The definition is not in the registry (a stored connection's definition was removed
    /// from the code, say).
    #[error("the registry has no connection definition {definition_id}")]
    UnknownDefinition {
        /// The definition's id.
        definition_id: String,
    },
    /// The provider refused the refresh token; the user must connect again
    /// ([`Connections::reconnect`]).
    #[error("connection {connection_id} needs the user to connect again")]
    NeedsReconnect {
        /// The stored connection.
        connection_id: String,
    },
    /// The connection was revoked.
    #[error("connection {connection_id} was revoked")]
    Revoked {
        /// The stored connection.
        connection_id: String,
    },
    /// Refreshing failed after the retries; the stored tokens are unchanged and a later call
    /// tries again.
    #[error("refreshing connection {connection_id} failed: {source}")]
    Refresh {
        /// The stored connection.
        connection_id: String,
        /// Why.
        #[source]
        source: TokenError,
    },
    /// Another process held the refresh lease for longer than the policy waits.
    #[error("connection {connection_id} is being refreshed elsewhere; try again")]
    Busy {
        /// The stored connection.
        connection_id: String,
    },
    /// The client for the connection could not be made (credentials, redirect URI).
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The origin given to [`Connections::with_origin`] is refused.
    #[error(transparent)]
    Origin(#[from] OriginError),
    /// The callback was refused.
    #[error(transparent)]
    Callback(#[from] CallbackError),
    /// The code exchange failed.
    #[error(transparent)]
    Exchange(#[from] TokenError),
    /// The OS random number generator failed.
    #[error(transparent)]
    Randomness(#[from] RandomnessError),
    /// A reconnect's callback came back for another owner or definition than the connection's.
    #[error("the authorization is not for connection {connection_id}'s owner and definition")]
    WrongConnection {
        /// The stored connection.
        connection_id: String,
    },
    /// An authorized request failed.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The authorization was completed already: a copy of its [`PendingConnection`] (through
    /// serde, say) or a replayed callback. Nothing was sent to the provider.
    #[error("this authorization of {definition_id} was completed already")]
    AlreadyCompleted {
        /// The definition it was for.
        definition_id: String,
    },
    /// The task refreshing the connection panicked or was cancelled (a panicking event handler,
    /// say); what was stored before is as it was, or as the refresh saved it.
    #[error("refreshing connection {connection_id} panicked or was cancelled")]
    Aborted {
        /// The stored connection.
        connection_id: String,
    },
}

/// An authorization in progress, to keep in the user's session until the callback (it
/// serializes; see [`PendingAuthorization`] for how to tie it to the browser).
#[derive(Debug, Serialize, Deserialize)]
pub struct PendingConnection {
    /// The authorization.
    pub pending: PendingAuthorization,
    /// The owner the connection will belong to.
    pub owner: String,
    /// The stored connection a re-consent updates, if any.
    pub reconnect: Option<String>,
    /// The values of the definition's inputs, checked when the authorization started.
    #[serde(default)]
    pub inputs: InputValues,
}

type EventHandler = Arc<dyn Fn(&ConnectionEvent) + Send + Sync>;

/// The refreshes under way in this process: one turn per connection.
type InFlight = Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>;

/// A caller's place in the queue for a connection's refresh. The last to leave removes the
/// connection's entry, so that the map holds only the connections being refreshed.
struct Gate<'a> {
    in_flight: &'a InFlight,
    id: &'a str,
    turn: Arc<tokio::sync::Mutex<()>>,
}

impl<'a> Gate<'a> {
    fn enter(in_flight: &'a InFlight, id: &'a str) -> Self {
        let turn = Arc::clone(
            in_flight
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .entry(id.to_owned())
                .or_default(),
        );
        Self {
            in_flight,
            id,
            turn,
        }
    }
}

impl Drop for Gate<'_> {
    fn drop(&mut self) {
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Under the map's lock nobody can take a new clone: two owners are the map and this
        // one, so nobody else waits.
        let last = in_flight
            .get(self.id)
            .is_some_and(|turn| Arc::ptr_eq(turn, &self.turn) && Arc::strong_count(turn) == 2);
        if last {
            in_flight.remove(self.id);
        }
    }
}

/// A cached access token and until when it may be handed out.
struct Cached {
    token: AccessToken,
    /// Unix seconds; `None` for a token without expiry.
    usable_until: Option<u64>,
}

/// What a caller needs of a token: valid for `margin`, and not `rejected` (a token a resource
/// server just answered 401 to).
#[derive(Clone, Copy)]
struct Need<'a> {
    margin: Duration,
    rejected: Option<&'a AccessToken>,
}

/// What [`Connections::refresh_expiring`] did.
#[derive(Debug, Default)]
pub struct RefreshReport {
    /// Connections whose token was (or, thanks to another caller, had just been) renewed.
    pub refreshed: Vec<String>,
    /// Connections whose refresh failed, or whose stored row does not open, with the error.
    pub failed: Vec<(String, ConnectionError)>,
}

/// Stored connections of a registry's definitions, with their tokens kept valid.
///
/// `access_token` serves from an in-process cache while the token is valid for the policy's
/// margin; otherwise one caller per process refreshes (the others wait for it), under a lease
/// in the store that other processes respect, and the refreshed tokens are saved before the
/// new access token is handed out.
pub struct Connections<B, H, C> {
    store: Store<B>,
    registry: Registry,
    credentials: C,
    http: H,
    redirect_uri: String,
    /// Where token requests go instead of the definitions' origin (tests, staging).
    origin: Option<String>,
    policy: RefreshPolicy,
    /// Who holds a lease this process takes: random per `Connections`.
    holder: String,
    cache: Mutex<HashMap<String, Cached>>,
    in_flight: InFlight,
    events: Option<EventHandler>,
}

impl<B, H, C> std::fmt::Debug for Connections<B, H, C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let refreshing = self
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len();
        f.debug_struct("Connections")
            .field("redirect_uri", &self.redirect_uri)
            .field("policy", &self.policy)
            .field("refreshing", &refreshing)
            .finish_non_exhaustive()
    }
}

/// Records new tokens obtained at `now` (a refresh or a re-consent): the failures are over.
fn renewed(connection: &mut StoredConnection, now: u64) {
    connection.refreshed_at = Some(now);
    connection.health.failures = 0;
    connection.health.last_error = None;
    connection.health.last_ok_at = Some(now);
}

/// Whether a refresh error is worth retrying: the server or the network had a moment.
fn transient(error: &TokenError) -> bool {
    match error {
        TokenError::RetryLater { .. } => true,
        TokenError::Http(HttpError::Timeout | HttpError::Transport(_)) => true,
        TokenError::Response(TokenResponseError::Status { status, .. }) => *status >= 500,
        TokenError::Response(TokenResponseError::OAuth(error)) => {
            error.status >= 500
                || matches!(&error.code, OAuthErrorCode::Other(code) if code == "temporarily_unavailable")
        }
        _ => false,
    }
}

impl<B, H, C> Connections<B, H, C>
where
    B: Backend,
    H: HttpClient + Sync,
    C: CredentialSource + Sync,
{
    /// Connections kept in `store`, for the definitions of `registry`, with client credentials
    /// from `credentials`, requests through `http`, and `redirect_uri` for new authorizations.
    ///
    /// # Errors
    /// [`ConnectionError::Randomness`] when no holder id can be drawn.
    pub fn new(
        store: Store<B>,
        registry: Registry,
        credentials: C,
        http: H,
        redirect_uri: impl Into<String>,
    ) -> Result<Self, ConnectionError> {
        Ok(Self {
            store,
            registry,
            credentials,
            http,
            redirect_uri: redirect_uri.into(),
            origin: None,
            policy: RefreshPolicy::default(),
            holder: random_base64url::<16>()?,
            cache: Mutex::new(HashMap::new()),
            in_flight: Mutex::new(HashMap::new()),
            events: None,
        })
    }

    /// With another refresh policy.
    #[must_use]
    pub fn with_policy(mut self, policy: RefreshPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Sends every client's requests to `origin` instead of the definitions' (see
    /// [`OAuth2Client::with_origin`]; the client secret goes there).
    ///
    /// A refused origin is reported ([`ConnectionError::Origin`]) when a client is made.
    #[must_use]
    pub fn with_origin(mut self, origin: impl Into<String>) -> Self {
        self.origin = Some(origin.into());
        self
    }

    /// With a handler called for every [`ConnectionEvent`] (from the task that caused it; keep
    /// it quick, or hand the event to a queue).
    #[must_use]
    pub fn on_event(mut self, handler: impl Fn(&ConnectionEvent) + Send + Sync + 'static) -> Self {
        self.events = Some(Arc::new(handler));
        self
    }

    /// The store.
    pub fn store(&self) -> &Store<B> {
        &self.store
    }

    /// The registry whose definitions these connections are of.
    pub fn registry(&self) -> Registry {
        self.registry
    }

    /// The redirect URI new authorizations send.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    fn emit(&self, event: ConnectionEvent) {
        tracing::debug!(event = ?event, "connection event");
        if let Some(handler) = &self.events {
            handler(&event);
        }
    }

    /// The definition of any kind with this id in the registry.
    fn any_definition(&self, definition_id: &str) -> Result<ConnectionDefinition, ConnectionError> {
        self.registry
            .connection(definition_id)
            .copied()
            .ok_or_else(|| ConnectionError::UnknownDefinition {
                definition_id: definition_id.to_owned(),
            })
    }

    /// Stores a credential the end user gave (an API key, a username and password, a key
    /// pair) for a connection of `definition_id`, with the values of its inputs, checked
    /// against their patterns first.
    ///
    /// # Errors
    /// [`ConnectionError::UnknownDefinition`], [`ConnectionError::Input`] naming the input,
    /// [`StoreError::WrongKind`] for an OAuth2 definition or a credential of another kind, or
    /// the store's errors.
    pub async fn store_credential(
        &self,
        definition_id: &str,
        owner: &str,
        credential: Credential,
        inputs: &InputValues,
    ) -> Result<StoredCredential, ConnectionError> {
        let definition = self.any_definition(definition_id)?;
        let inputs = crate::definition::checked_input_values(definition, inputs)?;
        let stored = self
            .store
            .insert_credential(NewCredential {
                owner,
                definition,
                credential,
                inputs,
            })
            .await?;
        self.emit(ConnectionEvent::Created {
            connection_id: stored.id.clone(),
        });
        Ok(stored)
    }

    /// Sends `request` with stored credential `id` on it, where its definition says.
    async fn send_with_credential(
        &self,
        id: &str,
        mut request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, ConnectionError> {
        let stored = self
            .store
            .credential(id)
            .await?
            .ok_or_else(|| StoreError::NotFound {
                connection_id: id.to_owned(),
            })?;
        let definition = self.any_definition(&stored.definition_id)?;
        match (&stored.credential, definition) {
            (Credential::ApiKey { key }, ConnectionDefinition::ApiKey(api_key)) => {
                api_key.authorize(&mut request, key)?;
            }
            (Credential::BasicAuth(credentials), ConnectionDefinition::BasicAuth(basic)) => {
                basic.authorize(&mut request, credentials)?;
            }
            (Credential::KeyPair(_), _) => {
                return Err(ConnectionError::SignedByTheApp {
                    connection_id: stored.id,
                });
            }
            (credential, _) => {
                return Err(StoreError::WrongKind {
                    connection_id: stored.id,
                    kind: credential.kind().to_owned(),
                }
                .into());
            }
        }
        Ok(self.http.send(request).await?)
    }

    /// The OAuth2 definition with this id in the registry.
    fn definition(
        &self,
        definition_id: &str,
    ) -> Result<&'static OAuth2Definition, ConnectionError> {
        self.registry
            .connection(definition_id)
            .and_then(|definition| definition.as_oauth2())
            .ok_or_else(|| ConnectionError::UnknownDefinition {
                definition_id: definition_id.to_owned(),
            })
    }

    fn client(
        &self,
        definition: &'static OAuth2Definition,
        inputs: &InputValues,
    ) -> Result<OAuth2Client, ConnectionError> {
        let client = OAuth2Client::from_source_with_inputs(
            definition,
            &self.credentials,
            self.redirect_uri.clone(),
            inputs,
        )?;
        match &self.origin {
            Some(origin) => client.with_origin(origin).map_err(ConnectionError::Origin),
            None => Ok(client),
        }
    }

    /// The cached token of `id`, if it is still usable (by the store's clock) and is not
    /// `rejected`.
    async fn cached(&self, id: &str, need: Need<'_>) -> Option<AccessToken> {
        // The cache knows usability for the policy's margin only.
        if !self.policy.cache || need.margin > self.policy.margin {
            return None;
        }
        let now = crate::oauth2::unix_seconds(self.store.now().await);
        let rejected = need.rejected;
        let cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let cached = cache.get(id)?;
        let usable = cached.usable_until.is_none_or(|until| now < until);
        (usable && Some(&cached.token) != rejected).then(|| cached.token.clone())
    }

    fn remember(&self, connection: &StoredConnection) {
        if !self.policy.cache {
            return;
        }
        let usable_until = connection
            .tokens
            .expires_at()
            .map(|at| crate::oauth2::unix_seconds(at).saturating_sub(self.policy.margin.as_secs()));
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(
                connection.id.clone(),
                Cached {
                    token: connection.tokens.access_token().clone(),
                    usable_until,
                },
            );
    }

    fn forget(&self, id: &str) {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(id);
    }

    /// The stored token, remembered in the cache, when it can be handed out: valid for
    /// `need.margin` (a token without expiry always is) and not the one a server just
    /// `rejected`.
    async fn hand_out(&self, connection: &StoredConnection, need: Need<'_>) -> Option<AccessToken> {
        let usable = !connection
            .tokens
            .expires_within(self.store.now().await, need.margin)
            && Some(connection.tokens.access_token()) != need.rejected;
        usable.then(|| {
            self.remember(connection);
            connection.tokens.access_token().clone()
        })
    }

    fn check_status(connection: &StoredConnection) -> Result<(), ConnectionError> {
        match connection.status {
            ConnectionStatus::Active => Ok(()),
            ConnectionStatus::NeedsReconnect => Err(ConnectionError::NeedsReconnect {
                connection_id: connection.id.clone(),
            }),
            ConnectionStatus::Revoked => Err(ConnectionError::Revoked {
                connection_id: connection.id.clone(),
            }),
        }
    }

    /// An access token of connection `id`, valid for at least the policy's margin, refreshed
    /// first when needed.
    ///
    /// # Errors
    /// [`ConnectionError::NeedsReconnect`] after the provider refused the refresh token;
    /// [`ConnectionError::Refresh`] when the provider failed for longer than the retries (the
    /// stored tokens are unchanged); [`ConnectionError::Busy`]; the store's errors.
    pub async fn access_token(&self, id: &str) -> Result<AccessToken, ConnectionError> {
        self.token(
            id,
            Need {
                margin: self.policy.margin,
                rejected: None,
            },
        )
        .await
    }

    /// A token of `id` other than `rejected` (which a resource server just answered 401 to):
    /// refreshes unless another caller already did.
    async fn token(&self, id: &str, need: Need<'_>) -> Result<AccessToken, ConnectionError> {
        if let Some(token) = self.cached(id, need).await {
            return Ok(token);
        }
        let connection = self.store.require(id).await?;
        Self::check_status(&connection)?;
        if let Some(token) = self.hand_out(&connection, need).await {
            return Ok(token);
        }
        // One refresh per connection in this process: the others wait here, then find it done.
        let gate = Gate::enter(&self.in_flight, id);
        let _turn = gate.turn.lock().await;
        if let Some(token) = self.cached(id, need).await {
            return Ok(token);
        }
        self.refresh_under_lease(id, need).await
    }

    /// Takes the store's lease on `id` (waiting, with growing pauses, while another process
    /// holds it), refreshes unless the re-read connection is already fresh, and releases it.
    async fn refresh_under_lease(
        &self,
        id: &str,
        need: Need<'_>,
    ) -> Result<AccessToken, ConnectionError> {
        let started = tokio::time::Instant::now();
        let mut pause = Duration::from_millis(20);
        loop {
            if self
                .store
                .try_lease(id, &self.holder, self.policy.lease)
                .await?
            {
                break;
            }
            // Someone else refreshes: their result may already be saved.
            let connection = self.store.require(id).await?;
            Self::check_status(&connection)?;
            if let Some(token) = self.hand_out(&connection, need).await {
                return Ok(token);
            }
            if started.elapsed() >= self.policy.wait {
                return Err(ConnectionError::Busy {
                    connection_id: id.to_owned(),
                });
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_millis(500));
        }
        let result = self.renewing_lease(id, self.refresh_held(id, need)).await;
        // Released by its holder only; a failure here leaves it to expire.
        let _ = self.store.release_lease(id, &self.holder).await;
        result
    }

    /// Runs `work` while renewing the lease on `id` every third of its length. A renewal that
    /// finds the lease taken over stops the renewals; what `work` then writes is refused by the
    /// fenced write ([`Store::save_leased`]), which settles whether the lease was still held.
    async fn renewing_lease<T>(&self, id: &str, work: impl Future<Output = T>) -> T {
        let renewals = async {
            let period = (self.policy.lease / 3).max(Duration::from_millis(10));
            loop {
                tokio::time::sleep(period).await;
                match self
                    .store
                    .try_lease(id, &self.holder, self.policy.lease)
                    .await
                {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::warn!(
                            connection = id,
                            "the refresh lease was taken over; this refresh's tokens will not be written"
                        );
                        break;
                    }
                    Err(error) => {
                        tracing::warn!(connection = id, error = %error, "renewing the refresh lease failed");
                    }
                }
            }
            std::future::pending::<()>().await;
        };
        let mut work = std::pin::pin!(work);
        let mut renewals = std::pin::pin!(renewals);
        std::future::poll_fn(|context| {
            if let Poll::Ready(value) = work.as_mut().poll(context) {
                return Poll::Ready(value);
            }
            // Never ready: it only renews.
            let _ = renewals.as_mut().poll(context);
            Poll::Pending
        })
        .await
    }

    /// The refresh itself, with the lease held.
    async fn refresh_held(&self, id: &str, need: Need<'_>) -> Result<AccessToken, ConnectionError> {
        // Re-read under the lease: another process may have refreshed a moment ago.
        let mut connection = self.store.require(id).await?;
        Self::check_status(&connection)?;
        if let Some(token) = self.hand_out(&connection, need).await {
            return Ok(token);
        }
        let definition = self.definition(&connection.definition_id)?;
        if connection.tokens.refresh_token().is_none() {
            // Expired (or refused) with nothing to refresh it: only the user can help.
            return self.mark_needs_reconnect(connection).await;
        }
        let client = self.client(definition, &connection.inputs)?;
        let mut attempt = 0;
        let mut retried_invalid_grant = false;
        loop {
            // The expiry is computed on the store's clock, as every process judges it.
            let clock = self.store.clock().await;
            match client
                .refresh_with_clock(&self.http, &connection.tokens, clock)
                .await
            {
                Ok(tokens) => return self.save_refreshed(connection, tokens).await,
                Err(error) if error.oauth_code() == Some(&OAuthErrorCode::InvalidGrant) => {
                    // Another process may have rotated the refresh token meanwhile (a holder
                    // whose lease expired): use the stored one before giving up.
                    let stored = self.store.require(id).await?;
                    let rotated =
                        stored.tokens.refresh_token() != connection.tokens.refresh_token();
                    if rotated && !retried_invalid_grant {
                        retried_invalid_grant = true;
                        if let Some(token) = self.hand_out(&stored, need).await {
                            return Ok(token);
                        }
                        connection = stored;
                        continue;
                    }
                    return self.mark_needs_reconnect(stored).await;
                }
                Err(error) if transient(&error) && attempt < self.policy.retries => {
                    attempt += 1;
                    let backoff = match &error {
                        TokenError::RetryLater {
                            retry_after: Some(after),
                            ..
                        } => *after,
                        _ => self.policy.backoff * 2u32.saturating_pow(attempt - 1),
                    };
                    let backoff = backoff.min(self.policy.max_backoff);
                    tracing::debug!(connection = id, attempt, backoff_ms = backoff.as_millis() as u64, error = %error, "refresh failed; retrying");
                    // The lease is renewed meanwhile (`renewing_lease`).
                    tokio::time::sleep(backoff).await;
                }
                Err(error) => return self.record_failure(connection, error).await,
            }
        }
    }

    /// Saves a refreshed token set (a rotated refresh token is persisted before the access
    /// token is handed out) and resets the health.
    async fn save_refreshed(
        &self,
        mut connection: StoredConnection,
        tokens: TokenSet,
    ) -> Result<AccessToken, ConnectionError> {
        let recovered = connection.health.failures > 0;
        if let Some(granted) = tokens.scopes() {
            connection.scopes_granted = granted.to_vec();
        }
        connection.tokens = tokens;
        let now = unix_now();
        connection.used_at = Some(now);
        renewed(&mut connection, now);
        let saved = match self.store.save_leased(&connection, &self.holder).await {
            Ok(saved) => saved,
            Err(StoreError::Conflict { connection_id }) => {
                // The lease was taken over (this process stalled past it): the new holder's
                // result stands, and these tokens are dropped. Where the provider had rotated
                // the refresh token, the new holder's refresh is refused and the connection
                // says it needs a reconnect (with its event).
                let error = "the refresh lease was taken over before the refreshed tokens were saved; they were dropped";
                tracing::warn!(connection = %connection_id, "{error}");
                self.emit(ConnectionEvent::RefreshFailed {
                    connection_id: connection_id.clone(),
                    error: error.to_owned(),
                });
                return Err(StoreError::Conflict { connection_id }.into());
            }
            Err(error) => return Err(error.into()),
        };
        self.remember(&saved);
        self.emit(ConnectionEvent::Refreshed {
            connection_id: saved.id.clone(),
        });
        if recovered {
            self.emit(ConnectionEvent::Recovered {
                connection_id: saved.id.clone(),
            });
        }
        Ok(saved.tokens.access_token().clone())
    }

    async fn mark_needs_reconnect(
        &self,
        mut connection: StoredConnection,
    ) -> Result<AccessToken, ConnectionError> {
        self.forget(&connection.id);
        if connection.status != ConnectionStatus::NeedsReconnect {
            connection.status = ConnectionStatus::NeedsReconnect;
            connection.health.last_error =
                Some("the provider refused the refresh token (invalid_grant)".to_owned());
            self.store.save(&connection).await?;
            self.emit(ConnectionEvent::NeedsReconnect {
                connection_id: connection.id.clone(),
            });
        }
        Err(ConnectionError::NeedsReconnect {
            connection_id: connection.id,
        })
    }

    async fn record_failure(
        &self,
        mut connection: StoredConnection,
        error: TokenError,
    ) -> Result<AccessToken, ConnectionError> {
        // Only the health changes: the tokens stay as they were.
        connection.health.failures = connection.health.failures.saturating_add(1);
        let summary = error.to_string();
        connection.health.last_error = Some(summary.clone());
        if let Err(save_error) = self.store.save(&connection).await {
            tracing::warn!(connection = %connection.id, error = %save_error, "recording a refresh failure failed");
        }
        self.emit(ConnectionEvent::RefreshFailed {
            connection_id: connection.id.clone(),
            error: summary,
        });
        Err(ConnectionError::Refresh {
            connection_id: connection.id,
            source: error,
        })
    }

    /// Starts an authorization for a new connection of `definition_id` for `owner`: send the
    /// user to the URL, keep the [`PendingConnection`] in their session until the callback.
    ///
    /// # Errors
    /// [`ConnectionError::UnknownDefinition`], [`ConnectionError::Client`], or randomness.
    pub fn connect(
        &self,
        definition_id: &str,
        owner: &str,
    ) -> Result<(Url, PendingConnection), ConnectionError> {
        self.connect_with_inputs(definition_id, owner, &InputValues::new())
    }

    /// [`connect`](Self::connect) for a definition with inputs: `inputs` are the values the
    /// user gave (checked now, against each input's pattern and position), kept with the
    /// pending connection and stored with the connection.
    ///
    /// # Errors
    /// As `connect`; [`ConnectionError::Client`] wraps an input error naming the input.
    pub fn connect_with_inputs(
        &self,
        definition_id: &str,
        owner: &str,
        inputs: &InputValues,
    ) -> Result<(Url, PendingConnection), ConnectionError> {
        self.start(self.definition(definition_id)?, owner, None, inputs, None)
    }

    /// Starts a re-consent for the stored connection `id`: an authorization for its
    /// definition's current scopes, whose completion updates the same connection (same id, same
    /// owner) instead of storing a second one.
    ///
    /// # Errors
    /// As [`connect`](Self::connect), and the store's errors.
    pub async fn reconnect(&self, id: &str) -> Result<(Url, PendingConnection), ConnectionError> {
        let connection = self.store.require(id).await?;
        let definition = self.definition(&connection.definition_id)?;
        // With incremental authorization, only what is missing is asked for (all of it when
        // nothing is: a plain reconnect).
        let missing = connection.missing_scopes(definition);
        let only = (definition.incremental_auth() && !missing.is_empty()).then_some(missing);
        self.start(
            definition,
            &connection.owner,
            Some(connection.id),
            &connection.inputs,
            only.as_deref(),
        )
    }

    fn start(
        &self,
        definition: &'static OAuth2Definition,
        owner: &str,
        reconnect: Option<String>,
        inputs: &InputValues,
        only_scopes: Option<&[&'static str]>,
    ) -> Result<(Url, PendingConnection), ConnectionError> {
        let client = self.client(definition, inputs)?;
        let AuthorizationRequest { url, pending } = match only_scopes {
            Some(scopes) => client.authorize_incremental(scopes)?,
            None => client.authorize()?,
        };
        Ok((
            url,
            PendingConnection {
                pending,
                owner: owner.to_owned(),
                reconnect,
                inputs: client.inputs().clone(),
            },
        ))
    }

    /// Completes an authorization started by [`connect`](Self::connect) or
    /// [`reconnect`](Self::reconnect): checks the callback, claims the authorization in the
    /// store ([`Store::claim_once`]) so that it completes once across every copy of `pending`
    /// and every process, exchanges the code, and stores a new connection or updates the one
    /// being reconnected.
    ///
    /// # Errors
    /// [`ConnectionError::Callback`], [`ConnectionError::AlreadyCompleted`] for an
    /// authorization completed before, [`ConnectionError::Exchange`],
    /// [`ConnectionError::WrongConnection`], or the store's errors.
    pub async fn complete(
        &self,
        pending: PendingConnection,
        callback: &str,
    ) -> Result<StoredConnection, ConnectionError> {
        let definition_id = pending.pending.connection_id().to_owned();
        let definition = self.definition(&definition_id)?;
        let client = self.client(definition, &pending.inputs)?;
        let claim = authorization_claim(pending.pending.state());
        let expires_at = pending.pending.expires_at;
        let completed = client.complete(pending.pending, callback)?;
        // Once, whatever copies of the pending authorization exist (it serializes): its state,
        // hashed, is claimed across every process sharing the store before the code goes out.
        let lasting = Duration::from_secs(expires_at.saturating_sub(unix_now()));
        if !self.store.claim_once(&claim, lasting).await? {
            return Err(ConnectionError::AlreadyCompleted { definition_id });
        }
        // The expiry is computed on the store's clock, as every process judges it.
        let clock = self.store.clock().await;
        let tokens = client
            .exchange_code_with_clock(&self.http, &completed, clock)
            .await?;
        let stored = match pending.reconnect {
            None => {
                let stored = self
                    .store
                    .insert(NewConnection {
                        owner: &pending.owner,
                        definition,
                        tokens,
                        inputs: pending.inputs,
                    })
                    .await?;
                self.emit(ConnectionEvent::Created {
                    connection_id: stored.id.clone(),
                });
                stored
            }
            Some(id) => {
                let mut connection = self.store.require(&id).await?;
                if connection.owner != pending.owner || connection.definition_id != definition_id {
                    return Err(ConnectionError::WrongConnection { connection_id: id });
                }
                let before = std::mem::take(&mut connection.scopes_granted);
                (connection.scopes_requested, connection.scopes_granted) =
                    requested_and_granted(definition, &tokens);
                if definition.incremental_auth() {
                    // Granted before, and still granted: the provider added the new ones.
                    for scope in before {
                        if !connection.scopes_granted.contains(&scope) {
                            connection.scopes_granted.push(scope);
                        }
                    }
                }
                connection.tokens = tokens;
                connection.status = ConnectionStatus::Active;
                renewed(&mut connection, unix_now());
                let saved = self.store.save(&connection).await?;
                self.emit(ConnectionEvent::Recovered {
                    connection_id: saved.id.clone(),
                });
                saved
            }
        };
        self.forget(&stored.id);
        let missing = stored.missing_scopes(definition);
        if !missing.is_empty() {
            self.emit(ConnectionEvent::MissingScopes {
                connection_id: stored.id.clone(),
                scopes: missing,
            });
        }
        Ok(stored)
    }

    /// The scopes connection `id`'s definition asks for today that it was not granted.
    ///
    /// # Errors
    /// The store's errors, or [`ConnectionError::UnknownDefinition`].
    pub async fn missing_scopes(&self, id: &str) -> Result<Vec<&'static str>, ConnectionError> {
        let connection = self.store.require(id).await?;
        Ok(connection.missing_scopes(self.definition(&connection.definition_id)?))
    }

    /// Deletes connection `id`. Where its definition declares a `revoke_url`, its tokens are
    /// revoked at the provider first (RFC 7009); a failed revocation is reported as
    /// [`ConnectionEvent::RevocationFailed`] and the connection is deleted all the same.
    ///
    /// # Errors
    /// The store's errors.
    pub async fn delete(&self, id: &str) -> Result<bool, ConnectionError> {
        self.forget(id);
        // A row that does not open (another key, tampered with) cannot be revoked, and is
        // deleted all the same.
        if let Ok(Some(connection)) = self.store.get(id).await
            && let Ok(definition) = self.definition(&connection.definition_id)
            && definition.revoke_url().is_some()
        {
            // The user asked to disconnect: the tokens are deleted here even when the provider
            // cannot be told, and the failure is reported as an event.
            let revoked = match self.client(definition, &connection.inputs) {
                Ok(client) => client
                    .revoke(&self.http, &connection.tokens)
                    .await
                    .map_err(|error| error.to_string()),
                Err(error) => Err(error.to_string()),
            };
            if let Err(error) = revoked {
                tracing::warn!(connection = %id, error = %error, "revocation at the provider failed");
                self.emit(ConnectionEvent::RevocationFailed {
                    connection_id: id.to_owned(),
                    error,
                });
            }
        }
        let deleted = self.store.delete(id).await?;
        if deleted {
            self.emit(ConnectionEvent::Revoked {
                connection_id: id.to_owned(),
            });
        }
        Ok(deleted)
    }

    /// Sends `request` with connection `id`'s access token as a bearer token. On a 401 it
    /// refreshes once (unless another caller already did) and sends the request once more.
    ///
    /// For a credential stored with [`store_credential`](Self::store_credential), the request
    /// carries it where its definition says (an API key's header or query parameter, HTTP
    /// Basic), once: there is nothing to refresh.
    ///
    /// # Errors
    /// The errors of [`access_token`](Self::access_token), [`ConnectionError::Http`],
    /// [`ConnectionError::Placement`], or [`ConnectionError::SignedByTheApp`] for a key pair.
    pub async fn send(
        &self,
        id: &str,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, ConnectionError> {
        let token = match self.access_token(id).await {
            Ok(token) => token,
            // A credential the user gave: no token, no refresh.
            Err(ConnectionError::Store(StoreError::WrongKind { .. })) => {
                return self.send_with_credential(id, request).await;
            }
            Err(error) => return Err(error),
        };
        let (parts, body) = request.into_parts();
        let response = self
            .http
            .send(authorized(parts.clone(), body.clone(), &token)?)
            .await?;
        if response.status() != http::StatusCode::UNAUTHORIZED {
            return Ok(response);
        }
        self.forget(id);
        let token = self
            .token(
                id,
                Need {
                    margin: self.policy.margin,
                    rejected: Some(&token),
                },
            )
            .await?;
        Ok(self.http.send(authorized(parts, body, &token)?).await?)
    }
}

/// The key under which the authorization with `state` is claimed when it is completed: a
/// hash, never the state itself.
fn authorization_claim(state: &crate::secret::State) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(state.expose_secret().as_bytes());
    format!(
        "authorization:{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    )
}

/// The request with `Authorization: Bearer <token>` (marked sensitive, so HTTP stacks that
/// log headers redact it).
fn authorized(
    mut parts: http::request::Parts,
    body: Vec<u8>,
    token: &AccessToken,
) -> Result<http::Request<Vec<u8>>, ConnectionError> {
    let mut value = http::HeaderValue::try_from(format!("Bearer {}", token.expose_secret()))
        .map_err(|error| ConnectionError::Http(HttpError::Setup(Box::new(error))))?;
    value.set_sensitive(true);
    parts.headers.insert(http::header::AUTHORIZATION, value);
    Ok(http::Request::from_parts(parts, body))
}

impl<B, H, C> Connections<B, H, C>
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: CredentialSource + Send + Sync + 'static,
{
    /// Renews every active connection whose token expires within `window` (and can be
    /// refreshed), at most `concurrency` at a time, through the same single flight and lease as
    /// [`access_token`](Self::access_token): a connection another caller or process is renewing
    /// is not renewed twice.
    ///
    /// # Errors
    /// The database's error while selecting; each connection's own failure (a row that does not
    /// open among them) is in the report.
    pub async fn refresh_expiring(
        self: &Arc<Self>,
        window: Duration,
        concurrency: usize,
    ) -> Result<RefreshReport, ConnectionError> {
        let mut report = RefreshReport::default();
        let mut due = Vec::new();
        for selected in self
            .store
            .due_within(self.store.now().await, window)
            .await?
        {
            match selected {
                Ok(connection) => due.push(connection.id),
                Err(error) => {
                    let id = error.connection_id().unwrap_or_default().to_owned();
                    report.failed.push((id, error.into()));
                }
            }
        }
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        let mut tasks_of = HashMap::new();
        for id in due {
            let (connections, permits) = (Arc::clone(self), Arc::clone(&permits));
            let task_id = id.clone();
            let task = tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let need = Need {
                    margin: window.max(connections.policy.margin),
                    rejected: None,
                };
                let result = connections.token(&id, need).await;
                (id, result)
            });
            tasks_of.insert(task.id(), task_id);
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((id, Ok(_))) => report.refreshed.push(id),
                Ok((id, Err(error))) => report.failed.push((id, error)),
                // A refresh that panicked (an event handler, say) is a failure of its
                // connection, reported like the others.
                Err(error) => {
                    let id = tasks_of.remove(&error.id()).unwrap_or_default();
                    tracing::error!(connection = %id, "a refresh task panicked or was cancelled");
                    report
                        .failed
                        .push((id.clone(), ConnectionError::Aborted { connection_id: id }));
                }
            }
        }
        Ok(report)
    }

    /// Runs [`refresh_expiring`](Self::refresh_expiring) every `every` until the returned task
    /// is aborted (or dropped with its runtime).
    pub fn spawn_refresher(
        self: &Arc<Self>,
        every: Duration,
        window: Duration,
        concurrency: usize,
    ) -> tokio::task::JoinHandle<()> {
        let connections = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                match connections.refresh_expiring(window, concurrency).await {
                    Ok(report) => tracing::debug!(
                        refreshed = report.refreshed.len(),
                        failed = report.failed.len(),
                        "background refresh"
                    ),
                    Err(error) => {
                        tracing::warn!(error = %error, "background refresh could not list connections")
                    }
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}
