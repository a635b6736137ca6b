//! The JWT-bearer grant (RFC 7523 §2.1) against oidc-provider, whose test grant (server.mjs)
//! verifies the assertion with RFC 7515's RSA public key: a Google-style service account key
//! file read, the connection stored with its key sealed, the token checked at the provider's
//! introspection endpoint, renewed once for many callers with a new assertion, and refused for
//! a key the provider does not know; over both HTTP adapters.
//!
//! oidc-provider has no JWT-bearer grant of its own, so this proves connkit's assertion against
//! jose's verification of RFC 7523's rules (issuer, audience, lifetime, single-use `jti`), not
//! against a production provider.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{granted, require_server};
use connkit::TokenSet;
use connkit::credentials::ClientCredentialMap;
use connkit::definition::{InputValues, KeyPair};
use connkit::http::{HttpClient, OnBlockingThreads, ReqwestClient, UreqClient};
use connkit::jwt::ServiceAccountKey;
use connkit::oauth2::{JWT_BEARER_GRANT, JwtBearerClient, OAuthErrorCode};
use connkit::secret::{AccessToken, PrivateKey};
use connkit::store::{ConnectionError, Connections, SqliteBackend, Store};
use connkit_interop::{
    BearerFormClient, MACHINE_REGISTRY, OIDC_PROVIDER, ServiceAccountClient, keyring,
};

const ADDRESS: &str = "127.0.0.1:18081";
const RSA: &str = include_str!("../../../runtime/tests/keys/rfc7515-rsa.pkcs8.pem");
const ED25519: &str = include_str!("../../../runtime/tests/keys/rfc8037-ed25519.pkcs8.pem");

/// A Google service account key file for the account the test grant knows.
fn key_file() -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "type": "service_account",
        "project_id": "connkit-test",
        "private_key_id": "robot-key-1",
        "private_key": RSA,
        "client_email": "robot@connkit-test.iam.example",
        "client_id": "1000",
        "token_uri": "http://127.0.0.1:18081/token",
    }))
    .unwrap()
}

/// What the introspection endpoint says of `token`.
async fn introspect(token: &AccessToken) -> serde_json::Value {
    let response = reqwest::Client::new()
        .post(format!("{OIDC_PROVIDER}/token/introspection"))
        .basic_auth("cc-client", Some("cc-secret"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={}", token.expose_secret()))
        .send()
        .await
        .unwrap();
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

async fn service_account_over<H>(adapter: &str, http: H)
where
    H: HttpClient + Sync + Send + Clone + 'static,
{
    let dir = std::env::temp_dir().join(format!("connkit-bearer-{adapter}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("store.sqlite");
    let open = || {
        Arc::new(
            Connections::new(
                Store::new(SqliteBackend::open(&path).unwrap(), keyring()),
                MACHINE_REGISTRY,
                ClientCredentialMap::new(),
                http.clone(),
                "http://127.0.0.1/unused",
            )
            .unwrap(),
        )
    };
    let (first, second) = (open(), open());
    let account = ServiceAccountKey::from_google_json(&key_file()).unwrap();
    let inputs = account
        .inputs()
        .with("subject", "alice@connkit-test.example");
    let stored = first
        .connect_jwt_bearer(
            ServiceAccountClient::DEFINITION.id(),
            "workspace-1",
            account.key_pair(),
            &inputs,
        )
        .await
        .unwrap();
    assert!(!format!("{stored:?}").contains("BEGIN"));
    let answer = introspect(stored.tokens.access_token()).await;
    assert_eq!(answer["active"], true, "{answer}");
    assert_eq!(answer["sub"], "alice@connkit-test.example", "{answer}");
    assert_eq!(answer["scope"], "api", "{answer}");

    // A key the provider does not know for the account: refused, nothing stored.
    let wrong = KeyPair::new("robot-key-1", PrivateKey::new(ED25519));
    let refused = first
        .connect_jwt_bearer(
            ServiceAccountClient::DEFINITION.id(),
            "workspace-1",
            wrong,
            &inputs,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ConnectionError::FirstToken { source, .. } if source.oauth_code() == Some(&OAuthErrorCode::InvalidGrant)),
        "{refused:?}"
    );

    // Expired: sixteen callers in two processes, one new assertion, one new token.
    let mut expired = stored.clone();
    let mut json = serde_json::to_value(&expired.tokens).unwrap();
    json["expires_at"] = 1.into();
    expired.tokens = serde_json::from_value::<TokenSet>(json).unwrap();
    first.store().save(&expired).await.unwrap();
    let before = granted("bearer-client", JWT_BEARER_GRANT).await;
    let mut callers = tokio::task::JoinSet::new();
    for index in 0..16 {
        let connections = Arc::clone(if index % 2 == 0 { &first } else { &second });
        let id = stored.id.clone();
        callers.spawn(async move { connections.access_token(&id).await.unwrap() });
    }
    let tokens = callers.join_all().await;
    assert!(tokens.iter().all(|token| token == &tokens[0]));
    assert_ne!(&tokens[0], stored.tokens.access_token());
    assert_eq!(granted("bearer-client", JWT_BEARER_GRANT).await, before + 1);
    assert_eq!(introspect(&tokens[0]).await["active"], true);
    let listed = second.store().everything().await.unwrap();
    assert_eq!(listed.connections.len(), 1);
    assert_eq!(
        listed.connections[0].definition_id,
        ServiceAccountClient::DEFINITION.id()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_service_account_is_stored_and_renewed_over_both_adapters() {
    require_server("oidc-provider", ADDRESS);
    // One after the other: each counts the provider's grants to one client.
    service_account_over("reqwest", ReqwestClient::new().unwrap()).await;
    service_account_over("ureq", OnBlockingThreads::new(UreqClient::new())).await;
}

#[test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
fn the_scopes_in_the_form_and_the_issuer_as_audience_over_the_blocking_client() {
    require_server("oidc-provider", ADDRESS);
    let key = KeyPair::new("robot-key-1", PrivateKey::new(RSA));
    let client = JwtBearerClient::new(
        BearerFormClient::DEFINITION,
        &key,
        &InputValues::new().with("username", "bob"),
    )
    .unwrap();
    let tokens = client.obtain_blocking(&UreqClient::new()).unwrap();
    assert_eq!(tokens.scopes().unwrap(), ["api".to_owned()]);
    // Each request signs a new assertion: the provider takes each `jti` once.
    assert!(client.obtain_blocking(&UreqClient::new()).is_ok());
}
