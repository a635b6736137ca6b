//! What the unit tests of each job share: a definition, a token endpoint and resource server
//! played by a fake HTTP client that counts what it is sent, and connections over a
//! `MemoryBackend` on a manual clock.

#![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::credentials::ClientId;
use crate::credentials::{ClientCredentialMap, ClientCredentials};
use crate::http::{HttpClient, HttpError};
use crate::secret::ClientSecret;
use crate::store::{
    ConnectionEvent, Connections, Keyring, ManualClock, MemoryBackend, NewConnection, SealingKey,
    Store, StoredConnection,
};
use crate::{AppDefinition, Registry, TokenSet, app, registry};

#[crate::oauth2_connection(
    id = "unit_connection_oauth2",
    name = "OAuth2",
    description = "The unit tests' provider",
    authorize_url = "https://auth.unit.example/authorize",
    token_url = "https://auth.unit.example/token",
    revoke_url = "https://auth.unit.example/revoke",
    scopes = ["read"],
)]
pub(super) struct Unit;

#[crate::api_key_connection(
    id = "unit_connection_api-key",
    name = "API key",
    description = "The unit tests' API key",
    header = "X-Api-Key"
)]
pub(super) struct UnitKey;

#[crate::client_credentials_connection(
    id = "unit_connection_client-credentials",
    name = "Client credentials",
    description = "The unit tests' machine client, given by each owner",
    token_url = "https://auth.unit.example/token",
    scopes = ["read"],
    token_params = { audience = "{audience}" },
    inputs = { audience = { label = "Audience", default = "api" } },
)]
pub(super) struct UnitMachine;

#[crate::client_credentials_connection(
    id = "unit_connection_client-credentials-platform",
    name = "Client credentials",
    description = "The unit tests' machine client, the platform's",
    token_url = "https://auth.unit.example/token",
    client = "platform"
)]
pub(super) struct UnitPlatform;

const UNIT: AppDefinition = app! {
    id: "unit", name: "Unit", description: "Unit", logo_url: "https://unit.example/logo.svg",
    connections: [Unit, UnitKey, UnitMachine, UnitPlatform],
};
pub(super) const REGISTRY: Registry = registry![UNIT];

/// Answers a request: its status and JSON body.
type Answer = dyn Fn(&http::Request<Vec<u8>>) -> (u16, String) + Send + Sync;

/// A token endpoint and resource server in one: every request is kept; the token endpoint
/// issues `fresh-<n>` / `rt-<n>` (valid an hour) unless told otherwise.
#[derive(Clone)]
pub(super) struct FakeHttp {
    pub(super) sent: Arc<Mutex<Vec<http::Request<Vec<u8>>>>>,
    answer: Arc<Answer>,
}

impl FakeHttp {
    pub(super) fn new() -> Self {
        let issued = AtomicUsize::new(0);
        Self::answering(move |request| {
            if request.uri().path() == "/token" {
                let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
                (
                    200,
                    format!(
                        r#"{{"access_token":"fresh-{n}","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-{n}"}}"#
                    ),
                )
            } else {
                (200, "{}".to_owned())
            }
        })
    }

    /// A server answering every request with `answer`.
    pub(super) fn answering(
        answer: impl Fn(&http::Request<Vec<u8>>) -> (u16, String) + Send + Sync + 'static,
    ) -> Self {
        Self {
            sent: Arc::default(),
            answer: Arc::new(answer),
        }
    }

    /// How many requests went to `path`.
    pub(super) fn count(&self, path: &str) -> usize {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .filter(|request| request.uri().path() == path)
            .count()
    }
}

impl HttpClient for FakeHttp {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, HttpError> {
        let (status, body) = (self.answer)(&request);
        self.sent.lock().unwrap().push(request);
        // A moment, so that concurrent callers overlap.
        tokio::time::sleep(Duration::from_millis(5)).await;
        Ok(http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(body.into_bytes())
            .unwrap())
    }
}

pub(super) type TestConnections = Connections<MemoryBackend, FakeHttp, ClientCredentialMap>;

/// Connections over a fresh `MemoryBackend` on `clock` (the store reads it at every call).
pub(super) fn connections(clock: &ManualClock, http: FakeHttp) -> (TestConnections, Events) {
    let mut credentials = ClientCredentialMap::new();
    credentials.insert(
        Unit::DEFINITION.id(),
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret"))),
    );
    credentials.insert(
        UnitPlatform::DEFINITION.id(),
        ClientCredentials::new(
            ClientId::new("platform-id"),
            Some(ClientSecret::new("platform-secret")),
        ),
    );
    let store = Store::new(
        MemoryBackend::with_clock(clock.clone()),
        Keyring::new(SealingKey::from_bytes("k", &[9; 32]).unwrap()),
    )
    .with_clock_check(Duration::ZERO);
    let events = Events::default();
    let recorded = events.clone();
    let connections = Connections::new(store, REGISTRY, credentials, http, "http://127.0.0.1/cb")
        .unwrap()
        .on_event(move |event| recorded.0.lock().unwrap().push(event.clone()));
    (connections, events)
}

/// The events emitted, in order.
#[derive(Clone, Default)]
pub(super) struct Events(Arc<Mutex<Vec<ConnectionEvent>>>);

impl Events {
    pub(super) fn all(&self) -> Vec<ConnectionEvent> {
        self.0.lock().unwrap().clone()
    }
}

/// Tokens expiring at `expires_at` (Unix seconds), with a refresh token.
pub(super) fn tokens_expiring(expires_at: i64) -> TokenSet {
    serde_json::from_value(serde_json::json!({
        "access_token": "stored-access",
        "refresh_token": "stored-refresh",
        "expires_at": expires_at,
    }))
    .unwrap()
}

/// Stores a connection of `Unit` with `tokens`.
pub(super) async fn stored(connections: &TestConnections, tokens: TokenSet) -> StoredConnection {
    connections
        .store()
        .insert(NewConnection {
            owner: "owner",
            definition: Unit::DEFINITION,
            tokens,
            inputs: crate::definition::InputValues::new(),
        })
        .await
        .unwrap()
}

/// The manual clock's time in Unix seconds.
pub(super) fn seconds(clock: &ManualClock) -> i64 {
    clock.unix_ms().div_euclid(1000)
}
