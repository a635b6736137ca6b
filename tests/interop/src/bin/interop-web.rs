//! Serves `connkit::connect` for the interactive oidc-provider, as an embedding app would:
//! `interop-web <port> <sqlite file>` listens on `127.0.0.1:<port>` with the router at `/`, for
//! the owner `alice`; with `CONNKIT_INTEROP_WIDER` set, over the later release that asks for
//! one more scope. The browser tests run it.

use std::process::ExitCode;
use std::sync::Arc;

use connkit::connect::{ConnectConfig, router};
use connkit::credentials::{ClientCredentialMap, ClientCredentials};
use connkit::http::ReqwestClient;
use connkit::store::{Connections, SqliteBackend, Store};
use connkit::{credentials::ClientId, secret::ClientSecret};
use connkit_interop::{WEB_REGISTRY, WEB_REGISTRY_WIDER, WebClient, keyring};

#[tokio::main]
async fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let [port, store] = arguments.as_slice() else {
        eprintln!("usage: interop-web <port> <sqlite file>");
        return ExitCode::from(2);
    };
    match serve(port, store).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(port: &str, store: &str) -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = port.parse()?;
    let registry = if std::env::var_os("CONNKIT_INTEROP_WIDER").is_some() {
        WEB_REGISTRY_WIDER
    } else {
        WEB_REGISTRY
    };
    let mut credentials = ClientCredentialMap::new();
    credentials.insert(
        WebClient::DEFINITION.id(),
        ClientCredentials::new(
            ClientId::new("web-client"),
            Some(ClientSecret::new("web-secret")),
        ),
    );
    let config = ConnectConfig::new(&format!("http://127.0.0.1:{port}/"), keyring())?
        .with_title("Connections");
    let connections = Connections::new(
        Store::new(SqliteBackend::open(store)?, keyring()),
        registry,
        credentials,
        ReqwestClient::new()?,
        config.callback_url(),
    )?;
    // The embedding app's session would say who is signed in; here it is always alice.
    let app = router(
        Arc::new(connections),
        config,
        |_: &axum::http::request::Parts| Some("alice".to_owned()),
    )?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://127.0.0.1:{port}/connect");
    axum::serve(listener, app).await?;
    Ok(())
}
