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
    pub(super) async fn callback(self, state: &State) -> Result<(String, Reply), Failure> {
        loop {
            let (mut stream, _) = self.listener.accept().await.map_err(|error| {
                Failure::message(format!("the callback listener failed: {error}"))
            })?;
            let Ok(Ok(head)) = tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await
            else {
                continue;
            };
            match callback_target(&head) {
                Some(target) if carries(target, state) => {
                    let url = format!("http://127.0.0.1:{}{target}", self.port);
                    return Ok((url, Reply { stream }));
                }
                Some(_) => {
                    let _ = respond(
                        &mut stream,
                        "400 Bad Request",
                        "Not this authorization",
                        "This callback is not for the authorization the terminal is waiting for.",
                    )
                    .await;
                }
                None => {
                    let _ =
                        respond(&mut stream, "404 Not Found", "Not found", "Nothing here.").await;
                }
            }
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
    use super::*;

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
