//! The HTTP adapters against a loopback server: redirects are not followed, bodies are capped,
//! a silent server times out.

#![cfg(any(feature = "reqwest", feature = "ureq"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// Serves one connection per canned answer, then stops. Returns the base URL.
fn serve(answers: Vec<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for answer in answers {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut content_length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    content_length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; content_length];
            let _ = reader.read_exact(&mut body);
            if answer.is_empty() {
                std::thread::sleep(Duration::from_secs(3)); // never answers in time
            } else {
                let _ = stream.write_all(&answer);
            }
        }
    });
    format!("http://{address}")
}

fn answer(status: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut bytes = format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n",
        body.len()
    )
    .into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn post(base: &str) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{base}/token"))
        .body(b"grant_type=x".to_vec())
        .expect("a valid request")
}

fn canned() -> Vec<Vec<u8>> {
    vec![
        answer("302 Found", "location: /elsewhere\r\n", b""),
        answer(
            "200 OK",
            "content-type: application/json\r\n",
            br#"{"access_token":"a"}"#,
        ),
        answer(
            "200 OK",
            "",
            &vec![b'x'; connkit::oauth2::token_response::MAX_TOKEN_RESPONSE_BYTES + 1],
        ),
        Vec::new(),
    ]
}

#[cfg(feature = "reqwest")]
#[tokio::test(flavor = "current_thread")]
async fn reqwest_adapter() {
    use connkit::http::{HttpClient, HttpError, ReqwestClient};
    let base = serve(canned());
    let client = ReqwestClient::with_timeout(Duration::from_millis(500)).unwrap();
    let redirect = client.send(post(&base)).await.unwrap();
    assert_eq!(
        redirect.status(),
        302,
        "the redirect is returned, not followed"
    );
    let ok = client.send(post(&base)).await.unwrap();
    assert_eq!(
        (ok.status().as_u16(), ok.body().as_slice()),
        (200, br#"{"access_token":"a"}"#.as_slice())
    );
    assert!(matches!(
        client.send(post(&base)).await,
        Err(HttpError::TooLarge { .. })
    ));
    assert!(matches!(
        client.send(post(&base)).await,
        Err(HttpError::Timeout)
    ));
}

#[cfg(feature = "ureq")]
#[test]
fn ureq_adapter() {
    use connkit::http::{BlockingHttpClient, HttpError, UreqClient};
    let base = serve(canned());
    let client = UreqClient::with_timeout(Duration::from_millis(500));
    let redirect = client.send(post(&base)).unwrap();
    assert_eq!(
        redirect.status(),
        302,
        "the redirect is returned, not followed"
    );
    let ok = client.send(post(&base)).unwrap();
    assert_eq!(
        (ok.status().as_u16(), ok.body().as_slice()),
        (200, br#"{"access_token":"a"}"#.as_slice())
    );
    assert!(matches!(
        client.send(post(&base)),
        Err(HttpError::TooLarge { .. })
    ));
    assert!(matches!(client.send(post(&base)), Err(HttpError::Timeout)));
}
