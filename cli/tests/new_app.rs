//! `connkit new app` run as a command on a copy of `tests/fixtures/catalogue`: what it writes
//! (golden files under `tests/golden/new_app`; `CONNKIT_BLESS=1` rewrites them), each refusal
//! (nothing written), and a `cargo check` of the catalogue it leaves.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh copy of the fixture catalogue in its own temporary folder.
fn catalogue(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("connkit-cli-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&fixtures().join("catalogue"), &dir);
    dir
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn connkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connkit"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, relative, sorted, with its contents.
fn tree(dir: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                out.push((relative, fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/new_app")
        .join(name);
    if std::env::var_os("CONNKIT_BLESS").is_some() {
        fs::write(&path, actual).unwrap();
    }
    let expected = fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no golden file {}; run with CONNKIT_BLESS=1",
            path.display()
        )
    });
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

#[test]
fn a_new_app_is_written_as_the_golden_files_say() {
    let dir = catalogue("golden");
    let output = connkit(&[
        "new",
        "app",
        "Google Sheets",
        "--crate-dir",
        dir.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_golden(
        "stdout.txt",
        &text(&output.stdout).replace(&dir.display().to_string(), "<crate>"),
    );
    assert_golden(
        "lib.rs",
        &fs::read_to_string(dir.join("src/lib.rs")).unwrap(),
    );
    assert_golden(
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
    let crate_dir = dir.to_str().unwrap();
    let before = tree(&dir);
    for (args, message) in [
        (vec!["new", "app", "notes"], "app \"notes\" already exists"),
        (vec!["new", "app", "Notes"], "app \"notes\" already exists"),
        (
            vec!["new", "app", "!!!"],
            "no app id can be made from \"!!!\"",
        ),
    ] {
        let mut args = args.clone();
        args.extend(["--crate-dir", crate_dir]);
        let output = connkit(&args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = text(&output.stderr);
        assert!(
            stderr.starts_with("error: ") && stderr.contains(message),
            "{stderr}"
        );
        assert!(stderr.contains("\nhelp: "), "{stderr}");
        assert_eq!(tree(&dir), before, "{args:?} wrote something");
    }

    // A file in the way: the command stops before writing anything.
    fs::write(dir.join("src/lib.rs.connkit-new"), "mine").unwrap();
    let output = connkit(&["new", "app", "Tasks", "--crate-dir", crate_dir]);
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
    let output = connkit(&[
        "new",
        "app",
        "Tasks",
        "--crate-dir",
        empty.to_str().unwrap(),
    ]);
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

#[test]
fn the_scaffolded_catalogue_compiles_and_passes_the_macros_checks() {
    let dir = catalogue("compiles");
    for name in ["Google Sheets", "Zoho Books", "Box"] {
        let output = connkit(&["new", "app", name, "--crate-dir", dir.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
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
