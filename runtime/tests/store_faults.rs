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

use common::counting::Counting;
use common::fault_endpoint::{Endpoint, Fault, GOOD_TOKEN};
use connkit::credentials::{ClientCredentialMap, ClientCredentials};
use connkit::http::ReqwestClient;
use connkit::store::{
    Backend, ConnectionError, ConnectionEvent, ConnectionStatus, Connections, Keyring,
    NewConnection, RefreshPolicy, SealingKey, SqliteBackend, Store, StoreError, StoredConnection,
};
use connkit::{
    AppDefinition, Registry, TokenSet, app, credentials::ClientId, oauth2_connection, registry,
    secret::ClientSecret,
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

/// Another definition of the same app, whose token URL a tampered row could be pointed at.
#[oauth2_connection(
    id = "faulty_connection_oauth2-elsewhere",
    name = "OAuth2 elsewhere",
    description = "Another token endpoint",
    authorize_url = "http://127.0.0.1/elsewhere/authorize",
    token_url = "http://127.0.0.1/elsewhere/token",
    scopes = ["read"],
)]
struct Elsewhere;

const FAULTY: AppDefinition = app! {
    id: "faulty", name: "Faulty", description: "Faulty", logo_url: "http://127.0.0.1/logo.svg",
    connections: [Faulty, Elsewhere],
};
const REGISTRY: Registry = registry![FAULTY];

const RETRIES: u32 = 2;

type Events = Arc<Mutex<Vec<ConnectionEvent>>>;

async fn setup<B: Backend + 'static>(
    endpoint: &Endpoint,
    store: Store<B>,
    events: &Events,
) -> Connections<B, ReqwestClient, ClientCredentialMap> {
    let mut credentials = ClientCredentialMap::new();
    for definition in [Faulty::DEFINITION, Elsewhere::DEFINITION] {
        credentials.insert(
            definition.id(),
            ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret"))),
        );
    }
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
    .with_policy(
        RefreshPolicy::default()
            .with_retries(RETRIES)
            .with_backoff(Duration::from_millis(10))
            .with_max_backoff(Duration::from_millis(50)),
    )
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
        let stored = insert(&store, expired_tokens()).await;
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
    let stored = insert(&store, expired_tokens()).await;
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
    let backend = Counting::new(SqliteBackend::in_memory().unwrap());
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
        ids.push(insert(&store, tokens(expires_in)).await.id);
    }
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let events: Events = Arc::default();
    let connections =
        Arc::new(setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await);
    backend.take();
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
    assert_eq!(
        backend.take(),
        (0, 2),
        "(rows listed, rows selected as due): only the two due were read"
    );
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
    assert_eq!(backend.take(), (0, 0), "no row is read when none is due");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_row_that_does_not_open_is_reported_and_the_others_are_renewed() {
    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let good = insert(&store, expired_tokens()).await;
    let bad = insert(&store, expired_tokens()).await;
    common::tamper::swap_ciphertext(&backend, &good.id, &bad.id).await;
    let tampered = backend.get(&bad.id).await.unwrap().unwrap();

    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let events: Events = Arc::default();
    let connections =
        Arc::new(setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await);
    let report = connections
        .refresh_expiring(Duration::from_secs(1800), 2)
        .await
        .unwrap();
    assert_eq!(report.refreshed, std::slice::from_ref(&good.id));
    assert_eq!(report.failed.len(), 1, "{:?}", report.failed);
    let (id, error) = &report.failed[0];
    assert_eq!(id, &bad.id);
    assert!(
        matches!(
            error,
            ConnectionError::Store(StoreError::Unreadable { connection_id, .. }) if connection_id == &bad.id
        ),
        "{error:?}"
    );
    assert_eq!(endpoint.connections(), 1);
    assert_eq!(
        backend.get(&bad.id).await.unwrap().unwrap(),
        tampered,
        "left as it was"
    );
}

/// A row whose definition, status or scopes were edited in the database does not open: its
/// refresh token goes nowhere, and the error names the connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_row_is_refused_and_nothing_is_sent() {
    type Edit = fn(&mut connkit::store::Row);
    let edits: [(&str, Edit); 3] = [
        ("definition", |row| {
            row.definition_id = Elsewhere::DEFINITION.id().to_owned();
        }),
        ("status", |row| row.status = "active".to_owned()),
        ("scopes", |row| row.scopes_granted = "read admin".to_owned()),
    ];
    for (name, edit) in edits {
        let backend = SqliteBackend::in_memory().unwrap();
        let store = Store::new(backend.clone(), keyring());
        let mut stored = insert(&store, expired_tokens()).await;
        if name == "status" {
            // Revoked by the user: editing the column must not revive it.
            stored.status = ConnectionStatus::Revoked;
            store.save(&stored).await.unwrap();
        }
        let mut row = backend.get(&stored.id).await.unwrap().unwrap();
        edit(&mut row);
        assert!(backend.update(&row, row.version).await.unwrap());

        let endpoint = Endpoint::start(
            "127.0.0.1",
            Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
        );
        let events: Events = Arc::default();
        let connections = setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await;
        let error = connections.access_token(&stored.id).await.unwrap_err();
        assert!(
            matches!(
                &error,
                ConnectionError::Store(StoreError::Unreadable { connection_id, .. })
                    if connection_id == &stored.id
            ),
            "{name}: {error:?}"
        );
        let request = http::Request::get("http://127.0.0.1:9/resource")
            .body(Vec::new())
            .unwrap();
        assert!(
            connections.send(&stored.id, request).await.is_err(),
            "{name}"
        );
        assert_eq!(endpoint.connections(), 0, "{name}: nothing was sent");
        assert_eq!(
            backend.get(&stored.id).await.unwrap().unwrap(),
            row,
            "{name}: left as it was"
        );
    }
}

/// The map of refreshes under way holds only those under way: once every caller has its
/// token, it is empty again (it used to keep one entry per connection ever refreshed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_refreshes_under_way_are_forgotten_once_done() {
    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(insert(&store, expired_tokens()).await.id);
    }
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let events: Events = Arc::default();
    let connections =
        Arc::new(setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await);
    let mut callers = tokio::task::JoinSet::new();
    for id in [ids.clone(), ids].concat() {
        let connections = Arc::clone(&connections);
        callers.spawn(async move { connections.access_token(&id).await.map(drop) });
    }
    while let Some(joined) = callers.join_next().await {
        joined.unwrap().unwrap();
    }
    assert_eq!(endpoint.connections(), 20, "one refresh per connection");
    let shown = format!("{connections:?}");
    assert!(shown.contains("refreshing: 0"), "{shown}");
}

/// A refresh whose task panics (here the application's event handler) is reported as that
/// connection's failure, and the others are renewed; it used to vanish from the report.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicked_refresh_is_reported_as_a_failure() {
    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let doomed = insert(&store, expired_tokens()).await.id;
    let fine = insert(&store, expired_tokens()).await.id;
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let events: Events = Arc::default();
    let target = doomed.clone();
    let connections = Arc::new(
        setup(&endpoint, Store::new(backend.clone(), keyring()), &events)
            .await
            .on_event(move |event| {
                if matches!(event, ConnectionEvent::Refreshed { connection_id } if connection_id == &target)
                {
                    panic!("an event handler's bug");
                }
            }),
    );
    let report = connections
        .refresh_expiring(Duration::from_secs(1800), 2)
        .await
        .unwrap();
    assert_eq!(report.refreshed, [fine]);
    let [(id, error)] = &report.failed[..] else {
        panic!("{:?}", report.failed);
    };
    assert_eq!(id, &doomed);
    assert!(
        matches!(error, ConnectionError::Aborted { connection_id } if connection_id == &doomed),
        "{error:?}"
    );
    assert!(format!("{connections:?}").contains("refreshing: 0"));
}

/// A pending connection copied through serde completes once: the second copy is refused
/// before the provider is asked (the store records each completed authorization).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_serde_copy_of_a_pending_connection_completes_once() {
    let backend = SqliteBackend::in_memory().unwrap();
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let events: Events = Arc::default();
    let connections = setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await;
    let (_, pending) = connections
        .connect(Faulty::DEFINITION.id(), "owner")
        .await
        .unwrap();
    let callback = format!(
        "http://127.0.0.1:9999/cb?code=the-code&state={}",
        pending.pending.state().expose_secret()
    );
    let copy = serde_json::to_string(&pending).unwrap();
    let first = connections.complete(pending, &callback).await.unwrap();
    assert_eq!(first.owner, "owner");
    let again: connkit::store::PendingConnection = serde_json::from_str(&copy).unwrap();
    let refused = connections.complete(again, &callback).await.unwrap_err();
    assert!(
        matches!(&refused, ConnectionError::AlreadyCompleted { definition_id } if definition_id == Faulty::DEFINITION.id()),
        "{refused:?}"
    );
    assert_eq!(endpoint.connections(), 1, "one code exchange");
    assert_eq!(store_rows(&backend).await, 1, "one connection stored");
}

async fn store_rows(backend: &SqliteBackend) -> usize {
    backend
        .list(connkit::store::Filter::default())
        .await
        .unwrap()
        .len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_work_over_the_blocking_adapter_too() {
    use connkit::http::{OnBlockingThreads, UreqClient};

    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let stored = insert(&store, expired_tokens()).await;
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let mut credentials = ClientCredentialMap::new();
    for definition in [Faulty::DEFINITION, Elsewhere::DEFINITION] {
        credentials.insert(
            definition.id(),
            ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret"))),
        );
    }
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

fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Stores a connection of `owner` to the faulty endpoint's definition.
async fn insert<B: Backend>(store: &Store<B>, tokens: TokenSet) -> StoredConnection {
    store
        .insert(NewConnection::new("owner", Faulty::DEFINITION, tokens))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_holders_lease_expires_and_waiters_do_not_wait_forever() {
    use connkit::store::Backend;

    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let id = insert(&store, expired_tokens()).await.id;
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    // A process took the lease and died: nobody releases it, it expires in 300 ms.
    assert!(
        backend
            .try_lease(&id, "dead-process", Duration::from_millis(300))
            .await
            .unwrap()
    );
    let events: Events = Arc::default();
    let connections = setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await;
    let started = std::time::Instant::now();
    let token = connections.access_token(&id).await.unwrap();
    assert_eq!(token.expose_secret(), "new-access");
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "waited for the lease"
    );
    assert_eq!(endpoint.connections(), 1);

    // A lease that outlives the policy's wait: the caller gives up, typed, in bounded time.
    let other = insert(&store, expired_tokens()).await.id;
    assert!(
        backend
            .try_lease(&other, "busy-process", Duration::from_secs(60))
            .await
            .unwrap()
    );
    let impatient = setup(&endpoint, Store::new(backend, keyring()), &events)
        .await
        .with_policy(RefreshPolicy::default().with_wait(Duration::from_millis(300)));
    let started = std::time::Instant::now();
    let error = impatient.access_token(&other).await.unwrap_err();
    assert!(matches!(error, ConnectionError::Busy { .. }), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(
        endpoint.connections(),
        1,
        "the other holder's refresh was left to it"
    );
}

/// The policy's lease, short, so that a refresh within the client's 500 ms timeout outlasts it
/// several times over.
fn short_lease() -> RefreshPolicy {
    RefreshPolicy::default().with_lease(Duration::from_millis(100))
}

/// A refresh slower than the lease keeps it, renewed as it runs: a second process waits for
/// it instead of taking the lease over and refreshing the same token again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lease_is_renewed_while_a_slow_refresh_runs() {
    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let id = insert(&store, expired_tokens()).await.id;
    let endpoint = Endpoint::start("127.0.0.1", Fault::Slow(Duration::from_millis(400)));
    let events: Events = Arc::default();
    let processes = [
        setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await,
        setup(&endpoint, Store::new(backend.clone(), keyring()), &events).await,
    ]
    .map(|connections| Arc::new(connections.with_policy(short_lease())));
    let first = {
        let (connections, id) = (Arc::clone(&processes[0]), id.clone());
        tokio::spawn(async move { connections.access_token(&id).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let second = processes[1].access_token(&id).await.unwrap();
    let first = first.await.unwrap().unwrap();
    assert_eq!(
        (first.expose_secret(), second.expose_secret()),
        ("new-access", "new-access")
    );
    assert_eq!(endpoint.connections(), 1, "one refresh, four leases long");
}

/// A holder whose lease ran out while its refresh was in flight (its renewals failed) and was
/// taken over cannot write its tokens: the write is fenced by the lease, in the database. The
/// stored tokens stay as the new holder will find them, and the failure is an event.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_holder_whose_lease_was_taken_over_writes_nothing() {
    use connkit::store::Backend;

    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let id = insert(&store, expired_tokens()).await.id;
    let before = backend.get(&id).await.unwrap().unwrap();
    let counting = Counting::new(backend.clone());
    let (stalled, intruder, lease_id) = (counting.clone(), backend.clone(), id.clone());
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Script(Arc::new(move |_, _| {
            // The holder's renewals stop reaching the database; its lease runs out by the
            // database's clock and another process takes it over.
            stalled.fail_leases();
            std::thread::sleep(Duration::from_millis(250));
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            let taken = runtime
                .block_on(intruder.try_lease(&lease_id, "intruder", Duration::from_secs(60)))
                .unwrap();
            assert!(taken, "the lease had run out");
            (200, "application/json", GOOD_TOKEN.to_owned())
        })),
    );
    let events: Events = Arc::default();
    let connections = setup(&endpoint, Store::new(counting, keyring()), &events)
        .await
        .with_policy(short_lease());
    let error = connections.access_token(&id).await.unwrap_err();
    assert!(
        matches!(&error, ConnectionError::Store(StoreError::Conflict { connection_id }) if connection_id == &id),
        "{error:?}"
    );
    assert_eq!(endpoint.connections(), 1);
    let after = backend.get(&id).await.unwrap().unwrap();
    assert_eq!(
        (&after.sealed_tokens, after.version),
        (&before.sealed_tokens, before.version),
        "nothing written"
    );
    assert!(
        events.lock().unwrap().iter().any(|event| matches!(
            event,
            ConnectionEvent::RefreshFailed { connection_id, .. } if connection_id == &id
        )),
        "{:?}",
        events.lock().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_grant_after_a_rotation_elsewhere_uses_the_rotated_tokens() {
    use connkit::store::Backend;

    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let id = insert(&store, expired_tokens()).await.id;
    // What another process will have saved: rotated tokens, a fresh access token.
    let old = store.require(&id).await.unwrap();
    let mut rotated = old.clone();
    rotated.tokens = serde_json::from_value(serde_json::json!({
        "access_token": "rotated-access",
        "refresh_token": "rotated-refresh",
        "expires_at": unix_ms() / 1000 + 3600,
    }))
    .unwrap();
    let saved = store.save(&rotated).await.unwrap();
    let rotated_row = backend.get(&id).await.unwrap().unwrap();
    // Back to the old tokens (at a newer version): what our process reads.
    let mut back = saved.clone();
    back.tokens = old.tokens.clone();
    let version_read = store.save(&back).await.unwrap().version();

    // The endpoint: while our refresh with the old token is in flight, the other process saves
    // its rotation; then the old token is refused, as a rotating provider does.
    let writer = backend.clone();
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Script(Arc::new(move |_, body| {
            if body.contains("refresh_token=old-refresh") {
                let mut row = rotated_row.clone();
                row.version = version_read + 1;
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                assert!(runtime.block_on(writer.update(&row, version_read)).unwrap());
                (
                    400,
                    "application/json",
                    r#"{"error":"invalid_grant"}"#.to_owned(),
                )
            } else {
                (200, "application/json", GOOD_TOKEN.to_owned())
            }
        })),
    );
    let events: Events = Arc::default();
    let connections = setup(&endpoint, Store::new(backend, keyring()), &events).await;
    let token = connections.access_token(&id).await.unwrap();
    assert_eq!(
        token.expose_secret(),
        "rotated-access",
        "the other process's rotation is used"
    );
    let after = store.require(&id).await.unwrap();
    assert_eq!(
        after.status,
        ConnectionStatus::Active,
        "not needs_reconnect"
    );
    assert_eq!(
        after.tokens.refresh_token().unwrap().expose_secret(),
        "rotated-refresh"
    );
    assert_eq!(endpoint.connections(), 1);
    assert!(
        events.lock().unwrap().is_empty(),
        "{:?}",
        events.lock().unwrap()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_without_expiry_or_refresh_token_is_long_lived() {
    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let id = insert(
        &store,
        serde_json::from_str(r#"{"access_token":"forever-token"}"#).unwrap(),
    )
    .await
    .id;
    let endpoint = Endpoint::start("127.0.0.1", Fault::Reset);
    let events: Events = Arc::default();
    let connections = setup(&endpoint, Store::new(backend, keyring()), &events).await;
    let token = connections.access_token(&id).await.unwrap();
    assert_eq!(token.expose_secret(), "forever-token");
    assert_eq!(endpoint.connections(), 0, "nothing to refresh");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_without_expiry_is_refreshed_on_a_401() {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let backend = SqliteBackend::in_memory().unwrap();
    let store = Store::new(backend.clone(), keyring());
    let id = insert(
        &store,
        serde_json::from_str(r#"{"access_token":"old-access","refresh_token":"old-refresh"}"#)
            .unwrap(),
    )
    .await
    .id;
    let resource_calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&resource_calls);
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Script(Arc::new(move |request_line, _| {
            if request_line.starts_with("POST /token") {
                return (200, "application/json", GOOD_TOKEN.to_owned());
            }
            // The resource refuses the first token it sees, then accepts.
            match counted.fetch_add(1, Ordering::SeqCst) {
                0 => (
                    401,
                    "application/json",
                    r#"{"error":"invalid_token"}"#.to_owned(),
                ),
                _ => (200, "application/json", r#"{"ok":true}"#.to_owned()),
            }
        })),
    );
    let events: Events = Arc::default();
    let connections = setup(&endpoint, Store::new(backend, keyring()), &events).await;
    let answer = connections
        .send(
            &id,
            http::Request::get(format!("{}/resource", endpoint.url()))
                .body(Vec::new())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(resource_calls.load(Ordering::SeqCst), 2, "one retry");
    assert_eq!(endpoint.connections(), 3, "resource, token, resource");
    let after = store.require(&id).await.unwrap();
    assert_eq!(after.tokens.access_token().expose_secret(), "new-access");
}

#[oauth2_connection(
    id = "incremental_connection_oauth2",
    name = "OAuth2",
    description = "Google-style incremental authorization",
    authorize_url = "http://127.0.0.1/authorize",
    token_url = "http://127.0.0.1/token",
    scopes = ["read", "write"],
    incremental_auth = true,
)]
struct Incremental;

const INCREMENTAL: AppDefinition = app! {
    id: "incremental", name: "Incremental", description: "Incremental",
    logo_url: "http://127.0.0.1/logo.svg", connections: [Incremental],
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn incremental_reconsent_asks_for_the_missing_scopes_and_keeps_the_granted_ones() {
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let store = Store::new(SqliteBackend::in_memory().unwrap(), keyring());
    let mut tokens = serde_json::to_value(expired_tokens()).unwrap();
    tokens["scopes"] = serde_json::json!(["write"]);
    let stored = store
        .insert(NewConnection::new(
            "owner",
            Incremental::DEFINITION,
            serde_json::from_value(tokens).unwrap(),
        ))
        .await
        .unwrap();
    assert_eq!(stored.scopes_granted, ["write"]);
    let mut credentials = ClientCredentialMap::new();
    credentials.insert(
        Incremental::DEFINITION.id(),
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret"))),
    );
    let connections = Connections::new(
        store,
        registry![INCREMENTAL],
        credentials,
        ReqwestClient::new().unwrap(),
        "http://127.0.0.1:9999/cb",
    )
    .unwrap()
    .with_origin(endpoint.url());
    let (url, pending) = connections.reconnect(&stored.id).await.unwrap();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(
        query.contains(&("scope".to_owned(), "read".to_owned())),
        "{url}"
    );
    assert!(query.contains(&("include_granted_scopes".to_owned(), "true".to_owned())));
    let callback = format!("code=c&state={}", pending.pending.state().expose_secret());
    // The token endpoint grants `read` (its answer's scope): `write` was granted before.
    let reconnected = connections.complete(pending, &callback).await.unwrap();
    assert_eq!(reconnected.id, stored.id);
    assert_eq!(reconnected.scopes_granted, ["read", "write"]);
    assert!(
        connections
            .missing_scopes(&stored.id)
            .await
            .unwrap()
            .is_empty()
    );
}
