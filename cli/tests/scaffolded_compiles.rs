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
        .env("CARGO_TARGET_DIR", target)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let _ = fs::remove_dir_all(&dir);
}
