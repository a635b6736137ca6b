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

#[test]
fn connect_is_the_catalogues_command_line() {
    let (code, stdout, _) = run(env!("CARGO_BIN_EXE_connect"), &["--help"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("authorize") && stdout.contains("connections"),
        "{stdout}"
    );
    assert!(
        stdout.contains("connect authorize github_connection_oauth2"),
        "{stdout}"
    );
    let output = Command::new(env!("CARGO_BIN_EXE_connect"))
        .arg("credentials")
        .env_clear()
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(
            "github_connection_oauth2: environment variable INTEGRATION_GITHUB_CLIENT_ID is not set"
        ),
        "{stdout}"
    );
    let (code, _, stderr) = run(env!("CARGO_BIN_EXE_connect"), &["authorize"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("Usage: connect authorize"), "{stderr}");
}

#[test]
fn connect_web_help_and_usage_errors() {
    let (code, stdout, _) = run(env!("CARGO_BIN_EXE_connect-web"), &["--help"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("--callback-port") && stdout.contains("connect page"),
        "{stdout}"
    );
    let (code, _, stderr) = run(env!("CARGO_BIN_EXE_connect-web"), &["--bogus"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("connect-web: unknown argument"),
        "{stderr}"
    );
}
