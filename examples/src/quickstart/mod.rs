//! The quickstart: the whole authorization-code flow on this machine, with no account anywhere.
//!
//! An authorization server (oxide-auth, in-process) and a callback listener run on loopback. A
//! connection declared with `#[oauth2_connection]` drives the flow between them: authorize URL
//! with state and PKCE S256, the user's consent (played by a small browser), the callback, the
//! code exchange, a call to a protected resource, a refresh.

pub mod server;
pub mod web;

use std::error::Error;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::extract::RawQuery;
use axum::routing::get;
use connkit::credentials::ClientCredentialMap;
use connkit::http::ReqwestClient;
use connkit::store::{
    Connections, Keyring, SealError, SealingKey, SqliteBackend, Store, StoredConnection,
};
use connkit::{
    AppDefinition, OAuth2Client, Registry, TokenSet, app, credentials::ClientCredentials,
    credentials::ClientId, oauth2::DEFAULT_AUTHORIZATION_TTL, oauth2_connection, registry,
    secret::ClientSecret, secret::PkceVerifier,
};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// The port the connection below declares for its authorization server.
pub const DEFAULT_SERVER_PORT: u16 = 18090;
/// The callback listener's port unless told otherwise.
pub const DEFAULT_CALLBACK_PORT: u16 = 18091;
/// The variable that sets the server's port (the flag `--server-port` wins).
pub const SERVER_PORT_ENV: &str = "CONNKIT_QUICKSTART_SERVER_PORT";
/// The variable that sets the callback listener's port (the flag `--callback-port` wins).
pub const CALLBACK_PORT_ENV: &str = "CONNKIT_QUICKSTART_CALLBACK_PORT";
const CLIENT_ID: &str = "quickstart-client";

/// The connection to the embedded authorization server.
#[oauth2_connection(
    id = "quickstart_connection_oauth2",
    name = "OAuth2",
    description = "The quickstart's embedded authorization server",
    authorize_url = "http://127.0.0.1:18090/authorize",
    token_url = "http://127.0.0.1:18090/token",
    scopes = ["profile"],
    client_auth = "header",
    issuer = "http://127.0.0.1:18090",
)]
pub struct QuickstartOAuth2;

/// The quickstart app.
pub const QUICKSTART: AppDefinition = app! {
    id: "quickstart",
    name: "Quickstart",
    description: "An app whose provider runs in-process",
    logo_url: "http://127.0.0.1:18090/logo.svg",
    connections: [QuickstartOAuth2],
};

/// The quickstart's registry.
pub const REGISTRY: Registry = registry![QUICKSTART];

/// The same connection in a later release of the app, which also asks for `email`: it keeps the
/// id, so connections stored before are its connections, now lacking a scope.
#[oauth2_connection(
    id = "quickstart_connection_oauth2",
    name = "OAuth2",
    description = "The quickstart's embedded authorization server, asking for email too",
    authorize_url = "http://127.0.0.1:18090/authorize",
    token_url = "http://127.0.0.1:18090/token",
    scopes = ["profile", "email"],
    client_auth = "header",
    issuer = "http://127.0.0.1:18090",
)]
pub struct QuickstartWiderOAuth2;

/// The later release of the app.
pub const QUICKSTART_WIDER: AppDefinition = app! {
    id: "quickstart",
    name: "Quickstart",
    description: "An app whose provider runs in-process",
    logo_url: "http://127.0.0.1:18090/logo.svg",
    connections: [QuickstartWiderOAuth2],
};

/// The later release's registry.
pub const REGISTRY_WIDER: Registry = registry![QUICKSTART_WIDER];

/// The usage text of the quickstart binary.
pub const HELP: &str = "\
quickstart: the OAuth2 authorization-code flow, end to end, on this machine

Usage: cargo run -p connkit-examples --bin quickstart [-- OPTIONS]

Starts an authorization server (oxide-auth, in-process) and a callback listener on 127.0.0.1,
then runs a connection declared with #[oauth2_connection] against them: authorize URL with
state and PKCE, consent, callback, code exchange, a protected call, a refresh. Secrets are
never printed.

Options:
  --server-port N     the authorization server's port (default 18090, or $CONNKIT_QUICKSTART_SERVER_PORT)
  --callback-port N   the callback listener's port (default 18091, or $CONNKIT_QUICKSTART_CALLBACK_PORT)
                      0 lets the system pick a free port
  -h, --help          this text";

/// Where the two listeners go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The authorization server's port; 0 for any free one.
    pub server_port: u16,
    /// The callback listener's port; 0 for any free one.
    pub callback_port: u16,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            server_port: DEFAULT_SERVER_PORT,
            callback_port: DEFAULT_CALLBACK_PORT,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Run with these options.
    Run(Options),
    /// Print [`HELP`].
    Help,
}

/// The options of a binary that takes the quickstart's flags, from its command line and
/// environment: `Err` with the exit code once `--help` printed `help` (0) or a bad argument was
/// reported as `program: ...` (2).
pub fn options_or_exit(program: &str, help: &str) -> Result<Options, std::process::ExitCode> {
    match Command::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(Command::Run(options)) => Ok(options),
        Ok(Command::Help) => {
            println!("{help}");
            Err(std::process::ExitCode::SUCCESS)
        }
        Err(message) => {
            eprintln!("{program}: {message}");
            Err(std::process::ExitCode::from(2))
        }
    }
}

impl Command {
    /// Reads flags, then the environment (through `env`), then the defaults.
    ///
    /// # Errors
    /// A message saying which argument or variable is wrong.
    pub fn parse(
        arguments: impl IntoIterator<Item = String>,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, String> {
        let port = |text: &str, source: &str| {
            text.trim().parse::<u16>().map_err(|_| {
                format!("{source} must be a port number from 0 to 65535, not {text:?}")
            })
        };
        let mut options = Options::default();
        if let Some(text) = env(SERVER_PORT_ENV) {
            options.server_port = port(&text, SERVER_PORT_ENV)?;
        }
        if let Some(text) = env(CALLBACK_PORT_ENV) {
            options.callback_port = port(&text, CALLBACK_PORT_ENV)?;
        }
        let mut arguments = arguments.into_iter();
        while let Some(argument) = arguments.next() {
            let slot = match argument.as_str() {
                "-h" | "--help" => return Ok(Self::Help),
                "--server-port" => &mut options.server_port,
                "--callback-port" => &mut options.callback_port,
                other => return Err(format!("unknown argument {other:?}; see --help")),
            };
            let value = arguments
                .next()
                .ok_or_else(|| format!("{argument} needs a port number"))?;
            *slot = port(&value, &argument)?;
        }
        Ok(Self::Run(options))
    }
}

/// What the quickstart observed, for tests.
#[derive(Debug)]
pub struct Outcome {
    /// The tokens after the code exchange.
    pub exchanged: TokenSet,
    /// The tokens after the refresh.
    pub refreshed: TokenSet,
    /// The protected resource's answer to the first and the refreshed access token.
    pub resource_answers: [serde_json::Value; 2],
    /// The client secret generated for this run.
    pub client_secret: ClientSecret,
    /// The `state` of the authorization request.
    pub state: String,
    /// The PKCE verifier of the authorization request.
    pub pkce_verifier: String,
    /// The authorization code the callback carried.
    pub code: String,
    /// Where the authorization server listened.
    pub server_address: SocketAddr,
    /// The SQLite file the connection was stored in.
    pub store_file: PathBuf,
    /// The stored connection's id.
    pub stored_id: String,
    /// The scopes the later release asks for that the stored connection lacked.
    pub missing_before: Vec<&'static str>,
    /// The stored connection after the re-consent.
    pub reconsented: StoredConnection,
    /// The tokens stored at each step (to check that none is in the file or the output).
    pub stored_tokens: Vec<String>,
}

/// Runs the quickstart, writing each step to `out`.
///
/// # Errors
/// When a port is taken (the message says how to pick others), a server misbehaves, or any step
/// of the flow fails.
pub async fn run(
    options: &Options,
    out: &mut impl Write,
) -> Result<Outcome, Box<dyn Error + Send + Sync>> {
    let started = Instant::now();
    writeln!(
        out,
        "connkit quickstart: the OAuth2 authorization-code flow, end to end, on this machine\n"
    )?;
    let server_listener = bind(
        options.server_port,
        "the authorization server",
        "--server-port",
    )
    .await?;
    let callback_listener = bind(
        options.callback_port,
        "the callback listener",
        "--callback-port",
    )
    .await?;
    let callback_address = callback_listener.local_addr()?;
    let redirect_uri = format!("http://{callback_address}/callback");

    // A fresh secret every run: nothing to configure, nothing to leak.
    let client_secret = ClientSecret::new(PkceVerifier::generate()?.expose_secret().to_owned());
    let server = server::AuthorizationServer::start(
        server_listener,
        CLIENT_ID,
        client_secret.expose_secret(),
        &redirect_uri,
    )
    .await?;
    let server_address = server.address();
    writeln!(
        out,
        "1. Authorization server (oxide-auth, in-process) on http://{server_address}"
    )?;
    writeln!(
        out,
        "   client {CLIENT_ID:?} registered with a fresh secret {client_secret} and the redirect URI {redirect_uri}"
    )?;
    writeln!(
        out,
        "   it requires PKCE (S256), rotates refresh tokens, and serves GET /api/me\n"
    )?;

    let (callbacks, mut received) = mpsc::channel::<String>(1);
    let _listener = callback_listener_serving(callback_listener, callbacks);
    writeln!(out, "2. Callback listener on http://{callback_address}\n")?;

    let definition = QuickstartOAuth2::DEFINITION;
    let mut client = OAuth2Client::new(
        definition,
        ClientCredentials::new(ClientId::new(CLIENT_ID), Some(client_secret.clone())),
        &redirect_uri,
    )?;
    if server_address.port() != DEFAULT_SERVER_PORT {
        // The definition declares port 18090; this run's server listens elsewhere.
        client = client.with_origin(&format!("http://{server_address}"))?;
    }
    writeln!(
        out,
        "3. Connection {} of app {:?}",
        definition.id(),
        QUICKSTART.name()
    )?;
    writeln!(
        out,
        "   scopes: {}; PKCE: {}; client authentication: {}",
        definition.scopes().join(", "),
        if definition.pkce() { "S256" } else { "none" },
        definition.client_auth()
    )?;
    let request = client.authorize()?;
    let state = request.pending.state().expose_secret().to_owned();
    let pkce_verifier = request
        .pending
        .pkce_verifier()
        .map(|verifier| verifier.expose_secret().to_owned())
        .unwrap_or_default();
    writeln!(
        out,
        "   authorize URL: {}",
        request.url.as_str().replace(&state, "[state]")
    )?;
    writeln!(
        out,
        "   kept until the callback: the state (256 random bits) and the PKCE verifier, for {} s\n",
        DEFAULT_AUTHORIZATION_TTL.as_secs()
    )?;

    // The user's browser: follows the authorize URL; the server's consent screen approves; the
    // redirect lands on the callback listener.
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()?;
    let (status, callback) = consent(&browser, &request.url, &mut received).await?;
    writeln!(
        out,
        "4. The user consents; the server redirects the browser to the callback ({status})"
    )?;
    // The pending authorization is used up here: an authorization completes once.
    let completed = client.complete(request.pending, &callback)?;
    writeln!(
        out,
        "5. Callback received: the state matches and the issuer is not another server's; it carries an authorization code {}\n",
        completed.code()
    )?;

    let code = completed.code().expose_secret().to_owned();
    let http = ReqwestClient::new()?;
    let exchanged = client.exchange_code(&http, &completed).await?;
    writeln!(
        out,
        "6. Code exchanged ({}, PKCE verifier sent):",
        definition.client_auth()
    )?;
    writeln!(out, "   {}\n", describe(&exchanged, SystemTime::now()))?;

    let first_answer = call_protected(&browser, server_address, &exchanged).await?;
    writeln!(
        out,
        "7. GET /api/me with the access token: {}\n",
        describe_answer(&first_answer)
    )?;

    let refreshed = client.refresh(&http, &exchanged).await?;
    writeln!(out, "8. Refreshed:")?;
    writeln!(out, "   {}", describe(&refreshed, SystemTime::now()))?;
    writeln!(
        out,
        "   the access token is new: {}; the refresh token was rotated: {}\n",
        yes_no(refreshed.access_token() != exchanged.access_token()),
        yes_no(refreshed.refresh_token() != exchanged.refresh_token())
    )?;

    let second_answer = call_protected(&browser, server_address, &refreshed).await?;
    writeln!(
        out,
        "9. GET /api/me with the refreshed access token: {}\n",
        describe_answer(&second_answer)
    )?;
    // Stored connections: the same flow through `Connections`, kept in an SQLite file.
    let store_dir = std::env::temp_dir().join(format!("connkit-quickstart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store_dir);
    std::fs::create_dir_all(&store_dir)?;
    let store_file = store_dir.join("connections.db");
    // A fresh sealing key every run; an app loads its keys from where it keeps secrets.
    let (_, key_bytes) = SealingKey::generate("quickstart")?;
    let keyring = || -> Result<Keyring, SealError> {
        Ok(Keyring::new(SealingKey::from_bytes(
            "quickstart",
            &key_bytes,
        )?))
    };
    let mut credentials = ClientCredentialMap::new();
    credentials.insert(
        definition.id(),
        ClientCredentials::new(ClientId::new(CLIENT_ID), Some(client_secret.clone())),
    );
    let connections = |registry: Registry| -> Result<_, Box<dyn Error + Send + Sync>> {
        let mut connections = Connections::new(
            Store::new(SqliteBackend::open(&store_file)?, keyring()?),
            registry,
            credentials.clone(),
            ReqwestClient::new()?,
            &redirect_uri,
        )?;
        if server_address.port() != DEFAULT_SERVER_PORT {
            connections = connections.with_origin(format!("http://{server_address}"));
        }
        Ok(connections)
    };
    let first_release = connections(REGISTRY)?;
    let (url, pending) = first_release
        .connect(definition.id(), "workspace-1")
        .await?;
    let (_, callback) = consent(&browser, &url, &mut received).await?;
    let stored = first_release.complete(pending, &callback).await?;
    writeln!(
        out,
        "10. Stored connection {} for owner {:?} in {}",
        stored.id,
        stored.owner,
        store_file.display()
    )?;
    let mut stored_tokens = vec![
        stored.tokens.access_token().expose_secret().to_owned(),
        stored
            .tokens
            .refresh_token()
            .map(|token| token.expose_secret().to_owned())
            .unwrap_or_default(),
    ];
    let found = tokens_in_files(&store_dir, &stored_tokens)?;
    writeln!(
        out,
        "    its tokens are sealed (AES-256-GCM): the file's bytes hold {found} of its {} tokens in clear",
        stored_tokens.len()
    )?;
    let token = first_release.access_token(&stored.id).await?;
    let expiry = stored
        .tokens
        .expires_at()
        .and_then(|at| at.duration_since(SystemTime::now()).ok())
        .map_or_else(
            || "no expiry".to_owned(),
            |left| format!("valid for {} s", left.as_secs()),
        );
    writeln!(out, "11. access_token read it back: {token} ({expiry})\n")?;

    // The app's next release asks for email too: the stored connection lacks it.
    let later_release = connections(REGISTRY_WIDER)?;
    let missing_before = later_release.missing_scopes(&stored.id).await?;
    let drift = later_release
        .store()
        .scope_drift(QuickstartWiderOAuth2::DEFINITION)
        .await?;
    writeln!(
        out,
        "12. The next release asks for {:?}: the connection lacks {missing_before:?} ({} stored connection(s) of workspace-1 affected)",
        QuickstartWiderOAuth2::DEFINITION.scopes(),
        drift.per_owner.get("workspace-1").copied().unwrap_or(0)
    )?;
    let (url, pending) = later_release.reconnect(&stored.id).await?;
    let (_, callback) = consent(&browser, &url, &mut received).await?;
    let reconsented = later_release.complete(pending, &callback).await?;
    stored_tokens.push(reconsented.tokens.access_token().expose_secret().to_owned());
    if let Some(refresh) = reconsented.tokens.refresh_token() {
        stored_tokens.push(refresh.expose_secret().to_owned());
    }
    writeln!(
        out,
        "    re-consent updated the same connection {} in place: granted {:?}, missing {:?}\n",
        reconsented.id,
        reconsented.scopes_granted,
        later_release.missing_scopes(&stored.id).await?
    )?;

    writeln!(
        out,
        "Done in {:.1} s. In an app, OAuth2Client::from_source(definition, &credentials::Env, ...)",
        started.elapsed().as_secs_f64()
    )?;
    writeln!(
        out,
        "reads the client id and secret from {} and {}.",
        definition.client_id_env(),
        definition.client_secret_env()
    )?;

    Ok(Outcome {
        exchanged,
        refreshed,
        resource_answers: [first_answer, second_answer],
        client_secret,
        state,
        pkce_verifier,
        code,
        server_address,
        store_file,
        stored_id: stored.id,
        missing_before,
        reconsented,
        stored_tokens,
    })
}

/// The user's browser: follows the authorize URL, the server's consent screen approves, and the
/// redirect lands on the callback listener, which hands over what it received. Returns the
/// authorize endpoint's status and the callback URL.
async fn consent(
    browser: &reqwest::Client,
    url: &connkit::Url,
    received: &mut mpsc::Receiver<String>,
) -> Result<(reqwest::StatusCode, String), Box<dyn Error + Send + Sync>> {
    let answer = browser.get(url.as_str()).send().await?;
    let location = answer
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| {
            format!(
                "the authorize endpoint answered {} without a redirect",
                answer.status()
            )
        })?
        .to_owned();
    browser.get(&location).send().await?;
    let callback = received
        .recv()
        .await
        .ok_or("the callback listener stopped")?;
    Ok((answer.status(), callback))
}

/// How many of `secrets` appear in the bytes of the files in `dir`.
fn tokens_in_files(dir: &std::path::Path, secrets: &[String]) -> std::io::Result<usize> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        bytes.extend(std::fs::read(entry?.path())?);
    }
    let haystack = String::from_utf8_lossy(&bytes);
    Ok(secrets
        .iter()
        .filter(|secret| !secret.is_empty() && haystack.contains(secret.as_str()))
        .count())
}

/// Binds `port` on 127.0.0.1, or says which flag picks another.
async fn bind(
    port: u16,
    what: &str,
    flag: &str,
) -> Result<TcpListener, Box<dyn Error + Send + Sync>> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpListener::bind(address).await.map_err(|error| {
        let advice = if error.kind() == std::io::ErrorKind::AddrInUse {
            format!(
                "{address} is already in use (another quickstart still running?); pick another port for {what} with {flag} N (0 lets the system choose), or see --help"
            )
        } else {
            format!("{what} cannot listen on {address}: {error}")
        };
        advice.into()
    })
}

/// A token set as a person reads it: what it holds, with every secret redacted.
pub fn describe(tokens: &TokenSet, now: SystemTime) -> String {
    let expiry = match tokens.expires_at() {
        None => "no expiry given".to_owned(),
        Some(at) => match at.duration_since(now) {
            Ok(left) => format!("expires in {} s", left.as_secs()),
            Err(_) => "expired".to_owned(),
        },
    };
    let refresh = match tokens.refresh_token() {
        Some(token) => format!("refresh token {token}"),
        None => "no refresh token".to_owned(),
    };
    let scopes = tokens
        .scopes()
        .map_or_else(|| "as requested".to_owned(), |scopes| scopes.join(", "));
    format!(
        "access token {} ({}, {expiry}); {refresh}; scopes: {scopes}",
        tokens.access_token(),
        tokens.token_type().unwrap_or("no token type"),
    )
}

fn describe_answer(answer: &serde_json::Value) -> String {
    format!(
        "user {}, scope {}",
        answer["user"].as_str().unwrap_or("?"),
        answer["scope"].as_str().unwrap_or("?")
    )
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

async fn call_protected(
    browser: &reqwest::Client,
    server: SocketAddr,
    tokens: &TokenSet,
) -> Result<serde_json::Value, Box<dyn Error + Send + Sync>> {
    let answer = browser
        .get(format!("http://{server}/api/me"))
        .bearer_auth(tokens.access_token().expose_secret())
        .timeout(Duration::from_secs(10))
        .send()
        .await?;
    let status = answer.status();
    if !status.is_success() {
        return Err(format!("the protected resource answered {status}").into());
    }
    Ok(serde_json::from_slice(&answer.bytes().await?)?)
}

/// Serves `GET /callback` on `listener` and forwards each query it receives; stops when the
/// returned sender is dropped.
fn callback_listener_serving(
    listener: TcpListener,
    callbacks: mpsc::Sender<String>,
) -> tokio::sync::oneshot::Sender<()> {
    let app = Router::new().route(
        "/callback",
        get(move |RawQuery(query): RawQuery| {
            let callbacks = callbacks.clone();
            async move {
                let _ = callbacks.send(query.unwrap_or_default()).await;
                "Connected. You can close this window."
            }
        }),
    );
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    shutdown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(arguments: &[&str], env: &[(&str, &str)]) -> Result<Command, String> {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        Command::parse(arguments.iter().map(|a| (*a).to_owned()), |name| {
            env.iter()
                .find(|(variable, _)| variable == name)
                .map(|(_, value)| value.clone())
        })
    }

    #[test]
    fn flags_win_over_the_environment_which_wins_over_defaults() {
        assert_eq!(parse(&[], &[]), Ok(Command::Run(Options::default())));
        assert_eq!(
            parse(&["--callback-port", "0"], &[(SERVER_PORT_ENV, "9000")]),
            Ok(Command::Run(Options {
                server_port: 9000,
                callback_port: 0
            }))
        );
        assert_eq!(
            parse(&["--server-port", "9001"], &[(SERVER_PORT_ENV, "9000")]),
            Ok(Command::Run(Options {
                server_port: 9001,
                callback_port: DEFAULT_CALLBACK_PORT
            }))
        );
        assert_eq!(parse(&["--help"], &[]), Ok(Command::Help));
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        assert_eq!(
            parse(&["--server-port"], &[]),
            Err("--server-port needs a port number".to_owned())
        );
        assert!(parse(&["--server-port", "70000"], &[]).is_err_and(|e| e.contains("0 to 65535")));
        assert!(
            parse(&[], &[(CALLBACK_PORT_ENV, "x")]).is_err_and(|e| e.contains(CALLBACK_PORT_ENV))
        );
        assert!(parse(&["--port"], &[]).is_err_and(|e| e.contains("unknown argument")));
    }
}
