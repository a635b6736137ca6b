//! A token endpoint of our own that misbehaves on purpose, on loopback, against both adapters:
//! slow, 500 / 502, 429 with `Retry-After`, HTML, a truncated or 10 MB body, a reset
//! connection, a redirect to another host, and tokens for other scopes than requested. Each
//! gives a typed error (or the documented behaviour) within a bounded time, and the token set
//! that was being refreshed is still usable afterwards.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::fault_endpoint::{Endpoint, Fault, GOOD_TOKEN};

use connkit::http::{HttpError, ReqwestClient, UreqClient};
use connkit::{
    OAuth2Client, TokenSet, credentials::ClientCredentials, credentials::ClientId,
    oauth2::TokenError, oauth2::TokenResponseError, oauth2_connection, secret::ClientSecret,
};

#[oauth2_connection(
    id = "faulty_connection_oauth2",
    name = "OAuth2",
    description = "A token endpoint that misbehaves",
    authorize_url = "http://127.0.0.1/authorize",
    token_url = "http://127.0.0.1/token",
    scopes = ["read"],
)]
struct Faulty;

/// The client timeout of these tests; every failure must come well within a few of these.
const TIMEOUT: Duration = Duration::from_millis(800);
/// A bound that only a hang breaks.
const BOUND: Duration = Duration::from_secs(10);
const SECRET: &str = "fault-test-client-secret";

/// A client of `endpoint`, and the token set it refreshes (whose refresh token must survive).
fn client(endpoint: &Endpoint) -> OAuth2Client {
    OAuth2Client::new(
        Faulty::DEFINITION,
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new(SECRET))),
        "http://127.0.0.1:9999/cb",
    )
    .unwrap()
    .with_origin(&endpoint.url())
    .unwrap()
}

fn stored_tokens() -> TokenSet {
    serde_json::from_str(
        r#"{"access_token":"old-access","refresh_token":"old-refresh","expires_at":1}"#,
    )
    .unwrap()
}

/// Refreshes against `fault` with both adapters; returns their errors and checks the bounds:
/// the time taken, no secret in the error, and the stored set still refreshing elsewhere.
async fn refresh_against(fault: Fault) -> [TokenError; 2] {
    let endpoint = Endpoint::start("127.0.0.1", fault);
    let faulty = client(&endpoint);
    let stored = stored_tokens();
    let started = Instant::now();
    let async_error = faulty
        .refresh(&ReqwestClient::with_timeout(TIMEOUT).unwrap(), &stored)
        .await
        .expect_err("the fault is an error");
    let blocking_error = tokio::task::block_in_place(|| {
        faulty
            .refresh_blocking(&UreqClient::with_timeout(TIMEOUT), &stored)
            .expect_err("the fault is an error")
    });
    assert!(started.elapsed() < BOUND, "took {:?}", started.elapsed());
    for error in [&async_error, &blocking_error] {
        let text = format!("{error} {error:?}");
        for secret in [SECRET, "old-refresh", "new-access"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
    // Nothing lost: the same stored set refreshes against a healthy endpoint.
    let healthy = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let refreshed = client(&healthy)
        .refresh(&ReqwestClient::new().unwrap(), &stored)
        .await
        .unwrap();
    assert_eq!(refreshed.access_token().expose_secret(), "new-access");
    [async_error, blocking_error]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_endpoint_times_out() {
    let errors = refresh_against(Fault::Slow(TIMEOUT * 4)).await;
    for error in errors {
        assert!(
            matches!(error, TokenError::Http(HttpError::Timeout)),
            "{error:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_body_times_out() {
    // Hardening finding 7: ureq reported a body-read timeout as Transport.
    let errors = refresh_against(Fault::SlowBody(TIMEOUT * 4)).await;
    for error in errors {
        assert!(
            matches!(error, TokenError::Http(HttpError::Timeout)),
            "{error:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_are_statuses() {
    for status in [500, 502] {
        let errors = refresh_against(Fault::Answer(
            status,
            "text/html",
            "",
            "<html><body>Bad gateway</body></html>".to_owned(),
        ))
        .await;
        for error in errors {
            assert!(
                matches!(error, TokenError::Response(TokenResponseError::Status { status: s, .. }) if s == status),
                "{error:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_requests_says_when_to_retry() {
    let errors = refresh_against(Fault::Answer(
        429,
        "application/json",
        "retry-after: 7\r\n",
        r#"{"error":"slow_down"}"#.to_owned(),
    ))
    .await;
    for error in errors {
        assert!(
            matches!(error, TokenError::RetryLater { status: 429, retry_after: Some(after) } if after == Duration::from_secs(7)),
            "{error:?}"
        );
    }
    let absurd = refresh_against(Fault::Answer(
        503,
        "text/plain",
        "retry-after: 99999999999\r\n",
        String::new(),
    ))
    .await;
    for error in absurd {
        assert!(
            matches!(error, TokenError::RetryLater { status: 503, retry_after: Some(after) } if after == connkit::oauth2::MAX_RETRY_AFTER),
            "{error:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_html_page_with_200_is_unreadable() {
    let errors = refresh_against(Fault::Answer(
        200,
        "text/html",
        "",
        "<html><body>Log in again</body></html>".to_owned(),
    ))
    .await;
    for error in errors {
        assert!(
            matches!(
                error,
                TokenError::Response(TokenResponseError::UnreadableBody { status: 200, .. })
            ),
            "{error:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_truncated_body_is_a_transport_error() {
    let errors = refresh_against(Fault::Truncated).await;
    for error in errors {
        assert!(
            matches!(error, TokenError::Http(HttpError::Transport(_))),
            "{error:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_body_is_cut_at_the_cap() {
    let errors = refresh_against(Fault::Huge).await;
    for error in errors {
        assert!(
            matches!(
                error,
                TokenError::Http(HttpError::TooLarge { limit }) if limit == connkit::http::DEFAULT_MAX_BODY_BYTES
            ),
            "{error:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_connection_is_a_transport_error() {
    let errors = refresh_against(Fault::Reset).await;
    for error in errors {
        assert!(
            matches!(error, TokenError::Http(HttpError::Transport(_))),
            "{error:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_host_is_never_followed() {
    // The target is another loopback host; it must never see a request from connkit's adapters.
    let target = Endpoint::start(
        "127.0.0.2",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let location = format!("location: {}/token\r\n", target.url());
    let location: &'static str = Box::leak(location.into_boxed_str());
    for status in [302, 307, 308] {
        let errors =
            refresh_against(Fault::Answer(status, "text/html", location, String::new())).await;
        for error in errors {
            assert!(
                matches!(error, TokenError::Response(TokenResponseError::Redirect { status: s }) if s == status),
                "{error:?}"
            );
        }
    }
    assert_eq!(target.connections(), 0, "a redirect was followed");

    // Hardening finding 3: clients configured elsewhere may follow redirects; their answer is
    // refused all the same, whatever the target answered. (ureq refuses to re-send a POST body
    // on 307/308 by itself; on 302 it follows with a GET.)
    for status in [302, 307, 308] {
        let redirecting = Endpoint::start(
            "127.0.0.1",
            Fault::Answer(status, "text/html", location, String::new()),
        );
        let redirected = client(&redirecting);
        let following = ReqwestClient::from_client(reqwest::Client::new());
        let error = redirected
            .refresh(&following, &stored_tokens())
            .await
            .unwrap_err();
        assert!(
            matches!(error, TokenError::Http(HttpError::Redirected)),
            "{status}: {error:?}"
        );
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .new_agent();
        let error = tokio::task::block_in_place(|| {
            redirected
                .refresh_blocking(&UreqClient::from_agent(agent), &stored_tokens())
                .unwrap_err()
        });
        match status {
            302 => assert!(
                matches!(error, TokenError::Http(HttpError::Redirected)),
                "{status}: {error:?}"
            ),
            _ => assert!(
                matches!(error, TokenError::Http(HttpError::Transport(_))),
                "{status}: {error:?}"
            ),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_for_other_scopes_are_recorded_as_granted() {
    // The documented behaviour: the token set holds the scopes the server granted, not those
    // requested; the store compares them with the definition's.
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(
            200,
            "application/json",
            "",
            r#"{"access_token":"a","scope":"admin other"}"#.to_owned(),
        ),
    );
    let refreshed = client(&endpoint)
        .refresh(&ReqwestClient::new().unwrap(), &stored_tokens())
        .await
        .unwrap();
    assert_eq!(
        refreshed.scopes(),
        Some(&["admin".to_owned(), "other".to_owned()][..])
    );
    assert_eq!(
        refreshed.refresh_token().unwrap().expose_secret(),
        "old-refresh"
    );
    assert!(!refreshed.expires_within(SystemTime::now(), Duration::ZERO));
}

#[test]
fn the_fault_server_answers_a_healthy_request() {
    // The harness itself: a plain request gets the configured answer.
    let endpoint = Endpoint::start(
        "127.0.0.1",
        Fault::Answer(200, "application/json", "", GOOD_TOKEN.to_owned()),
    );
    let request = http::Request::post(format!("{}/token", endpoint.url()))
        .body(b"x=1".to_vec())
        .unwrap();
    let response = connkit::http::BlockingHttpClient::send(&UreqClient::new(), request).unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(endpoint.connections(), 1);
}
