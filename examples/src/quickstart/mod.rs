//! The quickstart: the whole authorization-code flow on this machine, with no account anywhere.
//!
//! An authorization server (oxide-auth, in-process) listens on 127.0.0.1:18090, a callback
//! listener on 127.0.0.1:18091. A connection declared with `#[oauth2_connection]` drives the
//! flow between them: authorize URL with state and PKCE S256, the user's consent (played by a
//! small browser), the callback, the code exchange, a call to a protected resource, a refresh.

pub mod server;

use std::error::Error;
use std::io::Write;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::RawQuery;
use axum::routing::get;
use connkit::http::ReqwestClient;
use connkit::{
    AppDefinition, ClientCredentials, ClientId, ClientSecret, OAuth2Client, PkceVerifier, TokenSet,
    app, oauth2_connection,
};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Where the authorization server listens.
pub const SERVER_ADDRESS: &str = "127.0.0.1:18090";
/// Where the callback listener listens.
pub const CALLBACK_ADDRESS: &str = "127.0.0.1:18091";
/// The redirect URI registered for the client.
pub const REDIRECT_URI: &str = "http://127.0.0.1:18091/callback";
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
    pkce = true,
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
}

/// Runs the quickstart, writing each step to `out`.
///
/// # Errors
/// When a port is taken, a server misbehaves, or any step of the flow fails.
pub async fn run(out: &mut impl Write) -> Result<Outcome, Box<dyn Error + Send + Sync>> {
    writeln!(
        out,
        "connkit quickstart: the OAuth2 authorization-code flow, end to end, on this machine\n"
    )?;

    // A fresh secret every run: nothing to configure, nothing to leak.
    let client_secret = ClientSecret::new(PkceVerifier::generate()?.expose_secret().to_owned());
    let server = server::AuthorizationServer::start(
        SERVER_ADDRESS.parse()?,
        CLIENT_ID,
        client_secret.expose_secret(),
        REDIRECT_URI,
    )
    .await
    .map_err(|error| format!("starting the authorization server on {SERVER_ADDRESS}: {error}"))?;
    writeln!(
        out,
        "1. Authorization server (oxide-auth, in-process) on http://{}",
        server.address()
    )?;
    writeln!(
        out,
        "   client {CLIENT_ID:?}, secret {client_secret}, redirect URI {REDIRECT_URI}"
    )?;
    writeln!(
        out,
        "   it requires PKCE (S256), rotates refresh tokens, and serves GET /api/me\n"
    )?;

    let (callbacks, mut received) = mpsc::channel::<String>(1);
    let _listener = callback_listener(CALLBACK_ADDRESS.parse()?, callbacks).await?;
    writeln!(out, "2. Callback listener on http://{CALLBACK_ADDRESS}\n")?;

    let definition = QuickstartOAuth2::DEFINITION;
    let client = OAuth2Client::new(
        definition,
        ClientCredentials::new(ClientId::new(CLIENT_ID), Some(client_secret.clone())),
        REDIRECT_URI,
    );
    writeln!(
        out,
        "3. Connection {} (app {:?}): scopes {:?}, PKCE {}, client auth {:?}",
        definition.id(),
        QUICKSTART.name(),
        definition.scopes(),
        definition.pkce(),
        definition.client_auth()
    )?;
    let request = client.authorize()?;
    writeln!(out, "   authorize URL: {}", request.url)?;
    writeln!(out, "   kept until the callback: {:?}\n", request.pending)?;

    // The user's browser: follows the authorize URL; the server's consent screen approves; the
    // redirect lands on the callback listener.
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()?;
    let answer = browser.get(request.url.as_str()).send().await?;
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
    writeln!(
        out,
        "4. The user consents; the server redirects the browser to the callback ({})",
        answer.status()
    )?;
    browser.get(&location).send().await?;
    let callback = received
        .recv()
        .await
        .ok_or("the callback listener stopped")?;
    let response = request.pending.complete(&callback)?;
    writeln!(
        out,
        "5. Callback received: state matches, code {:?}\n",
        response.code
    )?;

    let http = ReqwestClient::new()?;
    let exchanged = client
        .exchange_code(&http, &request.pending, &response.code)
        .await?;
    writeln!(
        out,
        "6. Code exchanged (HTTP Basic client auth, PKCE verifier sent):"
    )?;
    writeln!(out, "   {exchanged:?}\n")?;

    let first_answer = call_protected(&browser, &exchanged).await?;
    writeln!(
        out,
        "7. GET /api/me with the access token: {first_answer}\n"
    )?;

    let refreshed = client.refresh(&http, &exchanged).await?;
    writeln!(out, "8. Refreshed:")?;
    writeln!(out, "   {refreshed:?}")?;
    writeln!(
        out,
        "   new access token: {}; refresh token rotated: {}\n",
        refreshed.access_token() != exchanged.access_token(),
        refreshed.refresh_token() != exchanged.refresh_token()
    )?;

    let second_answer = call_protected(&browser, &refreshed).await?;
    writeln!(
        out,
        "9. GET /api/me with the refreshed access token: {second_answer}\n"
    )?;
    writeln!(
        out,
        "Done. In an app, OAuth2Client::from_env reads the client id and secret from"
    )?;
    writeln!(
        out,
        "{} and {}.",
        definition.client_id_env(),
        definition.client_secret_env()
    )?;

    Ok(Outcome {
        exchanged,
        refreshed,
        resource_answers: [first_answer, second_answer],
        client_secret,
    })
}

async fn call_protected(
    browser: &reqwest::Client,
    tokens: &TokenSet,
) -> Result<serde_json::Value, Box<dyn Error + Send + Sync>> {
    let answer = browser
        .get(format!("http://{SERVER_ADDRESS}/api/me"))
        .bearer_auth(tokens.access_token().expose_secret())
        .send()
        .await?;
    let status = answer.status();
    if !status.is_success() {
        return Err(format!("the protected resource answered {status}").into());
    }
    Ok(serde_json::from_slice(&answer.bytes().await?)?)
}

/// Serves `GET /callback` and forwards each query it receives; stops when dropped.
async fn callback_listener(
    address: SocketAddr,
    callbacks: mpsc::Sender<String>,
) -> Result<tokio::sync::oneshot::Sender<()>, Box<dyn Error + Send + Sync>> {
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
    let listener = TcpListener::bind(address)
        .await
        .map_err(|error| format!("binding the callback listener on {address}: {error}"))?;
    let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(shutdown)
}
