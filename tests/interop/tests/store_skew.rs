//! Processes whose clocks disagree share one PostgreSQL store: leases, claims and token expiries
//! are on the database's clock, so a process whose clock runs two minutes ahead (libfaketime,
//! from Debian's `faketime`) neither takes over a lease still held (no refresh token is used
//! twice, no newer token is overwritten), nor deletes a claim still standing, nor stores an
//! expiry that makes another process hand out an expired token (which it did while each process
//! computed expiries on its own clock), nor refreshes more often than the other. On SQLite the
//! clock is the one machine's, so there is nothing to skew between its processes.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use connkit::store::{PostgresBackend, Store};
use connkit_interop::keyring;
use connkit_interop::rotating::{RotatingServer, store_family};

/// libfaketime's multi-threaded library, where Debian puts it.
fn libfaketime() -> String {
    ["x86_64-linux-gnu", "aarch64-linux-gnu"]
        .iter()
        .map(|arch| format!("/usr/lib/{arch}/faketime/libfaketimeMT.so.1"))
        .find(|path| Path::new(path).exists())
        .unwrap_or_else(|| {
            panic!("libfaketime is missing; scripts/test.sh installs Debian's faketime")
        })
}

/// The worker, with its clock `skew` ahead (`+120s`) or as it is (`None`).
fn worker(skew: Option<&str>, arguments: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_store-crash-worker"));
    command.args(arguments).stderr(Stdio::inherit());
    if let Some(skew) = skew {
        command
            .env("LD_PRELOAD", libfaketime())
            .env("FAKETIME", skew)
            // Timers and timeouts keep real time; only the wall clock is skewed.
            .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    }
    command
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL and libfaketime; scripts/test.sh installs and starts them and runs this test"]
async fn a_process_whose_clock_runs_ahead_takes_over_no_lease_and_deletes_no_claim() {
    let config = common::postgres_database("connkit_skew").await;
    // The skew is real: the worker's wall clock is two minutes ahead.
    let store = Store::new(PostgresBackend::connect(&config).await.unwrap(), keyring());

    // A claim standing for 60 s is still standing for the process two minutes ahead.
    assert!(
        store
            .claim_once("skewed-claim", Duration::from_secs(60))
            .await
            .unwrap()
    );
    let output = worker(
        Some("+120s"),
        &["postgres", &config, "claim", "skewed-claim", "60"],
    )
    .output()
    .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap().trim(),
        "claimed false"
    );

    // Two processes refresh the same connections, one with its clock two minutes ahead.
    let server = RotatingServer::start(Duration::from_secs(2)).await;
    let mut ids = Vec::new();
    for family in 0..4 {
        ids.push(store_family(&store, &format!("s{family}")).await);
    }
    let ids_argument = ids.join(",");
    let arguments = [
        "postgres",
        &config,
        "load",
        server.url(),
        "10",
        "50",
        &ids_argument,
    ];
    let processes = [
        worker(None, &arguments)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
        worker(Some("+120s"), &arguments)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    ];
    let mut outcomes = Vec::new();
    for process in processes {
        let output = tokio::task::spawn_blocking(move || process.wait_with_output().unwrap())
            .await
            .unwrap();
        assert!(output.status.success(), "{}", output.status);
        let counts: BTreeMap<String, u64> =
            serde_json::from_str(String::from_utf8(output.stdout).unwrap().trim()).unwrap();
        outcomes.push(counts);
    }
    let seen = server.counts();
    eprintln!("skewed: {outcomes:?}; {seen:?}");
    assert_eq!(seen.reuses, 0, "a refresh token was used twice");
    assert_eq!(seen.invalid, 0, "an invalid token was handed out");
    for counts in &outcomes {
        assert!(
            counts.keys().all(|outcome| !outcome.starts_with("error ")),
            "{counts:?}"
        );
    }
    // Expiries are kept and judged on the database's clock: the process ahead refreshes no
    // sooner than the other, so no connection is refreshed more than once at the start (the
    // tokens have expired) and then once per (lifetime − margin) = 1 s of the 10 s, plus one.
    // (Fewer would say only that the callers were slow at times, as in store_load.rs.)
    let most = 1 + 10 + 1;
    for (family, count) in &seen.refreshes {
        assert!(
            *count >= 1 && *count <= most,
            "{family}: {count} refreshes, at most {most}"
        );
    }
    // No newer token was overwritten: each connection holds the refresh token the provider
    // issued last.
    for (family, id) in ids.iter().enumerate() {
        let stored = store.require(id).await.unwrap();
        assert_eq!(
            stored.tokens.refresh_token().unwrap().expose_secret(),
            server.current_refresh_token(&format!("s{family}"))
        );
    }
}
