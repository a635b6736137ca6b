//! The store under load, on SQLite and on PostgreSQL: 4 processes × 250 callers for 60 s ask
//! for the tokens of 8 connections whose access tokens last 2 s, against a token endpoint that
//! rotates refresh tokens and refuses a reused one (tests/interop/src/rotating.rs). Every call
//! gets a token (one call in 20 is checked at the endpoint's resource: valid) or a typed error;
//! no refresh token is ever reused; and no connection is refreshed more than once at the start
//! (its tokens have expired) and then once per second (the workers renew 1 s before expiry, and
//! expiry is kept in whole seconds: seconds / (2 s − 1 s)), plus one. `CONNKIT_LOAD_SECONDS` shortens the run; `--nocapture` prints the figures.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use connkit::store::{Backend, PostgresBackend, SqliteBackend, Store};
use connkit_interop::keyring;
use connkit_interop::rotating::{RotatingServer, store_family};

const PROCESSES: usize = 4;
const CALLERS: usize = 250;
const CONNECTIONS: usize = 8;
const LIFETIME: Duration = Duration::from_secs(2);
/// The workers' renewal margin (store-crash-worker's `load`).
const MARGIN: Duration = Duration::from_secs(1);

/// The two load tests take turns: each has the machine to itself.
static TURN: std::sync::LazyLock<tokio::sync::Mutex<()>> =
    std::sync::LazyLock::new(|| tokio::sync::Mutex::new(()));

fn seconds() -> u64 {
    std::env::var("CONNKIT_LOAD_SECONDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(60)
}

async fn load<B: Backend>(kind: &str, location: &str, backend: B) {
    let _turn = TURN.lock().await;
    let server = RotatingServer::start(LIFETIME).await;
    let store = Store::new(backend, keyring());
    let mut ids = Vec::new();
    for family in 0..CONNECTIONS {
        ids.push(store_family(&store, &format!("c{family}")).await);
    }
    let seconds = seconds();
    let started = Instant::now();
    let workers: Vec<_> = (0..PROCESSES)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_store-crash-worker"))
                .args([
                    kind,
                    location,
                    "load",
                    server.url(),
                    &seconds.to_string(),
                    &CALLERS.to_string(),
                    &ids.join(","),
                ])
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for worker in workers {
        let output = tokio::task::spawn_blocking(move || worker.wait_with_output().unwrap())
            .await
            .unwrap();
        assert!(output.status.success(), "{}", output.status);
        let line = String::from_utf8(output.stdout).unwrap();
        let worker: BTreeMap<String, u64> = serde_json::from_str(line.trim()).unwrap();
        for (outcome, count) in worker {
            *counts.entry(outcome).or_default() += count;
        }
    }
    let elapsed = started.elapsed();
    let seen = server.counts();
    let calls: u64 = counts.values().sum();
    let errors: BTreeMap<&String, &u64> = counts
        .iter()
        .filter(|(outcome, _)| outcome.starts_with("error "))
        .collect();
    // The starting tokens have expired: one refresh at once, then one each time a token enters
    // the margin.
    let expected = 1.0 + seconds as f64 / (LIFETIME - MARGIN).as_secs_f64();
    let refreshes: Vec<u64> = (0..CONNECTIONS)
        .map(|family| {
            seen.refreshes
                .get(&format!("c{family}"))
                .copied()
                .unwrap_or(0)
        })
        .collect();
    eprintln!(
        "{kind}: {PROCESSES} processes × {CALLERS} callers, {CONNECTIONS} connections, {:.1} s: \
         {calls} calls ({:.0}/s), {} checked valid, {} checked invalid, errors {errors:?}; \
         refreshes per connection {refreshes:?} (one per second: {expected:.1}), {} refresh tokens reused",
        elapsed.as_secs_f64(),
        calls as f64 / elapsed.as_secs_f64(),
        seen.valid,
        seen.invalid,
        seen.reuses,
    );
    assert_eq!(seen.reuses, 0, "a rotated refresh token was reused");
    assert_eq!(seen.invalid, 0, "an invalid token was handed out");
    assert_eq!(counts.get("checked invalid"), None);
    assert_eq!(counts.get("check failed"), None);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(seen.valid > 0 && calls > 0);
    // No connection is refreshed more often than its tokens ask: a second refresh of one token
    // (or a refresh storm) would show here. Fewer refreshes say only that the callers were
    // slower than a second at times (on a saturated machine): a speed, which bench/README.md
    // reports, not a fault.
    for (family, count) in refreshes.iter().enumerate() {
        assert!(
            (*count as f64) <= expected + 1.0 && *count >= 1,
            "connection c{family}: {count} refreshes, at most {expected:.1} + 1"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a 60-second load test; scripts/test.sh runs it"]
async fn sqlite_under_load_every_call_gets_a_valid_token_and_no_refresh_token_is_reused() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("store-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("connections.db");
    let location = file.to_str().unwrap().to_owned();
    load("sqlite", &location, SqliteBackend::open(&file).unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a 60-second load test against PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn postgres_under_load_every_call_gets_a_valid_token_and_no_refresh_token_is_reused() {
    let config = common::postgres_database("connkit_load").await;
    load(
        "postgres",
        &config,
        PostgresBackend::connect(&config).await.unwrap(),
    )
    .await;
}
