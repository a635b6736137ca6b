//! `connkit scopes`: the lock round trip, `check` failing on a change with what was added or
//! removed per connection (and how many stored connections it affects), refusals of a missing
//! or broken lock, and the scanner agreeing with the compiled catalogue's registry.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;

use common::{assert_refused_in, catalogue, connkit_in, succeed_in, text};
use connkit::store::{Backend, Row, SqliteBackend};

/// The fixture catalogue with two OAuth2 connections.
fn catalogue_with_connections(test: &str) -> std::path::PathBuf {
    let dir = catalogue(test);
    succeed_in(&dir, &["new", "app", "Acme"]);
    succeed_in(
        &dir,
        &[
            "new",
            "connection",
            "acme",
            "--kind",
            "oauth2",
            "--authorize-url",
            "https://acme.example/authorize",
            "--token-url",
            "https://acme.example/token",
            "--scope",
            "read",
            "--scope",
            "write",
        ],
    );
    succeed_in(
        &dir,
        &[
            "new",
            "connection",
            "notes",
            "--kind",
            "oauth2",
            "--authorize-url",
            "https://notes.example/authorize",
            "--token-url",
            "https://notes.example/token",
            "--scope",
            "notes.read",
        ],
    );
    succeed_in(&dir, &["new", "connection", "notes", "--kind", "api-key"]);
    dir
}

fn acme_connection_file(dir: &Path) -> std::path::PathBuf {
    dir.join("src/apps/acme/connections/acme.oauth2.rs")
}

/// Rewrites the Acme connection's scope list.
fn set_acme_scopes(dir: &Path, scopes: &str) {
    let path = acme_connection_file(dir);
    let source = fs::read_to_string(&path).unwrap();
    let start = source.find("scopes = [").unwrap();
    let end = start + source[start..].find(']').unwrap() + 1;
    fs::write(
        &path,
        format!("{}scopes = [{scopes}]{}", &source[..start], &source[end..]),
    )
    .unwrap();
}

#[test]
fn the_lock_round_trips_and_check_fails_on_a_change_until_update() {
    let dir = catalogue_with_connections("scopes-round-trip");
    let written = succeed_in(&dir, &["scopes", "update"]);
    assert!(written.contains("(2 OAuth2 connections)"), "{written}");
    assert!(
        written.contains("new connection acme_connection_oauth2: read write"),
        "{written}"
    );
    let lock = fs::read_to_string(dir.join("connkit-scopes.lock")).unwrap();
    assert!(lock.contains(
        "[[connection]]\nid = \"acme_connection_oauth2\"\nscopes = [\n    \"read\",\n    \"write\",\n]\n"
    ), "{lock}");
    assert!(lock.contains("id = \"notes_connection_oauth2\""), "{lock}");
    assert!(
        !lock.contains("api-key"),
        "only OAuth2 connections have scopes:\n{lock}"
    );

    let clean = succeed_in(&dir, &["scopes", "check"]);
    assert!(
        clean.contains("matches the code: 2 OAuth2 connections"),
        "{clean}"
    );
    // Updating again changes nothing.
    succeed_in(&dir, &["scopes", "update"]);
    assert_eq!(
        fs::read_to_string(dir.join("connkit-scopes.lock")).unwrap(),
        lock
    );
    // The order of a list is not a change.
    set_acme_scopes(&dir, "\"write\", \"read\"");
    succeed_in(&dir, &["scopes", "check"]);

    set_acme_scopes(&dir, "\"read\", \"admin\"");
    let changed = connkit_in(&dir, &["scopes", "check"]);
    assert_eq!(changed.status.code(), Some(1));
    let report = text(&changed.stdout);
    assert!(
        report.contains("  acme_connection_oauth2\n    + admin\n    - write\n"),
        "{report}"
    );
    assert!(!report.contains("notes_connection_oauth2"), "{report}");
    assert!(report.contains("connkit scopes update"), "{report}");
    // The lock is untouched by check.
    assert_eq!(
        fs::read_to_string(dir.join("connkit-scopes.lock")).unwrap(),
        lock
    );

    let json = connkit_in(&dir, &["scopes", "check", "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["up_to_date"], false);
    assert_eq!(value["changes"][0]["connection"], "acme_connection_oauth2");
    assert_eq!(value["changes"][0]["added"][0]["scope"], "admin");
    assert_eq!(value["changes"][0]["removed"][0]["scope"], "write");

    let updated = succeed_in(&dir, &["scopes", "update"]);
    assert!(updated.contains("+ admin"), "{updated}");
    succeed_in(&dir, &["scopes", "check"]);
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn a_store_says_how_many_stored_connections_each_change_affects() {
    let dir = catalogue_with_connections("scopes-store");
    succeed_in(&dir, &["scopes", "update"]);
    let store = dir.join("connkit.sqlite");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let backend = SqliteBackend::open(&store).unwrap();
        for (index, (definition, granted)) in [
            ("acme_connection_oauth2", "read write"),
            ("acme_connection_oauth2", "read"),
            ("acme_connection_oauth2", "read write admin"),
            ("notes_connection_oauth2", "notes.read"),
        ]
        .into_iter()
        .enumerate()
        {
            backend
                .insert(row(index, definition, granted))
                .await
                .unwrap();
        }
    });
    set_acme_scopes(&dir, "\"read\", \"admin\"");
    let changed = connkit_in(
        &dir,
        &["scopes", "check", "--store", store.to_str().unwrap()],
    );
    assert_eq!(changed.status.code(), Some(1));
    let report = text(&changed.stdout);
    assert!(
        report.contains("    + admin  (2 stored connections lack it until reconnected)"),
        "{report}"
    );
    assert!(
        report.contains("    - write  (2 stored connections keep it until reconnected)"),
        "{report}"
    );
    let json = connkit_in(
        &dir,
        &[
            "scopes",
            "check",
            "--json",
            "--store",
            store.to_str().unwrap(),
        ],
    );
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(
        value["changes"][0]["added"][0]["stored_connections_lacking"],
        2
    );
    assert_eq!(
        value["changes"][0]["removed"][0]["stored_connections_holding"],
        2
    );
    // A store that is not there is an error, not a count of zero.
    let missing = connkit_in(&dir, &["scopes", "check", "--store", "nowhere.sqlite"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).contains("cannot read the store nowhere.sqlite: no such file"));
    // A PostgreSQL connection string is never echoed: it may hold a password.
    let postgres = connkit_in(
        &dir,
        &[
            "scopes",
            "check",
            "--store",
            "host=127.0.0.1 port=1 user=u password=hunter2 connect_timeout=2",
        ],
    );
    assert_eq!(postgres.status.code(), Some(1));
    let stderr = text(&postgres.stderr);
    assert!(
        stderr.contains("cannot read the store PostgreSQL"),
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
    let _ = fs::remove_dir_all(&dir);
}

fn row(index: usize, definition: &str, granted: &str) -> Row {
    Row {
        id: format!("conn_{index}"),
        owner: "tenant".to_owned(),
        definition_id: definition.to_owned(),
        sealed_tokens: "not read by the command".to_owned(),
        key_id: "k".to_owned(),
        scopes_requested: granted.to_owned(),
        scopes_granted: granted.to_owned(),
        status: "active".to_owned(),
        created_at: 0,
        refreshed_at: None,
        used_at: None,
        last_error: None,
        failures: 0,
        last_ok_at: None,
        version: 1,
        refresh_at: None,
    }
}

#[test]
fn a_missing_or_broken_lock_is_refused() {
    let dir = catalogue_with_connections("scopes-refusals");
    assert_refused_in(
        &dir,
        &["scopes", "check"],
        "connkit-scopes.lock does not exist",
    );
    fs::write(dir.join("connkit-scopes.lock"), "version = 7\n").unwrap();
    assert_refused_in(
        &dir,
        &["scopes", "check"],
        "is not a scopes lock: version 7",
    );
    assert_refused_in(
        &dir,
        &["scopes", "update"],
        "is not a scopes lock: version 7",
    );
    fs::write(
        dir.join("connkit-scopes.lock"),
        "version = 1\n[[connection]]\nid = 3\n",
    )
    .unwrap();
    assert_refused_in(&dir, &["scopes", "check"], "is not a scopes lock");
    let empty =
        std::env::temp_dir().join(format!("connkit-cli-scopes-empty-{}", std::process::id()));
    fs::create_dir_all(&empty).unwrap();
    assert_refused_in(&empty, &["scopes", "update"], "src/apps does not exist");
    let _ = fs::remove_dir_all(&empty);
    let _ = fs::remove_dir_all(&dir);
}

/// The scanner reads the catalogue's sources; the registry is what the compiler made of them.
/// They agree on every OAuth2 connection: id, scopes and credential variables.
#[test]
fn the_lock_of_the_catalogue_is_its_registrys_scopes() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let lock = fs::read_to_string(examples.join("connkit-scopes.lock")).unwrap();
    let mut expected = String::new();
    let mut connections: Vec<&connkit::definition::OAuth2Definition> = connkit_examples::CATALOGUE
        .apps()
        .iter()
        .flat_map(|app| app.connections())
        .filter_map(|connection| connection.as_oauth2())
        .collect();
    connections.sort_by_key(|connection| connection.id());
    for connection in &connections {
        let mut scopes = connection.scopes().to_vec();
        scopes.sort_unstable();
        expected.push_str(&format!(
            "\n[[connection]]\nid = {:?}\nscopes = [",
            connection.id()
        ));
        if scopes.is_empty() {
            expected.push_str("]\n");
        } else {
            expected.push('\n');
            for scope in scopes {
                expected.push_str(&format!("    {scope:?},\n"));
            }
            expected.push_str("]\n");
        }
    }
    let body = &lock[lock.find("\n[[connection]]").unwrap()..];
    assert_eq!(body, expected);

    // And `connkit scopes check`, which CI runs over the catalogue, agrees.
    let report = std::process::Command::new(env!("CARGO_BIN_EXE_connkit"))
        .args(["scopes", "check", "--crate-dir"])
        .arg(&examples)
        .output()
        .unwrap();
    assert!(report.status.success(), "{}", text(&report.stdout));
}
