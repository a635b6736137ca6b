//! The store's shared suite on PostgreSQL, plus migrations, refusal of a newer schema, and no
//! token in the stored rows. Needs a server: `scripts/test.sh` starts one on 127.0.0.1:18432 and
//! sets `CONNKIT_POSTGRES` (a libpq-style configuration without `dbname`); each test creates a
//! database of its own in it.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod store_suite;

use std::sync::atomic::{AtomicUsize, Ordering};

use connkit::store::{MigrationError, NewConnection, PostgresBackend, Store};
use store_suite::{ACCESS, Acme, ID_TOKEN, REFRESH, keyring, tokens};
use tokio_postgres::NoTls;

fn server() -> String {
    std::env::var("CONNKIT_POSTGRES").unwrap_or_else(|_| {
        panic!("CONNKIT_POSTGRES is not set; scripts/test.sh starts PostgreSQL and sets it")
    })
}

/// A new, empty database on the server; its configuration.
async fn fresh_database() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let name = format!(
        "connkit_test_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let (admin, connection) =
        tokio_postgres::connect(&format!("{} dbname=connkit", server()), NoTls)
            .await
            .unwrap();
    tokio::spawn(connection);
    // One statement each: a multi-statement batch runs as one transaction.
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&statement).await.unwrap();
    }
    format!("{} dbname={name}", server())
}

async fn backend(config: &str) -> PostgresBackend {
    PostgresBackend::connect(config).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn leases() {
    store_suite::leases(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn bound_columns() {
    store_suite::bound_columns(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn legacy_sealing() {
    let rows = store_suite::fixture_rows().await;
    store_suite::legacy_sealing(backend(&fresh_database().await).await, rows).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn crud() {
    store_suite::crud(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn scope_drift() {
    store_suite::scope_drift(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn key_rotation_resumes_across_processes() {
    let config = fresh_database().await;
    store_suite::key_rotation(|| {
        let config = config.clone();
        async move { backend(&config).await }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn credentials() {
    store_suite::credentials(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn inputs() {
    store_suite::inputs(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn claims() {
    store_suite::claims(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn due() {
    store_suite::due(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn rows_from_before_refresh_at_are_opened_once() {
    let config = fresh_database().await;
    store_suite::rows_from_before_refresh_at(
        || backend(&config),
        || async {
            let (raw, connection) = tokio_postgres::connect(&config, NoTls).await.unwrap();
            tokio::spawn(connection);
            for statement in store_suite::BACK_TO_VERSION_1 {
                raw.batch_execute(statement).await.unwrap();
            }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn tamper_detection() {
    store_suite::tamper_detection(backend(&fresh_database().await).await).await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn migrations_run_once_and_a_newer_schema_is_refused() {
    let config = fresh_database().await;
    let store = Store::new(backend(&config).await, keyring());
    let stored = store
        .insert(NewConnection {
            owner: "owner",
            definition: Acme::DEFINITION,
            tokens: tokens(None),
            inputs: connkit::InputValues::new(),
        })
        .await
        .unwrap();
    // Reopening finds the schema in place and the row readable.
    let reopened = Store::new(backend(&config).await, keyring());
    assert_eq!(reopened.require(&stored.id).await.unwrap(), stored);

    let (raw, connection) = tokio_postgres::connect(&config, NoTls).await.unwrap();
    tokio::spawn(connection);
    raw.execute("INSERT INTO connkit_schema (version) VALUES (99)", &[])
        .await
        .unwrap();
    match PostgresBackend::connect(&config).await {
        Err(MigrationError::Newer { found: 99, known }) => assert!(known < 99),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn the_rows_hold_no_token_in_clear() {
    let config = fresh_database().await;
    let store = Store::new(backend(&config).await, keyring());
    store
        .insert(NewConnection {
            owner: "owner-a",
            definition: Acme::DEFINITION,
            tokens: tokens(Some("read write")),
            inputs: connkit::InputValues::new(),
        })
        .await
        .unwrap();
    let (raw, connection) = tokio_postgres::connect(&config, NoTls).await.unwrap();
    tokio::spawn(connection);
    // Every column of every row, as text.
    let rows = raw
        .query("SELECT t::TEXT FROM connkit_connections t", &[])
        .await
        .unwrap();
    let text: String = rows.iter().map(|row| row.get::<_, String>(0)).collect();
    assert!(text.contains("owner-a"), "the search can see plain text");
    for secret in [ACCESS, REFRESH, ID_TOKEN] {
        assert!(!text.contains(secret), "{secret} is in a row");
    }
}
