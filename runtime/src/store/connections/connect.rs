//! New connections and re-consent from the authorization flow, credentials the user gives,
//! and deletion (with revocation at the provider).

use std::time::Duration;

use super::tokens::renewed;
use super::{ConnectionError, ConnectionEvent, Connections, PendingConnection, PendingDevice};
use crate::credentials::{ClientCredentialSource, ClientCredentials};
use crate::definition::{ClientHolder, InputValues, OAuth2Definition};
use crate::http::HttpClient;
use crate::oauth2::AuthorizationRequest;
use crate::store::backend::Backend;
use crate::store::credential::{Credential, NewCredential, StoredCredential};
use crate::store::store::{
    ConnectionStatus, NewConnection, OwnerParts, StoredConnection, requested_and_granted,
};
use url::Url;

impl<B, H, C> Connections<B, H, C>
where
    B: Backend,
    H: HttpClient + Sync,
    C: ClientCredentialSource + Sync,
{
    /// Stores a credential the end user gave (an API key, a username and password, a key
    /// pair) for a connection of `definition_id`, with the values of its inputs, checked
    /// against their patterns first.
    ///
    /// # Errors
    /// [`ConnectionError::UnknownDefinition`], [`ConnectionError::Input`] naming the input,
    /// [`StoreError::WrongKind`](crate::store::StoreError::WrongKind) for an OAuth2 definition or a credential of another kind, or
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

    /// Connects `owner` with a client-credentials definition: obtains the first token (so that
    /// a wrong client is refused now, and nothing is stored), then stores the connection with
    /// its input values, and `client` sealed with it. Give the owner's `client` for a
    /// definition with `client = "owner"`, and `None` for one with `client = "platform"` (the
    /// credential source gives it). From then on, [`access_token`](Self::access_token) obtains
    /// a new token when the stored one is within the policy's margin of expiry, under the same
    /// lease as a refresh.
    ///
    /// ```no_run
    /// # use connkit::{credentials::ClientCredentialSource, http::HttpClient, store::Backend};
    /// # async fn run<B: Backend, H: HttpClient + Sync, C: ClientCredentialSource + Sync>(
    /// #     connections: &connkit::store::Connections<B, H, C>,
    /// # ) -> Result<(), Box<dyn std::error::Error>> {
    /// use connkit::credentials::{ClientCredentials, ClientId};
    /// use connkit::definition::InputValues;
    /// use connkit::secret::ClientSecret;
    ///
    /// let client = ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret")));
    /// let account = InputValues::new().with("account_id", "AbC");
    /// let stored = connections
    ///     .connect_client_credentials("zoom_connection_client-credentials", "workspace-1", Some(client), &account)
    ///     .await?;
    /// let token = connections.access_token(&stored.id).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`ConnectionError::UnknownDefinition`] (also for a definition of another kind),
    /// [`ConnectionError::OwnerClientMissing`], [`ConnectionError::PlatformClient`],
    /// [`ConnectionError::Client`] for an input or the credential source,
    /// [`ConnectionError::FirstToken`] when the provider refuses, or the store's errors.
    pub async fn connect_client_credentials(
        &self,
        definition_id: &str,
        owner: &str,
        client: Option<ClientCredentials>,
        inputs: &InputValues,
    ) -> Result<StoredConnection, ConnectionError> {
        let definition = self
            .any_definition(definition_id)?
            .as_client_credentials()
            .ok_or_else(|| ConnectionError::UnknownDefinition {
                definition_id: definition_id.to_owned(),
            })?;
        let machine = self.machine_client(definition, client.clone(), inputs)?;
        #[cfg(feature = "jwt")]
        let (machine, dpop) = if definition.dpop() {
            let (key, sealed) = super::new_dpop_key()?;
            (machine.with_dpop(key), Some(sealed))
        } else {
            (machine, None)
        };
        #[cfg(not(feature = "jwt"))]
        let dpop: Option<crate::secret::PrivateKey> = None;
        let clock = self.store.clock().await;
        let tokens = machine
            .obtain_with_clock(&self.http, clock)
            .await
            .map_err(|source| ConnectionError::FirstToken {
                definition_id: definition.id(),
                source,
            })?;
        let inputs = machine.inputs().clone();
        // Only an owner's client is kept: a platform's comes from the source every time.
        let client = client.filter(|_| definition.client() == ClientHolder::Owner);
        let scopes = crate::store::store::scopes_of(definition.scopes(), &tokens);
        let parts = OwnerParts {
            client,
            dpop,
            ..OwnerParts::default()
        };
        let stored = self
            .store
            .insert_tokens(owner, definition.id(), scopes, tokens, inputs, parts)
            .await?;
        self.emit(ConnectionEvent::Created {
            connection_id: stored.id.clone(),
        });
        Ok(stored)
    }

    /// Connects `owner` with a JWT-bearer definition (feature `jwt`): obtains the first token
    /// with an assertion signed by `key` (so that a key or claims the provider refuses are
    /// refused now, and nothing is stored), then stores the connection with its input values
    /// and the key sealed with it. `key.public_key` is the key id the provider knows the key
    /// by (`kid`), or empty; [`ServiceAccountKey`](crate::jwt::ServiceAccountKey) reads one
    /// from a Google service account's key file. From then on,
    /// [`access_token`](Self::access_token) obtains a new token with a new assertion when the
    /// stored one is within the policy's margin of expiry, under the same lease as a refresh.
    ///
    /// # Errors
    /// [`ConnectionError::UnknownDefinition`] (also for a definition of another kind),
    /// [`ConnectionError::Client`] for an input or a key that cannot sign,
    /// [`ConnectionError::FirstToken`] when the provider refuses, or the store's errors.
    #[cfg(feature = "jwt")]
    pub async fn connect_jwt_bearer(
        &self,
        definition_id: &str,
        owner: &str,
        key: crate::definition::KeyPair,
        inputs: &InputValues,
    ) -> Result<StoredConnection, ConnectionError> {
        let definition = self
            .any_definition(definition_id)?
            .as_jwt_bearer()
            .ok_or_else(|| ConnectionError::UnknownDefinition {
                definition_id: definition_id.to_owned(),
            })?;
        let bearer = self.bearer_client(definition, Some(&key), inputs)?;
        let clock = self.store.clock().await;
        let tokens = bearer
            .obtain_with_clock(&self.http, clock)
            .await
            .map_err(|source| ConnectionError::FirstToken {
                definition_id: definition.id(),
                source,
            })?;
        let inputs = bearer.inputs().clone();
        let stored = self
            .store
            .insert_jwt_bearer(owner, definition, tokens, inputs, key)
            .await?;
        self.emit(ConnectionEvent::Created {
            connection_id: stored.id.clone(),
        });
        Ok(stored)
    }

    /// Starts a device authorization (RFC 8628) for a new connection of `definition_id` (an
    /// OAuth2 definition with a `device_authorization_url`) for `owner`: show the user the
    /// [`PendingDevice`]'s user code and verification URI (on any device), then call
    /// [`complete_device`](Self::complete_device).
    ///
    /// ```no_run
    /// # use connkit::{credentials::ClientCredentialSource, http::HttpClient, store::Backend};
    /// # async fn run<B: Backend, H: HttpClient + Sync, C: ClientCredentialSource + Sync>(
    /// #     connections: &connkit::store::Connections<B, H, C>,
    /// # ) -> Result<(), Box<dyn std::error::Error>> {
    /// let none = connkit::definition::InputValues::new();
    /// let pending = connections.start_device("github_connection_oauth2", "workspace-1", &none).await?;
    /// let device = &pending.authorization;
    /// println!("Enter {} at {}", device.user_code, device.verification_uri);
    /// let stored = connections.complete_device(pending).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`ConnectionError::UnknownDefinition`], [`ConnectionError::Client`],
    /// [`ConnectionError::Device`] when the definition has no device endpoint or the provider
    /// refuses.
    pub async fn start_device(
        &self,
        definition_id: &str,
        owner: &str,
        inputs: &InputValues,
    ) -> Result<PendingDevice, ConnectionError> {
        let definition = self.definition(definition_id)?;
        let client = self.client(definition, inputs)?;
        let request = client.device_authorization_request()?;
        let response = self
            .http
            .send(request)
            .await
            .map_err(|error| crate::oauth2::DeviceError::Token(error.into()))?;
        let now = self.store.now().await;
        let authorization = client.read_device_authorization(&response, now)?;
        Ok(PendingDevice {
            authorization,
            definition_id: definition_id.to_owned(),
            owner: owner.to_owned(),
            inputs: client.inputs().clone(),
        })
    }

    /// Polls until the user approves the [`PendingDevice`]'s code on their device, then stores
    /// the connection: waiting the interval between polls, five seconds longer after each
    /// `slow_down`. Once, whatever copies of it exist: its device code, hashed, is claimed
    /// across every process sharing the store before the connection is stored.
    ///
    /// # Errors
    /// [`ConnectionError::Exchange`] with `access_denied` (the user refused) or
    /// `expired_token` (the codes expired first), [`ConnectionError::AlreadyCompleted`], or the
    /// store's errors.
    pub async fn complete_device(
        &self,
        pending: PendingDevice,
    ) -> Result<StoredConnection, ConnectionError> {
        let PendingDevice {
            mut authorization,
            definition_id,
            owner,
            inputs,
        } = pending;
        let definition = self.definition(&definition_id)?;
        let client = self.client(definition, &inputs)?;
        let tokens = loop {
            tokio::time::sleep(authorization.interval).await;
            let clock = self.store.clock().await;
            if authorization.expired_at(clock()) {
                return Err(crate::oauth2::device_expired().into());
            }
            let response = self
                .http
                .send(client.device_token_request(&authorization)?)
                .await
                .map_err(crate::oauth2::TokenError::from)?;
            match client.read_device_token_response(&mut authorization, &response, clock())? {
                crate::oauth2::DevicePoll::Tokens(tokens) => break tokens,
                _ => continue,
            }
        };
        let claim = device_claim(&authorization.device_code);
        let lasting = Duration::from_secs(
            authorization
                .expires_at
                .saturating_sub(crate::clock::unix_seconds(crate::clock::now())),
        );
        if !self
            .store
            .claim_once(&claim, lasting.max(Duration::from_secs(1)))
            .await?
        {
            return Err(ConnectionError::AlreadyCompleted { definition_id });
        }
        let stored = self
            .store
            .insert(NewConnection::new(&owner, definition, tokens).with_inputs(inputs))
            .await?;
        self.emit(ConnectionEvent::Created {
            connection_id: stored.id.clone(),
        });
        let missing = stored.missing_scopes(definition);
        if !missing.is_empty() {
            self.emit(ConnectionEvent::MissingScopes {
                connection_id: stored.id.clone(),
                scopes: missing,
            });
        }
        Ok(stored)
    }

    /// Starts an authorization for a new connection of `definition_id` for `owner`: send the
    /// user to the URL, keep the [`PendingConnection`] in their session until the callback.
    /// When the definition declares a `par_url`, the request is pushed to the provider first
    /// (RFC 9126), and the URL carries only the client id and the `request_uri`.
    ///
    /// # Errors
    /// [`ConnectionError::UnknownDefinition`], [`ConnectionError::Client`], randomness, or
    /// [`ConnectionError::Push`] when the provider refuses the pushed request.
    pub async fn connect(
        &self,
        definition_id: &str,
        owner: &str,
    ) -> Result<(Url, PendingConnection), ConnectionError> {
        self.connect_with_inputs(definition_id, owner, &InputValues::new())
            .await
    }

    /// [`connect`](Self::connect) for a definition with inputs: `inputs` are the values the
    /// user gave (checked now, against each input's pattern and position), kept with the
    /// pending connection and stored with the connection.
    ///
    /// # Errors
    /// As `connect`; [`ConnectionError::Client`] wraps an input error naming the input.
    pub async fn connect_with_inputs(
        &self,
        definition_id: &str,
        owner: &str,
        inputs: &InputValues,
    ) -> Result<(Url, PendingConnection), ConnectionError> {
        self.start(self.definition(definition_id)?, owner, None, inputs, None)
            .await
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
        .await
    }

    /// The authorization request, pushed first (RFC 9126) when the definition declares a
    /// `par_url`: then the URL carries only `client_id` and the `request_uri`.
    async fn start(
        &self,
        definition: &'static OAuth2Definition,
        owner: &str,
        reconnect: Option<String>,
        inputs: &InputValues,
        only_scopes: Option<&[&'static str]>,
    ) -> Result<(Url, PendingConnection), ConnectionError> {
        let client = self.client(definition, inputs)?;
        let request = match only_scopes {
            Some(scopes) => client.authorize_incremental(scopes)?,
            None => client.authorize()?,
        };
        let AuthorizationRequest { url, pending } = match client.par_request(&request) {
            None => request,
            Some(push) => {
                let response = self
                    .http
                    .send(push.map_err(ConnectionError::Push)?)
                    .await
                    .map_err(|error| ConnectionError::Push(error.into()))?;
                client
                    .read_par_response(request, &response)
                    .map_err(ConnectionError::Push)?
            }
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
    /// store ([`Store::claim_once`](crate::store::Store::claim_once)) so that it completes once across every copy of `pending`
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
        // The tokens of a DPoP definition are bound to a key made for this connection, at the
        // code exchange (no key travels in the pending authorization).
        #[cfg(feature = "jwt")]
        let (client, dpop) = if definition.dpop() {
            let (key, sealed) = super::new_dpop_key()?;
            (client.with_dpop(key), Some(sealed))
        } else {
            (client, None)
        };
        #[cfg(not(feature = "jwt"))]
        let dpop: Option<crate::secret::PrivateKey> = None;
        let claim = authorization_claim(pending.pending.state());
        let expires_at = pending.pending.expires_at;
        let completed = client.complete(pending.pending, callback)?;
        // Once, whatever copies of the pending authorization exist (it serializes): its state,
        // hashed, is claimed across every process sharing the store before the code goes out.
        let lasting = Duration::from_secs(
            expires_at.saturating_sub(crate::clock::unix_seconds(crate::clock::now())),
        );
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
                let scopes = requested_and_granted(definition, &tokens);
                let parts = OwnerParts {
                    dpop,
                    ..OwnerParts::default()
                };
                let stored = self
                    .store
                    .insert_tokens(
                        &pending.owner,
                        definition.id(),
                        scopes,
                        tokens,
                        pending.inputs,
                        parts,
                    )
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
                connection.dpop = dpop;
                connection.status = ConnectionStatus::Active;
                renewed(&mut connection, crate::clock::now_to_the_second());
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
        #[cfg(feature = "jwt")]
        self.forget_dpop_key(id);
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
}

/// The key under which a device authorization is claimed when it is completed: a hash, never
/// the device code itself.
fn device_claim(code: &crate::secret::DeviceCode) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(code.expose_secret().as_bytes());
    format!(
        "device:{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    )
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use super::super::test_support::{
        FakeHttp, Unit, connections, seconds, stored, tokens_expiring,
    };
    use crate::store::{ConnectionError, ConnectionEvent, ConnectionStatus, ManualClock};

    fn callback_for(pending: &super::PendingConnection) -> String {
        format!(
            "http://127.0.0.1/cb?code=the-code&state={}",
            pending.pending.state().expose_secret()
        )
    }

    #[tokio::test]
    async fn an_authorization_completes_once_whatever_copies_of_it_exist() {
        let clock = ManualClock::now();
        let http = FakeHttp::new();
        let (connections, events) = connections(&clock, http.clone());
        let (url, pending) = connections
            .connect(Unit::DEFINITION.id(), "owner")
            .await
            .unwrap();
        assert!(
            url.as_str()
                .starts_with("https://auth.unit.example/authorize?")
        );
        let callback = callback_for(&pending);
        let copy = serde_json::to_string(&pending).unwrap();
        let stored = connections.complete(pending, &callback).await.unwrap();
        assert_eq!(stored.tokens.access_token().expose_secret(), "fresh-1");
        assert_eq!(stored.owner, "owner");
        let again = serde_json::from_str(&copy).unwrap();
        assert!(matches!(
            connections.complete(again, &callback).await,
            Err(ConnectionError::AlreadyCompleted { .. })
        ));
        assert_eq!(http.count("/token"), 1, "one code exchange");
        assert_eq!(connections.store().list_all().await.unwrap().len(), 1);
        assert_eq!(
            events.all(),
            [ConnectionEvent::Created {
                connection_id: stored.id
            }]
        );
    }

    #[tokio::test]
    async fn a_reconnect_updates_the_same_connection() {
        let clock = ManualClock::now();
        let http = FakeHttp::new();
        let (connections, _) = connections(&clock, http.clone());
        let mut before = stored(&connections, tokens_expiring(seconds(&clock) + 3600)).await;
        before.status = ConnectionStatus::NeedsReconnect;
        let before = connections.store().save(&before).await.unwrap();
        let (_, pending) = connections.reconnect(&before.id).await.unwrap();
        let callback = callback_for(&pending);
        let after = connections.complete(pending, &callback).await.unwrap();
        assert_eq!(after.id, before.id);
        assert_eq!(after.status, ConnectionStatus::Active);
        assert_eq!(after.tokens.access_token().expose_secret(), "fresh-1");
        assert_eq!(connections.store().list_all().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn delete_revokes_at_the_provider_then_removes_the_row() {
        let clock = ManualClock::now();
        let http = FakeHttp::new();
        let (connections, events) = connections(&clock, http.clone());
        let id = stored(&connections, tokens_expiring(seconds(&clock) + 3600))
            .await
            .id;
        assert!(connections.delete(&id).await.unwrap());
        assert_eq!(http.count("/revoke"), 1);
        assert!(connections.store().get(&id).await.unwrap().is_none());
        assert_eq!(
            events.all(),
            [ConnectionEvent::Revoked {
                connection_id: id.clone()
            }]
        );
        assert!(!connections.delete(&id).await.unwrap(), "nothing left");
    }
}
