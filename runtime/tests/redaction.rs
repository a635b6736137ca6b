//! Secrets never appear in `Debug`, `Display` or error messages. The checks run in a child
//! process of this test binary whose environment carries the secrets, so no test mutates the
//! environment of a running process.

use std::process::Command;

use connkit::credentials::{
    ClientCredentialError, ClientCredentialSource, Env, missing_client_credentials,
};
use connkit::{
    AppDefinition, OAuth2Client, Registry, app, definition::ConnectionType, oauth2_connection,
    registry, secret::ClientSecret,
};

const CLIENT_SECRET: &str = "s3cr3t-client-secret-value";
const CLIENT_ID: &str = "visible-client-id";
const CHILD_MARKER: &str = "CONNKIT_REDACTION_CHILD";

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read"],
)]
#[derive(Debug)]
struct AcmeOAuth2;

const ACME: AppDefinition = app! {
    id: "acme",
    name: "Acme",
    description: "Acme",
    logo_url: "https://acme.example/logo.svg",
    connections: [AcmeOAuth2],
};

const APPS: Registry = registry![ACME];

fn run_in_child(test_name: &str, env: &[(&str, &[u8])]) {
    let mut command =
        Command::new(std::env::current_exe().expect("the test binary knows its path"));
    command
        .args([test_name, "--exact", "--nocapture"])
        .env(CHILD_MARKER, "1");
    for (name, value) in env {
        use std::os::unix::ffi::OsStrExt;
        command.env(name, std::ffi::OsStr::from_bytes(value));
    }
    let output = command.output().expect("the test binary runs again");
    assert!(
        output.status.success(),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // The child really ran the checks (not zero tests).
    assert!(String::from_utf8_lossy(&output.stdout).contains("1 passed"));
}

fn in_child() -> bool {
    std::env::var_os(CHILD_MARKER).is_some()
}

#[test]
fn debug_and_display_never_show_the_client_secret() {
    if !in_child() {
        return run_in_child(
            "debug_and_display_never_show_the_client_secret",
            &[
                ("INTEGRATION_ACME_CLIENT_ID", CLIENT_ID.as_bytes()),
                ("INTEGRATION_ACME_CLIENT_SECRET", CLIENT_SECRET.as_bytes()),
            ],
        );
    }
    let definition = AcmeOAuth2::DEFINITION;
    let credentials = Env
        .client_credentials(AcmeOAuth2::CONNECTION_DEFINITION)
        .unwrap();
    let secret = credentials.client_secret.clone().unwrap();
    assert_eq!(secret.expose_secret(), CLIENT_SECRET, "the secret was read");
    assert_eq!(credentials.client_id.as_str(), CLIENT_ID);
    let client =
        OAuth2Client::from_source(definition, &Env, "https://app.example/callback").unwrap();
    let rendered = [
        format!("{secret:?}"),
        format!("{secret:#?}"),
        format!("{secret}"),
        format!("{credentials:?}"),
        format!(
            "{:?}",
            Env.client_credentials(AcmeOAuth2::CONNECTION_DEFINITION)
        ),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{definition:?}"),
        format!("{definition:#?}"),
        format!("{:?}", AcmeOAuth2),
        format!("{ACME:?}"),
        format!("{APPS:#?}"),
        format!("{:?}", missing_client_credentials(&Env, APPS.apps())),
        format!("{:?}", ClientSecret::new(CLIENT_SECRET).clone()),
    ];
    for text in &rendered {
        assert!(!text.contains(CLIENT_SECRET), "secret leaked in {text}");
    }
    assert!(rendered[0].contains("[redacted]") && rendered[2] == "[redacted]");
    assert!(
        missing_client_credentials(&Env, APPS.apps()).is_empty(),
        "both variables are set"
    );
}

#[test]
fn env_errors_name_the_variable_never_the_value() {
    if !in_child() {
        return run_in_child(
            "env_errors_name_the_variable_never_the_value",
            &[
                ("INTEGRATION_ACME_CLIENT_ID", b"   "),
                ("INTEGRATION_ACME_CLIENT_SECRET", b"s3cr3t-\xff-not-utf8"),
            ],
        );
    }
    let problems = Env.problems(AcmeOAuth2::CONNECTION_DEFINITION);
    let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "environment variable INTEGRATION_ACME_CLIENT_ID is set but empty",
            "environment variable INTEGRATION_ACME_CLIENT_SECRET is not valid UTF-8"
        ]
    );
    assert!(!format!("{problems:?}").contains("s3cr3t"));
    let error = OAuth2Client::from_source(AcmeOAuth2::DEFINITION, &Env, "https://app.example/cb")
        .unwrap_err();
    assert!(!format!("{error} {error:?}").contains("s3cr3t"));
    let missing = missing_client_credentials(&Env, APPS.apps());
    assert_eq!(missing.len(), 2);
    assert!(
        missing
            .iter()
            .all(|m| !format!("{m} {m:?}").contains("s3cr3t"))
    );
}

#[test]
fn an_unset_variable_is_reported_by_name() {
    if !in_child() {
        return run_in_child("an_unset_variable_is_reported_by_name", &[]);
    }
    let error = Env
        .client_credentials(AcmeOAuth2::CONNECTION_DEFINITION)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable INTEGRATION_ACME_CLIENT_ID is not set"
    );
    let names: Vec<&str> = missing_client_credentials(&Env, &[ACME])
        .iter()
        .map(|missing| match &missing.error {
            ClientCredentialError::Env(error) => error.variable(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        names,
        [
            "INTEGRATION_ACME_CLIENT_ID",
            "INTEGRATION_ACME_CLIENT_SECRET"
        ]
    );
}
