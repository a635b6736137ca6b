//! The latency of `Connections::access_token` on a fresh token: from the in-process cache, from
//! SQLite, and from PostgreSQL on loopback (when `CONNKIT_POSTGRES` names a server). Median and
//! p99 of each, measured side by side in one run. `scripts/store-bench.sh` starts PostgreSQL
//! and runs this in release mode.

use std::time::{Duration, Instant};

use connkit::TokenSet;
use connkit::store::{Backend, NewConnection, PostgresBackend, RefreshPolicy, SqliteBackend};
use connkit_interop::{StoreClient, connections};

/// A token valid for a day: nothing is refreshed while measuring.
fn fresh_tokens() -> TokenSet {
    let expires_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
        + 86_400;
    serde_json::from_value(serde_json::json!({
        "access_token": "bench-access-token",
        "refresh_token": "bench-refresh-token",
        "expires_at": expires_at,
    }))
    .expect("a token set")
}

/// Median and p99 of `calls` calls of `access_token`, after `calls / 10` warm-up calls.
async fn measure<B: Backend>(backend: B, cache: bool, calls: usize) -> (Duration, Duration) {
    let connections = connections(backend).with_policy(RefreshPolicy {
        cache,
        ..RefreshPolicy::default()
    });
    let stored = connections
        .store()
        .insert(NewConnection {
            owner: "bench",
            definition: StoreClient::DEFINITION,
            tokens: fresh_tokens(),
            inputs: connkit::InputValues::new(),
        })
        .await
        .expect("a stored connection");
    for _ in 0..calls / 10 {
        connections.access_token(&stored.id).await.expect("a token");
    }
    let mut times = Vec::with_capacity(calls);
    for _ in 0..calls {
        let started = Instant::now();
        let token = connections.access_token(&stored.id).await.expect("a token");
        times.push(started.elapsed());
        std::hint::black_box(token);
    }
    times.sort_unstable();
    (times[calls / 2], times[calls * 99 / 100])
}

fn row(name: &str, calls: usize, (median, p99): (Duration, Duration)) {
    println!(
        "| {name} | {calls} | {:.2} µs | {:.2} µs |",
        median.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = std::env::temp_dir().join(format!("connkit-store-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let sqlite = || SqliteBackend::open(dir.join("connections.db")).expect("an SQLite file");

    println!("| access_token on a fresh token | calls | median | p99 |");
    println!("|---|---|---|---|");
    row(
        "in-process cache",
        100_000,
        measure(sqlite(), true, 100_000).await,
    );
    row(
        "SQLite file (cache off)",
        5_000,
        measure(sqlite(), false, 5_000).await,
    );
    match std::env::var("CONNKIT_POSTGRES") {
        Ok(server) => {
            let backend = PostgresBackend::connect(&format!("{server} dbname=connkit"))
                .await
                .expect("PostgreSQL");
            row(
                "PostgreSQL on loopback (cache off)",
                5_000,
                measure(backend, false, 5_000).await,
            );
        }
        Err(_) => {
            println!("| PostgreSQL | - | set CONNKIT_POSTGRES (scripts/store-bench.sh does) | |")
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
