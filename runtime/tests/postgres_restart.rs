//! PostgreSQL restarts under load: while it is down every call fails with a typed error, and
//! once it is back the same backend works again, with no restart of the application. Starts a
//! cluster of its own on 127.0.0.1:18433 (tests/interop/postgres/up.sh), which it stops and
//! starts; `scripts/test.sh` runs it.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use connkit::store::{
    Keyring, NewConnection, PoolOptions, PostgresBackend, SealingKey, Store, StoreError,
};
use connkit::{TokenSet, oauth2_connection};

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read"],
)]
struct Acme;

fn new_connection() -> NewConnection<'static> {
    let tokens: TokenSet =
        serde_json::from_str(r#"{"access_token":"a","refresh_token":"r","expires_at":4000000000}"#)
            .unwrap();
    NewConnection::new("owner", Acme::DEFINITION, tokens)
}

const PORT: u16 = 18433;

/// A throwaway cluster, stopped when dropped (also when the test fails).
struct Cluster {
    dir: PathBuf,
}

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/interop/postgres")
}

impl Cluster {
    fn start() -> Self {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("pg-restart-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The server runs as Debian's `postgres` user, which must reach its folder.
        for ancestor in dir.ancestors().take(4) {
            let _ = Command::new("chmod").arg("o+x").arg(ancestor).status();
        }
        let up = Command::new(scripts().join("up.sh"))
            .env("PORT", PORT.to_string())
            .env("DIR", dir.join("pg"))
            .status()
            .unwrap();
        assert!(up.success(), "up.sh failed");
        Self { dir }
    }

    /// Starts or stops the server, off the async runtime's threads.
    async fn ctl(&self, what: &'static str) {
        let dir = self.dir.join("pg");
        let done = tokio::task::spawn_blocking(move || {
            Command::new(scripts().join("ctl.sh"))
                .arg(dir)
                .arg(what)
                .status()
                .unwrap()
        })
        .await
        .unwrap();
        assert!(done.success(), "ctl.sh {what} failed");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(scripts().join("ctl.sh"))
            .arg(self.dir.join("pg"))
            .arg("stop")
            .status();
        let _ = Command::new("rm").arg("-rf").arg(&self.dir).status();
    }
}

#[derive(Default)]
struct Tally {
    ok: usize,
    backend_errors: usize,
    other_errors: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL's server binaries; scripts/test.sh runs this test"]
async fn calls_fail_typed_while_postgresql_is_down_and_work_again_once_it_is_back() {
    let cluster = Cluster::start();
    let config = format!(
        "host=127.0.0.1 port={PORT} user=connkit dbname=connkit sslmode=verify-full sslrootcert={}",
        cluster.dir.join("pg/tls/ca.crt").display()
    );
    let backend = PostgresBackend::connect_with(
        &config,
        PoolOptions::default()
            .max_connections(4)
            .timeout(Duration::from_secs(1)),
    )
    .await
    .unwrap();
    let keyring = Keyring::new(SealingKey::from_bytes("k", &[5; 32]).unwrap());
    let store = Arc::new(Store::new(backend, keyring));
    let id = store.insert(new_connection()).await.unwrap().id;

    // Eight callers, reading all along.
    let running = Arc::new(AtomicBool::new(true));
    let mut callers = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (store, id, running) = (Arc::clone(&store), id.clone(), Arc::clone(&running));
        callers.spawn(async move {
            let mut tally = Tally::default();
            while running.load(Ordering::SeqCst) {
                match store.get(&id).await {
                    Ok(Some(_)) => tally.ok += 1,
                    Ok(None) => tally.other_errors.push("the row vanished".to_owned()),
                    Err(StoreError::Backend(_)) => tally.backend_errors += 1,
                    Err(other) => tally.other_errors.push(other.to_string()),
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            tally
        });
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.ctl("stop").await;
    // Down: calls fail, typed, within the pool's timeout.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let started = Instant::now();
    match store.get(&id).await {
        Err(StoreError::Backend(_)) => {}
        other => panic!("while down: {other:?}"),
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "bounded by the timeout"
    );
    cluster.ctl("start").await;
    // Back: the same store works again, reading and writing.
    let back = Instant::now();
    loop {
        if store.get(&id).await.is_ok() {
            break;
        }
        assert!(back.elapsed() < Duration::from_secs(20), "never came back");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    running.store(false, Ordering::SeqCst);
    let mut total = Tally::default();
    for tally in callers.join_all().await {
        total.ok += tally.ok;
        total.backend_errors += tally.backend_errors;
        total.other_errors.extend(tally.other_errors);
    }
    assert!(total.other_errors.is_empty(), "{:?}", total.other_errors);
    assert!(total.backend_errors > 0, "the callers saw the database go");
    assert!(total.ok > 0);
    let written = store.insert(new_connection()).await.unwrap();
    assert_eq!(store.require(&written.id).await.unwrap(), written);
    drop(cluster);
}
