//! Credentials the end user types in (API key, username and password, key pair): stored sealed
//! beside OAuth2 connections, never confused with them, and put on requests by
//! `Connections::send` where their definition says.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};

use connkit::credentials::ClientCredentialMap;
use connkit::http::{HttpClient, HttpError};
use connkit::store::{
    Backend, ConnectionError, Connections, Credential, NewCredential, SqliteBackend, Store,
    StoreError,
};
use connkit::{
    AppDefinition, Registry, api_key_connection, app, basic_auth_connection,
    definition::BasicCredentials, definition::ConnectionType, definition::InputError,
    definition::InputValues, definition::KeyPair, key_pair_connection, registry, secret::ApiKey,
    secret::Password, secret::PrivateKey,
};

#[api_key_connection(
    id = "acme_connection_api-key",
    name = "API key",
    description = "Acme API key",
    inputs = { region = { label = "Region", pattern = "eu|us", default = "eu" } },
    header = "Authorization",
    prefix = "Bearer ",
)]
struct AcmeKey;

#[basic_auth_connection(
    id = "acme_connection_basic-auth",
    name = "Basic",
    description = "Acme login"
)]
struct AcmeBasic;

#[key_pair_connection(
    id = "acme_connection_key-pair",
    name = "Key pair",
    description = "Acme keys"
)]
struct AcmePair;

#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read"],
)]
struct Acme;

fn key(id: &str, byte: u8) -> connkit::store::SealingKey {
    connkit::store::SealingKey::from_bytes(id, &[byte; 32]).unwrap()
}

fn keyring() -> connkit::store::Keyring {
    connkit::store::Keyring::new(key("k1", 1))
}

const ACME: AppDefinition = app! {
    id: "acme", name: "Acme", description: "Acme", logo_url: "https://acme.example/logo.svg",
    connections: [Acme, AcmeKey, AcmeBasic, AcmePair],
};
const REGISTRY: Registry = registry![ACME];

const KEY: &str = "acme-api-key-51f0";
const PASSWORD: &str = "acme-password-8d2c";
const PRIVATE: &str = "acme-private-key-77aa";

/// Answers 200 to everything and records what it was sent.
#[derive(Default, Clone)]
struct Recorder(Arc<Mutex<Vec<http::Request<Vec<u8>>>>>);

impl HttpClient for Recorder {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, HttpError> {
        self.0.lock().unwrap().push(request);
        Ok(http::Response::builder()
            .status(200)
            .body(Vec::new())
            .unwrap())
    }
}

fn connections(
    store: Store<SqliteBackend>,
    recorder: &Recorder,
) -> Connections<SqliteBackend, Recorder, ClientCredentialMap> {
    Connections::new(
        store,
        REGISTRY,
        ClientCredentialMap::new(),
        recorder.clone(),
        "https://app.example/cb",
    )
    .unwrap()
}

fn get() -> http::Request<Vec<u8>> {
    http::Request::get("https://api.acme.example/me")
        .body(Vec::new())
        .unwrap()
}

#[tokio::test]
async fn key_rotation_reseals_credentials_too() {
    let old = Store::new(SqliteBackend::in_memory().unwrap(), keyring());
    let stored = old
        .insert_credential(NewCredential::new(
            "owner",
            AcmePair::CONNECTION_DEFINITION,
            Credential::KeyPair(KeyPair::new("pub", PrivateKey::new(PRIVATE))),
        ))
        .await
        .unwrap();
    let backend = old.backend().clone();
    let newer = connkit::store::Keyring::new(key("k2", 2))
        .with_older(key("k1", 1))
        .unwrap();
    let rotated = Store::new(backend, newer);
    let rotation = rotated.rotate_keys(10).await.unwrap();
    assert_eq!(rotation.resealed, 1);
    assert!(rotation.done);
    let row = rotated.backend().get(&stored.id).await.unwrap().unwrap();
    assert_eq!(row.key_id, "k2");
    assert_eq!(
        rotated
            .credential(&stored.id)
            .await
            .unwrap()
            .unwrap()
            .credential,
        stored.credential
    );
}

#[tokio::test]
async fn send_puts_each_credential_where_its_definition_says() {
    let recorder = Recorder::default();
    let connections = connections(
        Store::new(SqliteBackend::in_memory().unwrap(), keyring()),
        &recorder,
    );
    let key = connections
        .store_credential(
            AcmeKey::DEFINITION.id(),
            "owner",
            Credential::ApiKey {
                key: ApiKey::new(KEY),
            },
            &InputValues::new(),
        )
        .await
        .unwrap();
    assert_eq!(
        key.inputs.get("region"),
        Some("eu"),
        "the default is stored"
    );
    let basic = connections
        .store_credential(
            AcmeBasic::DEFINITION.id(),
            "owner",
            Credential::BasicAuth(BasicCredentials::new("me", Password::new(PASSWORD))),
            &InputValues::new(),
        )
        .await
        .unwrap();
    let pair = connections
        .store_credential(
            AcmePair::DEFINITION.id(),
            "owner",
            Credential::KeyPair(KeyPair::new("pub", PrivateKey::new(PRIVATE))),
            &InputValues::new(),
        )
        .await
        .unwrap();
    connections.send(&key.id, get()).await.unwrap();
    connections.send(&basic.id, get()).await.unwrap();
    {
        let sent = recorder.0.lock().unwrap();
        assert_eq!(sent.len(), 2);
        assert_eq!(
            sent[0].headers()["authorization"],
            format!("Bearer {KEY}").as_str()
        );
        assert!(sent[0].headers()["authorization"].is_sensitive());
        use base64::Engine as _;
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("me:{PASSWORD}"));
        assert_eq!(
            sent[1].headers()["authorization"],
            format!("Basic {basic}").as_str()
        );
    }
    assert!(matches!(
        connections.send(&pair.id, get()).await,
        Err(ConnectionError::SignedByTheApp { .. })
    ));
    assert!(matches!(
        connections.access_token(&key.id).await,
        Err(ConnectionError::Store(StoreError::WrongKind { .. }))
    ));
    // A refused input value is never stored.
    let refused = connections
        .store_credential(
            AcmeKey::DEFINITION.id(),
            "owner",
            Credential::ApiKey {
                key: ApiKey::new(KEY),
            },
            &InputValues::new().with("region", "mars"),
        )
        .await;
    assert!(matches!(
        refused,
        Err(ConnectionError::Input(InputError::Pattern {
            input: "region",
            ..
        }))
    ));
    assert_eq!(
        connections
            .store()
            .credentials_by_owner("owner")
            .await
            .unwrap()
            .len(),
        3
    );
    assert!(connections.delete(&key.id).await.unwrap());
    assert!(connections.send(&key.id, get()).await.is_err());
    assert_eq!(recorder.0.lock().unwrap().len(), 2, "nothing else was sent");
}
