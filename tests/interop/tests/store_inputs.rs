//! A stored connection with inputs against the real oidc-provider: the user names the server
//! (a whole-host input, allowed by `hosts`), the value is checked before the authorization
//! starts, stored sealed with the tokens, used again for every refresh, and deleting the
//! connection revokes its refresh token at the provider (RFC 7009).

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::{Browser, require_server};
use connkit::credentials::{ClientCredentialMap, ClientCredentials};
use connkit::http::ReqwestClient;
use connkit::store::{ConnectionError, ConnectionEvent, Connections, SqliteBackend, Store};
use connkit::{
    AppDefinition, OAuth2Client, Registry, TokenSet, app, credentials::ClientId,
    definition::InputError, definition::InputValues, oauth2::ClientError, oauth2::OAuthErrorCode,
    oauth2_connection, registry, secret::ClientSecret,
};
use connkit_interop::{REDIRECT_URI, keyring};

const ADDRESS: &str = "127.0.0.1:18081";

#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-self-hosted",
    name = "oidc-provider, host from the user",
    description = "client_secret_post client on a server the user names",
    inputs = { host = { label = "Server" } },
    hosts = ["127.0.0.1"],
    authorize_url = "http://{host}:18081/auth",
    token_url = "http://{host}:18081/token",
    revoke_url = "http://{host}:18081/token/revocation",
    scopes = ["openid", "offline_access"],
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
struct SelfHosted;

const APP: AppDefinition = app! {
    id: "oidc-provider",
    name: "oidc-provider",
    description: "A real authorization server on loopback",
    logo_url: "http://127.0.0.1:18081/logo.svg",
    connections: [SelfHosted],
};
const REGISTRY: Registry = registry![APP];

fn credentials() -> ClientCredentials {
    ClientCredentials::new(
        ClientId::new("post-client"),
        Some(ClientSecret::new("post-secret")),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn inputs_are_stored_used_for_refresh_and_deleting_revokes() {
    require_server("oidc-provider", ADDRESS);
    let mut map = ClientCredentialMap::new();
    map.insert(SelfHosted::DEFINITION.id(), credentials());
    let events = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&events);
    let connections = Connections::new(
        Store::new(SqliteBackend::in_memory().unwrap(), keyring()),
        REGISTRY,
        map,
        ReqwestClient::new().unwrap(),
        REDIRECT_URI,
    )
    .unwrap()
    .on_event(move |event: &ConnectionEvent| recorded.lock().unwrap().push(event.clone()));
    let id = SelfHosted::DEFINITION.id();

    // A value the definition does not allow never reaches a server.
    let evil = InputValues::new().with("host", "evil.example");
    assert!(matches!(
        connections
            .connect_with_inputs(id, "workspace-1", &evil)
            .await,
        Err(ConnectionError::Client(ClientError::Input(
            InputError::Position { input: "host", .. }
        )))
    ));
    assert!(matches!(
        connections.connect(id, "workspace-1").await,
        Err(ConnectionError::Client(ClientError::Input(
            InputError::Missing { input: "host", .. }
        )))
    ));

    let inputs = InputValues::new().with("host", "127.0.0.1");
    let (url, pending) = connections
        .connect_with_inputs(id, "workspace-1", &inputs)
        .await
        .unwrap();
    assert!(url.as_str().starts_with("http://127.0.0.1:18081/auth?"));
    let pending: connkit::store::PendingConnection =
        serde_json::from_str(&serde_json::to_string(&pending).unwrap()).unwrap();
    let callback = Browser::new()
        .follow_to_callback(url.as_str(), |_| None)
        .await
        .unwrap();
    let stored = connections.complete(pending, &callback).await.unwrap();
    assert_eq!(stored.inputs, inputs);
    assert_eq!(
        connections
            .store()
            .require(&stored.id)
            .await
            .unwrap()
            .inputs,
        inputs
    );

    // Expired: the refresh goes to the server the inputs name.
    let mut expired = stored.clone();
    let mut json = serde_json::to_value(&expired.tokens).unwrap();
    json["expires_at"] = 1.into();
    expired.tokens = serde_json::from_value::<TokenSet>(json).unwrap();
    connections.store().save(&expired).await.unwrap();
    let token = connections.access_token(&stored.id).await.unwrap();
    assert_ne!(&token, stored.tokens.access_token());
    let current = connections.store().require(&stored.id).await.unwrap();

    assert!(connections.delete(&stored.id).await.unwrap());
    let events = events.lock().unwrap().clone();
    assert!(events.contains(&ConnectionEvent::Revoked {
        connection_id: stored.id.clone()
    }));
    assert!(
        !events
            .iter()
            .any(|event| matches!(event, ConnectionEvent::RevocationFailed { .. })),
        "{events:?}"
    );
    // The provider no longer honours the refresh token that was stored.
    let client =
        OAuth2Client::with_inputs(SelfHosted::DEFINITION, credentials(), REDIRECT_URI, &inputs)
            .unwrap();
    let error = client
        .refresh(&ReqwestClient::new().unwrap(), &current.tokens)
        .await
        .unwrap_err();
    assert_eq!(error.oauth_code(), Some(&OAuthErrorCode::InvalidGrant));
}
