//! The README's main command, run as a test: the whole flow against the embedded oxide-auth
//! server, and nothing secret in what it prints.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_runs_the_whole_flow_and_prints_no_secret() {
    let mut printed = Vec::new();
    let outcome = connkit_examples::quickstart::run(&mut printed)
        .await
        .unwrap_or_else(|error| panic!("the quickstart failed: {error}"));
    let printed = String::from_utf8(printed).expect("UTF-8 output");

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
    assert!(
        printed.contains("9. GET /api/me with the refreshed access token"),
        "{printed}"
    );

    let secrets = [
        outcome.client_secret.expose_secret(),
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
