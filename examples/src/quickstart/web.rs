//! The connect flow in a browser, on this machine: `connkit::connect`'s router serving the
//! quickstart's connection (against the in-process authorization server, which signs `alice` in
//! and approves at once), and one connection of an app with an API key (OpenAI) and one with a
//! username, a password and an input (Jira), whose secrets the page takes in a form.

use std::error::Error;
use std::net::Ipv4Addr;
use std::sync::Arc;

use connkit::connect::{ConnectConfig, router};
use connkit::credentials::ClientCredentialMap;
use connkit::http::ReqwestClient;
use connkit::store::{Connections, Keyring, SealingKey, SqliteBackend, Store};
use connkit::{
    Registry, credentials::ClientCredentials, credentials::ClientId, registry,
    secret::ClientSecret, secret::PkceVerifier,
};
use tokio::net::TcpListener;

use super::server::AuthorizationServer;
use super::{CLIENT_ID, DEFAULT_SERVER_PORT, Options, QUICKSTART, QuickstartOAuth2};
use crate::jira::JIRA;
use crate::openai::OPENAI;

/// The apps the page offers.
pub const WEB_REGISTRY: Registry = registry![QUICKSTART, OPENAI, JIRA];

/// The usage text of the `connect-web` binary.
pub const HELP: &str = "\
connect-web: the connect flow in your browser, on this machine

Usage: cargo run -p connkit-examples --bin connect-web [-- OPTIONS]

Serves connkit::connect's router (the connect page, the callback, disconnecting) for the
quickstart's connection, whose authorization server (oxide-auth) runs in-process and signs
alice in at once, and for an API-key app and a basic-auth app. Open the printed URL, connect,
disconnect. Connections are stored sealed in a temporary SQLite file; nothing leaves this
machine.

Options:
  --server-port N     the authorization server's port (default 18090, or $CONNKIT_QUICKSTART_SERVER_PORT)
  --callback-port N   the connect page's port; its callback is there too (default 18091,
                      or $CONNKIT_QUICKSTART_CALLBACK_PORT); 0 lets the system pick a free port
  -h, --help          this text";

/// A running demo: the page's URL; stops when dropped.
pub struct Running {
    /// Where the connect page is.
    pub page: String,
    _server: AuthorizationServer,
    web: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.web.abort();
    }
}

/// Starts the authorization server and the connect page.
///
/// # Errors
/// When a port cannot be bound, or the store or a key cannot be made.
pub async fn start(options: &Options) -> Result<Running, Box<dyn Error + Send + Sync>> {
    let web = TcpListener::bind((Ipv4Addr::LOCALHOST, options.callback_port)).await?;
    let base = format!("http://{}/", web.local_addr()?);
    let config = ConnectConfig::new(&base, keyring()?)?.with_title("Quickstart connections");
    let redirect_uri = config.callback_url();
    let secret = ClientSecret::new(PkceVerifier::generate()?.expose_secret().to_owned());
    let server_listener = TcpListener::bind((Ipv4Addr::LOCALHOST, options.server_port)).await?;
    let server = AuthorizationServer::start(
        server_listener,
        CLIENT_ID,
        secret.expose_secret(),
        &redirect_uri,
    )
    .await?;
    let mut credentials = ClientCredentialMap::new();
    credentials.insert(
        QuickstartOAuth2::DEFINITION.id(),
        ClientCredentials::new(ClientId::new(CLIENT_ID), Some(secret)),
    );
    let store_dir =
        std::env::temp_dir().join(format!("connkit-connect-web-{}", std::process::id()));
    std::fs::create_dir_all(&store_dir)?;
    let mut connections = Connections::new(
        Store::new(
            SqliteBackend::open(store_dir.join("connections.db"))?,
            keyring()?,
        ),
        WEB_REGISTRY,
        credentials,
        ReqwestClient::new()?,
        redirect_uri,
    )?;
    if server.address().port() != DEFAULT_SERVER_PORT {
        connections = connections.with_origin(format!("http://{}", server.address()));
    }
    // An app's own session says who is signed in; the demo has one user.
    let app = router(
        Arc::new(connections),
        config,
        |_: &axum::http::request::Parts| Some("alice".to_owned()),
    )?;
    let handle = tokio::spawn(async move {
        let _ = axum::serve(web, app).await;
    });
    Ok(Running {
        page: format!("{base}connect"),
        _server: server,
        web: handle,
    })
}

/// One key for the page's cookies and the store, fresh every run (an app loads its keys from
/// where it keeps secrets).
fn keyring() -> Result<Keyring, Box<dyn Error + Send + Sync>> {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let bytes = match KEY.get() {
        Some(bytes) => *bytes,
        None => {
            let (_, bytes) = SealingKey::generate("connect-web")?;
            *KEY.get_or_init(|| bytes)
        }
    };
    Ok(Keyring::new(SealingKey::from_bytes("connect-web", &bytes)?))
}
