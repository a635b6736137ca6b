//! Stored connections at work: a valid access token on demand, refreshed once however many
//! callers and processes ask; new connections and re-consent from the authorization flow; and
//! requests authorized with a connection's token.
//!
//! One file per job: `tokens` (a valid token on demand: the cache, the single flight, the
//! lease and the refresh), `connect` (new connections, re-consent, credentials the user gives,
//! deletion), `requests` (requests authorized with a stored connection), `background` (the
//! refresher).

mod background;
mod connect;
mod requests;
#[cfg(test)]
mod test_support;
mod tokens;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::backend::Backend;
use super::store::{Store, StoreError};
use crate::credentials::{ClientCredentialSource, ClientCredentials};
use crate::definition::{
    ClientCredentialsDefinition, ClientHolder, ConnectionDefinition, InputError, InputValues,
    OAuth2Definition, PlacementError, Registry,
};
use crate::http::{HttpClient, HttpError};
use crate::oauth2::{
    CallbackError, ClientCredentialsClient, ClientError, OAuth2Client, OriginError,
    PendingAuthorization, RandomnessError, TokenError,
};
use tokens::Cached;

/// How tokens are kept fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
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

/// The policy is `#[non_exhaustive]`, so that a setting can be added: start from
/// [`RefreshPolicy::default`] and change what you need.
///
/// ```
/// # use std::time::Duration;
/// # use connkit::store::RefreshPolicy;
/// let policy = RefreshPolicy::default()
///     .with_margin(Duration::from_secs(120))
///     .with_cache(false);
/// assert_eq!(policy.margin, Duration::from_secs(120));
/// assert_eq!(policy.retries, 2);
/// ```
impl RefreshPolicy {
    /// With [`margin`](Self::margin) set.
    #[must_use]
    pub const fn with_margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// With [`lease`](Self::lease) set.
    #[must_use]
    pub const fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// With [`wait`](Self::wait) set.
    #[must_use]
    pub const fn with_wait(mut self, wait: Duration) -> Self {
        self.wait = wait;
        self
    }

    /// With [`retries`](Self::retries) set.
    #[must_use]
    pub const fn with_retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// With [`backoff`](Self::backoff) set.
    #[must_use]
    pub const fn with_backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }

    /// With [`max_backoff`](Self::max_backoff) set.
    #[must_use]
    pub const fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// With [`cache`](Self::cache) set.
    #[must_use]
    pub const fn with_cache(mut self, cache: bool) -> Self {
        self.cache = cache;
        self
    }
}

/// Something that happened to a stored connection.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
#[non_exhaustive]
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
    /// The code exchange failed (or, for a device authorization, the polling: the user
    /// refused with `access_denied`, the codes expired with `expired_token`).
    #[error(transparent)]
    Exchange(#[from] TokenError),
    /// The provider refused the pushed authorization request (RFC 9126), or could not be
    /// reached.
    #[error("pushing the authorization request failed: {0}")]
    Push(#[source] TokenError),
    /// A DPoP key could not be generated (the cryptographic library failed).
    #[error("a DPoP key could not be generated")]
    KeyGeneration,
    /// A device authorization could not start.
    #[error(transparent)]
    Device(#[from] crate::oauth2::DeviceError),
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
    /// A client-credentials definition with `client = "owner"` was given no client: each
    /// connection's owner gives theirs.
    #[error(
        "connection definition {definition_id} takes its owner's client (client = \"owner\"), and none was given"
    )]
    OwnerClientMissing {
        /// The definition.
        definition_id: &'static str,
    },
    /// A JWT-bearer connection without its owner's signing key.
    #[error("connection definition {definition_id} signs with its owner's key, and none was given")]
    OwnerKeyMissing {
        /// The definition.
        definition_id: &'static str,
    },
    /// A client-credentials definition with `client = "platform"` was given a client: it uses
    /// the platform's, from the credential source.
    #[error(
        "connection definition {definition_id} uses the platform's client (client = \"platform\"): give no client"
    )]
    PlatformClient {
        /// The definition.
        definition_id: &'static str,
    },
    /// A client-credentials connection's first token could not be obtained, so nothing was
    /// stored (`invalid_client`: a wrong client id or secret).
    #[error("obtaining the first token of {definition_id} failed: {source}")]
    FirstToken {
        /// The definition.
        definition_id: &'static str,
        /// Why.
        #[source]
        source: TokenError,
    },
    /// The task refreshing the connection panicked or was cancelled (a panicking event handler,
    /// say); what was stored before is as it was, or as the refresh saved it.
    #[error("refreshing connection {connection_id} panicked or was cancelled")]
    Aborted {
        /// The stored connection.
        connection_id: String,
    },
}

/// A device authorization (RFC 8628) for a new connection: show the user
/// [`authorization`](Self::authorization)'s user code and verification URI, then hand it to
/// [`Connections::complete_device`]. It serializes, to keep between the two.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PendingDevice {
    /// The codes and where the user goes.
    pub authorization: crate::oauth2::DeviceAuthorization,
    /// The connection definition.
    pub definition_id: String,
    /// The owner the connection will belong to.
    pub owner: String,
    /// The values of the definition's inputs, checked when the authorization started.
    pub inputs: InputValues,
}

/// An authorization in progress, to keep in the user's session until the callback (it
/// serializes; see [`PendingAuthorization`] for how to tie it to the browser).
#[derive(Debug, Serialize, Deserialize)]
#[non_exhaustive]
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

/// What [`Connections::refresh_expiring`] did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct RefreshReport {
    /// Connections whose token was (or, thanks to another caller, had just been) renewed.
    pub refreshed: Vec<String>,
    /// Connections whose refresh failed, or whose stored row does not open, with the error.
    pub failed: Vec<(String, ConnectionError)>,
}

/// The DPoP key sealed with `connection`, if it has one.
#[cfg(feature = "jwt")]
pub(super) fn dpop_key_of(
    connection: &super::store::StoredConnection,
) -> Result<Option<crate::oauth2::DpopKey>, ConnectionError> {
    use base64::Engine as _;
    let Some(text) = &connection.dpop else {
        return Ok(None);
    };
    let corrupt = || StoreError::Corrupt {
        connection_id: connection.id.clone(),
        field: "dpop",
    };
    let der = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.expose_secret())
        .map_err(|_| corrupt())?;
    Ok(Some(
        crate::oauth2::DpopKey::from_pkcs8(&der).map_err(|_| corrupt())?,
    ))
}

/// A new DPoP key, and the text it is sealed as.
#[cfg(feature = "jwt")]
pub(super) fn new_dpop_key()
-> Result<(crate::oauth2::DpopKey, crate::secret::PrivateKey), ConnectionError> {
    use base64::Engine as _;
    let key = crate::oauth2::DpopKey::generate().map_err(|_| ConnectionError::KeyGeneration)?;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key.expose_pkcs8());
    Ok((key, crate::secret::PrivateKey::new(text)))
}

/// The client that obtains a connection's token again: a client-credentials or a JWT-bearer
/// one.
pub(super) enum Obtainer {
    Client(ClientCredentialsClient),
    #[cfg(feature = "jwt")]
    Bearer(crate::oauth2::JwtBearerClient),
}

impl Obtainer {
    pub(super) async fn obtain_with_clock(
        &self,
        http: &(impl HttpClient + Sync),
        clock: impl Fn() -> std::time::SystemTime + Send + Sync,
    ) -> Result<crate::oauth2::TokenSet, TokenError> {
        match self {
            Self::Client(client) => client.obtain_with_clock(http, clock).await,
            #[cfg(feature = "jwt")]
            Self::Bearer(client) => client.obtain_with_clock(http, clock).await,
        }
    }
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
    in_flight: tokens::InFlight,
    events: Option<EventHandler>,
    /// The DPoP keys of the connections whose tokens this process handed out, for the proofs
    /// of their requests.
    #[cfg(feature = "jwt")]
    dpop_keys: Mutex<HashMap<String, crate::oauth2::DpopKey>>,
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

impl<B, H, C> Connections<B, H, C>
where
    B: Backend,
    H: HttpClient + Sync,
    C: ClientCredentialSource + Sync,
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
            holder: crate::random::base64url_of::<16>()?,
            cache: Mutex::new(HashMap::new()),
            in_flight: Mutex::new(HashMap::new()),
            events: None,
            #[cfg(feature = "jwt")]
            dpop_keys: Mutex::new(HashMap::new()),
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

    pub(super) fn emit(&self, event: ConnectionEvent) {
        tracing::debug!(event = ?event, "connection event");
        if let Some(handler) = &self.events {
            handler(&event);
        }
    }

    /// The definition of any kind with this id in the registry.
    pub(super) fn any_definition(
        &self,
        definition_id: &str,
    ) -> Result<ConnectionDefinition, ConnectionError> {
        self.registry
            .connection(definition_id)
            .copied()
            .ok_or_else(|| ConnectionError::UnknownDefinition {
                definition_id: definition_id.to_owned(),
            })
    }

    /// The OAuth2 definition with this id in the registry.
    pub(super) fn definition(
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

    /// The client of a client-credentials connection: the owner's `client` (sealed with the
    /// connection) or the platform's, from the credential source, as the definition says.
    pub(super) fn machine_client(
        &self,
        definition: &'static ClientCredentialsDefinition,
        client: Option<ClientCredentials>,
        inputs: &InputValues,
    ) -> Result<ClientCredentialsClient, ConnectionError> {
        let client = match (definition.client(), client) {
            (ClientHolder::Owner, Some(client)) => {
                ClientCredentialsClient::new(definition, client, inputs)?
            }
            (ClientHolder::Owner, None) => {
                return Err(ConnectionError::OwnerClientMissing {
                    definition_id: definition.id(),
                });
            }
            (_, Some(_)) => {
                return Err(ConnectionError::PlatformClient {
                    definition_id: definition.id(),
                });
            }
            (_, None) => {
                ClientCredentialsClient::from_source(definition, &self.credentials, inputs)?
            }
        };
        match &self.origin {
            Some(origin) => client.with_origin(origin).map_err(ConnectionError::Origin),
            None => Ok(client),
        }
    }

    /// The client of a JWT-bearer connection: its definition and the owner's `key`.
    #[cfg(feature = "jwt")]
    pub(super) fn bearer_client(
        &self,
        definition: &'static crate::definition::JwtBearerDefinition,
        key: Option<&crate::definition::KeyPair>,
        inputs: &InputValues,
    ) -> Result<crate::oauth2::JwtBearerClient, ConnectionError> {
        let key = key.ok_or(ConnectionError::OwnerKeyMissing {
            definition_id: definition.id(),
        })?;
        let client = crate::oauth2::JwtBearerClient::new(definition, key, inputs)?;
        match &self.origin {
            Some(origin) => client.with_origin(origin).map_err(ConnectionError::Origin),
            None => Ok(client),
        }
    }

    /// `client` with the DPoP key of `connection`, when it has one.
    pub(super) fn bound_client(
        &self,
        client: OAuth2Client,
        connection: &super::store::StoredConnection,
    ) -> Result<OAuth2Client, ConnectionError> {
        #[cfg(feature = "jwt")]
        if let Some(key) = dpop_key_of(connection)? {
            return Ok(client.with_dpop(key));
        }
        let _ = connection;
        Ok(client)
    }

    pub(super) fn client(
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
}
