//! Client-credentials connections (RFC 6749 §4.4) against the real oidc-provider, over both
//! HTTP adapters: the owner's client, the platform's client, and a provider grant of the same
//! shape (`account_credentials` with an account input, as Zoom's), each stored sealed, its
//! token checked at the provider's introspection endpoint, and renewed once for many callers
//! in two "processes" sharing one SQLite file, under the store's lease.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use common::{granted, require_server};
use connkit::TokenSet;
use connkit::credentials::{ClientCredentialMap, ClientCredentials, ClientId};
use connkit::definition::InputValues;
use connkit::http::{HttpClient, OnBlockingThreads, ReqwestClient, UreqClient};
use connkit::oauth2::{ClientCredentialsClient, OAuthErrorCode};
use connkit::secret::{AccessToken, ClientSecret};
use connkit::store::{
    ConnectionError, ConnectionEvent, Connections, SqliteBackend, Store, StoredConnection,
};
use connkit_interop::{
    AccountClient, MACHINE_REGISTRY, MachineClient, OIDC_PROVIDER, PlatformMachineClient, keyring,
};

const ADDRESS: &str = "127.0.0.1:18081";

fn owner_client() -> ClientCredentials {
    ClientCredentials::new(
        ClientId::new("cc-client"),
        Some(ClientSecret::new("cc-secret")),
    )
}

/// What the provider's introspection endpoint (RFC 7662) says of `token`, asked by `client`.
async fn introspect(token: &AccessToken, client: &str, secret: &str) -> serde_json::Value {
    // Tokens are base64url: nothing to escape in the form.
    let response = reqwest::Client::new()
        .post(format!("{OIDC_PROVIDER}/token/introspection"))
        .basic_auth(client, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={}", token.expose_secret()))
        .send()
        .await
        .unwrap();
    serde_json::from_slice(&response.bytes().await.unwrap()).unwrap()
}

type Events = Arc<Mutex<Vec<ConnectionEvent>>>;

/// Connections over the SQLite file `path` with `http`, the platform's machine client in the
/// credential source, and their events recorded in `events`.
fn open<H: HttpClient + Sync>(
    path: &std::path::Path,
    http: H,
    events: &Events,
) -> Connections<SqliteBackend, H, ClientCredentialMap> {
    let mut platform = ClientCredentialMap::new();
    platform.insert(
        PlatformMachineClient::DEFINITION.id(),
        ClientCredentials::new(
            ClientId::new("cc-post-client"),
            Some(ClientSecret::new("cc-post-secret")),
        ),
    );
    let recorded = Arc::clone(events);
    Connections::new(
        Store::new(SqliteBackend::open(path).unwrap(), keyring()),
        MACHINE_REGISTRY,
        platform,
        http,
        "http://127.0.0.1/unused",
    )
    .unwrap()
    .on_event(move |event: &ConnectionEvent| recorded.lock().unwrap().push(event.clone()))
}

/// `connection` with its token expired, as stored.
fn expired(connection: &StoredConnection) -> StoredConnection {
    let mut expired = connection.clone();
    let mut json = serde_json::to_value(&expired.tokens).unwrap();
    json["expires_at"] = 1.into();
    expired.tokens = serde_json::from_value::<TokenSet>(json).unwrap();
    expired
}

/// Every machine grant over `http`, stored in a fresh SQLite file shared by two `Connections`.
async fn machine_grants<H>(adapter: &str, http: H)
where
    H: HttpClient + Sync + Send + Clone + 'static,
{
    let dir = std::env::temp_dir().join(format!("connkit-cc-{adapter}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("store.sqlite");
    let events = Events::default();
    let first = Arc::new(open(&path, http.clone(), &events));
    let second = Arc::new(open(&path, http.clone(), &events));
    let none = InputValues::new();

    // The owner's client: the first token is obtained before anything is stored.
    let stored = first
        .connect_client_credentials(
            MachineClient::DEFINITION.id(),
            "workspace-1",
            Some(owner_client()),
            &none,
        )
        .await
        .unwrap();
    assert_eq!(stored.scopes_granted, ["api"]);
    assert!(stored.tokens.refresh_token().is_none());
    let active = introspect(stored.tokens.access_token(), "cc-client", "cc-secret").await;
    assert_eq!(active["active"], true, "{active}");
    assert_eq!(active["client_id"], "cc-client");

    // A wrong secret is refused by the provider, and nothing is stored.
    let wrong = ClientCredentials::new(ClientId::new("cc-client"), Some(ClientSecret::new("nope")));
    let refused = first
        .connect_client_credentials(
            MachineClient::DEFINITION.id(),
            "workspace-1",
            Some(wrong),
            &none,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, ConnectionError::FirstToken { source, .. } if source.oauth_code() == Some(&OAuthErrorCode::InvalidClient)),
        "{refused:?}"
    );
    assert!(!refused.to_string().contains("nope"));

    // A provider grant with the account from an input (Zoom's account_credentials).
    let before = granted("cc-client", "account_credentials").await;
    let account = first
        .connect_client_credentials(
            AccountClient::DEFINITION.id(),
            "workspace-1",
            Some(owner_client()),
            &InputValues::new().with("account_id", "AbC_1"),
        )
        .await
        .unwrap();
    assert_eq!(
        granted("cc-client", "account_credentials").await,
        before + 1
    );
    assert_eq!(account.scopes_granted, ["api", "account:AbC_1"]);
    assert_eq!(
        account.inputs,
        InputValues::new().with("account_id", "AbC_1")
    );
    // A value its pattern refuses never reaches the provider.
    assert!(matches!(
        first
            .connect_client_credentials(
                AccountClient::DEFINITION.id(),
                "workspace-1",
                Some(owner_client()),
                &InputValues::new().with("account_id", "a&grant_type=password"),
            )
            .await,
        Err(ConnectionError::Client(_))
    ));
    assert_eq!(
        granted("cc-client", "account_credentials").await,
        before + 1
    );

    // The platform's client, from the credential source, in the form body.
    let platform = first
        .connect_client_credentials(
            PlatformMachineClient::DEFINITION.id(),
            "workspace-2",
            None,
            &none,
        )
        .await
        .unwrap();
    let active = introspect(
        platform.tokens.access_token(),
        "cc-post-client",
        "cc-post-secret",
    )
    .await;
    assert_eq!(active["active"], true, "{active}");

    // Expired: sixteen callers in two processes, one new token.
    first.store().save(&expired(&stored)).await.unwrap();
    events.lock().unwrap().clear();
    let before = granted("cc-client", "client_credentials").await;
    let mut callers = tokio::task::JoinSet::new();
    for index in 0..16 {
        let connections = Arc::clone(if index % 2 == 0 { &first } else { &second });
        let id = stored.id.clone();
        callers.spawn(async move { connections.access_token(&id).await.unwrap() });
    }
    let tokens = callers.join_all().await;
    assert!(tokens.iter().all(|token| token == &tokens[0]));
    assert_ne!(&tokens[0], stored.tokens.access_token());
    assert_eq!(granted("cc-client", "client_credentials").await, before + 1);
    let active = introspect(&tokens[0], "cc-client", "cc-secret").await;
    assert_eq!(active["active"], true, "{active}");
    let renewed = second.store().require(&stored.id).await.unwrap();
    assert!(renewed.refreshed_at.is_some());
    assert_eq!(
        *events.lock().unwrap(),
        [ConnectionEvent::Refreshed {
            connection_id: stored.id.clone()
        }]
    );

    // All three are listed beside each other, as `connections list` shows them.
    let everything = second.store().everything().await.unwrap();
    let mut listed: Vec<&str> = everything
        .connections
        .iter()
        .map(|connection| connection.definition_id.as_str())
        .collect();
    listed.sort_unstable();
    assert_eq!(
        listed,
        [
            MachineClient::DEFINITION.id(),
            AccountClient::DEFINITION.id(),
            PlatformMachineClient::DEFINITION.id(),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn machine_grants_over_both_adapters() {
    require_server("oidc-provider", ADDRESS);
    // One after the other: each counts the provider's grants to one client.
    machine_grants("reqwest", ReqwestClient::new().unwrap()).await;
    machine_grants("ureq", OnBlockingThreads::new(UreqClient::new())).await;
}

#[test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
fn a_machine_token_over_the_blocking_client() {
    require_server("oidc-provider", ADDRESS);
    let client = ClientCredentialsClient::new(
        AccountClient::DEFINITION,
        owner_client(),
        &InputValues::new().with("account_id", "blocking"),
    )
    .unwrap();
    let tokens = client.obtain_blocking(&UreqClient::new()).unwrap();
    assert_eq!(
        tokens.scopes().unwrap(),
        ["api".to_owned(), "account:blocking".to_owned()]
    );
    let wrong = ClientCredentialsClient::new(
        MachineClient::DEFINITION,
        ClientCredentials::new(ClientId::new("cc-client"), Some(ClientSecret::new("nope"))),
        &InputValues::new(),
    )
    .unwrap();
    let error = wrong.obtain_blocking(&UreqClient::new()).unwrap_err();
    assert_eq!(error.oauth_code(), Some(&OAuthErrorCode::InvalidClient));
}
