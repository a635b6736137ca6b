//! One operation, run `count` times, for `bench/runtime.sh` to count instructions under
//! callgrind: `connkit-bench-runtime <operation> <count>`. Each operation is timed from a
//! warm start (the setup runs before the first counted call is made, and a run with count 0
//! measures the setup alone, which the script subtracts).

use std::hint::black_box;

use connkit_bench_runtime::{TOKEN, connkit_client, oauth2_client, operation};

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    let count: u64 = args.next().and_then(|n| n.parse().ok()).unwrap_or(0);
    if name == "connkit-exchanges" || name == "oauth2-exchanges" {
        return exchanges(&name, count);
    }
    let Some(mut operation) = operation(&name) else {
        eprintln!("unknown operation {name:?}");
        std::process::exit(2);
    };
    for _ in 0..count {
        operation();
    }
}

/// A token endpoint on loopback: HTTP/1.1 with keep-alive, answering every request with `TOKEN`.
fn token_endpoint() -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut length = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some(value) =
                            line.to_ascii_lowercase().strip_prefix("content-length:")
                        {
                            length = value.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    // One write, without Nagle's delay: two small writes would wait for the
                    // client's delayed ACK (40 ms) on every exchange.
                    let mut answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        TOKEN.len()
                    )
                    .into_bytes();
                    answer.extend_from_slice(TOKEN);
                    let stream = reader.get_mut();
                    let _ = stream.set_nodelay(true);
                    if stream.write_all(&answer).is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

/// `count` code exchanges in a row against the loopback endpoint; prints exchanges per second.
fn exchanges(operation: &str, count: u64) {
    let origin = token_endpoint();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let elapsed = runtime.block_on(async {
        if operation.starts_with("connkit") {
            let client = connkit_client()
                .with_origin(&origin)
                .unwrap_or_else(|e| panic!("{e}"));
            let http = connkit::http::ReqwestClient::new().unwrap_or_else(|e| panic!("{e}"));
            // The callbacks are checked before the clock starts: only the exchanges are timed.
            let completed: Vec<_> = (0..count)
                .map(|_| {
                    let request = client.authorize().unwrap_or_else(|e| panic!("{e}"));
                    let callback =
                        format!("code=c&state={}", request.pending.state().expose_secret());
                    client
                        .complete(request.pending, &callback)
                        .unwrap_or_else(|e| panic!("{e}"))
                })
                .collect();
            let start = std::time::Instant::now();
            for completed in &completed {
                black_box(
                    client
                        .exchange_code(&http, completed)
                        .await
                        .unwrap_or_else(|e| panic!("{e}")),
                );
            }
            start.elapsed()
        } else {
            use oauth2::{AuthorizationCode, PkceCodeChallenge};
            let client = oauth2_client(&origin);
            let http = oauth2::reqwest::Client::builder()
                .redirect(oauth2::reqwest::redirect::Policy::none())
                .build()
                .unwrap_or_else(|e| panic!("{e}"));
            let verifiers: Vec<_> = (0..count)
                .map(|_| PkceCodeChallenge::new_random_sha256().1)
                .collect();
            let start = std::time::Instant::now();
            for verifier in verifiers {
                black_box(
                    client
                        .exchange_code(AuthorizationCode::new("c".to_owned()))
                        .set_pkce_verifier(verifier)
                        .request_async(&http)
                        .await
                        .unwrap_or_else(|e| panic!("{e:?}")),
                );
            }
            start.elapsed()
        }
    });
    println!("{:.0}", count as f64 / elapsed.as_secs_f64());
}
