//! `connkit new app` run as a command on a copy of `tests/fixtures/catalogue`: what it writes
//! (golden files under `tests/golden/new_app`; `CONNKIT_BLESS=1` rewrites them) and each refusal
//! (nothing written). `scaffolded_compiles.rs` builds what it writes.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use common::{
    assert_golden, assert_refused_in, catalogue, connkit, connkit_in, succeed_in, text, tree,
};

#[test]
fn a_new_app_is_written_as_the_golden_files_say() {
    let dir = catalogue("golden");
    let stdout = succeed_in(&dir, &["new", "app", "Google Sheets"]);
    assert_golden(
        "new_app",
        "stdout.txt",
        &stdout.replace(&dir.display().to_string(), "<crate>"),
    );
    assert_golden(
        "new_app",
        "lib.rs",
        &fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
    );
    assert_golden(
        "new_app",
        "google-sheets.app.rs",
        &fs::read_to_string(dir.join("src/apps/google-sheets/google-sheets.app.rs")).unwrap(),
    );
    let files: Vec<String> = tree(&dir.join("src/apps/google-sheets"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(
        files,
        [
            "actions/.gitkeep",
            "connections/.gitkeep",
            "google-sheets.app.rs",
            "triggers/.gitkeep"
        ]
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn each_refusal_says_why_exits_1_and_writes_nothing() {
    let dir = catalogue("refusals");
    for (args, message) in [
        (["new", "app", "notes"], "app \"notes\" already exists"),
        (["new", "app", "Notes"], "app \"notes\" already exists"),
        (["new", "app", "!!!"], "no app id can be made from \"!!!\""),
    ] {
        assert_refused_in(&dir, &args, message);
    }

    // A file in the way: the command stops before writing anything.
    fs::write(dir.join("src/lib.rs.connkit-new"), "mine").unwrap();
    let output = connkit_in(&dir, &["new", "app", "Tasks"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("never overwrites a file"),
        "{}",
        text(&output.stderr)
    );
    assert!(!dir.join("src/apps/tasks").exists());
    assert_eq!(
        fs::read_to_string(dir.join("src/lib.rs.connkit-new")).unwrap(),
        "mine"
    );

    // No registry to add to.
    let empty = std::env::temp_dir().join(format!("connkit-cli-empty-{}", std::process::id()));
    fs::create_dir_all(&empty).unwrap();
    let output = connkit_in(&empty, &["new", "app", "Tasks"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("holds no `registry![...]`"),
        "{}",
        text(&output.stderr)
    );
    let _ = fs::remove_dir_all(&dir);
    let _ = fs::remove_dir_all(&empty);
}

#[test]
fn a_command_line_clap_cannot_read_exits_2() {
    assert_eq!(connkit(&["new", "app"]).status.code(), Some(2));
    assert_eq!(connkit(&["new", "application", "x"]).status.code(), Some(2));
    let help = connkit(&["new", "app", "--help"]);
    assert!(help.status.success());
    assert!(text(&help.stdout).contains("connkit new app \"Google Sheets\""));
}
