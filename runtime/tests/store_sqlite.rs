//! The store's shared suite on SQLite, plus what is SQLite's own: migrations on open, refusal of
//! a newer schema, and no token, secret or refresh token in the file's bytes.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use connkit::store::testing as store_suite;
use connkit::store::{Backend, MigrationError, NewConnection, SqliteBackend, Store};
use store_suite::{ACCESS, Acme, ID_TOKEN, REFRESH, keyring, tokens};

/// An SQLite store written by connkit 0.1.0, sealed in the first format (fixtures/README.md).
const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/store-0.1.0-sealing-v1.db"
);

/// A fresh directory under the target dir, removed by hand when the test passes.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("store-sqlite-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test]
async fn crud() {
    store_suite::crud(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test]
async fn scope_drift() {
    store_suite::scope_drift(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test]
async fn key_rotation_resumes_across_processes() {
    let file = scratch("rotation").join("connections.db");
    store_suite::key_rotation(|| {
        let file = file.clone();
        async move { SqliteBackend::open(file).unwrap() }
    })
    .await;
}

#[tokio::test]
async fn credentials() {
    store_suite::credentials(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test]
async fn inputs() {
    store_suite::inputs(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims() {
    store_suite::claims(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test]
async fn due() {
    store_suite::due(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test]
async fn rows_from_before_refresh_at_are_opened_once() {
    let file = scratch("refresh-at").join("connections.db");
    store_suite::rows_from_before_refresh_at(
        || {
            let file = file.clone();
            async move { SqliteBackend::open(file).unwrap() }
        },
        || async {
            let raw = rusqlite::Connection::open(&file).unwrap();
            for statement in store_suite::BACK_TO_VERSION_1 {
                raw.execute_batch(statement).unwrap();
            }
        },
    )
    .await;
}

#[tokio::test]
async fn leases() {
    store_suite::leases(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test]
async fn bound_columns() {
    store_suite::bound_columns(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test]
async fn legacy_sealing() {
    let rows = store_suite::legacy_rows();
    store_suite::legacy_sealing(SqliteBackend::in_memory().unwrap(), rows).await;
}

/// A copy of the file connkit 0.1.0 wrote opens, migrates to today's schema, and is re-sealed
/// in place; the fixture itself is never written.
#[tokio::test]
async fn a_store_written_by_connkit_0_1_0_opens_and_migrates() {
    let fixture = std::fs::read(FIXTURE).unwrap();
    let file = scratch("fixture").join("connections.db");
    std::fs::write(&file, &fixture).unwrap();
    let version = |file: &Path| -> i64 {
        rusqlite::Connection::open(file)
            .unwrap()
            .query_row("SELECT MAX(version) FROM connkit_schema", [], |row| {
                row.get(0)
            })
            .unwrap()
    };
    assert_eq!(
        version(&file),
        3,
        "written before this release's migrations"
    );
    let store = Store::new(
        SqliteBackend::open(&file).unwrap(),
        store_suite::fixture_keyring(),
    );
    assert_eq!(version(&file), 4);
    // The rows the conformance suite carries for other backends are these, as migrated.
    assert_eq!(
        store
            .backend()
            .list(connkit::store::Filter::default())
            .await
            .unwrap(),
        store_suite::legacy_rows()
    );
    let opened = store.everything().await.unwrap();
    assert_eq!((opened.connections.len(), opened.credentials.len()), (2, 1));
    assert!(opened.unreadable.is_empty());
    while !store.rotate_keys(10).await.unwrap().done {}
    drop(store);
    let reopened = Store::new(
        SqliteBackend::open(&file).unwrap(),
        store_suite::fixture_keyring(),
    );
    let migrated = reopened.everything().await.unwrap();
    // The same values, each saved once more by the re-sealing.
    assert_eq!(migrated.connections.len(), opened.connections.len());
    for (after, before) in migrated.connections.iter().zip(&opened.connections) {
        assert_eq!(after.version(), before.version() + 1);
        assert_eq!(
            (&after.id, &after.owner, &after.definition_id, &after.inputs),
            (
                &before.id,
                &before.owner,
                &before.definition_id,
                &before.inputs
            )
        );
        assert_eq!(
            (after.status, &after.scopes_granted, &after.tokens),
            (before.status, &before.scopes_granted, &before.tokens)
        );
    }
    assert_eq!(
        migrated.credentials[0].credential,
        opened.credentials[0].credential
    );
    assert_eq!(std::fs::read(FIXTURE).unwrap(), fixture);
}

#[tokio::test]
async fn tamper_detection() {
    store_suite::tamper_detection(SqliteBackend::in_memory().unwrap()).await;
}

#[tokio::test]
async fn a_new_file_is_migrated_and_an_existing_one_reopened() {
    let file = scratch("migrate").join("connections.db");
    let store = Store::new(SqliteBackend::open(&file).unwrap(), keyring());
    let stored = store
        .insert(NewConnection::new("owner", Acme::DEFINITION, tokens(None)))
        .await
        .unwrap();
    drop(store);
    let reopened = Store::new(SqliteBackend::open(&file).unwrap(), keyring());
    assert_eq!(reopened.require(&stored.id).await.unwrap(), stored);
}

/// A new store file, its write-ahead log and its shared memory are readable by their owner
/// only, whatever the umask lets through (SQLite alone creates them 0644).
#[cfg(unix)]
#[tokio::test]
async fn a_new_file_and_its_wal_and_shm_are_for_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("modes");
    let file = dir.join("connections.db");
    let store = Store::new(SqliteBackend::open(&file).unwrap(), keyring());
    store
        .insert(NewConnection::new("owner", Acme::DEFINITION, tokens(None)))
        .await
        .unwrap();
    let mut seen = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let mode = entry.metadata().unwrap().permissions().mode() & 0o777;
        seen.push((entry.file_name().into_string().unwrap(), mode));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            ("connections.db".to_owned(), 0o600),
            ("connections.db-shm".to_owned(), 0o600),
            ("connections.db-wal".to_owned(), 0o600),
        ]
    );
    drop(store);
    // An existing file keeps the mode its owner gave it.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    drop(SqliteBackend::open(&file).unwrap());
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
}

#[tokio::test]
async fn a_database_from_a_newer_connkit_is_refused_untouched() {
    let file = scratch("newer").join("connections.db");
    drop(SqliteBackend::open(&file).unwrap());
    {
        let raw = rusqlite::Connection::open(&file).unwrap();
        raw.execute("INSERT INTO connkit_schema (version) VALUES (99)", [])
            .unwrap();
    }
    match SqliteBackend::open(&file) {
        Err(MigrationError::Newer { found: 99, known }) => assert!(known < 99),
        other => panic!("{other:?}"),
    }
    let raw = rusqlite::Connection::open(&file).unwrap();
    let version: i64 = raw
        .query_row("SELECT MAX(version) FROM connkit_schema", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(version, 99, "left as it was");
}

#[tokio::test]
async fn the_file_holds_no_token_in_clear() {
    let dir = scratch("raw");
    let file = dir.join("connections.db");
    let store = Store::new(SqliteBackend::open(&file).unwrap(), keyring());
    for owner in ["owner-a", "owner-b"] {
        store
            .insert(
                NewConnection::new(owner, Acme::DEFINITION, tokens(Some("read write")))
                    .with_inputs(
                        connkit::definition::InputValues::new()
                            .with("api_secret", store_suite::SECRET_INPUT),
                    ),
            )
            .await
            .unwrap();
    }
    store
        .insert_credential(connkit::store::NewCredential::new(
            "owner-a",
            <store_suite::AcmeKey as connkit::definition::ConnectionType>::CONNECTION_DEFINITION,
            connkit::store::Credential::ApiKey {
                key: connkit::secret::ApiKey::new(store_suite::KEY),
            },
        ))
        .await
        .unwrap();
    // Every byte SQLite wrote: the database, its write-ahead log and shared memory.
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(bytes.len() > 4096, "the files were written");
    let haystack = String::from_utf8_lossy(&bytes);
    assert!(
        haystack.contains("owner-a"),
        "the search can see plain text"
    );
    for secret in [
        ACCESS,
        REFRESH,
        ID_TOKEN,
        store_suite::SECRET_INPUT,
        store_suite::KEY,
    ] {
        assert!(!haystack.contains(secret), "{secret} is in the file");
    }
}
