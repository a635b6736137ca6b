//! Shared by the interop tests: requiring a server, a "browser" with a cookie jar that follows
//! redirects until the redirect URI, and tampering helpers.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used, dead_code)]

use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use connkit::oauth2::PendingAuthorization;

/// The redirect URI both servers have registered for every client.
pub const REDIRECT_URI: &str = "http://127.0.0.1:9999/cb";

/// Fails the test unless the server at `address` answers. The interop tests are `#[ignore]`d,
/// so a bare `cargo test` lists them as ignored; `scripts/test.sh` starts the servers and runs
/// them with `--include-ignored`, and a server that is not there is then a failure, never a
/// silent pass.
pub fn require_server(server: &str, address: &str) {
    let socket: SocketAddr = address.parse().unwrap();
    assert!(
        TcpStream::connect_timeout(&socket, Duration::from_secs(2)).is_ok(),
        "{server} is not reachable at {address}; scripts/test.sh starts it and runs the interop tests"
    );
}

/// A user agent with a cookie jar that follows redirects by hand until one points at the
/// redirect URI, and returns that URL (the callback). Stops after 20 hops.
pub struct Browser {
    client: reqwest::Client,
}

impl Browser {
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap();
        Self { client }
    }

    /// POSTs JSON, keeping cookies (glewlwyd's login and consent API).
    pub async fn send_json(&self, method: reqwest::Method, url: &str, body: &str) {
        let response = self
            .client
            .request(method, url)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
    }

    /// GETs `url` once, keeping cookies, and returns where it redirects to.
    pub async fn location_of(&self, url: &str) -> String {
        let response = self.client.get(url).send().await.unwrap();
        let location = response
            .headers()
            .get("location")
            .unwrap_or_else(|| panic!("{url} answered {} without a redirect", response.status()));
        location.to_str().unwrap().to_owned()
    }

    /// Follows `url` until a redirect to the redirect URI; `rewrite` may change each hop (glewlwyd
    /// needs its login page's `callback_url` followed with `&g_continue`).
    pub async fn follow_to_callback(
        &self,
        url: &str,
        rewrite: impl Fn(&str) -> Option<String>,
    ) -> Result<String, String> {
        let mut next = url.to_owned();
        for _ in 0..20 {
            if next.starts_with(REDIRECT_URI) {
                return Ok(next);
            }
            if let Some(rewritten) = rewrite(&next) {
                next = rewritten;
                continue;
            }
            let response = self
                .client
                .get(&next)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = response.status();
            let Some(location) = response.headers().get("location") else {
                return Err(format!("{next} answered {status} without a redirect"));
            };
            let base = url::Url::parse(&next).unwrap();
            next = base.join(location.to_str().unwrap()).unwrap().to_string();
        }
        Err(format!("no redirect to {REDIRECT_URI} within 20 hops"))
    }
}

/// A copy of `pending` with one field replaced, as an attacker or a bug would: the pending
/// authorization is plain serialized data.
pub fn tampered(
    pending: &PendingAuthorization,
    field: &str,
    value: serde_json::Value,
) -> PendingAuthorization {
    let mut json = serde_json::to_value(pending).unwrap();
    json[field] = value;
    serde_json::from_value(json).unwrap()
}

/// The exchange request with `grant_type` replaced.
pub fn with_grant_type(
    request: http::Request<Vec<u8>>,
    grant_type: &str,
) -> http::Request<Vec<u8>> {
    let (parts, body) = request.into_parts();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .into_owned()
        .map(|(name, value)| {
            if name == "grant_type" {
                (name, grant_type.to_owned())
            } else {
                (name, value)
            }
        })
        .collect();
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    http::Request::from_parts(parts, body.into_bytes())
}

/// How many refresh requests oidc-provider received from `client`.
pub async fn refreshes(client: &str) -> u64 {
    count(&format!("client={client}")).await
}

/// How many token requests of `grant` (its `grant_type`) oidc-provider received from `client`.
pub async fn granted(client: &str, grant: &str) -> u64 {
    count(&format!("client={client}&grant={grant}")).await
}

async fn count(query: &str) -> u64 {
    let body = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .get(format!(
            "{}/test/refreshes?{query}",
            connkit_interop::OIDC_PROVIDER
        ))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
    answer["count"].as_u64().unwrap()
}

/// A fresh database on the test PostgreSQL server (`CONNKIT_POSTGRES`, set by scripts/test.sh).
pub async fn postgres_database(prefix: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let server = std::env::var("CONNKIT_POSTGRES").unwrap_or_else(|_| {
        panic!("CONNKIT_POSTGRES is not set; scripts/test.sh starts PostgreSQL and sets it")
    });
    let name = format!(
        "{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let (admin, connection) =
        tokio_postgres::connect(&format!("{server} dbname=connkit"), tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(connection);
    for statement in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        admin.batch_execute(&statement).await.unwrap();
    }
    format!("{server} dbname={name}")
}

/// glewlwyd's login page: continue to its `callback_url` with `g_continue`, as its login.js does
/// once the user is signed in and has granted the client.
pub fn continue_past_login_page(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    if !url.path().ends_with("/login.html") {
        return None;
    }
    let (_, callback) = url.query_pairs().find(|(name, _)| name == "callback_url")?;
    Some(format!("{callback}&g_continue"))
}

/// The user, on another device: opens oidc-provider's verification page with the device code
/// `user_code` and confirms it (or, with `abort`, refuses), the provider's interaction
/// approving as the tests' server does.
pub async fn approve_device_at_oidc_provider(user_code: &str, abort: bool) {
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .no_proxy()
        .build()
        .unwrap();
    let base = connkit_interop::OIDC_PROVIDER;
    let page = browser
        .get(format!("{base}/device?user_code={user_code}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let xsrf = page
        .split("name=\"xsrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no xsrf in the verification page:\n{page}"))
        .to_owned();
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("xsrf", &xsrf)
        .append_pair("user_code", user_code)
        .append_pair(if abort { "abort" } else { "confirm" }, "yes")
        .finish();
    let done = browser
        .post(format!("{base}/device"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(done.status().is_success(), "{}", done.status());
}

/// A browser in which alice has signed in to glewlwyd (at `api`, its API's URL) and granted
/// `client_id` the scopes `scope`.
pub async fn glewlwyd_signed_in(api: &str, client_id: &str, scope: &str) -> Browser {
    let browser = Browser::new();
    browser
        .send_json(
            reqwest::Method::POST,
            &format!("{api}/auth/"),
            r#"{"username":"alice","password":"alicepw"}"#,
        )
        .await;
    browser
        .send_json(
            reqwest::Method::PUT,
            &format!("{api}/auth/grant/{client_id}"),
            &format!(r#"{{"scope":"{scope}"}}"#),
        )
        .await;
    browser
}
