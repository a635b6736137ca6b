//! The store's shared suite on PostgreSQL, plus migrations, refusal of a newer schema, and no
//! token in the stored rows. Needs a server: `scripts/test.sh` starts one on 127.0.0.1:18432 and
//! sets `CONNKIT_POSTGRES` (a libpq-style configuration without `dbname`); each test creates a
//! database of its own in it.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};

use connkit::store::testing as store_suite;
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
    let rows = store_suite::legacy_rows();
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
        .insert(NewConnection::new("owner", Acme::DEFINITION, tokens(None)))
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
        .insert(NewConnection::new(
            "owner-a",
            Acme::DEFINITION,
            tokens(Some("read write")),
        ))
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

/// The folder of the server's TLS material (`ca.crt`, `wrong-ca.crt`), made by
/// tests/interop/postgres/up.sh.
fn tls_dir() -> String {
    std::env::var("CONNKIT_POSTGRES_TLS").unwrap_or_else(|_| {
        panic!("CONNKIT_POSTGRES_TLS is not set; scripts/test.sh starts PostgreSQL and sets it")
    })
}

/// The test server's port, from `CONNKIT_POSTGRES`.
fn port() -> String {
    server()
        .split_whitespace()
        .find_map(|pair| pair.strip_prefix("port="))
        .expect("CONNKIT_POSTGRES names the port")
        .to_owned()
}

/// A configuration reaching the test server at 127.0.0.1 under the name `host`, with TLS as
/// `tls` says; the database's name last.
fn tls_config(host: &str, tls: &str, database: &str) -> String {
    format!(
        "hostaddr=127.0.0.1 host={host} port={} user=connkit {tls} {}",
        port(),
        database.split_whitespace().last().unwrap()
    )
}

/// Whether the server sees a TLS connection to `database` (the pool keeps its connection).
async fn encrypted_connections(database: &str) -> (i64, i64) {
    let (admin, connection) =
        tokio_postgres::connect(&format!("{} dbname=connkit", server()), NoTls)
            .await
            .unwrap();
    tokio::spawn(connection);
    let name = database
        .split_whitespace()
        .last()
        .unwrap()
        .trim_start_matches("dbname=");
    let row = admin
        .query_one(
            "SELECT count(*) FILTER (WHERE s.ssl), count(*) FILTER (WHERE NOT s.ssl)
             FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.datname = $1",
            &[&name],
        )
        .await
        .unwrap();
    (row.get(0), row.get(1))
}

/// TLS as libpq users know it, against the server started with a CA made at test time:
/// `verify-full` with that CA succeeds, by name or address, and the connection is encrypted; a
/// wrong CA, or a name the certificate does not hold, is refused; `verify-ca` checks the chain
/// only; `require` encrypts unverified; `disable` does not encrypt.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn tls_is_verified_as_sslmode_says() {
    let database = fresh_database().await;
    let tls = tls_dir();
    let ca = format!("sslrootcert={tls}/ca.crt");
    let wrong_ca = format!("sslrootcert={tls}/wrong-ca.crt");
    let works = |config: String| async move {
        let backend = PostgresBackend::connect(&config)
            .await
            .unwrap_or_else(|error| panic!("{config}: {error}"));
        let store = Store::new(backend, keyring());
        let stored = store
            .insert(NewConnection::new("owner", Acme::DEFINITION, tokens(None)))
            .await
            .unwrap();
        assert_eq!(store.require(&stored.id).await.unwrap(), stored);
        store
    };
    for host in ["connkit-db.test", "127.0.0.1"] {
        let store = works(tls_config(
            host,
            &format!("sslmode=verify-full {ca}"),
            &database,
        ))
        .await;
        let (encrypted, plain) = encrypted_connections(&database).await;
        assert!(encrypted >= 1 && plain == 0, "{host}: {encrypted} {plain}");
        drop(store);
    }
    let refused = |config: String| async move {
        match PostgresBackend::connect(&config).await {
            Err(MigrationError::Database(error)) => {
                let mut chain = error.to_string();
                let mut source = std::error::Error::source(&error);
                while let Some(cause) = source {
                    chain.push_str(&format!(": {cause}"));
                    source = cause.source();
                }
                chain
            }
            other => panic!("{config}: {other:?}"),
        }
    };
    let unknown_issuer = refused(tls_config(
        "connkit-db.test",
        &format!("sslmode=verify-full {wrong_ca}"),
        &database,
    ))
    .await;
    assert!(unknown_issuer.contains("UnknownIssuer"), "{unknown_issuer}");
    let wrong_name = refused(tls_config(
        "db.elsewhere.test",
        &format!("sslmode=verify-full {ca}"),
        &database,
    ))
    .await;
    assert!(wrong_name.contains("not valid for name"), "{wrong_name}");
    // verify-ca: the chain, not the name; a wrong CA still fails.
    drop(
        works(tls_config(
            "db.elsewhere.test",
            &format!("sslmode=verify-ca {ca}"),
            &database,
        ))
        .await,
    );
    let chain = refused(tls_config(
        "db.elsewhere.test",
        &format!("sslmode=verify-ca {wrong_ca}"),
        &database,
    ))
    .await;
    assert!(chain.contains("UnknownIssuer"), "{chain}");
    // require: encrypted, unverified.
    drop(
        works(tls_config(
            "db.elsewhere.test",
            "sslmode=require",
            &database,
        ))
        .await,
    );
    // disable: in the clear.
    let store = works(tls_config("127.0.0.1", "sslmode=disable", &database)).await;
    let (encrypted, plain) = encrypted_connections(&database).await;
    assert!(encrypted == 0 && plain >= 1, "{encrypted} {plain}");
    drop(store);
    // A configuration that cannot be honoured is refused before any connection.
    assert!(matches!(
        PostgresBackend::connect(&tls_config("127.0.0.1", "sslmode=verify-full", &database)).await,
        Err(MigrationError::Config(_))
    ));
}
