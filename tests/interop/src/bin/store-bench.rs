//! The latency of `Connections::access_token` on a fresh token: from the in-process cache, from
//! SQLite, and from PostgreSQL on loopback (when `CONNKIT_POSTGRES` names a server). Median and
//! p99 of each, measured side by side in one run. Then a refresher's selection of the
//! connections due among many: by opening every row, as it did before `refresh_at`, and by
//! `Store::due_within`, side by side on each backend. `scripts/store-bench.sh` starts PostgreSQL
//! and runs this in release mode.

use std::time::{Duration, Instant};

use connkit::TokenSet;
use connkit::store::{
    Backend, ConnectionStatus, NewConnection, PostgresBackend, RefreshPolicy, SqliteBackend,
};
use connkit_interop::{StoreClient, connections};

/// A token valid for a day: nothing is refreshed while measuring.
fn fresh_tokens() -> TokenSet {
    tokens_expiring_in(86_400)
}

fn tokens_expiring_in(seconds: u64) -> TokenSet {
    let expires_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
        + seconds;
    serde_json::from_value(serde_json::json!({
        "access_token": "bench-access-token",
        "refresh_token": "bench-refresh-token",
        "expires_at": expires_at,
    }))
    .expect("a token set")
}

/// Median and p99 of `calls` calls of `access_token`, after `calls / 10` warm-up calls.
async fn measure<B: Backend>(backend: B, cache: bool, calls: usize) -> (Duration, Duration) {
    let connections = connections(backend).with_policy(RefreshPolicy::default().with_cache(cache));
    let stored = connections
        .store()
        .insert(NewConnection::new(
            "bench",
            StoreClient::DEFINITION,
            fresh_tokens(),
        ))
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

/// Stores `total` connections, one in a hundred expiring within the sweep's window, then times
/// `sweeps` selections of those due each way, alternating: every row opened and asked (the
/// refresher's way before `refresh_at`), and `Store::due_within`. Medians, and their ratio.
async fn sweep<B: Backend>(backend: B, total: usize, sweeps: usize) -> (Duration, Duration) {
    let connections = connections(backend);
    let store = connections.store();
    for index in 0..total {
        let expires_in = if index % 100 == 0 { 60 } else { 86_400 };
        store
            .insert(NewConnection::new(
                "bench",
                StoreClient::DEFINITION,
                tokens_expiring_in(expires_in),
            ))
            .await
            .expect("a stored connection");
    }
    let window = Duration::from_secs(300);
    let (mut opened, mut selected) = (Vec::new(), Vec::new());
    for _ in 0..sweeps {
        let started = Instant::now();
        let now = std::time::SystemTime::now();
        let due = store
            .list_all()
            .await
            .expect("rows")
            .into_iter()
            .filter(|c| {
                c.status == ConnectionStatus::Active
                    && c.tokens.refresh_token().is_some()
                    && c.tokens.expires_within(now, window)
            })
            .count();
        opened.push(started.elapsed());
        let started = Instant::now();
        let by_index = store
            .due_within(std::time::SystemTime::now(), window)
            .await
            .expect("rows")
            .into_iter()
            .filter(Result::is_ok)
            .count();
        selected.push(started.elapsed());
        assert_eq!(due, total.div_ceil(100));
        assert_eq!(by_index, due, "both ways select the same connections");
    }
    opened.sort_unstable();
    selected.sort_unstable();
    (opened[sweeps / 2], selected[sweeps / 2])
}

fn sweep_row(name: &str, total: usize, (opened, selected): (Duration, Duration)) {
    println!(
        "| {name} | {total} | {} | {:.2} ms | {:.2} ms | {:.0}× |",
        total.div_ceil(100),
        opened.as_secs_f64() * 1e3,
        selected.as_secs_f64() * 1e3,
        opened.as_secs_f64() / selected.as_secs_f64()
    );
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

    println!();
    println!(
        "| a refresher's selection | connections | due | every row opened (median) | due_within (median) | ratio |"
    );
    println!("|---|---|---|---|---|---|");
    let total = 10_000;
    let sweeps = 31;
    let _ = std::fs::remove_file(dir.join("sweep.db"));
    let file = SqliteBackend::open(dir.join("sweep.db")).expect("an SQLite file");
    sweep_row("SQLite file", total, sweep(file, total, sweeps).await);
    if let Ok(server) = std::env::var("CONNKIT_POSTGRES") {
        // Beside the one connection the latency rows left there (not due).
        let backend = PostgresBackend::connect(&format!("{server} dbname=connkit"))
            .await
            .expect("PostgreSQL");
        sweep_row(
            "PostgreSQL on loopback",
            total,
            sweep(backend, total, sweeps).await,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
