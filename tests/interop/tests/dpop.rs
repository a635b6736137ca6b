//! DPoP (RFC 9449) against oidc-provider, which requires its nonce in every proof, and its
//! test resource server (server.mjs's `/test/resource`), which accepts a bound token only with a
//! proof of its key, and asks for its own nonce first: the authorization-code flow and the
//! client-credentials grant, stored with their keys sealed, refreshed or obtained again with a
//! proof, over both HTTP adapters; and the same tokens refused without a proof.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Browser, REDIRECT_URI, require_server};
use connkit::TokenSet;
use connkit::credentials::{ClientCredentialMap, ClientCredentials, ClientId};
use connkit::definition::InputValues;
use connkit::http::{HttpClient, OnBlockingThreads, ReqwestClient, UreqClient};
use connkit::secret::{AccessToken, ClientSecret};
use connkit::store::{Connections, RefreshPolicy, SqliteBackend, Store, StoredConnection};
use connkit_interop::{DpopClient, DpopMachineClient, MACHINE_REGISTRY, OIDC_PROVIDER, keyring};

const ADDRESS: &str = "127.0.0.1:18081";

fn resource() -> http::Request<Vec<u8>> {
    http::Request::get(format!("{OIDC_PROVIDER}/test/resource"))
        .body(Vec::new())
        .unwrap()
}

/// What the resource server answers to `token` sent without a proof, with `scheme`.
async fn without_a_proof(token: &AccessToken, scheme: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{OIDC_PROVIDER}/test/resource"))
        .header(
            "authorization",
            format!("{scheme} {}", token.expose_secret()),
        )
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn expired(connection: &StoredConnection) -> StoredConnection {
    let mut expired = connection.clone();
    let mut json = serde_json::to_value(&expired.tokens).unwrap();
    json["expires_at"] = 1.into();
    expired.tokens = serde_json::from_value::<TokenSet>(json).unwrap();
    expired
}

async fn bound_tokens_over<H: HttpClient + Sync>(http: H) {
    let mut source = ClientCredentialMap::new();
    source.insert(
        DpopClient::DEFINITION.id(),
        ClientCredentials::new(
            ClientId::new("dpop-client"),
            Some(ClientSecret::new("dpop-secret")),
        ),
    );
    let connections = Connections::new(
        Store::new(SqliteBackend::in_memory().unwrap(), keyring()),
        MACHINE_REGISTRY,
        source,
        http,
        REDIRECT_URI,
    )
    .unwrap()
    // Every call reads the store, so that a token marked expired there is renewed at once.
    .with_policy(RefreshPolicy::default().with_cache(false));

    // The code flow: the exchange carries a proof (with the server's nonce, after its
    // challenge), and the tokens come back bound.
    let (url, pending) = connections
        .connect(DpopClient::DEFINITION.id(), "workspace-1")
        .await
        .unwrap();
    let callback = Browser::new()
        .follow_to_callback(url.as_str(), |_| None)
        .await
        .unwrap();
    let stored = connections.complete(pending, &callback).await.unwrap();
    assert_eq!(stored.tokens.token_type(), Some("DPoP"));
    let token = stored.tokens.access_token().clone();
    // Stolen, the token alone is refused, whatever the scheme.
    assert_eq!(without_a_proof(&token, "Bearer").await, 401);
    assert_eq!(without_a_proof(&token, "DPoP").await, 401);
    // With its proof (and the resource server's nonce), accepted.
    let answer = connections.send(&stored.id, resource()).await.unwrap();
    assert_eq!(
        answer.status(),
        200,
        "{}",
        String::from_utf8_lossy(answer.body())
    );

    // Expired: the refresh carries a proof of the same key, sealed with the connection.
    connections.store().save(&expired(&stored)).await.unwrap();
    let renewed = connections.access_token(&stored.id).await.unwrap();
    assert_ne!(renewed, token);
    let answer = connections.send(&stored.id, resource()).await.unwrap();
    assert_eq!(
        answer.status(),
        200,
        "{}",
        String::from_utf8_lossy(answer.body())
    );

    // The client-credentials grant, bound the same way.
    let machine = connections
        .connect_client_credentials(
            DpopMachineClient::DEFINITION.id(),
            "workspace-1",
            Some(ClientCredentials::new(
                ClientId::new("dpop-cc-client"),
                Some(ClientSecret::new("dpop-cc-secret")),
            )),
            &InputValues::new(),
        )
        .await
        .unwrap();
    assert_eq!(machine.tokens.token_type(), Some("DPoP"));
    assert_eq!(
        without_a_proof(machine.tokens.access_token(), "Bearer").await,
        401
    );
    let answer = connections.send(&machine.id, resource()).await.unwrap();
    assert_eq!(
        answer.status(),
        200,
        "{}",
        String::from_utf8_lossy(answer.body())
    );
    connections.store().save(&expired(&machine)).await.unwrap();
    let again = connections.access_token(&machine.id).await.unwrap();
    assert_ne!(&again, machine.tokens.access_token());
    assert_eq!(
        connections
            .send(&machine.id, resource())
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn bound_tokens_are_refused_without_a_proof_and_accepted_with_one_over_both_adapters() {
    require_server("oidc-provider", ADDRESS);
    bound_tokens_over(ReqwestClient::new().unwrap()).await;
    bound_tokens_over(OnBlockingThreads::new(UreqClient::new())).await;
}
