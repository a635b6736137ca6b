//! Prints every app of the catalogue: its connections, the environment variables each needs
//! (set or missing, never their values) and a sample authorization request URL.

use std::io::{self, Write};
use std::process::ExitCode;

use connkit::credentials::{ClientCredentialError, Env, EnvError, missing_client_credentials};
use connkit::definition::{AuthorizationParams, KeyPlacement};
use connkit_examples::CATALOGUE;

const SAMPLE_REDIRECT_URI: &str = "http://localhost:8080/oauth2/callback";
const SAMPLE_STATE: &str = "sample-state";
const SAMPLE_CHALLENGE: &str = "sample-code-challenge";

const HELP: &str = "\
catalogue: the 23 OAuth2 apps of the Lecca.io catalogue, declared with connkit

Usage: cargo run -p connkit-examples --bin catalogue [-- --help]

For each app it prints its connections, whether each client credential variable is set (never
its value), and a sample authorization request URL. The sample URL uses placeholder values,
since a real one needs your server and a fresh random state:
  redirect_uri    http://localhost:8080/oauth2/callback  (your server's callback URL)
  state           sample-state           (connkit generates 256 random bits per request)
  code_challenge  sample-code-challenge  (only for PKCE apps; connkit derives it, S256,
                                          from a fresh random verifier)
  client_id       the value of the app's _CLIENT_ID variable when set, otherwise the
                  variable's name, like $INTEGRATION_GMAIL_CLIENT_ID

The variables are INTEGRATION_<APP>_CLIENT_ID and INTEGRATION_<APP>_CLIENT_SECRET, <APP> being
the app id upper-cased with '-' as '_'.";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    match arguments.as_slice() {
        [] => {}
        [flag] if flag == "--help" || flag == "-h" => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("catalogue takes no arguments but --help\n\n{HELP}");
            return ExitCode::from(2);
        }
    }
    let stdout = io::stdout();
    match print(&mut stdout.lock()) {
        Ok(()) => ExitCode::SUCCESS,
        // `catalogue | head` closes the pipe early: not an error.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("catalogue: {error}");
            ExitCode::FAILURE
        }
    }
}

fn print(out: &mut impl Write) -> io::Result<()> {
    let apps = CATALOGUE.apps();
    let missing = missing_client_credentials(&Env, apps);
    writeln!(out, "connkit catalogue: {} apps", apps.len())?;
    writeln!(
        out,
        "(sample URLs use placeholder values: redirect_uri, state and code_challenge; see --help)"
    )?;
    for app in apps {
        writeln!(out)?;
        writeln!(out, "{} ({}): {}", app.name(), app.id(), app.description())?;
        for connection in app.connections() {
            writeln!(
                out,
                "  connection {} \"{}\"",
                connection.id(),
                connection.name()
            )?;
            let inputs: Vec<&str> = connection
                .inputs()
                .iter()
                .map(|input| input.label())
                .collect();
            if !inputs.is_empty() {
                writeln!(out, "    the user gives: {}", inputs.join("; "))?;
            }
            let Some(oauth2) = connection.as_oauth2() else {
                let credential = match (connection.as_api_key(), connection.as_basic_auth()) {
                    (Some(api_key), _) => match api_key.placement() {
                        KeyPlacement::Header { name, prefix } => {
                            format!("an API key, sent as `{name}: {prefix}<key>`")
                        }
                        KeyPlacement::Query { name } => {
                            format!("an API key, sent as the query parameter `{name}`")
                        }
                        // A placement added in a later connkit.
                        _ => "an API key".to_owned(),
                    },
                    (None, Some(_)) => "a username and password, sent as HTTP Basic".to_owned(),
                    (None, None) => "a key pair, which the app signs its requests with".to_owned(),
                };
                writeln!(
                    out,
                    "    {} connection: the user gives {credential}",
                    connection.kind()
                )?;
                continue;
            };
            for variable in [oauth2.client_id_env(), oauth2.client_secret_env()] {
                let problem = missing.iter().find_map(|missing| match &missing.error {
                    ClientCredentialError::Env(error) if error.variable() == variable => {
                        Some(error)
                    }
                    _ => None,
                });
                let state = match problem {
                    None => "set",
                    Some(EnvError::Missing { .. }) => "MISSING (not set)",
                    Some(EnvError::Empty { .. }) => "MISSING (set but empty)",
                    Some(EnvError::NotUnicode { .. }) => "MISSING (not valid UTF-8)",
                    Some(_) => "MISSING",
                };
                writeln!(out, "    {variable}: {state}")?;
            }
            let client_id = std::env::var(oauth2.client_id_env())
                .ok()
                .filter(|value| !value.trim().is_empty())
                .unwrap_or_else(|| format!("${}", oauth2.client_id_env()));
            let mut params =
                AuthorizationParams::new(&client_id, SAMPLE_REDIRECT_URI, SAMPLE_STATE);
            if oauth2.pkce() {
                params = params.with_code_challenge(SAMPLE_CHALLENGE);
            }
            let url = oauth2.authorization_request_url(&params);
            match url {
                Ok(url) => writeln!(out, "    authorize: {url}")?,
                // Inputs without defaults: the URL exists once a user gives them.
                Err(_) => {
                    let inputs: Vec<&str> =
                        oauth2.inputs().iter().map(|input| input.name()).collect();
                    writeln!(
                        out,
                        "    authorize: {} (filled in from the inputs {})",
                        oauth2.authorize_url(),
                        inputs.join(", ")
                    )?;
                }
            }
        }
    }
    writeln!(out)?;
    let ready = apps
        .iter()
        .filter(|app| !missing.iter().any(|missing| missing.app_id == app.id()))
        .count();
    writeln!(
        out,
        "{ready} of {} apps have every client credential set",
        apps.len()
    )?;
    Ok(())
}
