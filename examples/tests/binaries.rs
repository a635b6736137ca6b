//! The example binaries as a user runs them: `--help` and a wrong argument.

use std::process::Command;

fn run(binary: &str, arguments: &[&str]) -> (i32, String, String) {
    let output = Command::new(binary)
        .args(arguments)
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn catalogue_help_explains_its_placeholders() {
    let (code, stdout, _) = run(env!("CARGO_BIN_EXE_catalogue"), &["--help"]);
    assert_eq!(code, 0);
    for placeholder in ["sample-state", "sample-code-challenge", "localhost:8080"] {
        assert!(stdout.contains(placeholder), "{stdout}");
    }
    let (code, _, stderr) = run(env!("CARGO_BIN_EXE_catalogue"), &["--bogus"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--help"), "{stderr}");
}

#[test]
fn quickstart_help_and_usage_errors() {
    let (code, stdout, _) = run(env!("CARGO_BIN_EXE_quickstart"), &["--help"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("--server-port") && stdout.contains("CONNKIT_QUICKSTART_CALLBACK_PORT")
    );
    let (code, _, stderr) = run(env!("CARGO_BIN_EXE_quickstart"), &["--server-port", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("port number"), "{stderr}");
}
