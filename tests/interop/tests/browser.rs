//! The connect flow in a real browser: the `interop-web` server (connkit::connect) against the
//! interactive oidc-provider, driven by Playwright in Debian's Chromium (`browser/connect.mjs`):
//! connect through the provider's login and consent pages, deny consent, and grant a scope the
//! app added, which updates the same stored connection. Screenshots go to
//! `target/browser-screenshots/`.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use connkit::store::{ConnectionStatus, SqliteBackend, Store, StoredConnection};
use connkit_interop::{WebClient, keyring};

/// The port `interop-web` serves on; the interactive provider has its callback registered.
const PORT: u16 = 18095;

/// The `interop-web` server, stopped when dropped.
struct Server(Child);

impl Server {
    fn start(store: &Path, wider: bool) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_interop-web"));
        command.arg(PORT.to_string()).arg(store);
        if wider {
            command.env("CONNKIT_INTEROP_WIDER", "1");
        }
        let child = command.spawn().unwrap();
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", PORT)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "interop-web did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self(child)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn screenshots() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/browser-screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs one phase of the browser script; it fails with what the page showed.
fn browse(phase: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("browser/connect.mjs");
    let output = Command::new("node")
        .arg(script)
        .arg(phase)
        .arg(format!("http://127.0.0.1:{PORT}/"))
        .arg(screenshots())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{phase}:\n{stdout}\n{stderr}");
    assert!(stdout.contains(&format!("{phase}: ok")), "{stdout}");
}

async fn stored(store: &Path) -> Vec<StoredConnection> {
    Store::new(SqliteBackend::open(store).unwrap(), keyring())
        .list_all()
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs the interactive oidc-provider on 127.0.0.1:18082, Chromium and playwright-core; scripts/test.sh sets them up and runs this test"]
async fn connect_deny_and_grant_a_new_scope_in_chromium() {
    common::require_server("oidc-provider (interactive)", "127.0.0.1:18082");
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "Chromium is not installed; scripts/test.sh installs Debian's"
    );
    let dir = std::env::temp_dir().join(format!("connkit-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = dir.join("connkit.sqlite");

    let server = Server::start(&store, false);
    browse("connect");
    let connected = stored(&store).await;
    assert_eq!(connected.len(), 1);
    let first = &connected[0];
    assert_eq!(first.owner, "alice");
    assert_eq!(first.definition_id, WebClient::DEFINITION.id());
    assert_eq!(first.status, ConnectionStatus::Active);
    assert_eq!(first.scopes_granted, ["openid", "offline_access"]);
    assert!(first.tokens.refresh_token().is_some());

    browse("deny");
    assert_eq!(stored(&store).await, connected, "a denial changes nothing");
    drop(server);

    // The next release asks for `api` too: the page offers to grant it, and the same
    // connection is updated in place.
    let _server = Server::start(&store, true);
    browse("reconnect");
    let after = stored(&store).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].id, first.id);
    assert_eq!(after[0].status, ConnectionStatus::Active);
    assert!(
        after[0].scopes_granted.iter().any(|scope| scope == "api"),
        "{:?}",
        after[0].scopes_granted
    );
    assert_ne!(after[0].tokens.access_token(), first.tokens.access_token());
    let _ = std::fs::remove_dir_all(&dir);
}
