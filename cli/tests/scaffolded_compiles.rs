//! What `connkit new app` and `connkit new connection` write compiles: a catalogue with
//! scaffolded apps and a connection of every kind (and two variants of one) passes `cargo check`,
//! so the macros accept every id, name and list the commands wrote.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::{catalogue, succeed_in, text};

#[test]
fn a_scaffolded_catalogue_passes_cargo_check() {
    let dir = catalogue("compiles");
    let commands: &[&[&str]] = &[
        &["new", "app", "Google Sheets"],
        &["new", "app", "Zoho Books"],
        &["new", "app", "Box"],
        &[
            "new",
            "connection",
            "google-sheets",
            "--kind",
            "oauth2",
            "--authorize-url",
            "https://accounts.google.com/o/oauth2/v2/auth",
            "--token-url",
            "https://oauth2.googleapis.com/token",
            "--scope",
            "https://www.googleapis.com/auth/spreadsheets",
            "--scope",
            "https://www.googleapis.com/auth/drive.file",
        ],
        &[
            "new",
            "connection",
            "zoho-books",
            "--kind",
            "oauth2",
            "--variant",
            "US",
            "--authorize-url",
            "https://accounts.zoho.com/oauth/v2/auth",
            "--token-url",
            "https://accounts.zoho.com/oauth/v2/token",
        ],
        &[
            "new",
            "connection",
            "zoho-books",
            "--kind",
            "oauth2",
            "--variant",
            "EU",
            "--authorize-url",
            "https://accounts.zoho.eu/oauth/v2/auth",
            "--token-url",
            "https://accounts.zoho.eu/oauth/v2/token",
        ],
        &["new", "connection", "box", "--kind", "api-key"],
        &["new", "connection", "box", "--kind", "basic-auth"],
        &["new", "connection", "notes", "--kind", "key-pair"],
    ];
    for command in commands {
        succeed_in(&dir, command);
    }
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"scaffolded\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [dependencies]\nconnkit = {{ path = {:?}, default-features = false }}\n\n[workspace]\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .unwrap();
    // Its own target folder: the one of this test run is locked by the run.
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/cli-scaffolded");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));

    // `connkit check` on it: it compiles, and it says which credentials this environment lacks.
    let check = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_connkit"));
        command
            .arg("check")
            .args(args)
            .arg("--crate-dir")
            .arg(&dir)
            .env("CARGO_TARGET_DIR", &target);
        for variable in [
            "INTEGRATION_GOOGLE_SHEETS_CLIENT_ID",
            "INTEGRATION_GOOGLE_SHEETS_CLIENT_SECRET",
            "INTEGRATION_ZOHO_BOOKS_CLIENT_ID",
            "INTEGRATION_ZOHO_BOOKS_CLIENT_SECRET",
        ] {
            command.env_remove(variable);
        }
        command.envs(env.iter().copied()).output().unwrap()
    };
    let sheets = [
        ("INTEGRATION_GOOGLE_SHEETS_CLIENT_ID", "id"),
        ("INTEGRATION_GOOGLE_SHEETS_CLIENT_SECRET", "secret"),
    ];
    let partial = check(&[], &sheets);
    assert_eq!(partial.status.code(), Some(1), "{}", text(&partial.stderr));
    let report = text(&partial.stdout);
    assert!(
        report.contains("connkit's definitions: no problem found"),
        "{report}"
    );
    assert!(
        report.contains("client credentials: 2 of 3 OAuth2 connections cannot find theirs"),
        "{report}"
    );
    assert!(
        report.contains("  zoho-books_connection_oauth2-EU (src/apps/zoho-books/connections/zoho-books.oauth2-EU.rs:")
            && report.contains("): set INTEGRATION_ZOHO_BOOKS_CLIENT_ID and INTEGRATION_ZOHO_BOOKS_CLIENT_SECRET"),
        "{report}"
    );
    assert!(!report.contains("google-sheets_connection"), "{report}");
    let all = [
        sheets[0],
        sheets[1],
        ("INTEGRATION_ZOHO_BOOKS_CLIENT_ID", "id"),
        ("INTEGRATION_ZOHO_BOOKS_CLIENT_SECRET", "secret"),
    ];
    let clean = check(&[], &all);
    assert!(clean.status.success(), "{}", text(&clean.stdout));
    assert!(text(&clean.stdout).contains("all 3 OAuth2 connections find theirs"));

    // A connkit mistake and a plain Rust one: the first is summarised with its rule and fix,
    // the second counted.
    let connection = dir.join("src/apps/google-sheets/connections/google-sheets.oauth2.rs");
    let source = fs::read_to_string(&connection).unwrap();
    let scope = "\"https://www.googleapis.com/auth/drive.file\"";
    assert!(source.contains(scope), "{source}");
    fs::write(
        &connection,
        source.replacen(scope, &format!("{scope}, {scope}"), 1),
    )
    .unwrap();
    let lib = dir.join("src/lib.rs");
    let mut lib_source = fs::read_to_string(&lib).unwrap();
    lib_source.push_str("\n/// Not a number.\npub fn broken() -> u32 {\n    \"x\"\n}\n");
    fs::write(&lib, lib_source).unwrap();
    let broken = check(&["--json", "--skip-credentials"], &[]);
    assert_eq!(broken.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{json}");
    assert_eq!(diagnostics[0]["rule"], "oauth2_connection.scopes");
    assert_eq!(
        diagnostics[0]["file"],
        "src/apps/google-sheets/connections/google-sheets.oauth2.rs"
    );
    assert_eq!(
        diagnostics[0]["message"],
        "duplicate scope \"https://www.googleapis.com/auth/drive.file\""
    );
    assert!(
        diagnostics[0]["fix"]
            .as_str()
            .unwrap()
            .starts_with("remove it"),
        "{json}"
    );
    assert_eq!(json["other_errors"], 1, "{json}");
    assert_eq!(json["missing_client_credentials"], serde_json::Value::Null);
    let text_report = text(&check(&["--skip-credentials"], &[]).stdout);
    assert!(
        text_report.contains("src/apps/google-sheets/connections/google-sheets.oauth2.rs:")
            && text_report.contains("  oauth2_connection.scopes\n  duplicate scope")
            && text_report.contains("and 1 other compiler error (`cargo check` shows it)"),
        "{text_report}"
    );
    let _ = fs::remove_dir_all(&dir);
}
