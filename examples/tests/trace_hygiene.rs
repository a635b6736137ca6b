//! The quickstart's whole flow over the real HTTP stack (reqwest, hyper, rustls, axum and
//! oxide-auth in-process), with every crate's `tracing` events and `log` records captured at
//! TRACE level: neither the client secret, the tokens, the code, the PKCE verifier nor the state
//! appear in them.

use std::io::Write;
use std::sync::{Arc, Mutex};

use connkit_examples::quickstart::{Options, run};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_flow_traced_at_trace_level_shows_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    // Global, on every thread the HTTP stack uses; `try_init` also routes the `log` facade
    // (reqwest, rustls) into it.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .try_init()
        .expect("the only subscriber");

    let mut printed = Vec::new();
    let options = Options {
        server_port: 0,
        callback_port: 0,
    };
    let outcome = run(&options, &mut printed)
        .await
        .unwrap_or_else(|error| panic!("the quickstart failed: {error}"));
    let traces = String::from_utf8_lossy(
        &captured
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    )
    .into_owned();
    assert!(
        traces.contains("connkit.token_request"),
        "connkit traced the flow"
    );
    assert!(
        traces.contains("reqwest") || traces.contains("hyper") || traces.contains("rustls"),
        "the HTTP stack traced too"
    );

    let everything = format!("{traces}\n{}", String::from_utf8_lossy(&printed));
    let secrets = [
        outcome.client_secret.expose_secret(),
        outcome.state.as_str(),
        outcome.pkce_verifier.as_str(),
        outcome.code.as_str(),
        outcome.exchanged.access_token().expose_secret(),
        outcome.refreshed.access_token().expose_secret(),
        outcome
            .exchanged
            .refresh_token()
            .map(|token| token.expose_secret())
            .unwrap_or_default(),
        outcome
            .refreshed
            .refresh_token()
            .map(|token| token.expose_secret())
            .unwrap_or_default(),
    ];
    let secrets = secrets
        .into_iter()
        .chain(outcome.stored_tokens.iter().map(String::as_str));
    for secret in secrets {
        assert!(secret.len() >= 16, "a real secret");
        assert!(
            !everything.contains(secret),
            "a secret appears in the traces or the output"
        );
    }
}
