//! A token endpoint of our own that misbehaves on purpose, on loopback, against both adapters:
//! slow, 500 / 502, 429 with `Retry-After`, HTML, a truncated or 10 MB body, a reset
//! connection, a redirect to another host, and tokens for other scopes than requested. Each
//! gives a typed error (or the documented behaviour) within a bounded time, and the token set
//! that was being refreshed is still usable afterwards.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use connkit::http::{HttpError, ReqwestClient, UreqClient};
use connkit::{
    ClientCredentials, ClientId, ClientSecret, OAuth2Client, TokenError, TokenResponseError,
    TokenSet, oauth2_connection,
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
const GOOD_TOKEN: &str = r#"{"access_token":"new-access","token_type":"Bearer","expires_in":3600,"refresh_token":"new-refresh","scope":"read"}"#;

/// What the endpoint does with each request.
#[derive(Clone)]
enum Fault {
    /// Answers after a delay.
    Slow(Duration),
    /// Sends the headers at once, then stalls the body.
    SlowBody(Duration),
    /// Answers with this status, content type, extra header lines and body.
    Answer(u16, &'static str, &'static str, String),
    /// Promises 1000 bytes of body, sends 10, and closes.
    Truncated,
    /// Sends a 10 MB body (until the client stops reading).
    Huge,
    /// Closes the connection without answering, with a reset.
    Reset,
}

/// A loopback server answering every connection with `fault`; counts connections.
struct Endpoint {
    address: SocketAddr,
    connections: Arc<AtomicUsize>,
    _thread: JoinHandle<()>,
}

impl Endpoint {
    fn start(host: &str, fault: Fault) -> Self {
        let listener = TcpListener::bind((host, 0)).expect("a loopback port");
        let address = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                counter.fetch_add(1, Ordering::SeqCst);
                let fault = fault.clone();
                std::thread::spawn(move || serve(stream, &fault));
            }
        });
        Self {
            address,
            connections,
            _thread: thread,
        }
    }

    fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads one request (headers and a Content-Length body), then misbehaves as told.
fn serve(stream: TcpStream, fault: &Fault) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0u8; length];
    let _ = reader.read_exact(&mut body);
    let mut stream = stream;
    let answer = |stream: &mut TcpStream,
                  status: u16,
                  content_type: &str,
                  extra: &str,
                  body: &str| {
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body.as_bytes());
    };
    match fault {
        Fault::Slow(delay) => {
            std::thread::sleep(*delay);
            answer(&mut stream, 200, "application/json", "", GOOD_TOKEN);
        }
        Fault::SlowBody(delay) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                GOOD_TOKEN.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&GOOD_TOKEN.as_bytes()[..5]);
            let _ = stream.flush();
            std::thread::sleep(*delay);
            let _ = stream.write_all(&GOOD_TOKEN.as_bytes()[5..]);
        }
        Fault::Answer(status, content_type, extra, body) => {
            answer(&mut stream, *status, content_type, extra, body);
        }
        Fault::Truncated => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"access_t",
            );
        }
        Fault::Huge => {
            let size = 10 * 1024 * 1024;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {size}\r\n\r\n"
            );
            let _ = stream.write_all(head.as_bytes());
            let chunk = vec![b' '; 64 * 1024];
            for _ in 0..size / chunk.len() {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        Fault::Reset => {
            // SO_LINGER 0 turns the close into a reset (RST), not an orderly end of stream.
            let socket = socket2::Socket::from(stream);
            let _ = socket.set_linger(Some(Duration::ZERO));
            drop(socket);
        }
    }
}

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
