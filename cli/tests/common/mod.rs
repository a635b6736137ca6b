//! What the command tests share: fixture catalogues, running the binary, golden files.

// Each test file uses its own part of these.
#![allow(dead_code, clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh copy of the fixture catalogue in its own temporary folder.
pub fn catalogue(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("connkit-cli-{test}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    copy_dir(&fixtures().join("catalogue"), &dir);
    dir
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
}

pub fn copy_dir(from: &Path, to: &Path) {
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

pub fn connkit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connkit"))
        .args(args)
        .output()
        .unwrap()
}

/// `connkit <args> --crate-dir <dir>`.
pub fn connkit_in(dir: &Path, args: &[&str]) -> Output {
    let mut args = args.to_vec();
    args.extend(["--crate-dir", dir.to_str().unwrap()]);
    connkit(&args)
}

/// Runs `connkit_in(dir, args)`, which must succeed; its stdout.
pub fn succeed_in(dir: &Path, args: &[&str]) -> String {
    let output = connkit_in(dir, args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        text(&output.stderr)
    );
    text(&output.stdout)
}

/// Runs `connkit_in(dir, args)`, which must be refused: exit code 1, an `error:` line that says
/// `message`, a `help:` line, and no file under `dir` changed.
pub fn assert_refused_in(dir: &Path, args: &[&str], message: &str) {
    let before = tree(dir);
    let output = connkit_in(dir, args);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    assert!(
        stderr.starts_with("error: ") && stderr.contains(message),
        "{stderr}"
    );
    assert!(stderr.contains("\nhelp: "), "{stderr}");
    assert_eq!(tree(dir), before, "{args:?} wrote something");
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, relative, sorted, with its contents.
pub fn tree(dir: &Path) -> Vec<(String, String)> {
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

/// Asserts that `actual` is the golden file `tests/golden/<folder>/<name>`; with
/// `CONNKIT_BLESS=1`, writes it instead.
pub fn assert_golden(folder: &str, name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(folder)
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
