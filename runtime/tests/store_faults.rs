//! A stored connection refreshed against a token endpoint that misbehaves: a timeout, a stalled
//! body, 500, 429 with `Retry-After`, an HTML page, a truncated body, a reset. Each time the
//! refresh is retried a bounded number of times, the stored tokens stay as they were, the
//! failure is recorded, and the connection refreshes once the endpoint is healthy again.
//! `invalid_grant` marks it `needs_reconnect`.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::fault_endpoint::{Endpoint, Fault, GOOD_TOKEN};
use connkit::credentials::{ClientCredentials, CredentialMap};
use connkit::http::ReqwestClient;
use connkit::store::{
    ConnectionError, ConnectionEvent, ConnectionStatus, Connections, Keyring, NewConnection,
    RefreshPolicy, SealingKey, SqliteBackend, Store,
};
use connkit::{
    AppDefinition, ClientId, ClientSecret, Registry, TokenSet, app, oauth2_connection, registry,
};

#[oauth2_connection(
    id = "faulty_connection_oauth2",
    name = "OAuth2",
    description = "A token endpoint that misbehaves",
    authorize_url = "http://127.0.0.1/authorize",
    token_url = "http://127.0.0.1/token",
    scopes = ["read"],
)]
struct Faulty;

const FAULTY: AppDefinition = app! {
    id: "faulty", name: "Faulty", description: "Faulty", logo_url: "http://127.0.0.1/logo.svg",
    connections: [Faulty],
};
const REGISTRY: Registry = registry![FAULTY];

const RETRIES: u32 = 2;

type Events = Arc<Mutex<Vec<ConnectionEvent>>>;

async fn setup(
    endpoint: &Endpoint,
    store: Store<SqliteBackend>,
    events: &Events,
) -> Connections<SqliteBackend, ReqwestClient, CredentialMap> {
    let mut credentials = CredentialMap::new();
    credentials.insert(
        Faulty::DEFINITION.id(),
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret"))),
    );
    let recorded = Arc::clone(events);
    Connections::new(
        store,
        REGISTRY,
        credentials,
        ReqwestClient::with_timeout(Duration::from_millis(500)).unwrap(),
        "http://127.0.0.1:9999/cb",
    )
    .unwrap()
    .with_origin(endpoint.url())
    .with_policy(RefreshPolicy {
        retries: RETRIES,
        backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..RefreshPolicy::default()
    })
    .on_event(move |event| recorded.lock().unwrap().push(event.clone()))
}

fn keyring() -> Keyring {
    Keyring::new(SealingKey::from_bytes("k", &[3; 32]).unwrap())
}

fn expired_tokens() -> TokenSet {
    serde_json::from_str(
        r#"{"access_token":"old-access","refresh_token":"old-refresh","expires_at":1}"#,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_leave_the_stored_connection_unchanged_and_usable() {
    let faults = [
        ("timeout", Fault::Slow(Duration::from_secs(2)), true),
        (
            "stalled body",
            Fault::SlowBody(Duration::from_secs(2)),
            true,
        ),
        (
            "500",
            Fault::Answer(500, "text/html", "", "<html>oops</html>".to_owned()),
            true,
        ),
        (
            "429 Retry-After",
            Fault::Answer(
                429,
                "application/json",
                "retry-after: 7\r\n",
                "{}".to_owned(),
            ),
            true,
        ),
        (
            "HTML with 200",
            Fault::Answer(200, "text/html", "", "<html>log in</html>".to_owned()),
            false,
        ),
        ("truncated", Fault::Truncated, true),
        ("reset", Fault::Reset, true),
    ];
    for (name, fault, transient) in faults {
        let backend = SqliteBackend::in_memory().unwrap();
        let store = Store::new(backend.clone(), keyring());
        let stored = store
            .insert(NewConnection {
                owner: "owner",
                definition: Faulty::DEFINITION,
                tokens: expired_tokens(),
            })
            .await
            .unwrap();
        let events: Events = Arc::default();
        let endpoint = Endpoint::start("127.0.0.1", fault);
        let connections = setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await;

        let error = connections.access_token(&stored.id).await.unwrap_err();
        assert!(
            matches!(error, ConnectionError::Refresh { .. }),
            "{name}: {error:?}"
        );
        let attempts = if transient { RETRIES as usize + 1 } else { 1 };
        assert_eq!(endpoint.connections(), attempts, "{name}: bounded retries");

        let after = store.require(&stored.id).await.unwrap();
        assert_eq!(
            after.tokens, stored.tokens,
            "{name}: the tokens are unchanged"
        );
        assert_eq!(after.status, ConnectionStatus::Active, "{name}");
        assert_eq!(after.health.failures, 1, "{name}");
        assert!(after.health.last_error.is_some(), "{name}");
        assert!(matches!(
            events.lock().unwrap().as_slice(),
            [ConnectionEvent::RefreshFailed { .. }]
        ));

        // The endpoint is healthy again: the same connection refreshes and recovers.
        let healthy = Endpoint::start(
            "127.0.0.1",
            Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
        );
        let events: Events = Arc::default();
        let connections = setup(&healthy, Store::new(backend, keyring()), &events).await;
        let token = connections.access_token(&stored.id).await.unwrap();
        assert_eq!(token.expose_secret(), "new-access", "{name}");
        let recovered = store.require(&stored.id).await.unwrap();
        assert_eq!(
            recovered.tokens.refresh_token().unwrap().expose_secret(),
            "new-refresh"
        );
        assert_eq!(recovered.health.failures, 0);
        assert_eq!(
            *events.lock().unwrap(),
            [
                ConnectionEvent::Refreshed {
                    connection_id: stored.id.clone()
                },
                ConnectionEvent::Recovered {
                    connection_id: stored.id.clone()
                }
            ],
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_grant_marks_the_connection_needs_reconnect() {
    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let stored = store
        .insert(NewConnection {
            owner: "owner",
            definition: Faulty::DEFINITION,
            tokens: expired_tokens(),
        })
        .await
        .unwrap();
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(
            400,
            "application/json",
            "",
            r#"{"error":"invalid_grant"}"#.to_owned(),
        ),
    );
    let events: Events = Arc::default();
    let connections = setup(&endpoint, Store::new(backend, keyring()), &events).await;
    let error = connections.access_token(&stored.id).await.unwrap_err();
    assert!(
        matches!(error, ConnectionError::NeedsReconnect { .. }),
        "{error:?}"
    );
    assert_eq!(endpoint.connections(), 1, "no retry of a refusal");
    let after = store.require(&stored.id).await.unwrap();
    assert_eq!(after.status, ConnectionStatus::NeedsReconnect);
    assert_eq!(after.tokens, stored.tokens);
    assert_eq!(
        *events.lock().unwrap(),
        [ConnectionEvent::NeedsReconnect {
            connection_id: stored.id.clone()
        }]
    );
    // Later callers get the answer without asking the provider again.
    assert!(matches!(
        connections.access_token(&stored.id).await,
        Err(ConnectionError::NeedsReconnect { .. })
    ));
    assert_eq!(endpoint.connections(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_refresher_renews_what_expires_within_its_window_with_bounded_concurrency() {
    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let tokens = |expires_in: i64| -> TokenSet {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        serde_json::from_value(serde_json::json!({
            "access_token": "old-access",
            "refresh_token": "old-refresh",
            "expires_at": now + expires_in,
        }))
        .unwrap()
    };
    let mut ids = Vec::new();
    for expires_in in [-10, 600, 86_400] {
        ids.push(
            store
                .insert(NewConnection {
                    owner: "owner",
                    definition: Faulty::DEFINITION,
                    tokens: tokens(expires_in),
                })
                .await
                .unwrap()
                .id,
        );
    }
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let events: Events = Arc::default();
    let connections = Arc::new(setup(&endpoint, Store::new(backend, keyring()), &events).await);
    let report = connections
        .refresh_expiring(Duration::from_secs(1800), 2)
        .await
        .unwrap();
    let mut refreshed = report.refreshed.clone();
    refreshed.sort();
    let mut expected = vec![ids[0].clone(), ids[1].clone()];
    expected.sort();
    assert_eq!(
        refreshed, expected,
        "the expired one and the one expiring within the window"
    );
    assert!(report.failed.is_empty());
    assert_eq!(endpoint.connections(), 2);
    let untouched = store.require(&ids[2]).await.unwrap();
    assert_eq!(
        untouched.tokens.access_token().expose_secret(),
        "old-access"
    );
    // A second pass finds nothing due.
    let again = connections
        .refresh_expiring(Duration::from_secs(1800), 2)
        .await
        .unwrap();
    assert!(again.refreshed.is_empty() && again.failed.is_empty());
    assert_eq!(endpoint.connections(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_work_over_the_blocking_adapter_too() {
    use connkit::http::{OnBlockingThreads, UreqClient};

    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let stored = store
        .insert(NewConnection {
            owner: "owner",
            definition: Faulty::DEFINITION,
            tokens: expired_tokens(),
        })
        .await
        .unwrap();
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let mut credentials = CredentialMap::new();
    credentials.insert(
        Faulty::DEFINITION.id(),
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret"))),
    );
    let connections = Connections::new(
        Store::new(backend, keyring()),
        REGISTRY,
        credentials,
        OnBlockingThreads::new(UreqClient::new()),
        "http://127.0.0.1:9999/cb",
    )
    .unwrap()
    .with_origin(endpoint.url());
    let token = connections.access_token(&stored.id).await.unwrap();
    assert_eq!(token.expose_secret(), "new-access");
    // And an authorized request through it.
    let answer = connections
        .send(
            &stored.id,
            http::Request::get(format!("{}/resource", endpoint.url()))
                .body(Vec::new())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
}
