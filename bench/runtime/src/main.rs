//! One operation, run `count` times, for `bench/runtime.sh` to count instructions under
//! callgrind: `connkit-bench-runtime <operation> <count>`. Each operation is timed from a
//! warm start (the setup runs before the first counted call is made, and a run with count 0
//! measures the setup alone, which the script subtracts).

use std::hint::black_box;

use connkit::{ClientCredentials, ClientId, ClientSecret, OAuth2Client, oauth2_connection};

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/oauth/authorize",
    token_url = "https://auth.acme.example/oauth/token",
    scopes = ["read", "write", "admin"],
    auth_params = { access_type = "offline" },
)]
struct Acme;

include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));

/// The registry of `apps` apps.
fn registry(apps: usize) -> connkit::Registry {
    match apps {
        10 => apps_10::REGISTRY,
        250 => apps_250::REGISTRY,
        _ => apps_1000::REGISTRY,
    }
}

/// The ids looked up: every 7th connection of `apps` apps, so that the lookups walk the whole
/// table.
fn ids(apps: usize) -> Vec<String> {
    (0..apps * 4)
        .step_by(7)
        .map(|i| format!("app-{}-x_connection_oauth2-v{}", i / 4, i % 4))
        .collect()
}

const TOKEN: &[u8] = br#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"Bearer","expires_in":3600,"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA","scope":"read write admin"}"#;

fn main() {
    let mut args = std::env::args().skip(1);
    let operation = args.next().unwrap_or_default();
    let count: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    match operation.as_str() {
        "connkit-authorize" => {
            let client = OAuth2Client::new(
                Acme::DEFINITION,
                ClientCredentials::new(ClientId::new("client"), Some(ClientSecret::new("secret"))),
                "https://app.example/cb",
            )
            .unwrap_or_else(|error| panic!("{error}"));
            for _ in 0..count {
                let _ = black_box(client.authorize().map(|request| request.url));
            }
        }
        "oauth2-authorize" => {
            use oauth2::basic::BasicClient;
            use oauth2::{
                AuthUrl, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, RedirectUrl, Scope,
                TokenUrl,
            };
            let client = BasicClient::new(ClientId::new("client".to_owned()))
                .set_client_secret(ClientSecret::new("secret".to_owned()))
                .set_auth_uri(
                    AuthUrl::new("https://auth.acme.example/oauth/authorize".to_owned())
                        .unwrap_or_else(|e| panic!("{e}")),
                )
                .set_token_uri(
                    TokenUrl::new("https://auth.acme.example/oauth/token".to_owned())
                        .unwrap_or_else(|e| panic!("{e}")),
                )
                .set_redirect_uri(
                    RedirectUrl::new("https://app.example/cb".to_owned())
                        .unwrap_or_else(|e| panic!("{e}")),
                );
            for _ in 0..count {
                let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
                let (url, state) = client
                    .authorize_url(CsrfToken::new_random)
                    .add_scopes(["read", "write", "admin"].map(|s| Scope::new(s.to_owned())))
                    .add_extra_param("access_type", "offline")
                    .set_pkce_challenge(challenge)
                    .url();
                let _ = black_box((url, state, verifier));
            }
        }
        "connkit-token" => {
            for _ in 0..count {
                black_box(
                    connkit::token_response::parse_token_response(
                        200,
                        Some("application/json"),
                        black_box(TOKEN),
                        " ",
                    )
                    .is_ok(),
                );
            }
        }
        "oauth2-token" => {
            for _ in 0..count {
                black_box(
                    serde_json::from_slice::<oauth2::basic::BasicTokenResponse>(black_box(TOKEN))
                        .is_ok(),
                );
            }
        }
        lookup
            if lookup.starts_with("connkit-lookup-") || lookup.starts_with("hashmap-lookup-") =>
        {
            let apps: usize = lookup
                .rsplit('-')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(250);
            let (ids, registry) = (ids(apps), registry(apps));
            if lookup.starts_with("connkit") {
                for i in 0..count {
                    let id = &ids[i as usize % ids.len()];
                    black_box(registry.connection(black_box(id)));
                }
            } else {
                let map: std::collections::HashMap<&str, &connkit::ConnectionDefinition> = registry
                    .apps()
                    .iter()
                    .flat_map(|app| app.connections().iter())
                    .map(|connection| (connection.id(), connection))
                    .collect();
                for i in 0..count {
                    let id = &ids[i as usize % ids.len()];
                    black_box(map.get(black_box(id.as_str())));
                }
            }
        }
        "connkit-exchanges" | "oauth2-exchanges" => exchanges(&operation, count),
        other => {
            eprintln!("unknown operation {other:?}");
            std::process::exit(2);
        }
    }
}

/// A token endpoint on loopback: HTTP/1.1 with keep-alive, answering every request with `TOKEN`.
fn token_endpoint() -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut length = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some(value) =
                            line.to_ascii_lowercase().strip_prefix("content-length:")
                        {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    // One write, without Nagle's delay: two small writes would wait for the
                    // client's delayed ACK (40 ms) on every exchange.
                    let mut answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        TOKEN.len()
                    )
                    .into_bytes();
                    answer.extend_from_slice(TOKEN);
                    let stream = reader.get_mut();
                    let _ = stream.set_nodelay(true);
                    if stream.write_all(&answer).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

/// `count` code exchanges in a row against the loopback endpoint; prints exchanges per second.
fn exchanges(operation: &str, count: u64) {
    let origin = token_endpoint();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let elapsed = runtime.block_on(async {
        if operation.starts_with("connkit") {
            let client = OAuth2Client::new(
                Acme::DEFINITION,
                ClientCredentials::new(ClientId::new("client"), Some(ClientSecret::new("secret"))),
                "https://app.example/cb",
            )
            .and_then(|client| client.with_origin(&origin).map_err(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
            let http = connkit::http::ReqwestClient::new().unwrap_or_else(|e| panic!("{e}"));
            // The callbacks are checked before the clock starts: only the exchanges are timed.
            let completed: Vec<_> = (0..count)
                .map(|_| {
                    let request = client.authorize().unwrap_or_else(|e| panic!("{e}"));
                    let callback =
                        format!("code=c&state={}", request.pending.state().expose_secret());
                    client
                        .complete(request.pending, &callback)
                        .unwrap_or_else(|e| panic!("{e}"))
                })
                .collect();
            let start = std::time::Instant::now();
            for completed in &completed {
                black_box(
                    client
                        .exchange_code(&http, completed)
                        .await
                        .unwrap_or_else(|e| panic!("{e}")),
                );
            }
            start.elapsed()
        } else {
            use oauth2::basic::BasicClient;
            use oauth2::{
                AuthUrl, AuthorizationCode, ClientId, ClientSecret, PkceCodeChallenge, RedirectUrl,
                TokenUrl,
            };
            let client = BasicClient::new(ClientId::new("client".to_owned()))
                .set_client_secret(ClientSecret::new("secret".to_owned()))
                .set_auth_uri(
                    AuthUrl::new(format!("{origin}/oauth/authorize"))
                        .unwrap_or_else(|e| panic!("{e}")),
                )
                .set_token_uri(
                    TokenUrl::new(format!("{origin}/oauth/token"))
                        .unwrap_or_else(|e| panic!("{e}")),
                )
                .set_redirect_uri(
                    RedirectUrl::new("https://app.example/cb".to_owned())
                        .unwrap_or_else(|e| panic!("{e}")),
                );
            let http = oauth2::reqwest::Client::builder()
                .redirect(oauth2::reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_else(|e| panic!("{e}"));
            let verifiers: Vec<_> = (0..count)
                .map(|_| PkceCodeChallenge::new_random_sha256().1)
                .collect();
            let start = std::time::Instant::now();
            for verifier in verifiers {
                black_box(
                    client
                        .exchange_code(AuthorizationCode::new("c".to_owned()))
                        .set_pkce_verifier(verifier)
                        .request_async(&http)
                        .await
                        .unwrap_or_else(|e| panic!("{e:?}")),
                );
            }
            start.elapsed()
        }
    });
    println!("{:.0}", count as f64 / elapsed.as_secs_f64());
}
