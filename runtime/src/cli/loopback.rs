//! The loopback listener an authorization comes back to (RFC 8252 §7.3): `127.0.0.1`, a port
//! the system picks or the one asked for, path `/callback`.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use super::Failure;
use crate::html::escape;
use crate::secret::State;

/// The path the redirect URI names.
const CALLBACK_PATH: &str = "/callback";
/// The longest request head read from the browser.
const MAX_HEAD: usize = 16 * 1024;
/// How long one browser connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A bound listener.
pub(super) struct Listener {
    listener: TcpListener,
    port: u16,
}

/// The browser's connection that brought the callback, to answer once the outcome is known.
pub(super) struct Reply {
    stream: TcpStream,
}

impl Listener {
    /// Binds `127.0.0.1:port` (0: any free port).
    pub(super) async fn bind(port: u16) -> Result<Self, Failure> {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|error| {
                Failure::message(format!("cannot listen on 127.0.0.1:{port}: {error}"))
            })?;
        let port = listener
            .local_addr()
            .map_err(|error| Failure::message(format!("cannot read the listener's port: {error}")))?
            .port();
        Ok(Self { listener, port })
    }

    /// `http://127.0.0.1:<port>/callback`.
    pub(super) fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// Waits for a `GET /callback?...` that carries `state`, and gives its whole URL and the
    /// connection to answer on. Other requests get a 404 (a favicon) or a 400 (a callback with
    /// another state or none: another process on this machine can reach the port too), and the
    /// wait goes on.
    ///
    /// Connections are served concurrently, at most [`MAX_CONNECTIONS`] at once, so that idle
    /// ones (a browser's speculative preconnect, or another local process) cannot hold the
    /// callback back while they use up their read timeout.
    pub(super) async fn callback(self, state: &State) -> Result<(String, Reply), Failure> {
        let (found, mut outcome) = tokio::sync::mpsc::channel(1);
        let mut acceptor = tokio::task::JoinSet::new();
        acceptor.spawn(accept(self.listener, self.port, state.clone(), found));
        // The acceptor holds a sender until it stops, and it stops only after sending.
        let outcome = outcome
            .recv()
            .await
            .unwrap_or_else(|| Err(Failure::message("the callback listener stopped".to_owned())));
        // Dropping the acceptor aborts it, and with it the connections it still serves.
        drop(acceptor);
        outcome
    }
}

/// The most browser connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 32;

type Outcome = Result<(String, Reply), Failure>;

/// Accepts connections and serves each in a task of its own, until one brings the callback
/// (or accepting fails): that outcome goes to `found`.
async fn accept(
    listener: TcpListener,
    port: u16,
    state: State,
    found: tokio::sync::mpsc::Sender<Outcome>,
) {
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let Ok(slot) = std::sync::Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(error) => {
                let failure = Failure::message(format!("the callback listener failed: {error}"));
                let _ = found.send(Err(failure)).await;
                return;
            }
        };
        let (state, found) = (state.clone(), found.clone());
        connections.spawn(async move {
            if let Some(url) = serve(stream, port, &state).await {
                let _ = found.send(Ok(url)).await;
            }
            drop(slot);
        });
        // Forget the connections already answered.
        while connections.try_join_next().is_some() {}
    }
}

/// Reads one connection's request: the callback (its URL and the connection to answer on), or
/// `None` once anything else has been answered or the browser was too slow.
async fn serve(mut stream: TcpStream, port: u16, state: &State) -> Option<(String, Reply)> {
    let Ok(Ok(head)) = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await else {
        return None;
    };
    match callback_target(&head) {
        Some(target) if carries(target, state) => {
            let url = format!("http://127.0.0.1:{port}{target}");
            Some((url, Reply { stream }))
        }
        Some(_) => {
            let _ = respond(
                &mut stream,
                "400 Bad Request",
                "Not this authorization",
                "This callback is not for the authorization the terminal is waiting for.",
            )
            .await;
            None
        }
        None => {
            let _ = respond(&mut stream, "404 Not Found", "Not found", "Nothing here.").await;
            None
        }
    }
}

impl Reply {
    /// Tells the browser how it went: `None` for success, or the error (secret-free).
    pub(super) async fn send(mut self, error: Option<String>) {
        let _ = match error {
            None => respond(
                &mut self.stream,
                "200 OK",
                "Connected",
                "The connection is authorized. You can close this tab and go back to the terminal.",
            )
            .await,
            Some(error) => {
                let body = format!(
                    "The authorization did not complete: {error}. The terminal says more; run the command again to retry."
                );
                respond(&mut self.stream, "400 Bad Request", "Not connected", &body).await
            }
        };
    }
}

/// Reads up to the end of the request head.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<String> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < MAX_HEAD {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            break;
        }
        head.extend_from_slice(&buffer[..read]);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// The target of a `GET /callback...` request line, if that is what `head` starts with.
fn callback_target(head: &str) -> Option<&str> {
    let line = head.lines().next()?;
    let mut parts = line.split(' ');
    let (method, target) = (parts.next()?, parts.next()?);
    let path = target.split('?').next()?;
    (method == "GET" && path == CALLBACK_PATH).then_some(target)
}

/// Whether the query of `target` has exactly one `state`, and it is `state`.
fn carries(target: &str, state: &State) -> bool {
    let query = target.split_once('?').map_or("", |(_, query)| query);
    let mut states = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(name, _)| name == "state")
        .map(|(_, value)| value);
    match (states.next(), states.next()) {
        (Some(value), None) => state.matches(&value),
        _ => false,
    }
}

async fn respond(
    stream: &mut TcpStream,
    status: &str,
    title: &str,
    message: &str,
) -> std::io::Result<()> {
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto\">\
         <h1>{title}</h1><p>{}</p></body></html>",
        escape(message)
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.
    use super::*;

    /// Idle connections, opened before the browser's and never sending a byte, do not hold the
    /// callback back: served one at a time, each held it for the whole read timeout.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn idle_connections_do_not_delay_the_callback() {
        let listener = Listener::bind(0).await.unwrap();
        let address = ("127.0.0.1", listener.port);
        let state = State::new("s-1");
        let waiting = {
            let state = state.clone();
            tokio::spawn(async move { listener.callback(&state).await })
        };
        let mut idle = Vec::new();
        for _ in 0..3 {
            idle.push(TcpStream::connect(address).await.unwrap());
        }
        // Another state first: turned away, and the wait goes on.
        let mut other = TcpStream::connect(address).await.unwrap();
        other
            .write_all(b"GET /callback?code=x&state=s-2 HTTP/1.1\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        other.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 400 "), "{answer}");
        let mut browser = TcpStream::connect(address).await.unwrap();
        browser
            .write_all(b"GET /callback?code=c&state=s-1 HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        // Well within one read timeout: a listener that waited on the idle connections first
        // would still be waiting.
        let (url, reply) = tokio::time::timeout(READ_TIMEOUT / 2, waiting)
            .await
            .expect("the callback came back while idle connections were open")
            .unwrap()
            .unwrap();
        assert!(url.ends_with("/callback?code=c&state=s-1"), "{url}");
        reply.send(None).await;
        let mut answer = String::new();
        browser.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200 OK"), "{answer}");
        drop(idle);
    }

    #[test]
    fn only_a_get_of_the_callback_path_is_the_callback() {
        let get = |line: &str| callback_target(line).map(str::to_owned);
        assert_eq!(
            get("GET /callback?code=a&state=b HTTP/1.1\r\nHost: x\r\n\r\n").as_deref(),
            Some("/callback?code=a&state=b")
        );
        assert_eq!(
            get("GET /callback HTTP/1.1\r\n\r\n").as_deref(),
            Some("/callback")
        );
        assert_eq!(get("GET /favicon.ico HTTP/1.1\r\n\r\n"), None);
        assert_eq!(get("POST /callback?code=a HTTP/1.1\r\n\r\n"), None);
        assert_eq!(get("GET /callbackx?code=a HTTP/1.1\r\n\r\n"), None);
        assert_eq!(get(""), None);
    }

    #[test]
    fn only_the_awaited_state_is_the_callback() {
        let state = State::new("s-1");
        assert!(carries("/callback?code=a&state=s-1", &state));
        assert!(carries("/callback?error=access_denied&state=s%2D1", &state));
        assert!(!carries("/callback?code=a&state=s-2", &state));
        assert!(!carries("/callback?code=a", &state));
        assert!(!carries("/callback", &state));
        assert!(!carries("/callback?state=s-1&state=s-1", &state));
    }
}
