//! A valid access token on demand: served from the in-process cache while it is usable,
//! otherwise refreshed by one caller per process (the others wait for it), under a lease in
//! the store that other processes respect, renewed while the refresh runs and fencing its
//! write.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::{Duration, SystemTime};

use super::Obtainer;
use super::{ConnectionError, ConnectionEvent, Connections};
use crate::credentials::ClientCredentialSource;
use crate::definition::ConnectionDefinition;
use crate::http::{HttpClient, HttpError};
use crate::oauth2::{OAuthErrorCode, TokenError, TokenResponseError, TokenSet};
use crate::secret::AccessToken;
use crate::store::backend::Backend;
use crate::store::store::{ConnectionStatus, StoreError, StoredConnection};

/// The refreshes under way in this process: one turn per connection.
pub(super) type InFlight = Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>;

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
pub(super) struct Cached {
    token: AccessToken,
    /// Unix seconds; `None` for a token without expiry.
    usable_until: Option<u64>,
}

/// What a caller needs of a token: valid for `margin`, and not `rejected` (a token a resource
/// server just answered 401 to).
#[derive(Clone, Copy)]
pub(super) struct Need<'a> {
    pub(super) margin: Duration,
    pub(super) rejected: Option<&'a AccessToken>,
}

/// Records new tokens obtained at `now` (a refresh or a re-consent): the failures are over.
pub(super) fn renewed(connection: &mut StoredConnection, now: SystemTime) {
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
    C: ClientCredentialSource + Sync,
{
    /// The cached token of `id`, if it is still usable (by the store's clock) and is not
    /// `rejected`.
    async fn cached(&self, id: &str, need: Need<'_>) -> Option<AccessToken> {
        // The cache knows usability for the policy's margin only.
        if !self.policy.cache || need.margin > self.policy.margin {
            return None;
        }
        let now = crate::clock::unix_seconds(self.store.now().await);
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
            .map(|at| crate::clock::unix_seconds(at).saturating_sub(self.policy.margin.as_secs()));
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

    /// Keeps the DPoP key of `connection`, for its requests' proofs.
    fn note_dpop(&self, connection: &StoredConnection) {
        #[cfg(feature = "jwt")]
        if connection.dpop.is_some()
            && let Ok(Some(key)) = super::dpop_key_of(connection)
        {
            self.dpop_keys
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(connection.id.clone(), key);
        }
        #[cfg(not(feature = "jwt"))]
        let _ = connection;
    }

    /// The DPoP key of connection `id`, if its tokens are bound to one.
    #[cfg(feature = "jwt")]
    pub(super) fn dpop_key(&self, id: &str) -> Option<crate::oauth2::DpopKey> {
        self.dpop_keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(id)
            .cloned()
    }

    /// Drops the DPoP key of a deleted connection.
    #[cfg(feature = "jwt")]
    pub(super) fn forget_dpop_key(&self, id: &str) {
        self.dpop_keys
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(id);
    }

    pub(super) fn forget(&self, id: &str) {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(id);
    }

    /// The stored token, remembered in the cache, when it can be handed out: valid for
    /// `need.margin` (a token without expiry always is) and not the one a server just
    /// `rejected`.
    async fn hand_out(&self, connection: &StoredConnection, need: Need<'_>) -> Option<AccessToken> {
        self.note_dpop(connection);
        let usable = !connection
            .tokens
            .expires_within(self.store.now().await, need.margin)
            && Some(connection.tokens.access_token()) != need.rejected;
        usable.then(|| {
            self.remember(connection);
            connection.tokens.access_token().clone()
        })
    }

    pub(super) fn check_status(connection: &StoredConnection) -> Result<(), ConnectionError> {
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
    pub(super) async fn token(
        &self,
        id: &str,
        need: Need<'_>,
    ) -> Result<AccessToken, ConnectionError> {
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
    /// fenced write ([`Store::save_leased`](crate::store::Store::save_leased)), which settles whether the lease was still held.
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
        let definition = match self.any_definition(&connection.definition_id)? {
            ConnectionDefinition::OAuth2(definition) => definition,
            ConnectionDefinition::ClientCredentials(definition) => {
                let client =
                    self.machine_client(definition, connection.client.clone(), &connection.inputs)?;
                #[cfg(feature = "jwt")]
                let client = match super::dpop_key_of(&connection)? {
                    Some(key) => client.with_dpop(key),
                    None => client,
                };
                return self
                    .obtain_held(&Obtainer::Client(client), connection)
                    .await;
            }
            #[cfg(feature = "jwt")]
            ConnectionDefinition::JwtBearer(definition) => {
                let client =
                    self.bearer_client(definition, connection.key.as_ref(), &connection.inputs)?;
                return self
                    .obtain_held(&Obtainer::Bearer(client), connection)
                    .await;
            }
            _ => {
                return Err(ConnectionError::UnknownDefinition {
                    definition_id: connection.definition_id,
                });
            }
        };
        if connection.tokens.refresh_token().is_none() {
            // Expired (or refused) with nothing to refresh it: only the user can help.
            return self.mark_needs_reconnect(connection).await;
        }
        let client =
            self.bound_client(self.client(definition, &connection.inputs)?, &connection)?;
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
                    self.back_off(id, attempt, &error).await;
                }
                Err(error) => return self.record_failure(connection, error).await,
            }
        }
    }

    /// Waits before retry `attempt` after a transient `error`: the server's `Retry-After`, or
    /// the policy's backoff doubled per retry, at most the policy's longest wait.
    async fn back_off(&self, id: &str, attempt: u32, error: &TokenError) {
        let backoff = match error {
            TokenError::RetryLater {
                retry_after: Some(after),
                ..
            } => *after,
            _ => self.policy.backoff * 2u32.saturating_pow(attempt - 1),
        };
        let backoff = backoff.min(self.policy.max_backoff);
        tracing::debug!(connection = id, attempt, backoff_ms = backoff.as_millis() as u64, error = %error, "token request failed; retrying");
        // The lease is renewed meanwhile (`renewing_lease`).
        tokio::time::sleep(backoff).await;
    }

    /// A client-credentials or JWT-bearer connection's new token, with the lease held: the same
    /// request as when it was connected (a new assertion), retried as a refresh is. There is no
    /// user to ask, so a refusal (a revoked client, a changed secret, a key the provider no
    /// longer accepts) is recorded as a failure, never as "needs reconnect": the next call asks
    /// again.
    async fn obtain_held(
        &self,
        client: &Obtainer,
        connection: StoredConnection,
    ) -> Result<AccessToken, ConnectionError> {
        let mut attempt = 0;
        loop {
            let clock = self.store.clock().await;
            match client.obtain_with_clock(&self.http, clock).await {
                Ok(tokens) => return self.save_refreshed(connection, tokens).await,
                Err(error) if transient(&error) && attempt < self.policy.retries => {
                    attempt += 1;
                    self.back_off(&connection.id, attempt, &error).await;
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
        let now = crate::clock::now_to_the_second();
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
        self.note_dpop(&saved);
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
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use std::sync::Arc;
    use std::time::Duration;

    use super::super::test_support::{
        FakeHttp, Unit, UnitMachine, UnitPlatform, connections, seconds, stored, tokens_expiring,
    };
    use crate::credentials::{ClientCredentials, ClientId};
    use crate::definition::InputValues;
    use crate::oauth2::OAuthErrorCode;
    use crate::secret::ClientSecret;
    use crate::store::{
        Backend, ConnectionError, ConnectionEvent, ConnectionStatus, ManualClock, RefreshPolicy,
    };

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_callers_cause_one_refresh_and_the_cache_serves_the_rest() {
        let clock = ManualClock::now();
        let http = FakeHttp::new();
        let (connections, events) = connections(&clock, http.clone());
        let id = stored(&connections, tokens_expiring(seconds(&clock) - 10))
            .await
            .id;
        let connections = Arc::new(connections);
        let mut callers = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let (connections, id) = (Arc::clone(&connections), id.clone());
            callers.spawn(async move { connections.access_token(&id).await.unwrap() });
        }
        for token in callers.join_all().await {
            assert_eq!(token.expose_secret(), "fresh-1");
        }
        assert_eq!(http.count("/token"), 1);
        assert_eq!(
            connections.access_token(&id).await.unwrap().expose_secret(),
            "fresh-1"
        );
        assert_eq!(http.count("/token"), 1, "from the cache");
        let stored = connections.store().require(&id).await.unwrap();
        assert_eq!(
            stored.tokens.refresh_token().unwrap().expose_secret(),
            "rt-1"
        );
        assert_eq!(
            events.all(),
            [ConnectionEvent::Refreshed {
                connection_id: id.clone()
            }]
        );
    }

    #[tokio::test]
    async fn the_store_clock_says_when_a_token_is_due() {
        let clock = ManualClock::now();
        let http = FakeHttp::new();
        let (connections, _) = connections(&clock, http.clone());
        // Valid two minutes, the margin is one: handed out as it is.
        let id = stored(&connections, tokens_expiring(seconds(&clock) + 120))
            .await
            .id;
        assert_eq!(
            connections.access_token(&id).await.unwrap().expose_secret(),
            "stored-access"
        );
        assert_eq!(http.count("/token"), 0);
        // A minute and a second later, by the store's clock, it is within the margin.
        clock.advance(Duration::from_secs(61));
        assert_eq!(
            connections.access_token(&id).await.unwrap().expose_secret(),
            "fresh-1"
        );
        assert_eq!(http.count("/token"), 1);
        // The new token's expiry is on the store's clock too: an hour from its now.
        let stored = connections.store().require(&id).await.unwrap();
        let expires = stored
            .tokens
            .expires_at()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        assert!((expires - seconds(&clock) - 3600).abs() <= 1, "{expires}");
    }

    #[tokio::test]
    async fn invalid_grant_marks_the_connection_needs_reconnect_with_its_event() {
        let clock = ManualClock::now();
        let http = FakeHttp::answering(|_| (400, r#"{"error":"invalid_grant"}"#.to_owned()));
        let (connections, events) = connections(&clock, http.clone());
        let id = stored(&connections, tokens_expiring(seconds(&clock) - 1))
            .await
            .id;
        assert!(matches!(
            connections.access_token(&id).await,
            Err(ConnectionError::NeedsReconnect { .. })
        ));
        assert_eq!(
            connections.store().require(&id).await.unwrap().status,
            ConnectionStatus::NeedsReconnect
        );
        assert_eq!(
            events.all(),
            [ConnectionEvent::NeedsReconnect {
                connection_id: id.clone()
            }]
        );
        // Asked again: refused at once, the provider not asked.
        assert!(connections.access_token(&id).await.is_err());
        assert_eq!(http.count("/token"), 1);
    }

    #[tokio::test]
    async fn a_lease_held_elsewhere_is_waited_for_and_taken_once_it_runs_out() {
        let clock = ManualClock::now();
        let http = FakeHttp::new();
        let (connections, _) = connections(&clock, http.clone());
        let connections =
            connections.with_policy(RefreshPolicy::default().with_wait(Duration::from_millis(100)));
        let id = stored(&connections, tokens_expiring(seconds(&clock) - 1))
            .await
            .id;
        let backend = connections.store().backend();
        assert!(
            backend
                .try_lease(&id, "another-process", Duration::from_secs(30))
                .await
                .unwrap()
        );
        assert!(matches!(
            connections.access_token(&id).await,
            Err(ConnectionError::Busy { .. })
        ));
        assert_eq!(
            http.count("/token"),
            0,
            "the other holder's refresh is left to it"
        );
        // By the store's clock, the other process's lease runs out.
        clock.advance(Duration::from_secs(31));
        assert_eq!(
            connections.access_token(&id).await.unwrap().expose_secret(),
            "fresh-1"
        );
    }

    /// A token endpoint for client credentials: `cc-<n>` valid ten minutes, no refresh token;
    /// `invalid_client` once `refuse` is set.
    fn machine_endpoint(refuse: Arc<std::sync::atomic::AtomicBool>) -> FakeHttp {
        let issued = std::sync::atomic::AtomicUsize::new(0);
        FakeHttp::answering(move |request| {
            use std::sync::atomic::Ordering;
            if refuse.load(Ordering::SeqCst) {
                return (401, r#"{"error":"invalid_client"}"#.to_owned());
            }
            let body = String::from_utf8_lossy(request.body()).into_owned();
            assert!(body.starts_with("grant_type=client_credentials&"), "{body}");
            let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
            (
                200,
                format!(r#"{{"access_token":"cc-{n}","token_type":"Bearer","expires_in":600}}"#),
            )
        })
    }

    fn owner_client() -> ClientCredentials {
        ClientCredentials::new(
            ClientId::new("owner-id"),
            Some(ClientSecret::new("owner-s3cret")),
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_machine_token_is_obtained_again_once_when_it_expires() {
        let clock = ManualClock::now();
        let refuse = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let http = machine_endpoint(Arc::clone(&refuse));
        let (connections, events) = connections(&clock, http.clone());
        let stored = connections
            .connect_client_credentials(
                UnitMachine::DEFINITION.id(),
                "owner",
                Some(owner_client()),
                &InputValues::new(),
            )
            .await
            .unwrap();
        assert_eq!(http.count("/token"), 1, "the first token, before storing");
        let sent = http.sent.lock().unwrap()[0].clone();
        let body = String::from_utf8(sent.body().clone()).unwrap();
        assert_eq!(
            body,
            "grant_type=client_credentials&scope=read&audience=api&client_id=owner-id&client_secret=owner-s3cret"
        );
        assert_eq!(stored.scopes_granted, ["read"]);
        assert!(!format!("{stored:?}").contains("owner-s3cret"));
        let id = stored.id;
        assert_eq!(
            connections.access_token(&id).await.unwrap().expose_secret(),
            "cc-1"
        );
        // Past the margin of its ten minutes: twenty callers, one new token.
        clock.advance(Duration::from_secs(600 - 30));
        let connections = Arc::new(connections);
        let mut callers = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let (connections, id) = (Arc::clone(&connections), id.clone());
            callers.spawn(async move { connections.access_token(&id).await.unwrap() });
        }
        for token in callers.join_all().await {
            assert_eq!(token.expose_secret(), "cc-2");
        }
        assert_eq!(http.count("/token"), 2);
        // The owner's client was read back from the seal for that request.
        let again = http.sent.lock().unwrap()[1].clone();
        assert!(String::from_utf8_lossy(again.body()).contains("client_secret=owner-s3cret"));
        let reread = connections.store().require(&id).await.unwrap();
        assert_eq!(reread.client, Some(owner_client()));
        assert!(reread.refreshed_at.is_some());
        assert_eq!(
            events.all(),
            [
                ConnectionEvent::Created {
                    connection_id: id.clone()
                },
                ConnectionEvent::Refreshed {
                    connection_id: id.clone()
                }
            ]
        );
        // The background refresher sees it as due, by its expiry alone.
        let due = connections
            .store()
            .due_within(connections.store().now().await, Duration::from_secs(601))
            .await
            .unwrap();
        assert_eq!(due.len(), 1);
    }

    #[tokio::test]
    async fn a_refused_machine_token_is_a_failure_never_a_reconnect() {
        let clock = ManualClock::now();
        let refuse = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let http = machine_endpoint(Arc::clone(&refuse));
        let (connections, events) = connections(&clock, http.clone());
        let id = connections
            .connect_client_credentials(
                UnitMachine::DEFINITION.id(),
                "owner",
                Some(owner_client()),
                &InputValues::new(),
            )
            .await
            .unwrap()
            .id;
        refuse.store(true, std::sync::atomic::Ordering::SeqCst);
        clock.advance(Duration::from_secs(600));
        let error = connections.access_token(&id).await.unwrap_err();
        assert!(
            matches!(&error, ConnectionError::Refresh { source, .. } if source.oauth_code() == Some(&OAuthErrorCode::InvalidClient)),
            "{error:?}"
        );
        let stored = connections.store().require(&id).await.unwrap();
        assert_eq!(stored.status, ConnectionStatus::Active);
        assert_eq!(stored.health.failures, 1);
        assert!(matches!(
            events.all().last(),
            Some(ConnectionEvent::RefreshFailed { .. })
        ));
        // The next call asks again, and recovers once the provider accepts.
        refuse.store(false, std::sync::atomic::Ordering::SeqCst);
        assert_eq!(
            connections.access_token(&id).await.unwrap().expose_secret(),
            "cc-2"
        );
        assert!(matches!(
            events.all().last(),
            Some(ConnectionEvent::Recovered { .. })
        ));
    }

    #[tokio::test]
    async fn whose_client_is_checked_and_a_refused_first_token_stores_nothing() {
        let clock = ManualClock::now();
        let refuse = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let http = machine_endpoint(Arc::clone(&refuse));
        let (connections, _) = connections(&clock, http.clone());
        let none = InputValues::new();
        assert!(matches!(
            connections
                .connect_client_credentials(UnitMachine::DEFINITION.id(), "o", None, &none)
                .await,
            Err(ConnectionError::OwnerClientMissing { .. })
        ));
        assert!(matches!(
            connections
                .connect_client_credentials(
                    UnitPlatform::DEFINITION.id(),
                    "o",
                    Some(owner_client()),
                    &none
                )
                .await,
            Err(ConnectionError::PlatformClient { .. })
        ));
        assert!(matches!(
            connections
                .connect_client_credentials(Unit::DEFINITION.id(), "o", None, &none)
                .await,
            Err(ConnectionError::UnknownDefinition { .. })
        ));
        assert_eq!(http.count("/token"), 0);
        refuse.store(true, std::sync::atomic::Ordering::SeqCst);
        let refused = connections
            .connect_client_credentials(
                UnitMachine::DEFINITION.id(),
                "o",
                Some(owner_client()),
                &none,
            )
            .await
            .unwrap_err();
        assert!(matches!(refused, ConnectionError::FirstToken { .. }));
        assert!(!refused.to_string().contains("owner-s3cret"));
        assert!(connections.store().list_all().await.unwrap().is_empty());
        // The platform's client comes from the source, and is not stored.
        refuse.store(false, std::sync::atomic::Ordering::SeqCst);
        let platform = connections
            .connect_client_credentials(UnitPlatform::DEFINITION.id(), "o", None, &none)
            .await
            .unwrap();
        assert_eq!(platform.client, None);
        let sent = http.sent.lock().unwrap().last().unwrap().clone();
        assert!(String::from_utf8_lossy(sent.body()).contains("client_id=platform-id"));
    }
}
