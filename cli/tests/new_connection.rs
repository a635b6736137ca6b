//! `connkit new connection` run as a command on a copy of `tests/fixtures/catalogue`: the file
//! of each kind and the app's file after them (golden files under `tests/golden/new_connection`;
//! `CONNKIT_BLESS=1` rewrites them), the variables it prints, and each refusal (nothing
//! written).

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use common::{assert_golden, assert_refused_in, catalogue, connkit_in, succeed_in, text, tree};

const OAUTH2: [&str; 6] = [
    "--authorize-url",
    "https://notes.example.com/oauth/authorize",
    "--token-url",
    "https://notes.example.com/oauth/token",
    "--scope",
    "notes:read",
];

#[test]
fn each_kind_is_written_as_the_golden_files_say() {
    let dir = catalogue("connection-golden");
    let runs: [(&[&str], &str); 5] = [
        (&OAUTH2, "notes.oauth2.rs"),
        (
            &[
                "--variant",
                "EU",
                OAUTH2[0],
                OAUTH2[1],
                OAUTH2[2],
                OAUTH2[3],
            ],
            "notes.oauth2-EU.rs",
        ),
        (&[], "notes.api-key.rs"),
        (&[], "notes.basic-auth.rs"),
        (&[], "notes.key-pair.rs"),
    ];
    for ((flags, file), kind) in
        runs.iter()
            .zip(["oauth2", "oauth2", "api-key", "basic-auth", "key-pair"])
    {
        let mut args = vec!["new", "connection", "notes", "--kind", kind];
        args.extend_from_slice(flags);
        let stdout = succeed_in(&dir, &args);
        assert_golden("new_connection", &format!("{file}.stdout.txt"), &stdout);
        let written =
            fs::read_to_string(dir.join("src/apps/notes/connections").join(file)).unwrap();
        assert_golden("new_connection", file, &written);
    }
    assert_golden(
        "new_connection",
        "notes.app.rs",
        &fs::read_to_string(dir.join("src/apps/notes/notes.app.rs")).unwrap(),
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn each_refusal_says_why_exits_1_and_writes_nothing() {
    let dir = catalogue("connection-refusals");
    let mut first = vec!["new", "connection", "notes", "--kind", "oauth2"];
    first.extend(OAUTH2);
    succeed_in(&dir, &first);
    let before = tree(&dir);
    let oauth2_with = |extra: &[&'static str]| {
        let mut args = vec!["new", "connection", "notes", "--kind", "oauth2"];
        args.extend(extra);
        args
    };
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            oauth2_with(&OAUTH2),
            "connection \"notes_connection_oauth2\" already exists",
        ),
        (
            vec!["new", "connection", "mail", "--kind", "api-key"],
            "no app \"mail\"",
        ),
        (
            oauth2_with(&[
                "--variant",
                "eu_west",
                OAUTH2[0],
                OAUTH2[1],
                OAUTH2[2],
                OAUTH2[3],
            ]),
            "invalid variant \"eu_west\"",
        ),
        (
            oauth2_with(&[
                OAUTH2[0],
                OAUTH2[1],
                "--token-url",
                "http://notes.example.com/token",
                "--variant",
                "X",
            ]),
            "invalid URL \"http://notes.example.com/token\"",
        ),
        (
            oauth2_with(&[
                "--variant",
                "X",
                OAUTH2[0],
                OAUTH2[1],
                OAUTH2[2],
                OAUTH2[3],
                "--scope",
                "a",
                "--scope",
                "a",
            ]),
            "scope \"a\" is given twice",
        ),
        (
            vec![
                "new",
                "connection",
                "notes",
                "--kind",
                "api-key",
                "--scope",
                "read",
            ],
            "--scope is for OAuth2 connections only",
        ),
        (
            vec!["new", "connection", "Notes App", "--kind", "api-key"],
            "no app id can be made",
        ),
    ];
    for (args, message) in cases {
        assert_refused_in(&dir, &args, message);
    }
    // OAuth2 without its endpoints: clap refuses the command line.
    let output = connkit_in(&dir, &["new", "connection", "notes", "--kind", "oauth2"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("--authorize-url"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(tree(&dir), before);
    let _ = fs::remove_dir_all(&dir);
}
