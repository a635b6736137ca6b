//! The store under `kill -9`, on SQLite and on PostgreSQL: a process killed after the provider
//! answered a refresh and before the write, many processes killed in the middle of writes, and
//! key rotations killed in the middle. Every row ends old or new, never torn; a rotation
//! resumes to completion; a rotated refresh token lost with its process makes the connection
//! say it needs a reconnect (with its event) instead of failing silently. The processes are
//! `store-crash-worker`, against the rotating token endpoint in this process.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use connkit::store::{
    Backend, ConnectionStatus, Keyring, PostgresBackend, SealingKey, SqliteBackend, Store,
};
use connkit_interop::rotating::{RotatingServer, store_family};
use connkit_interop::{keyring, rotating_keyring};

/// How many times a process is killed in each of the kill loops.
const KILLS: u64 = 25;

/// A worker process, its output read line by line on a thread.
struct Worker {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Worker {
    fn start(kind: &str, location: &str, arguments: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_store-crash-worker"))
            .args([kind, location])
            .args(arguments)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if send.send(line).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (up to 30 s) for a line that starts with `prefix`.
    fn wait_for(&mut self, prefix: &str) -> String {
        loop {
            let line = self
                .lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("no `{prefix}` line; saw {:?}", self.seen));
            self.seen.push(line.clone());
            if line.starts_with(prefix) {
                return line;
            }
        }
    }

    /// `kill -9`, then every line it printed.
    fn kill(mut self) -> Vec<String> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.seen.extend(self.lines.try_iter());
        // The reader thread ends with the pipe; what it still held arrives now.
        while let Ok(line) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.seen.push(line);
        }
        self.seen
    }

    /// Waits for the process to finish by itself; every line it printed.
    fn finish(mut self) -> Vec<String> {
        let status = self.child.wait().unwrap();
        self.seen.extend(self.lines.iter());
        assert!(status.success(), "{status}: {:?}", self.seen);
        self.seen
    }
}

/// An SQLite file of its own.
fn sqlite_file(name: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("store-crash-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("connections.db").to_str().unwrap().to_owned()
}

/// A short pause that varies with `round`, so that the kills land at different points.
fn pause(round: u64) -> Duration {
    Duration::from_millis(1 + (round * 7) % 23)
}

async fn lost_rotation<B: Backend>(kind: &str, location: &str, backend: B) {
    let server = RotatingServer::start(Duration::from_secs(2)).await;
    let store = Store::new(backend, keyring());
    let id = store_family(&store, "lost").await;
    let before = store.require(&id).await.unwrap();

    // The provider answers the refresh (and rotates its refresh token); the process is killed
    // before it writes.
    let mut worker = Worker::start(kind, location, &["pause-before-write", server.url(), &id]);
    worker.wait_for("writing");
    worker.kill();
    assert_eq!(server.counts().refreshes.get("lost"), Some(&1));
    assert_eq!(server.current_refresh_token("lost"), "rt.lost.1");
    let after_kill = store.require(&id).await.unwrap();
    assert_eq!(after_kill.tokens, before.tokens, "the old tokens, whole");
    assert_eq!(after_kill.status, ConnectionStatus::Active);

    // The next process: its refresh token was rotated away; the connection says so.
    let lines = Worker::start(kind, location, &["token", server.url(), &id]).finish();
    assert!(
        lines.contains(&"event NeedsReconnect".to_owned()),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"error NeedsReconnect".to_owned()),
        "{lines:?}"
    );
    let marked = store.require(&id).await.unwrap();
    assert_eq!(marked.status, ConnectionStatus::NeedsReconnect);
    assert_eq!(marked.tokens, before.tokens);
    assert_eq!(
        server.counts().reuses,
        1,
        "the one refused reuse that revealed it"
    );
}

async fn torn_writes<B: Backend>(kind: &str, location: &str, backend: B) {
    let store = Store::new(backend, keyring());
    let id = store_family(&store, "w").await;
    let mut next = 0;
    for round in 0..KILLS {
        let mut worker = Worker::start(kind, location, &["write", &id, &next.to_string()]);
        worker.wait_for("saved");
        tokio::time::sleep(pause(round)).await;
        let lines = worker.kill();
        let last: u64 = lines
            .iter()
            .filter_map(|line| line.strip_prefix("saved "))
            .map(|n| n.parse().unwrap())
            .max()
            .unwrap();
        // The row opens (never torn), and holds the last save that returned or the one in
        // flight when the process died.
        let stored = store.require(&id).await.unwrap();
        let written: u64 = stored
            .tokens
            .access_token()
            .expose_secret()
            .strip_prefix("w.")
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            written == last || written == last + 1,
            "round {round}: saved {last}, stored {written}"
        );
        assert_eq!(
            stored.tokens.refresh_token().unwrap().expose_secret(),
            format!("rt.w.{written}"),
            "the tokens of one write, whole"
        );
        next = written + 1;
    }
    eprintln!("{kind}: {KILLS} writers killed, {next} saves in all");
}

async fn interrupted_rotation<B: Backend, F, Fut>(kind: &str, location: &str, open: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = B>,
{
    let store = Store::new(open().await, keyring());
    let mut originals = Vec::new();
    for index in 0..600 {
        let id = store_family(&store, &format!("r{index}")).await;
        originals.push(store.require(&id).await.unwrap());
    }
    let mut killed = 0;
    for round in 0..KILLS {
        let mut worker = Worker::start(kind, location, &["rotate"]);
        worker.wait_for("resealed");
        tokio::time::sleep(pause(round)).await;
        let lines = worker.kill();
        if lines.iter().any(|line| line == "done") {
            break;
        }
        killed += 1;
        // Between kills, every row opens with the keys of the rotation.
        let during = Store::new(open().await, rotating_keyring());
        for original in &originals {
            assert_eq!(
                during.require(&original.id).await.unwrap().tokens,
                original.tokens
            );
        }
    }
    assert!(
        killed >= 5,
        "the rotation was interrupted {killed} times only"
    );
    eprintln!(
        "{kind}: the rotation of {} rows was killed {killed} times",
        originals.len()
    );
    let lines = Worker::start(kind, location, &["rotate"]).finish();
    assert_eq!(lines.last().map(String::as_str), Some("done"), "{lines:?}");
    // The old key can go: every row opens with the new one alone, as it was.
    let new_only = Store::new(
        open().await,
        Keyring::new(SealingKey::from_bytes("rotated", &[43; 32]).unwrap()),
    );
    for original in &originals {
        let now = new_only.require(&original.id).await.unwrap();
        assert_eq!(now.tokens, original.tokens);
        assert_eq!(now.status, original.status);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_rotated_refresh_token_lost_with_its_process_means_needs_reconnect() {
    let file = sqlite_file("lost");
    lost_rotation("sqlite", &file, SqliteBackend::open(&file).unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_writes_killed_midway_leave_every_row_old_or_new() {
    let file = sqlite_file("writes");
    torn_writes("sqlite", &file, SqliteBackend::open(&file).unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_key_rotation_killed_midway_resumes_to_completion() {
    let file = sqlite_file("rotation");
    interrupted_rotation("sqlite", &file, || async {
        SqliteBackend::open(&file).unwrap()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn postgres_a_rotated_refresh_token_lost_with_its_process_means_needs_reconnect() {
    let config = common::postgres_database("connkit_crash").await;
    lost_rotation(
        "postgres",
        &config,
        PostgresBackend::connect(&config).await.unwrap(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn postgres_writes_killed_midway_leave_every_row_old_or_new() {
    let config = common::postgres_database("connkit_crash").await;
    torn_writes(
        "postgres",
        &config,
        PostgresBackend::connect(&config).await.unwrap(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL; scripts/test.sh starts it and runs this test"]
async fn postgres_a_key_rotation_killed_midway_resumes_to_completion() {
    let config = common::postgres_database("connkit_crash").await;
    interrupted_rotation("postgres", &config, || async {
        PostgresBackend::connect(&config).await.unwrap()
    })
    .await;
}
