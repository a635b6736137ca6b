//! Prints every app of the catalogue: its connections, the environment variables each needs
//! (set or missing, never their values) and a sample authorize URL.

use connkit::{EnvError, MissingEnv};
use connkit_examples::CATALOGUE;

const SAMPLE_REDIRECT_URI: &str = "http://localhost:8080/oauth2/callback";
const SAMPLE_STATE: &str = "sample-state";
const SAMPLE_CHALLENGE: &str = "sample-code-challenge";

fn main() {
    let apps = CATALOGUE.apps();
    let missing = CATALOGUE.missing_env();
    println!("connkit catalogue: {} apps", apps.len());
    for app in apps {
        println!();
        println!("{} ({}): {}", app.name(), app.id(), app.description());
        for connection in app.connections() {
            println!("  connection {} \"{}\"", connection.id(), connection.name());
            for variable in connection.env_vars() {
                let state = match missing.iter().find(|m| m.variable() == variable) {
                    None => "set",
                    Some(MissingEnv {
                        error: EnvError::Missing { .. },
                        ..
                    }) => "MISSING (not set)",
                    Some(MissingEnv {
                        error: EnvError::Empty { .. },
                        ..
                    }) => "MISSING (set but empty)",
                    Some(_) => "MISSING (not valid UTF-8)",
                };
                println!("    {variable}: {state}");
            }
            if let Some(oauth2) = connection.as_oauth2() {
                let client_id = oauth2
                    .client_id()
                    .map(|id| id.to_string())
                    .unwrap_or_else(|_| format!("${}", oauth2.client_id_env()));
                let challenge = oauth2.pkce().then_some(SAMPLE_CHALLENGE);
                let url =
                    oauth2.authorize_url(&client_id, SAMPLE_REDIRECT_URI, SAMPLE_STATE, challenge);
                println!("    authorize: {url}");
            }
        }
    }
    println!();
    let ready = apps
        .iter()
        .filter(|app| app.missing_env().is_empty())
        .count();
    println!(
        "{ready} of {} apps have every client credential set",
        apps.len()
    );
}
