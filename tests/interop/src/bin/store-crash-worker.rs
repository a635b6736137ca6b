//! One process of the store's crash and load tests, killed (`kill -9`) by the test at chosen
//! points or left to run:
//!
//! ```text
//! store-crash-worker <sqlite PATH | postgres CONFIG> token <origin> <id>
//! store-crash-worker <sqlite PATH | postgres CONFIG> pause-before-write <origin> <id>
//! store-crash-worker <sqlite PATH | postgres CONFIG> write <id> <from>
//! store-crash-worker <sqlite PATH | postgres CONFIG> rotate
//! store-crash-worker <sqlite PATH | postgres CONFIG> load <origin> <seconds> <callers> <id,id,..>
//! store-crash-worker <sqlite PATH | postgres CONFIG> claim <key> <seconds>
//! ```
//!
//! - `token` asks for the connection's access token once (refreshing through `origin`) and
//!   prints `token ok` or `error <variant>`, and `event <variant>` for each event.
//! - `pause-before-write` does the same, but when the refreshed tokens are about to be written
//!   it prints `writing` and waits for the kill: the provider has answered, the store not.
//! - `write` saves the connection again and again with the access token `w.<n>`, n from `from`
//!   on, printing `saved <n>` once each save returned.
//! - `rotate` re-seals with the key `rotated` (the tests' key `test-key` still opens), one row
//!   per call, printing `resealed <n>` per row and `done` at the end.
//! - `load` runs `callers` tasks for `seconds`, each asking for the tokens of the connections in
//!   turn every 50 ms (one call in 20 is checked at `origin/resource`), and prints one JSON
//!   line of counts.
//! - `claim` claims `key` for `seconds` ([`Store::claim_once`]) and prints `claimed true` or
//!   `claimed false`.
//!
//! It prints no token.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use connkit::http::{HttpClient, ReqwestClient};
use connkit::store::{
    Backend, BackendError, ConnectionError, Filter, PostgresBackend, RefreshPolicy, Row,
    SqliteBackend, Store,
};
use connkit_interop::{connections, keyring, rotating_keyring};

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The name of an error's variant (`NeedsReconnect`, `Store`...), never its text.
fn variant(debug: &str) -> String {
    debug
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .next()
        .unwrap_or("")
        .to_owned()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [kind, location, mode, rest @ ..] = arguments.as_slice() else {
        eprintln!("usage: see the file's documentation");
        return ExitCode::from(2);
    };
    let result = match kind.as_str() {
        "sqlite" => match SqliteBackend::open(location) {
            Ok(backend) => run(backend, mode, rest).await,
            Err(error) => Err(error.to_string()),
        },
        "postgres" => match PostgresBackend::connect(location).await {
            Ok(backend) => run(backend, mode, rest).await,
            Err(error) => Err(error.to_string()),
        },
        _ => Err(format!("unknown backend {kind}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("store-crash-worker: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run<B: Backend + Clone + 'static>(
    backend: B,
    mode: &str,
    rest: &[String],
) -> Result<(), String> {
    match (mode, rest) {
        ("token", [origin, id]) => token(backend, origin, id).await,
        ("pause-before-write", [origin, id]) => token(PauseBeforeWrite(backend), origin, id).await,
        ("write", [id, from]) => {
            write(backend, id, from.parse().map_err(|_| "from: a number")?).await
        }
        ("rotate", []) => rotate(backend).await,
        ("load", [origin, seconds, callers, ids]) => {
            let seconds = seconds.parse().map_err(|_| "seconds: a number")?;
            let callers = callers.parse().map_err(|_| "callers: a number")?;
            let ids: Vec<String> = ids.split(',').map(str::to_owned).collect();
            load(backend, origin, Duration::from_secs(seconds), callers, ids).await
        }
        ("claim", [key, seconds]) => {
            let seconds = seconds.parse().map_err(|_| "seconds: a number")?;
            let claimed = Store::new(backend, keyring())
                .claim_once(key, Duration::from_secs(seconds))
                .await
                .map_err(|error| error.to_string())?;
            say(&format!("claimed {claimed}"));
            Ok(())
        }
        _ => Err(format!("unknown mode or arguments: {mode} {rest:?}")),
    }
}

/// Connections whose token requests go to `origin`, renewing within a second of expiry, with a
/// lease of 2 s (so that the next process does not wait long for a killed one's).
fn through<B: Backend>(
    backend: B,
    origin: &str,
) -> connkit::store::Connections<B, ReqwestClient, connkit::credentials::ClientCredentialMap> {
    connections(backend)
        .with_origin(origin)
        .with_policy(
            RefreshPolicy::default()
                .with_margin(Duration::from_secs(1))
                .with_lease(Duration::from_secs(2)),
        )
        .on_event(|event| say(&format!("event {}", variant(&format!("{event:?}")))))
}

async fn token<B: Backend>(backend: B, origin: &str, id: &str) -> Result<(), String> {
    match through(backend, origin).access_token(id).await {
        Ok(_) => say("token ok"),
        Err(error) => say(&format!("error {}", variant(&format!("{error:?}")))),
    }
    Ok(())
}

async fn write<B: Backend>(backend: B, id: &str, from: u64) -> Result<(), String> {
    let store = Store::new(backend, keyring());
    for n in from.. {
        let mut connection = store.require(id).await.map_err(|error| error.to_string())?;
        connection.tokens = serde_json::from_value(serde_json::json!({
            "access_token": format!("w.{n}"),
            "refresh_token": format!("rt.w.{n}"),
            "expires_at": 4_000_000_000u64,
        }))
        .map_err(|error| error.to_string())?;
        store
            .save(&connection)
            .await
            .map_err(|error| error.to_string())?;
        say(&format!("saved {n}"));
    }
    Ok(())
}

async fn rotate<B: Backend>(backend: B) -> Result<(), String> {
    let store = Store::new(backend, rotating_keyring());
    let mut total = 0;
    loop {
        let rotation = store
            .rotate_keys(1)
            .await
            .map_err(|error| error.to_string())?;
        total += rotation.resealed;
        say(&format!("resealed {total}"));
        if rotation.done {
            say("done");
            return Ok(());
        }
    }
}

async fn load<B: Backend + 'static>(
    backend: B,
    origin: &str,
    lasting: Duration,
    callers: usize,
    ids: Vec<String>,
) -> Result<(), String> {
    let connections = Arc::new(
        connections(backend)
            .with_origin(origin)
            .with_policy(RefreshPolicy::default().with_margin(Duration::from_secs(1))),
    );
    let http = Arc::new(ReqwestClient::new().map_err(|error| error.to_string())?);
    let counts: Arc<Mutex<BTreeMap<String, u64>>> = Arc::default();
    let deadline = Instant::now() + lasting;
    let ids = Arc::new(ids);
    let mut tasks = tokio::task::JoinSet::new();
    for caller in 0..callers {
        let (connections, http, counts, ids) = (
            Arc::clone(&connections),
            Arc::clone(&http),
            Arc::clone(&counts),
            Arc::clone(&ids),
        );
        let resource = format!("{origin}/resource");
        tasks.spawn(async move {
            let mut turn = caller;
            while Instant::now() < deadline {
                let id = &ids[turn % ids.len()];
                turn += 1;
                let outcome = match connections.access_token(id).await {
                    Ok(token) if turn % 20 == 0 => {
                        let request = http::Request::get(&resource)
                            .header("authorization", format!("Bearer {}", token.expose_secret()))
                            .body(Vec::new());
                        match request {
                            Ok(request) => match http.send(request).await {
                                Ok(response) if response.status() == 200 => {
                                    "checked valid".to_owned()
                                }
                                Ok(_) => "checked invalid".to_owned(),
                                Err(_) => "check failed".to_owned(),
                            },
                            Err(_) => "check failed".to_owned(),
                        }
                    }
                    Ok(_) => "ok".to_owned(),
                    Err(error) => format!("error {}", error_name(&error)),
                };
                *counts
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .entry(outcome)
                    .or_default() += 1;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
    }
    while let Some(joined) = tasks.join_next().await {
        joined.map_err(|error| error.to_string())?;
    }
    let counts = counts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    say(&serde_json::to_string(&counts).map_err(|error| error.to_string())?);
    Ok(())
}

/// The error's variant, and the store error's under it.
fn error_name(error: &ConnectionError) -> String {
    match error {
        ConnectionError::Store(store) => format!("Store::{}", variant(&format!("{store:?}"))),
        other => variant(&format!("{other:?}")),
    }
}

/// A backend that, when the refreshed tokens are about to be written, says `writing` and waits
/// for the kill: everything else goes to the backend it wraps.
#[derive(Clone)]
struct PauseBeforeWrite<B>(B);

impl<B: Backend> Backend for PauseBeforeWrite<B> {
    async fn insert(&self, row: Row) -> Result<(), BackendError> {
        self.0.insert(row).await
    }

    async fn get(&self, id: &str) -> Result<Option<Row>, BackendError> {
        self.0.get(id).await
    }

    async fn list(&self, filter: Filter<'_>) -> Result<Vec<Row>, BackendError> {
        self.0.list(filter).await
    }

    async fn update(&self, row: &Row, expected_version: i64) -> Result<bool, BackendError> {
        self.0.update(row, expected_version).await
    }

    async fn update_leased(
        &self,
        _row: &Row,
        _expected_version: i64,
        _holder: &str,
    ) -> Result<bool, BackendError> {
        say("writing");
        std::future::pending().await
    }

    async fn delete(&self, id: &str) -> Result<bool, BackendError> {
        self.0.delete(id).await
    }

    async fn try_lease(
        &self,
        id: &str,
        holder: &str,
        lasting: Duration,
    ) -> Result<bool, BackendError> {
        self.0.try_lease(id, holder, lasting).await
    }

    async fn release_lease(&self, id: &str, holder: &str) -> Result<bool, BackendError> {
        self.0.release_lease(id, holder).await
    }

    async fn due(&self, before: i64) -> Result<Vec<Row>, BackendError> {
        self.0.due(before).await
    }

    async fn claim(&self, key: &str, lasting: Duration) -> Result<bool, BackendError> {
        self.0.claim(key, lasting).await
    }

    async fn sealed_with_other_key(
        &self,
        key_id: &str,
        limit: usize,
    ) -> Result<Vec<Row>, BackendError> {
        self.0.sealed_with_other_key(key_id, limit).await
    }
}
