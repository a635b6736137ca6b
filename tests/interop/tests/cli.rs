//! `connkit::cli::run` end to end against oidc-provider: the `interop-cli` binary authorizes
//! through its loopback listener, with the browser step played by a `$BROWSER` script (curl with
//! a cookie jar, following the provider's redirects through its login and consent), and the
//! stored connection is then read back from the store, refreshed, re-consented and deleted.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use connkit::store::{Keyring, SealingKey, SqliteBackend, Store, StoredConnection};
use connkit_interop::{CliClient, OIDC_PROVIDER};

const DEFINITION: &str = CliClient::DEFINITION.id();
const CLIENT_SECRET: &str = "cli-secret";
const KEY_BYTES: [u8; 32] = [9; 32];

/// A working folder with the store, the cookie jar and the browser script, and the binary run
/// in it with a clean environment.
struct Terminal {
    dir: PathBuf,
}

impl Terminal {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "connkit-cli-{name}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // The "browser": follows every redirect with a cookie jar, as a logged-in user who
        // consents would; $SUFFIX lets a test add a parameter (login_hint=deny: the user refuses).
        let script = dir.join("browser.sh");
        std::fs::write(
            &script,
            "#!/bin/sh\nexec curl -s -o /dev/null -L --max-redirs 20 -b \"$JAR\" -c \"$JAR\" \"$1$SUFFIX\"\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        Self { dir }
    }

    fn store_path(&self) -> PathBuf {
        self.dir.join("connkit.sqlite")
    }

    fn command(&self, arguments: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_interop-cli"));
        command
            .args(arguments)
            .current_dir(&self.dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("CONNKIT_STORE", self.store_path())
            .env("CONNKIT_SEALING_KEY", sealing_key_text())
            .env("INTEGRATION_OIDC_PROVIDER_CLIENT_ID", "cli-client")
            .env("INTEGRATION_OIDC_PROVIDER_CLIENT_SECRET", CLIENT_SECRET)
            .env(
                "INTEGRATION_OIDC_PROVIDER_PLATFORM_CLIENT_ID",
                "cc-post-client",
            )
            .env(
                "INTEGRATION_OIDC_PROVIDER_PLATFORM_CLIENT_SECRET",
                "cc-post-secret",
            )
            .env("BROWSER", self.dir.join("browser.sh"))
            .env("JAR", self.dir.join("jar"));
        command
    }

    fn run(&self, arguments: &[&str]) -> Output {
        self.run_with(arguments, &[])
    }

    fn run_with(&self, arguments: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = self.command(arguments);
        for (name, value) in env {
            command.env(name, value);
        }
        let output = command.output().unwrap();
        let all = text(&output);
        assert!(
            !all.contains(CLIENT_SECRET),
            "the client secret was printed:\n{all}"
        );
        assert!(
            !all.contains(&sealing_key_text()),
            "the key was printed:\n{all}"
        );
        output
    }

    async fn stored(&self) -> Vec<StoredConnection> {
        let store = Store::new(SqliteBackend::open(self.store_path()).unwrap(), keyring());
        store.list_all().await.unwrap()
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn sealing_key_text() -> String {
    format!(
        "cli-test:{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(KEY_BYTES)
    )
}

fn keyring() -> Keyring {
    Keyring::new(SealingKey::from_bytes("cli-test", &KEY_BYTES).unwrap())
}

fn text(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn assert_code(output: &Output, code: i32) {
    assert_eq!(output.status.code(), Some(code), "{}", text(output));
}

/// No token of `connection` appears in `output`.
fn assert_no_token(output: &Output, connection: &StoredConnection) {
    let all = text(output);
    assert!(
        !all.contains(connection.tokens.access_token().expose_secret()),
        "{all}"
    );
    if let Some(refresh) = connection.tokens.refresh_token() {
        assert!(!all.contains(refresh.expose_secret()), "{all}");
    }
}

impl Terminal {
    /// Runs the binary with `input` on its standard input.
    fn run_with_input(&self, arguments: &[&str], env: &[(&str, &str)], input: &str) -> Output {
        use std::io::Write as _;
        let mut command = self.command(arguments);
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        for secret in [CLIENT_SECRET, MACHINE_SECRET, "cc-post-secret"] {
            assert!(
                !text(&output).contains(secret),
                "a client secret was printed:\n{}",
                text(&output)
            );
        }
        output
    }
}

/// The secret of oidc-provider's machine client `cc-client`.
const MACHINE_SECRET: &str = "cc-secret";

fn require_provider() {
    common::require_server("oidc-provider", "127.0.0.1:18081");
}

/// What oidc-provider answers to a refresh with `refresh_token`, asked directly.
async fn provider_refresh_status(refresh_token: &str) -> (u16, String) {
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{OIDC_PROVIDER}/token"))
        .basic_auth("cli-client", Some(CLIENT_SECRET))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", "refresh_token")
                .append_pair("refresh_token", refresh_token)
                .finish(),
        )
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn single(connections: &[StoredConnection]) -> &StoredConnection {
    assert_eq!(connections.len(), 1, "{connections:?}");
    &connections[0]
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn authorize_stores_a_connection_that_lists_shows_refreshes_and_deletes() {
    require_provider();
    let terminal = Terminal::new("lifecycle");
    let authorized = terminal.run(&["authorize", DEFINITION, "--timeout", "30"]);
    assert_code(&authorized, 0);
    let stored = terminal.stored().await;
    let connection = single(&stored).clone();
    assert_eq!(connection.definition_id, DEFINITION);
    assert_eq!(connection.owner, "cli");
    assert_eq!(connection.scopes_granted, ["openid", "offline_access"]);
    assert!(connection.tokens.refresh_token().is_some());
    assert!(connection.tokens.expires_at().is_some());
    let stdout = String::from_utf8_lossy(&authorized.stdout);
    assert!(
        stdout.contains(&format!("stored connection {}", connection.id)),
        "{stdout}"
    );
    // The URL was printed for a person, and went to the browser: the provider saw this
    // redirect URI, a loopback one with the listener's port.
    let stderr = String::from_utf8_lossy(&authorized.stderr);
    assert!(
        stderr.contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"),
        "{stderr}"
    );
    assert_no_token(&authorized, &connection);

    let listed = terminal.run(&["connections", "list", "--json"]);
    assert_code(&listed, 0);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let entry = &json.as_array().unwrap()[0];
    assert_eq!(entry["id"], connection.id.as_str());
    assert_eq!(entry["status"], "active");
    assert_eq!(entry["has_refresh_token"], true);
    assert_eq!(entry["missing_scopes"], serde_json::json!([]));
    assert_no_token(&listed, &connection);

    let table = terminal.run(&["connections", "list"]);
    assert_code(&table, 0);
    let table_text = String::from_utf8_lossy(&table.stdout);
    assert!(table_text.starts_with("ID "), "{table_text}");
    assert!(
        !table_text.contains('\x1b'),
        "colours on a pipe:\n{table_text}"
    );

    let shown = terminal.run(&["connections", "show", &connection.id]);
    assert_code(&shown, 0);
    let shown_text = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown_text.contains("status:           active"),
        "{shown_text}"
    );
    assert!(
        shown_text.contains("refresh token:    [redacted]"),
        "{shown_text}"
    );
    assert_no_token(&shown, &connection);

    // Only this test refreshes with the command line's client.
    let refreshes_before = common::refreshes("cli-client").await;
    let refreshed = terminal.run(&["connections", "refresh", &connection.id]);
    assert_code(&refreshed, 0);
    let after = terminal.stored().await;
    let after = single(&after).clone();
    assert_ne!(
        after.tokens.access_token(),
        connection.tokens.access_token()
    );
    assert!(after.refreshed_at.is_some());
    assert_no_token(&refreshed, &after);
    assert_eq!(common::refreshes("cli-client").await, refreshes_before + 1);

    let deleted = terminal.run(&["connections", "delete", &after.id]);
    assert_code(&deleted, 0);
    assert!(terminal.stored().await.is_empty());
    // Deleting revoked the refresh token at the provider first.
    let current = after.tokens.refresh_token().unwrap().expose_secret();
    let (status, body) = provider_refresh_status(current).await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("invalid_grant"), "{body}");

    let gone = terminal.run(&["connections", "show", &after.id]);
    assert_code(&gone, 1);
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no stored connection has the id"));
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_scope_the_app_added_is_listed_then_granted_in_place_by_reconnect() {
    require_provider();
    let terminal = Terminal::new("reconnect");
    assert_code(
        &terminal.run(&["authorize", DEFINITION, "--timeout", "30"]),
        0,
    );
    let before = terminal.stored().await;
    let id = single(&before).id.clone();
    let wider = [("CONNKIT_INTEROP_WIDER", "1")];

    let lacking = terminal.run_with(&["connections", "missing-scopes", "--json"], &wider);
    assert_code(&lacking, 0);
    let json: serde_json::Value = serde_json::from_slice(&lacking.stdout).unwrap();
    assert_eq!(json[0]["id"], id.as_str());
    assert_eq!(json[0]["missing_scopes"], serde_json::json!(["api"]));
    // The release before the change lacks nothing.
    let earlier = terminal.run(&["connections", "missing-scopes", "--json"]);
    assert_eq!(String::from_utf8_lossy(&earlier.stdout).trim(), "[]");

    let reconnected = terminal.run_with(
        &["authorize", "--reconnect", &id, "--timeout", "30"],
        &wider,
    );
    assert_code(&reconnected, 0);
    let after = terminal.stored().await;
    let after = single(&after);
    assert_eq!(after.id, id, "re-consent updates the same connection");
    assert!(
        after.scopes_granted.iter().any(|scope| scope == "api"),
        "{after:?}"
    );
    let none = terminal.run_with(&["connections", "missing-scopes", "--json"], &wider);
    assert_eq!(String::from_utf8_lossy(&none.stdout).trim(), "[]");
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn denied_consent_fails_with_the_providers_words_and_stores_nothing() {
    require_provider();
    let terminal = Terminal::new("denied");
    let denied = terminal.run_with(
        &["authorize", DEFINITION, "--timeout", "30"],
        &[("SUFFIX", "&login_hint=deny")],
    );
    assert_code(&denied, 1);
    let stderr = String::from_utf8_lossy(&denied.stderr);
    assert!(
        stderr.contains("error: the authorization server answered access_denied"),
        "{stderr}"
    );
    assert!(terminal.stored().await.is_empty());
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_browser_that_never_comes_back_times_out() {
    require_provider();
    let terminal = Terminal::new("timeout");
    let started = std::time::Instant::now();
    let waited = terminal.run(&["authorize", DEFINITION, "--timeout", "1", "--no-browser"]);
    assert_code(&waited, 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let stderr = String::from_utf8_lossy(&waited.stderr);
    assert!(stderr.contains("error: timed out after 1 s"), "{stderr}");
    assert!(terminal.stored().await.is_empty());
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_refused_client_secret_is_the_providers_error_without_the_secret() {
    require_provider();
    let terminal = Terminal::new("refused");
    let wrong = "wrong-secret-4f1d9";
    let refused = terminal.run_with(
        &["authorize", DEFINITION, "--timeout", "30"],
        &[("INTEGRATION_OIDC_PROVIDER_CLIENT_SECRET", wrong)],
    );
    assert_code(&refused, 1);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("invalid_client"), "{stderr}");
    assert!(!text(&refused).contains(wrong));
    assert!(terminal.stored().await.is_empty());
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn print_shows_the_token_set_redacted_and_stores_nothing() {
    require_provider();
    let terminal = Terminal::new("print");
    let printed = terminal.run(&["authorize", DEFINITION, "--print", "--timeout", "30"]);
    assert_code(&printed, 0);
    let stdout = String::from_utf8_lossy(&printed.stdout);
    assert!(stdout.contains("access token:  [redacted]"), "{stdout}");
    assert!(stdout.contains("refresh token: [redacted]"), "{stdout}");
    assert!(
        stdout.contains("scopes:        openid offline_access"),
        "{stdout}"
    );
    assert!(!terminal.store_path().exists());
}

#[test]
fn credentials_lists_the_variables_that_are_missing() {
    let terminal = Terminal::new("credentials");
    let missing = terminal
        .command(&["credentials"])
        .env_remove("INTEGRATION_OIDC_PROVIDER_CLIENT_SECRET")
        .output()
        .unwrap();
    assert_code(&missing, 1);
    let stdout = String::from_utf8_lossy(&missing.stdout);
    assert!(
        stdout.contains("INTEGRATION_OIDC_PROVIDER_CLIENT_SECRET is not set"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("INTEGRATION_OIDC_PROVIDER_CLIENT_ID"),
        "{stdout}"
    );
    assert_code(&terminal.run(&["credentials"]), 0);
}

#[test]
fn bad_command_lines_and_unknown_things_get_clear_errors() {
    let terminal = Terminal::new("refusals");
    let usage = terminal.run(&["authorize"]);
    assert_code(&usage, 2);
    let unknown = terminal.run(&["authorize", "oidc-provider_connection_oauth2-clj"]);
    assert_code(&unknown, 1);
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("the registry has no connection \"oidc-provider_connection_oauth2-clj\"; did you mean `oidc-provider_connection_oauth2-cli`?"),
        "{stderr}"
    );
    assert!(
        !terminal.store_path().exists(),
        "a refused authorize made a store"
    );
    let no_store = terminal.run(&["connections", "list"]);
    assert_code(&no_store, 1);
    assert!(String::from_utf8_lossy(&no_store.stderr).contains("there is no store at"));
    let bad_key = terminal.run_with(
        &["authorize", DEFINITION],
        &[("CONNKIT_SEALING_KEY", "k:c2hvcnQ")],
    );
    assert_code(&bad_key, 1);
    let stderr = String::from_utf8_lossy(&bad_key.stderr);
    assert!(
        stderr.contains("CONNKIT_SEALING_KEY must be <key-id>:<32 bytes in base64url>"),
        "{stderr}"
    );
    assert!(!stderr.contains("c2hvcnQ"), "{stderr}");
    let help = terminal.run(&["--help"]);
    assert_code(&help, 0);
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit codes: 0 success"));
}

#[test]
fn a_key_file_is_made_owner_only_beside_a_new_store_and_required_by_an_old_one() {
    let terminal = Terminal::new("keyfile");
    let store = terminal.store_path();
    // No key given: a fresh store gets a key file.
    let made = terminal
        .command(&["authorize", DEFINITION, "--timeout", "1", "--no-browser"])
        .env_remove("CONNKIT_SEALING_KEY")
        .output()
        .unwrap();
    assert_code(&made, 1); // Nobody came back; the store and its key were made all the same.
    let key_file = PathBuf::from(format!("{}.key", store.display()));
    assert!(key_file.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let key_text = std::fs::read_to_string(&key_file).unwrap();
    assert!(!text(&made).contains(key_text.trim()));
    // The store without its key is refused, not re-keyed.
    std::fs::remove_file(&key_file).unwrap();
    let refused = terminal
        .command(&["connections", "list"])
        .env_remove("CONNKIT_SEALING_KEY")
        .output()
        .unwrap();
    assert_code(&refused, 1);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("exists but its key file"));
    assert!(!Path::new(&key_file).exists());
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_callback_with_another_state_is_turned_away_and_the_wait_goes_on() {
    use std::io::BufRead;
    require_provider();
    let terminal = Terminal::new("forged");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = terminal
        .command(&[
            "authorize",
            DEFINITION,
            "--port",
            &port.to_string(),
            "--no-browser",
            "--timeout",
            "30",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let url = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "no URL printed");
        if let Some(url) = line.trim().strip_prefix("http://127.0.0.1:18081/auth?") {
            break format!("http://127.0.0.1:18081/auth?{url}");
        }
    };
    assert!(url.contains(&format!(
        "redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Fcallback"
    )));
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    for forged in [
        "code=forged&state=forged",
        "code=forged",
        "error=access_denied",
    ] {
        let response = client
            .get(format!("http://127.0.0.1:{port}/callback?{forged}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 400, "{forged}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Not this authorization")
        );
    }
    // The real browser comes back, and the authorization completes.
    let browsed = Command::new(terminal.dir.join("browser.sh"))
        .arg(&url)
        .env("JAR", terminal.dir.join("jar"))
        .status()
        .unwrap();
    assert!(browsed.success());
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    assert!(status.success(), "{rest}");
    assert_eq!(terminal.stored().await.len(), 1);
}

#[tokio::test]
async fn a_row_that_does_not_open_is_named_and_the_others_are_still_listed() {
    use connkit::store::{Backend, NewConnection};

    let terminal = Terminal::new("unreadable");
    let store = Store::new(
        SqliteBackend::open(terminal.store_path()).unwrap(),
        keyring(),
    );
    let tokens: connkit::TokenSet =
        serde_json::from_str(r#"{"access_token":"at-listed","expires_at":4000000000}"#).unwrap();
    let mut ids = Vec::new();
    for _ in 0..2 {
        let stored = store
            .insert(NewConnection::new(
                "local",
                CliClient::DEFINITION,
                tokens.clone(),
            ))
            .await
            .unwrap();
        ids.push(stored.id);
    }
    // The first row's ciphertext in the second: sealed to another id, it does not open.
    let backend = store.backend();
    let donor = backend.get(&ids[0]).await.unwrap().unwrap();
    let mut broken = backend.get(&ids[1]).await.unwrap().unwrap();
    broken.sealed_tokens = donor.sealed_tokens;
    assert!(backend.update(&broken, broken.version).await.unwrap());

    for arguments in [
        &["connections", "list"][..],
        &["connections", "list", "--json"],
        &["connections", "missing-scopes"],
    ] {
        let listed = terminal.run(arguments);
        assert_code(&listed, 1);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&listed.stdout),
            String::from_utf8_lossy(&listed.stderr),
        );
        assert!(
            stderr.contains(&format!(
                "the stored tokens of connection {} cannot be opened",
                ids[1]
            )) && stderr.contains(&format!("delete it with `connections delete {}`", ids[1])),
            "{arguments:?}: {}",
            text(&listed)
        );
        assert!(!stdout.contains(&ids[1]), "{}", text(&listed));
        if arguments[1] == "list" {
            assert!(stdout.contains(&ids[0]), "{}", text(&listed));
        }
        assert!(!text(&listed).contains("at-listed"));
    }
    let deleted = terminal.run(&["connections", "delete", &ids[1]]);
    assert_code(&deleted, 0);
    let listed = terminal.run(&["connections", "list"]);
    assert_code(&listed, 0);
    assert!(String::from_utf8_lossy(&listed.stdout).contains(&ids[0]));
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_machine_connection_is_authorized_without_a_browser_listed_and_renewed() {
    require_provider();
    let terminal = Terminal::new("machine");
    let machine = connkit_interop::MachineClient::DEFINITION.id();
    // No browser: the script would fail the test if it were run.
    let no_browser = [("BROWSER", "false")];

    // The owner's client: the id on the command line, the secret on standard input only.
    let missing = terminal.run_with_input(&["authorize", machine], &no_browser, "");
    assert_code(&missing, 1);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("give --client-id"));
    let empty = terminal.run_with_input(
        &["authorize", machine, "--client-id", "cc-client"],
        &no_browser,
        "\n",
    );
    assert_code(&empty, 1);
    assert!(String::from_utf8_lossy(&empty.stderr).contains("held no client secret"));
    let wrong = terminal.run_with_input(
        &["authorize", machine, "--client-id", "cc-client"],
        &no_browser,
        "not-the-secret\n",
    );
    assert_code(&wrong, 1);
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("invalid_client"),
        "{}",
        text(&wrong)
    );
    assert!(terminal.stored().await.is_empty());

    let authorized = terminal.run_with_input(
        &["authorize", machine, "--client-id", "cc-client"],
        &no_browser,
        &format!("{MACHINE_SECRET}\n"),
    );
    assert_code(&authorized, 0);
    let connection = single(&terminal.stored().await).clone();
    assert_eq!(connection.definition_id, machine);
    assert_eq!(connection.scopes_granted, ["api"]);
    assert_no_token(&authorized, &connection);
    assert!(
        String::from_utf8_lossy(&authorized.stdout)
            .contains(&format!("stored connection {}", connection.id))
    );

    // The platform's client comes from its variables.
    let platform = connkit_interop::PlatformMachineClient::DEFINITION.id();
    let platform_env = [("BROWSER", "false")];
    let given = terminal.run_with_input(
        &["authorize", platform, "--client-id", "cc-post-client"],
        &platform_env,
        "",
    );
    assert_code(&given, 1);
    assert!(String::from_utf8_lossy(&given.stderr).contains("leave out --client-id"));
    let authorized = terminal.run_with_input(&["authorize", platform], &platform_env, "");
    assert_code(&authorized, 0);

    // Listed beside each other, with their kind.
    let listed = terminal.run(&["connections", "list", "--json"]);
    assert_code(&listed, 0);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 2, "{json}");
    for entry in entries {
        assert_eq!(entry["kind"], "client-credentials", "{entry}");
        assert_eq!(entry["status"], "active");
        assert_eq!(entry["has_refresh_token"], false);
    }
    assert_no_token(&listed, &connection);

    // `refresh` obtains a new token, under the store's lease, with the sealed client.
    let before = common::granted("cc-client", "client_credentials").await;
    let refreshed = terminal.run(&["connections", "refresh", &connection.id]);
    assert_code(&refreshed, 0);
    assert_eq!(
        common::granted("cc-client", "client_credentials").await,
        before + 1
    );
    let stored = terminal.stored().await;
    let after = stored.iter().find(|c| c.id == connection.id).unwrap();
    assert_ne!(
        after.tokens.access_token(),
        connection.tokens.access_token()
    );
    assert!(after.refreshed_at.is_some());
    assert_no_token(&refreshed, after);
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_service_account_key_file_is_checked_and_stored_as_a_jwt_bearer_connection() {
    require_provider();
    let terminal = Terminal::new("service-account");
    let definition = connkit_interop::ServiceAccountClient::DEFINITION.id();
    let file = terminal.dir.join("robot.json");
    let key = include_str!("../../../runtime/tests/keys/rfc7515-rsa.pkcs8.pem");
    std::fs::write(
        &file,
        serde_json::to_vec(&serde_json::json!({
            "type": "service_account",
            "private_key_id": "robot-key-1",
            "private_key": key,
            "client_email": "robot@connkit-test.iam.example",
        }))
        .unwrap(),
    )
    .unwrap();
    let arguments = [
        "authorize",
        definition,
        "--service-account",
        file.to_str().unwrap(),
        "--input",
        "subject=carol@connkit-test.example",
    ];
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Readable by others: refused, with the chmod that fixes it, and nothing stored.
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loose = terminal.run(&arguments);
        assert_code(&loose, 1);
        let stderr = String::from_utf8_lossy(&loose.stderr);
        assert!(stderr.contains("chmod 600"), "{stderr}");
        assert!(
            !stderr.contains("BEGIN") && !stderr.contains("MIIE"),
            "{stderr}"
        );
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        // A symbolic link to it: refused too.
        let link = terminal.dir.join("link.json");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        let mut through_link = arguments;
        through_link[3] = link.to_str().unwrap();
        assert_code(&terminal.run(&through_link), 1);
    }
    let missing = terminal.run(&[
        "authorize",
        definition,
        "--input",
        "subject=carol@connkit-test.example",
    ]);
    assert_code(&missing, 1);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("give --service-account"));

    let authorized = terminal.run(&arguments);
    assert_code(&authorized, 0);
    let all = text(&authorized);
    assert!(!all.contains("BEGIN") && !all.contains("MIIE"), "{all}");
    let connection = single(&terminal.stored().await).clone();
    assert_eq!(connection.definition_id, definition);
    assert_eq!(
        connection.inputs.get("client_email"),
        Some("robot@connkit-test.iam.example")
    );
    let listed = terminal.run(&["connections", "list", "--json"]);
    assert_code(&listed, 0);
    let json: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(json[0]["kind"], "jwt-bearer");
    assert_no_token(&listed, &connection);
    // `refresh` signs a new assertion for a new token.
    let refreshed = terminal.run(&["connections", "refresh", &connection.id]);
    assert_code(&refreshed, 0);
    let after = single(&terminal.stored().await).clone();
    assert_ne!(
        after.tokens.access_token(),
        connection.tokens.access_token()
    );
}

/// Runs `authorize --device` and, once it has printed the user code, has the user approve (or
/// refuse) it on "another device"; the command's output once it ends.
async fn authorize_on_another_device(terminal: &Terminal, abort: bool) -> (Output, String) {
    use std::io::{BufRead as _, Read as _};
    let mut child = terminal
        .command(&["authorize", DEFINITION, "--device", "--timeout", "60"])
        // No browser on this machine: the command must not need one.
        .env("BROWSER", "/bin/false")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut shown = String::new();
    let code = loop {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "no code was shown:\n{shown}"
        );
        shown.push_str(&line);
        let trimmed = line.trim();
        if trimmed.len() == 9 && trimmed.as_bytes()[4] == b'-' {
            break trimmed.to_owned();
        }
    };
    common::approve_device_at_oidc_provider(&code, abort).await;
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    shown.push_str(&rest);
    let output = child.wait_with_output().unwrap();
    (output, shown)
}

#[tokio::test]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn authorize_on_another_device_with_no_browser_here() {
    require_provider();
    let terminal = Terminal::new("device");
    let (output, shown) = authorize_on_another_device(&terminal, false).await;
    assert_eq!(output.status.code(), Some(0), "{shown}\n{}", text(&output));
    assert!(shown.contains("http://127.0.0.1:18081/device"), "{shown}");
    assert!(
        shown.contains("or open http://127.0.0.1:18081/device?user_code="),
        "{shown}"
    );
    assert!(!shown.contains('█'), "no QR code on a pipe:\n{shown}");
    let connection = single(&terminal.stored().await).clone();
    assert_eq!(connection.definition_id, DEFINITION);
    assert!(connection.tokens.refresh_token().is_some());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("stored connection {}", connection.id)),
        "{stdout}"
    );
    assert!(!shown.contains(connection.tokens.access_token().expose_secret()));
    // (Not refreshed here: the lifecycle test counts the provider's refreshes of this client.)

    // The user refuses: the provider's words, nothing more stored.
    let (refused, shown) = authorize_on_another_device(&terminal, true).await;
    assert_eq!(refused.status.code(), Some(1), "{shown}");
    assert!(shown.contains("access_denied"), "{shown}");
    assert_eq!(terminal.stored().await.len(), 1);
}
