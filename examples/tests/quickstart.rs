//! The README's main command, run as a test: the whole flow against the embedded oxide-auth
//! server, nothing secret in what it prints, and a clear message when a port is taken.

use connkit_examples::quickstart::{DEFAULT_SERVER_PORT, Options, run};

/// Ports the system picks, so the test never clashes with a quickstart someone is running.
const ANY_PORTS: Options = Options {
    server_port: 0,
    callback_port: 0,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_runs_the_whole_flow_and_prints_no_secret() {
    let mut printed = Vec::new();
    let outcome = run(&ANY_PORTS, &mut printed)
        .await
        .unwrap_or_else(|error| panic!("the quickstart failed: {error}"));
    let printed = String::from_utf8(printed).expect("UTF-8 output");

    // The server listened elsewhere than the definition declares: the client followed it.
    assert_ne!(outcome.server_address.port(), DEFAULT_SERVER_PORT);
    for answer in &outcome.resource_answers {
        assert_eq!(answer["user"], "alice", "{answer}");
        assert_eq!(answer["scope"], "profile", "{answer}");
    }
    assert_ne!(
        outcome.refreshed.access_token(),
        outcome.exchanged.access_token()
    );
    assert!(outcome.exchanged.refresh_token().is_some());
    assert_ne!(
        outcome.refreshed.refresh_token(),
        outcome.exchanged.refresh_token()
    );
    // The store steps: sealed at rest, read back, drift found and fixed in place.
    assert_eq!(outcome.missing_before, ["email"]);
    assert_eq!(
        outcome.reconsented.id, outcome.stored_id,
        "the same connection"
    );
    // A granted scope is a set (RFC 6749 §3.3): the server's order is its own (oxide-auth's
    // varies from run to run), so the test compares the set.
    let mut granted = outcome.reconsented.scopes_granted.clone();
    granted.sort();
    assert_eq!(granted, ["email", "profile"]);
    let mut file_bytes = Vec::new();
    for entry in std::fs::read_dir(outcome.store_file.parent().unwrap()).unwrap() {
        file_bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    let file_text = String::from_utf8_lossy(&file_bytes);
    assert!(
        file_text.contains(&outcome.stored_id),
        "the file was written"
    );
    for token in &outcome.stored_tokens {
        assert!(token.len() >= 16, "a real token");
        assert!(
            !file_text.contains(token.as_str()),
            "a token in clear in the file"
        );
        assert!(
            !printed.contains(token.as_str()),
            "a stored token was printed"
        );
    }
    assert!(
        printed.contains("the file's bytes hold 0 of its 2 tokens in clear"),
        "{printed}"
    );

    for line in [
        "client authentication: HTTP Basic",
        "9. GET /api/me with the refreshed access token: user alice, scope profile",
        "the refresh token was rotated: yes",
    ] {
        assert!(printed.contains(line), "{line:?} missing from:\n{printed}");
    }
    assert!(printed.contains("expires in "), "{printed}");
    assert!(!printed.contains("TokenSet {"), "a Debug dump:\n{printed}");

    let secrets = [
        outcome.client_secret.expose_secret(),
        outcome.state.as_str(),
        outcome.exchanged.access_token().expose_secret(),
        outcome.refreshed.access_token().expose_secret(),
        outcome
            .exchanged
            .refresh_token()
            .map(|t| t.expose_secret())
            .unwrap_or_default(),
        outcome
            .refreshed
            .refresh_token()
            .map(|t| t.expose_secret())
            .unwrap_or_default(),
    ];
    for secret in secrets {
        assert!(secret.len() >= 16, "a real secret");
        assert!(
            !printed.contains(secret),
            "a secret was printed:\n{printed}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_port_in_use_is_named_with_the_flag_that_moves_it() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = taken.local_addr().expect("an address").port();
    let options = Options {
        server_port: 0,
        callback_port: port,
    };
    let error = run(&options, &mut Vec::new())
        .await
        .expect_err("the callback port is taken");
    let message = error.to_string();
    assert!(
        message.contains(&format!("127.0.0.1:{port} is already in use"))
            && message.contains("--callback-port N"),
        "{message}"
    );
}
