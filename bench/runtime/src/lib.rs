//! The operations that `bench/runtime.sh` measures, shared by the callgrind binary
//! (`src/main.rs`: instructions) and the criterion benchmark (`benches/time.rs`: time), so that
//! both measure the same code on the same inputs.

use std::hint::black_box;

use connkit::{credentials::ClientCredentials, credentials::ClientId, secret::ClientSecret, OAuth2Client, oauth2_connection};

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/oauth/authorize",
    token_url = "https://auth.acme.example/oauth/token",
    scopes = ["read", "write", "admin"],
    auth_params = { access_type = "offline" },
)]
pub struct Acme;

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The registry of `apps` apps.
pub fn registry(apps: usize) -> connkit::Registry {
    match apps {
        10 => apps_10::REGISTRY,
        250 => apps_250::REGISTRY,
        _ => apps_1000::REGISTRY,
    }
}

/// The ids looked up: every 7th connection of `apps` apps, so that the lookups walk the whole
/// table.
pub fn ids(apps: usize) -> Vec<String> {
    (0..apps * 4)
        .step_by(7)
        .map(|i| format!("app-{}-x_connection_oauth2-v{}", i / 4, i % 4))
        .collect()
}

pub const TOKEN: &[u8] = br#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bearer","expires_in":3600,"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA","scope":"read write admin"}"#;

/// The connkit client of `Acme`, as an app builds it once.
pub fn connkit_client() -> OAuth2Client {
    OAuth2Client::new(
        Acme::DEFINITION,
        ClientCredentials::new(ClientId::new("client"), Some(ClientSecret::new("secret"))),
        "https://app.example/cb",
    )
    .unwrap_or_else(|error| panic!("{error}"))
}

/// The oauth2-rs client of `Acme`, with its endpoints at `origin`, as an app builds it once.
pub fn oauth2_client(
    origin: &str,
) -> oauth2::basic::BasicClient<
    oauth2::EndpointSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
> {
    use oauth2::{AuthUrl, ClientId, ClientSecret, RedirectUrl, TokenUrl};
    oauth2::basic::BasicClient::new(ClientId::new("client".to_owned()))
        .set_client_secret(ClientSecret::new("secret".to_owned()))
        .set_auth_uri(
            AuthUrl::new(format!("{origin}/oauth/authorize")).unwrap_or_else(|e| panic!("{e}")),
        )
        .set_token_uri(
            TokenUrl::new(format!("{origin}/oauth/token")).unwrap_or_else(|e| panic!("{e}")),
        )
        .set_redirect_uri(
            RedirectUrl::new("https://app.example/cb".to_owned()).unwrap_or_else(|e| panic!("{e}")),
        )
}

/// The operations compared, by name: each call of the returned closure runs the operation once
/// (the setup runs here, before the first call).
pub fn operation(name: &str) -> Option<Box<dyn FnMut()>> {
    Some(match name {
        "connkit-authorize" => {
            let client = connkit_client();
            Box::new(move || {
                let _ = black_box(client.authorize().map(|request| request.url));
            })
        }
        "oauth2-authorize" => {
            use oauth2::{CsrfToken, PkceCodeChallenge, Scope};
            let client = oauth2_client("https://auth.acme.example");
            Box::new(move || {
                let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
                let (url, state) = client
                    .authorize_url(CsrfToken::new_random)
                    .add_scopes(["read", "write", "admin"].map(|s| Scope::new(s.to_owned())))
                    .add_extra_param("access_type", "offline")
                    .set_pkce_challenge(challenge)
                    .url();
                let _ = black_box((url, state, verifier));
            })
        }
        "connkit-token" => Box::new(|| {
            black_box(
                connkit::oauth2::token_response::parse_token_response(
                    200,
                    Some("application/json"),
                    black_box(TOKEN),
                    " ",
                )
                .is_ok(),
            );
        }),
        "oauth2-token" => Box::new(|| {
            black_box(
                serde_json::from_slice::<oauth2::basic::BasicTokenResponse>(black_box(TOKEN))
                    .is_ok(),
            );
        }),
        lookup
            if lookup.starts_with("connkit-lookup-") || lookup.starts_with("hashmap-lookup-") =>
        {
            let apps: usize = lookup.rsplit('-').next()?.parse().ok()?;
            let (ids, registry) = (ids(apps), registry(apps));
            let mut next = 0;
            if lookup.starts_with("connkit") {
                Box::new(move || {
                    let id = &ids[next % ids.len()];
                    next += 1;
                    black_box(registry.connection(black_box(id)));
                })
            } else {
                let map: std::collections::HashMap<&str, &connkit::definition::ConnectionDefinition> = registry
                    .apps()
                    .iter()
                    .flat_map(|app| app.connections().iter())
                    .map(|connection| (connection.id(), connection))
                    .collect();
                Box::new(move || {
                    let id = &ids[next % ids.len()];
                    next += 1;
                    black_box(map.get(black_box(id.as_str())));
                })
            }
        }
        _ => return None,
    })
}
