//! One process of the store's multi-process tests: `store-worker <sqlite PATH | postgres CONFIG>
//! <connection id> <callers>` asks for the connection's access token from `callers` concurrent
//! tasks and prints `token <sha256 of the token>` for each (never the token itself).

use std::process::ExitCode;
use std::sync::Arc;

use connkit::store::{Backend, PostgresBackend, SqliteBackend};
use connkit_interop::connections;
use sha2::{Digest, Sha256};

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [kind, location, id, callers] = arguments.as_slice() else {
        eprintln!("usage: store-worker <sqlite PATH | postgres CONFIG> <connection id> <callers>");
        return ExitCode::from(2);
    };
    let Ok(callers) = callers.parse::<usize>() else {
        eprintln!("callers must be a number");
        return ExitCode::from(2);
    };
    let result = match kind.as_str() {
        "sqlite" => match SqliteBackend::open(location) {
            Ok(backend) => ask(backend, id, callers).await,
            Err(error) => Err(error.to_string()),
        },
        "postgres" => match PostgresBackend::connect(location).await {
            Ok(backend) => ask(backend, id, callers).await,
            Err(error) => Err(error.to_string()),
        },
        _ => Err(format!("unknown backend {kind}")),
    };
    match result {
        Ok(hashes) => {
            for hash in hashes {
                println!("token {hash}");
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("store-worker: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn ask<B: Backend + 'static>(
    backend: B,
    id: &str,
    callers: usize,
) -> Result<Vec<String>, String> {
    let connections = Arc::new(connections(backend));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..callers {
        let connections = Arc::clone(&connections);
        let id = id.to_owned();
        tasks.spawn(async move { connections.access_token(&id).await });
    }
    let mut hashes = Vec::with_capacity(callers);
    while let Some(joined) = tasks.join_next().await {
        let token = joined
            .map_err(|error| error.to_string())?
            .map_err(|error| error.to_string())?;
        let digest = Sha256::digest(token.expose_secret().as_bytes());
        hashes.push(digest.iter().map(|byte| format!("{byte:02x}")).collect());
    }
    Ok(hashes)
}
