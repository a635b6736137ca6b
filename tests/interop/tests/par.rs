//! Pushed authorization requests (RFC 9126) against oidc-provider, for a client the provider
//! requires to push: through the store over both HTTP adapters (the browser carries only the
//! client id and the `request_uri`), through `OAuth2Client` over the blocking one, and the same
//! client refused when its request is not pushed.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Browser, REDIRECT_URI, require_server};
use connkit::OAuth2Client;
use connkit::credentials::{ClientCredentialMap, ClientCredentials, ClientId};
use connkit::http::{HttpClient, OnBlockingThreads, ReqwestClient, UreqClient};
use connkit::secret::ClientSecret;
use connkit::store::{Connections, SqliteBackend, Store};
use connkit_interop::{MACHINE_REGISTRY, ParClient, UnpushedClient, keyring};

const ADDRESS: &str = "127.0.0.1:18081";

fn credentials() -> ClientCredentials {
    ClientCredentials::new(
        ClientId::new("par-client"),
        Some(ClientSecret::new("par-secret")),
    )
}

async fn through_the_store<H: HttpClient + Sync>(http: H) {
    let mut source = ClientCredentialMap::new();
    source.insert(ParClient::DEFINITION.id(), credentials());
    source.insert(UnpushedClient::DEFINITION.id(), credentials());
    let connections = Connections::new(
        Store::new(SqliteBackend::in_memory().unwrap(), keyring()),
        MACHINE_REGISTRY,
        source,
        http,
        REDIRECT_URI,
    )
    .unwrap();
    let (url, pending) = connections
        .connect(ParClient::DEFINITION.id(), "workspace-1")
        .await
        .unwrap();
    // Only the client id and the request's handle travel through the browser.
    let names: Vec<String> = url
        .query_pairs()
        .map(|(name, _)| name.into_owned())
        .collect();
    assert_eq!(names, ["client_id", "request_uri"], "{url}");
    assert!(
        !url.as_str()
            .contains(pending.pending.state().expose_secret())
    );
    let callback = Browser::new()
        .follow_to_callback(url.as_str(), |_| None)
        .await
        .unwrap();
    let stored = connections.complete(pending, &callback).await.unwrap();
    assert!(stored.tokens.refresh_token().is_some());
    // A re-consent is pushed too.
    let (again, _) = connections.reconnect(&stored.id).await.unwrap();
    assert!(again.query_pairs().any(|(name, _)| name == "request_uri"));

    // Not pushed: the provider refuses the request and sends the user back with the error.
    let (plain, _) = connections
        .connect(UnpushedClient::DEFINITION.id(), "workspace-1")
        .await
        .unwrap();
    let refused = Browser::new()
        .follow_to_callback(plain.as_str(), |_| None)
        .await
        .unwrap();
    assert!(refused.contains("error=invalid_request"), "{refused}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn pushed_requests_over_both_adapters() {
    require_server("oidc-provider", ADDRESS);
    through_the_store(ReqwestClient::new().unwrap()).await;
    through_the_store(OnBlockingThreads::new(UreqClient::new())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn the_client_pushes_over_the_blocking_adapter() {
    require_server("oidc-provider", ADDRESS);
    let client = OAuth2Client::new(ParClient::DEFINITION, credentials(), REDIRECT_URI).unwrap();
    let client = std::sync::Arc::new(client);
    let pushing = std::sync::Arc::clone(&client);
    let request =
        tokio::task::spawn_blocking(move || pushing.authorize_pushed_blocking(&UreqClient::new()))
            .await
            .unwrap()
            .unwrap();
    let callback = Browser::new()
        .follow_to_callback(request.url.as_str(), |_| None)
        .await
        .unwrap();
    let completed = client.complete(request.pending, &callback).unwrap();
    let tokens = client
        .exchange_code(&ReqwestClient::new().unwrap(), &completed)
        .await
        .unwrap();
    assert!(tokens.refresh_token().is_some());
}
