//! Stored connections against the real oidc-provider (refresh tokens rotate on every use; a
//! reused refresh token revokes the grant). An expired connection asked for its token by many
//! callers at once is refreshed exactly once, counted on the server's side, and every caller
//! gets the same token: 100 tasks in one process; 2 processes sharing one SQLite file; 4
//! processes × 25 tasks sharing one PostgreSQL database.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};

use common::{Browser, require_server};
use connkit::TokenSet;
use connkit::credentials::ClientCredentialMap;
use connkit::http::ReqwestClient;
use connkit::secret::AccessToken;
use connkit::store::{
    Backend, ConnectionError, ConnectionEvent, ConnectionStatus, Connections, PostgresBackend,
    SqliteBackend, Store, StoredConnection,
};
use connkit_interop::{OIDC_PROVIDER, STORE_CLIENT, StoreClient, connections, keyring};
use sha2::{Digest, Sha256};

const ADDRESS: &str = "127.0.0.1:18081";

/// The store client's refreshes are counted on the server for all these tests together: they
/// take turns, so that each counts only its own.
static TURN: std::sync::LazyLock<tokio::sync::Mutex<()>> =
    std::sync::LazyLock::new(|| tokio::sync::Mutex::new(()));

/// Refresh requests oidc-provider has received from the store client.
async fn refreshes() -> u64 {
    common::refreshes(STORE_CLIENT).await
}

/// A connection made through the real flow (browser, consent, callback, code exchange), then
/// marked expired in the store, so that the next caller must refresh it.
async fn expired_connection<B: Backend>(backend: B) -> StoredConnection {
    let connections = connections(backend);
    let (url, pending) = connections
        .connect(StoreClient::DEFINITION.id(), "workspace-1")
        .await
        .unwrap();
    let callback = Browser::new()
        .follow_to_callback(url.as_str(), |_| None)
        .await
        .unwrap();
    let stored = connections.complete(pending, &callback).await.unwrap();
    assert_eq!(stored.status, ConnectionStatus::Active);
    assert!(stored.tokens.refresh_token().is_some());
    expire(connections.store(), stored).await
}

async fn expire<B: Backend>(
    store: &Store<B>,
    mut connection: StoredConnection,
) -> StoredConnection {
    let mut json = serde_json::to_value(&connection.tokens).unwrap();
    json["expires_at"] = 1.into();
    connection.tokens = serde_json::from_value::<TokenSet>(json).unwrap();
    store.save(&connection).await.unwrap()
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("store-concurrency-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `processes` store-worker processes at once, each with `callers` tasks; every token hash
/// they print.
fn workers(kind: &str, location: &str, id: &str, processes: usize, callers: usize) -> Vec<String> {
    let children: Vec<_> = (0..processes)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_store-worker"))
                .args([kind, location, id, &callers.to_string()])
                .output_spawn()
        })
        .collect();
    let mut hashes = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "a worker failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        hashes.extend(
            stdout
                .lines()
                .filter_map(|line| line.strip_prefix("token "))
                .map(str::to_owned),
        );
    }
    assert_eq!(hashes.len(), processes * callers, "every caller answered");
    hashes
}

/// `callers` concurrent `access_token` calls on `id` in this process: every token handed out.
async fn concurrent_access_tokens(
    connections: &Arc<Connections<SqliteBackend, ReqwestClient, ClientCredentialMap>>,
    id: &str,
    callers: usize,
) -> Vec<AccessToken> {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..callers {
        let connections = Arc::clone(connections);
        let id = id.to_owned();
        tasks.spawn(async move { connections.access_token(&id).await.unwrap() });
    }
    let mut tokens = Vec::new();
    while let Some(token) = tasks.join_next().await {
        tokens.push(token.unwrap());
    }
    assert_eq!(tokens.len(), callers);
    tokens
}

/// Runs `processes` × `callers` workers on the `kind` database at `location` for the expired
/// connection `id`, and checks that the server saw exactly one refresh and that every caller got
/// the token `store` now holds.
async fn assert_one_refresh_across_processes<B: Backend>(
    store: &Store<B>,
    kind: &'static str,
    location: String,
    id: &str,
    processes: usize,
    callers: usize,
) {
    let before = refreshes().await;
    let hashes = tokio::task::spawn_blocking({
        let id = id.to_owned();
        move || workers(kind, &location, &id, processes, callers)
    })
    .await
    .unwrap();
    assert_eq!(
        refreshes().await - before,
        1,
        "exactly one refresh reached the server"
    );
    let stored = store.require(id).await.unwrap();
    let stored_hash = hash(stored.tokens.access_token().expose_secret());
    assert_eq!(hashes.len(), processes * callers);
    assert!(
        hashes.iter().all(|hash| hash == &stored_hash),
        "one token for all"
    );
}

trait OutputSpawn {
    fn output_spawn(&mut self) -> std::process::Child;
}

impl OutputSpawn for Command {
    fn output_spawn(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_hundred_concurrent_callers_cause_one_refresh() {
    require_server("oidc-provider", ADDRESS);
    let _turn = TURN.lock().await;
    let file = scratch("in-process").join("connections.db");
    let expired = expired_connection(SqliteBackend::open(&file).unwrap()).await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&events);
    let connections = Arc::new(
        connections(SqliteBackend::open(&file).unwrap())
            .on_event(move |event| recorded.lock().unwrap().push(event.clone())),
    );
    let before = refreshes().await;
    let tokens = concurrent_access_tokens(&connections, &expired.id, 100).await;
    assert_eq!(
        refreshes().await - before,
        1,
        "exactly one refresh reached the server"
    );
    assert_eq!(tokens.len(), 100);
    assert!(
        tokens.iter().all(|token| token == &tokens[0]),
        "one token for all"
    );
    assert_ne!(&tokens[0], expired.tokens.access_token());

    // The rotated refresh token was saved before the token was handed out.
    let stored = connections.store().require(&expired.id).await.unwrap();
    assert_eq!(stored.tokens.access_token(), &tokens[0]);
    assert_ne!(
        stored.tokens.refresh_token(),
        expired.tokens.refresh_token()
    );
    assert_eq!(
        *events.lock().unwrap(),
        [ConnectionEvent::Refreshed {
            connection_id: expired.id.clone()
        }]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn two_processes_on_one_sqlite_file_cause_one_refresh() {
    require_server("oidc-provider", ADDRESS);
    let _turn = TURN.lock().await;
    let file = scratch("sqlite-processes").join("connections.db");
    let expired = expired_connection(SqliteBackend::open(&file).unwrap()).await;
    let store = Store::new(SqliteBackend::open(&file).unwrap(), keyring());
    let location = file.to_str().unwrap().to_owned();
    assert_one_refresh_across_processes(&store, "sqlite", location, &expired.id, 2, 25).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs oidc-provider and PostgreSQL; scripts/test.sh starts both and runs this test"]
async fn four_processes_on_postgres_cause_one_refresh() {
    require_server("oidc-provider", ADDRESS);
    let _turn = TURN.lock().await;
    let config = common::postgres_database("connkit_concurrency").await;
    let expired = expired_connection(PostgresBackend::connect(&config).await.unwrap()).await;
    let store = Store::new(PostgresBackend::connect(&config).await.unwrap(), keyring());
    assert_one_refresh_across_processes(&store, "postgres", config, &expired.id, 4, 25).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_refused_refresh_token_marks_the_connection_needs_reconnect() {
    require_server("oidc-provider", ADDRESS);
    let _turn = TURN.lock().await;
    let file = scratch("invalid-grant").join("connections.db");
    let expired = expired_connection(SqliteBackend::open(&file).unwrap()).await;
    let events = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&events);
    let connections = connections(SqliteBackend::open(&file).unwrap())
        .on_event(move |event| recorded.lock().unwrap().push(event.clone()));
    // A first refresh rotates the refresh token ...
    connections.access_token(&expired.id).await.unwrap();
    // ... then a stale copy of the old one comes back (a restored backup, say): its reuse makes
    // oidc-provider refuse it and revoke the grant.
    let current = connections.store().require(&expired.id).await.unwrap();
    let mut stale = current.clone();
    stale.tokens = expired.tokens.clone();
    connections.store().save(&stale).await.unwrap();
    let fresh = Store::new(SqliteBackend::open(&file).unwrap(), keyring());
    let reopened = connections_reopened(&file, &events);
    let error = reopened.access_token(&expired.id).await.unwrap_err();
    assert!(
        matches!(error, ConnectionError::NeedsReconnect { ref connection_id } if connection_id == &expired.id),
        "{error:?}"
    );
    let stored = fresh.require(&expired.id).await.unwrap();
    assert_eq!(stored.status, ConnectionStatus::NeedsReconnect);
    assert!(
        events
            .lock()
            .unwrap()
            .contains(&ConnectionEvent::NeedsReconnect {
                connection_id: expired.id.clone()
            })
    );
    // Every later caller gets the same answer without asking the server.
    let before = refreshes().await;
    assert!(matches!(
        reopened.access_token(&expired.id).await,
        Err(ConnectionError::NeedsReconnect { .. })
    ));
    assert_eq!(refreshes().await, before);
}

/// Connections over `file` recording their events into `events` (a new process, as far as the
/// in-process cache goes).
fn connections_reopened(
    file: &std::path::Path,
    events: &Arc<Mutex<Vec<ConnectionEvent>>>,
) -> connkit::store::Connections<SqliteBackend, ReqwestClient, ClientCredentialMap> {
    let recorded = Arc::clone(events);
    connections(SqliteBackend::open(file).unwrap())
        .on_event(move |event| recorded.lock().unwrap().push(event.clone()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn scope_drift_is_found_and_fixed_in_place_by_re_consent() {
    require_server("oidc-provider", ADDRESS);
    let _turn = TURN.lock().await;
    let file = scratch("re-consent").join("connections.db");
    // Made by the first release, which asks for openid and offline_access.
    let first = expired_connection(SqliteBackend::open(&file).unwrap()).await;
    assert_eq!(first.scopes_granted, ["openid", "offline_access"]);

    // The later release asks for api too: the stored connection lacks it.
    let events = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&events);
    let later = connkit_interop::connections_of(
        connkit_interop::REGISTRY_WIDER,
        SqliteBackend::open(&file).unwrap(),
    )
    .on_event(move |event| recorded.lock().unwrap().push(event.clone()));
    assert_eq!(later.missing_scopes(&first.id).await.unwrap(), ["api"]);
    let drift = later
        .store()
        .scope_drift(connkit_interop::StoreClientWider::DEFINITION)
        .await
        .unwrap();
    assert_eq!(drift.per_owner.get("workspace-1"), Some(&1));
    assert_eq!(drift.connections[0].0, first.id);

    // Re-consent asks for the current scopes and updates the same connection.
    let (url, pending) = later.reconnect(&first.id).await.unwrap();
    assert!(
        url.as_str().contains("scope=openid+offline_access+api"),
        "{url}"
    );
    let callback = Browser::new()
        .follow_to_callback(url.as_str(), |_| None)
        .await
        .unwrap();
    let updated = later.complete(pending, &callback).await.unwrap();
    assert_eq!(updated.id, first.id, "the same connection");
    assert_eq!(updated.owner, first.owner);
    assert_eq!(updated.created_at, first.created_at);
    assert_eq!(
        updated.scopes_requested,
        ["openid", "offline_access", "api"]
    );
    assert!(
        updated.scopes_granted.iter().any(|scope| scope == "api"),
        "{:?}",
        updated.scopes_granted
    );
    assert!(later.missing_scopes(&first.id).await.unwrap().is_empty());
    assert_eq!(
        later
            .store()
            .list_by_owner("workspace-1")
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        *events.lock().unwrap(),
        [ConnectionEvent::Recovered {
            connection_id: first.id.clone()
        }]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn an_authorized_request_refreshes_once_on_401_and_retries() {
    require_server("oidc-provider", ADDRESS);
    let _turn = TURN.lock().await;
    let file = scratch("authorized").join("connections.db");
    let expired = expired_connection(SqliteBackend::open(&file).unwrap()).await;
    let connections = connections(SqliteBackend::open(&file).unwrap());
    let userinfo = || {
        http::Request::get(format!("{OIDC_PROVIDER}/me"))
            .body(Vec::new())
            .unwrap()
    };
    // A valid token: one request.
    let before = refreshes().await;
    let answer = connections.send(&expired.id, userinfo()).await.unwrap();
    assert_eq!(
        answer.status(),
        200,
        "{}",
        String::from_utf8_lossy(answer.body())
    );
    assert_eq!(
        refreshes().await - before,
        1,
        "the expired token was refreshed first"
    );

    // The provider stops accepting the stored token although it has not expired (revoked, say):
    // the 401 leads to one refresh and one retry.
    let mut stored = connections.store().require(&expired.id).await.unwrap();
    let mut json = serde_json::to_value(&stored.tokens).unwrap();
    json["access_token"] = "not-a-token-the-provider-knows".into();
    stored.tokens = serde_json::from_value(json).unwrap();
    connections.store().save(&stored).await.unwrap();
    let reopened = connkit_interop::connections(SqliteBackend::open(&file).unwrap());
    let before = refreshes().await;
    let answer = reopened.send(&expired.id, userinfo()).await.unwrap();
    assert_eq!(
        answer.status(),
        200,
        "{}",
        String::from_utf8_lossy(answer.body())
    );
    assert_eq!(refreshes().await - before, 1, "one refresh after the 401");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_thousand_concurrent_callers_cause_one_refresh() {
    require_server("oidc-provider", ADDRESS);
    let _turn = TURN.lock().await;
    let file = scratch("thousand").join("connections.db");
    let expired = expired_connection(SqliteBackend::open(&file).unwrap()).await;
    let connections = Arc::new(connections(SqliteBackend::open(&file).unwrap()));
    let before = refreshes().await;
    let tokens = concurrent_access_tokens(&connections, &expired.id, 1000).await;
    let issued = refreshes().await - before;
    println!("refreshes issued for 1000 concurrent callers: {issued}");
    assert_eq!(issued, 1);
    assert!(tokens.iter().all(|token| token == &tokens[0]));
}
