//! A token endpoint of our own that misbehaves on purpose, on loopback (raw TCP, so that it can
//! truncate, stall and reset).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// A good token answer.
pub const GOOD_TOKEN: &str = r#"{"access_token":"new-access","token_type":"Bearer","expires_in":3600,"refresh_token":"new-refresh","scope":"read"}"#;

/// What the endpoint does with each request.
#[derive(Clone)]
#[allow(clippy::type_complexity)]
pub enum Fault {
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
    /// Answers what the closure says for the request line and body: status, content type,
    /// body.
    Script(Arc<dyn Fn(&str, &str) -> (u16, &'static str, String) + Send + Sync>),
}

/// A loopback server answering every connection with `fault`; counts connections.
pub struct Endpoint {
    address: SocketAddr,
    connections: Arc<AtomicUsize>,
    _thread: JoinHandle<()>,
}

impl Endpoint {
    pub fn start(host: &str, fault: Fault) -> Self {
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

    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads one request (headers and a Content-Length body), then misbehaves as told.
pub fn serve(stream: TcpStream, fault: &Fault) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut length = 0usize;
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
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
        Fault::Script(script) => {
            let (status, content_type, body) =
                script(request_line.trim_end(), &String::from_utf8_lossy(&body));
            answer(&mut stream, status, content_type, "", &body);
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
