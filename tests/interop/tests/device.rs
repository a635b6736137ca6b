//! Device authorization (RFC 8628) against oidc-provider, the user approving the code at the
//! provider's verification page as they would on another device: through the store
//! (`start_device`, `complete_device`) over both HTTP adapters, and through `OAuth2Client`'s
//! blocking polling. The command line's `--device` is in cli.rs.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::require_server;
use connkit::OAuth2Client;
use connkit::credentials::{ClientCredentialMap, ClientCredentials, ClientId};
use connkit::definition::InputValues;
use connkit::http::{HttpClient, OnBlockingThreads, ReqwestClient, UreqClient};
use connkit::oauth2::OAuthErrorCode;
use connkit::secret::ClientSecret;
use connkit::store::{ConnectionError, Connections, SqliteBackend, Store};
use connkit_interop::{CLI_REGISTRY, CliClient, OIDC_PROVIDER, keyring};

const ADDRESS: &str = "127.0.0.1:18081";

fn credentials() -> ClientCredentials {
    ClientCredentials::new(
        ClientId::new("cli-client"),
        Some(ClientSecret::new("cli-secret")),
    )
}

async fn approve(user_code: &str, abort: bool) {
    common::approve_device_at_oidc_provider(user_code, abort).await;
}

async fn through_the_store<H: HttpClient + Sync + Send + 'static>(http: H) {
    let mut source = ClientCredentialMap::new();
    source.insert(CliClient::DEFINITION.id(), credentials());
    let connections = Connections::new(
        Store::new(SqliteBackend::in_memory().unwrap(), keyring()),
        CLI_REGISTRY,
        source,
        http,
        "http://127.0.0.1/callback",
    )
    .unwrap();
    let none = InputValues::new();
    let pending = connections
        .start_device(CliClient::DEFINITION.id(), "workspace-1", &none)
        .await
        .unwrap();
    let device = pending.authorization.clone();
    assert!(device.verification_uri.starts_with(OIDC_PROVIDER));
    assert!(!format!("{pending:?}").contains(device.device_code.expose_secret()));
    // It serializes, to keep between the start and the completion.
    let pending: connkit::store::PendingDevice =
        serde_json::from_str(&serde_json::to_string(&pending).unwrap()).unwrap();
    let (stored, ()) = tokio::join!(
        connections.complete_device(pending),
        approve(&device.user_code, false)
    );
    let stored = stored.unwrap();
    assert_eq!(stored.scopes_granted, ["openid", "offline_access"]);
    assert!(stored.tokens.refresh_token().is_some());

    // Refused by the user: the provider's access_denied, nothing stored.
    let pending = connections
        .start_device(CliClient::DEFINITION.id(), "workspace-1", &none)
        .await
        .unwrap();
    let code = pending.authorization.user_code.clone();
    let (refused, ()) = tokio::join!(connections.complete_device(pending), approve(&code, true));
    assert!(
        matches!(&refused, Err(ConnectionError::Exchange(error)) if error.oauth_code() == Some(&OAuthErrorCode::AccessDenied)),
        "{refused:?}"
    );
    assert_eq!(connections.store().list_all().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_device_authorization_is_stored_over_both_adapters() {
    require_server("oidc-provider", ADDRESS);
    through_the_store(ReqwestClient::new().unwrap()).await;
    through_the_store(OnBlockingThreads::new(UreqClient::new())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn the_client_polls_over_the_blocking_adapter() {
    require_server("oidc-provider", ADDRESS);
    let client = OAuth2Client::new(
        CliClient::DEFINITION,
        credentials(),
        "http://127.0.0.1/callback",
    )
    .unwrap();
    let device = client.start_device_blocking(&UreqClient::new()).unwrap();
    let code = device.user_code.clone();
    let polling =
        std::thread::spawn(move || client.poll_device_blocking(&UreqClient::new(), device));
    approve(&code, false).await;
    let tokens = polling.join().unwrap().unwrap();
    assert!(tokens.refresh_token().is_some());
}
