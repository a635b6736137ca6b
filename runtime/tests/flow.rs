//! The flow's requests and answers, through a recording HTTP client (no network).

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::sync::Mutex;
use std::time::{Duration, UNIX_EPOCH};

use connkit::http::{BlockingHttpClient, HttpClient, HttpError};
use connkit::{
    OAuth2Client, credentials::ClientCredentials, credentials::ClientId,
    oauth2::CompletedAuthorization, oauth2::TokenError, oauth2::TokenResponseError,
    oauth2_connection, secret::ClientSecret,
};

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read", "write"],
    client_auth = "header",
    pkce = true,
    token_headers = { "X-Acme-Version" = "7" },
    refresh_params = { resource = "https://api.acme.example" },
)]
struct AcmeBasic;

#[oauth2_connection(
    id = "acme_connection_oauth2-body",
    name = "OAuth2",
    description = "Acme, credentials in the body",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = [],
    pkce = false,
    token_headers = { Accept = "application/vnd.acme+json" },
)]
struct AcmeBody;

/// Answers every request with the next canned response and records what it was sent.
struct Recorder {
    answers: Mutex<Vec<http::Response<Vec<u8>>>>,
    sent: Mutex<Vec<http::Request<Vec<u8>>>>,
}

impl Recorder {
    fn answering(answers: Vec<(u16, &str, &str)>) -> Self {
        let answers = answers
            .into_iter()
            .rev()
            .map(|(status, content_type, body)| {
                http::Response::builder()
                    .status(status)
                    .header("content-type", content_type)
                    .body(body.as_bytes().to_vec())
                    .expect("a valid response")
            })
            .collect();
        Self {
            answers: Mutex::new(answers),
            sent: Mutex::new(Vec::new()),
        }
    }

    fn answer(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, HttpError> {
        self.sent.lock().expect("not poisoned").push(request);
        Ok(self
            .answers
            .lock()
            .expect("not poisoned")
            .pop()
            .expect("a canned answer"))
    }

    fn form(&self, index: usize) -> Vec<(String, String)> {
        let sent = self.sent.lock().expect("not poisoned");
        url::form_urlencoded::parse(sent[index].body())
            .into_owned()
            .collect()
    }

    fn header(&self, index: usize, name: &str) -> Option<String> {
        let sent = self.sent.lock().unwrap();
        sent[index]
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    }
}

impl HttpClient for Recorder {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, HttpError> {
        self.answer(request)
    }
}

impl BlockingHttpClient for Recorder {
    fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, HttpError> {
        self.answer(request)
    }
}

/// Authorizes with `client` and completes a callback carrying the code `c`.
fn completed(client: &OAuth2Client) -> CompletedAuthorization {
    let request = client.authorize().unwrap();
    let callback = format!("code=c&state={}", request.pending.state().expose_secret());
    client.complete(request.pending, &callback).unwrap()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

const FIRST: &str = r#"{"access_token":"at-1","token_type":"Bearer","refresh_token":"rt-1","expires_in":3600,"scope":"read write","id_token":"jwt","team":{"id":"T1"}}"#;

#[tokio::test(flavor = "current_thread")]
async fn basic_auth_pkce_exchange_then_refresh_without_a_new_refresh_token() {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    let client = OAuth2Client::new(
        AcmeBasic::DEFINITION,
        ClientCredentials::new(
            ClientId::new("my client"),
            Some(ClientSecret::new("p@ss:w/rd")),
        ),
        "http://127.0.0.1:9999/cb",
    )
    .unwrap();
    let request = client.authorize().unwrap();
    let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    let challenge = request.pending.pkce_verifier().unwrap().challenge();
    assert!(query.contains(&("code_challenge".into(), challenge)));
    assert!(query.contains(&("code_challenge_method".into(), "S256".into())));
    let state = request.pending.state().expose_secret().to_owned();
    let verifier = request
        .pending
        .pkce_verifier()
        .unwrap()
        .expose_secret()
        .to_owned();
    let callback = format!("http://127.0.0.1:9999/cb?code=c-1&state={state}");
    let completed = client.complete(request.pending, &callback).unwrap();

    let recorder = Recorder::answering(vec![
        (200, "application/json", FIRST),
        (
            200,
            "application/json",
            r#"{"access_token":"at-2","expires_in":"60","team":{"id":"T2"},"extra":1}"#,
        ),
    ]);
    let tokens = client.exchange_code(&recorder, &completed).await.unwrap();
    assert_eq!(
        recorder.form(0),
        pairs(&[
            ("grant_type", "authorization_code"),
            ("code", "c-1"),
            ("redirect_uri", "http://127.0.0.1:9999/cb"),
            ("code_verifier", &verifier),
        ])
    );
    assert_eq!(
        recorder.header(0, "authorization").as_deref(),
        Some("Basic bXkrY2xpZW50OnAlNDBzcyUzQXclMkZyZA==")
    );
    assert_eq!(
        recorder.header(0, "accept").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        recorder.header(0, "content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(recorder.header(0, "x-acme-version").as_deref(), Some("7"));
    assert_eq!(tokens.access_token().expose_secret(), "at-1");
    assert_eq!(
        tokens.scopes(),
        Some(&["read".to_owned(), "write".to_owned()][..])
    );

    let refreshed = client.refresh(&recorder, &tokens).await.unwrap();
    assert_eq!(
        recorder.form(1),
        pairs(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "rt-1"),
            ("resource", "https://api.acme.example")
        ])
    );
    // Token headers go with the refresh too (Lecca sent them only on the exchange).
    assert_eq!(recorder.header(1, "x-acme-version").as_deref(), Some("7"));
    assert!(recorder.header(1, "authorization").is_some());
    // No new refresh token: the old one stays (Lecca could erase it). Metadata is merged.
    assert_eq!(refreshed.refresh_token().unwrap().expose_secret(), "rt-1");
    assert_eq!(refreshed.access_token().expose_secret(), "at-2");
    assert_eq!(refreshed.scopes(), tokens.scopes());
    assert_eq!(refreshed.token_type(), Some("Bearer"));
    assert_eq!(refreshed.metadata()["id_token"], "jwt");
    assert_eq!(refreshed.metadata()["team"]["id"], "T2");
    assert_eq!(refreshed.metadata()["extra"], 1);
    let debug = format!("{refreshed:?} {tokens:?}");
    for secret in ["at-1", "at-2", "rt-1", "jwt", "T2"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

#[test]
fn body_auth_and_a_declared_accept_header_replace_the_defaults() {
    let client = OAuth2Client::new(
        AcmeBody::DEFINITION,
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret"))),
        "https://app.example/cb",
    )
    .unwrap();
    let request = client.authorize().unwrap();
    assert!(request.pending.pkce_verifier().is_none(), "pkce = false");
    assert!(!request.url.as_str().contains("code_challenge"));
    let recorder = Recorder::answering(vec![(200, "application/json", r#"{"access_token":"a"}"#)]);
    let tokens = client
        .exchange_code_blocking(&recorder, &completed(&client))
        .unwrap();
    assert_eq!(tokens.refresh_token(), None);
    let form = recorder.form(0);
    assert!(form.contains(&("client_id".into(), "id".into())));
    assert!(form.contains(&("client_secret".into(), "secret".into())));
    assert_eq!(recorder.header(0, "authorization"), None);
    let accepts: Vec<_> = recorder.sent.lock().unwrap()[0]
        .headers()
        .get_all("accept")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(accepts, ["application/vnd.acme+json"]);
    assert!(matches!(
        client.refresh_blocking(&recorder, &tokens),
        Err(TokenError::NoRefreshToken)
    ));
}

#[test]
fn a_public_client_sends_only_its_id_and_always_uses_pkce() {
    // AcmeBody declares `pkce = false`; without a secret the client uses PKCE all the same
    // (RFC 9700 §2.1.1, hardening finding 4).
    let client = OAuth2Client::new(
        AcmeBody::DEFINITION,
        ClientCredentials::new(ClientId::new("public"), None),
        "http://127.0.0.1/cb",
    )
    .unwrap();
    let request = client.authorize().unwrap();
    assert!(request.pending.pkce_verifier().is_some());
    assert!(request.url.as_str().contains("&code_challenge_method=S256"));
    let recorder = Recorder::answering(vec![(200, "application/json", r#"{"access_token":"a"}"#)]);
    let callback = format!("code=c&state={}", request.pending.state().expose_secret());
    let completed = client.complete(request.pending, &callback).unwrap();
    client
        .exchange_code_blocking(&recorder, &completed)
        .unwrap();
    assert!(
        recorder
            .form(0)
            .iter()
            .any(|(name, _)| name == "code_verifier")
    );
    assert_eq!(recorder.header(0, "authorization"), None);
    assert!(
        recorder
            .form(0)
            .contains(&("client_id".into(), "public".into()))
    );
    assert!(
        !recorder
            .form(0)
            .iter()
            .any(|(name, _)| name == "client_secret")
    );
}

#[test]
fn refusals_are_typed() {
    let client = OAuth2Client::new(
        AcmeBasic::DEFINITION,
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("s"))),
        "http://127.0.0.1/cb",
    )
    .unwrap();
    let completed = completed(&client);
    let recorder = Recorder::answering(vec![
        (302, "text/html", ""),
        (
            400,
            "application/json",
            r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
        ),
        (200, "text/html", "<html>maintenance</html>"),
    ]);
    assert!(matches!(
        client.exchange_code_blocking(&recorder, &completed),
        Err(TokenError::Response(TokenResponseError::Redirect {
            status: 302
        }))
    ));
    let error = client
        .exchange_code_blocking(&recorder, &completed)
        .unwrap_err();
    assert_eq!(
        error.oauth_code(),
        Some(&connkit::oauth2::OAuthErrorCode::InvalidGrant)
    );
    assert_eq!(
        error.to_string(),
        "the token endpoint answered invalid_grant (HTTP 400): grant request is invalid"
    );
    assert!(matches!(
        client.exchange_code_blocking(&recorder, &completed),
        Err(TokenError::Response(
            TokenResponseError::UnreadableBody { .. }
        ))
    ));

    let other = OAuth2Client::new(
        AcmeBody::DEFINITION,
        ClientCredentials::new(ClientId::new("id"), None),
        "http://127.0.0.1/cb",
    )
    .unwrap();
    assert!(matches!(
        other.exchange_request(&completed),
        Err(TokenError::WrongConnection { .. })
    ));
    let request = client.authorize().unwrap();
    assert!(matches!(
        other.complete(request.pending, "code=c"),
        Err(connkit::oauth2::CallbackError::WrongConnection { .. })
    ));
}

#[test]
fn pending_authorizations_expire() {
    let client = OAuth2Client::new(
        AcmeBasic::DEFINITION,
        ClientCredentials::new(ClientId::new("id"), None),
        "http://127.0.0.1/cb",
    )
    .unwrap();
    let start = UNIX_EPOCH + Duration::from_secs(1_000);
    let request = client.authorize_at(start, Duration::from_secs(60)).unwrap();
    let callback = format!("code=c&state={}", request.pending.state().expose_secret());
    let copy = || serde_json::from_str(&serde_json::to_string(&request.pending).unwrap()).unwrap();
    let completed = client
        .complete_at(copy(), &callback, start + Duration::from_secs(59))
        .unwrap();
    assert_eq!(
        client
            .complete_at(copy(), &callback, start + Duration::from_secs(60))
            .err(),
        Some(connkit::oauth2::CallbackError::Expired)
    );
    // Hardening finding 6: the exchange checks the expiry again.
    assert!(
        client
            .exchange_request_at(&completed, start + Duration::from_secs(59))
            .is_ok()
    );
    assert!(matches!(
        client.exchange_request_at(&completed, start + Duration::from_secs(60)),
        Err(TokenError::AuthorizationExpired)
    ));
}

#[test]
fn with_origin_moves_every_request_and_keeps_the_declared_paths() {
    let client = OAuth2Client::new(
        AcmeBody::DEFINITION,
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("s"))),
        "http://127.0.0.1:9999/cb",
    )
    .unwrap()
    .with_origin("http://127.0.0.1:8080")
    .unwrap();
    let request = client.authorize().unwrap();
    assert_eq!(
        request.url.origin().ascii_serialization(),
        "http://127.0.0.1:8080"
    );
    assert_eq!(request.url.path(), "/authorize");
    let recorder = Recorder::answering(vec![(200, "application/json", r#"{"access_token":"a"}"#)]);
    let callback = format!("code=c&state={}", request.pending.state().expose_secret());
    let completed = client.complete(request.pending, &callback).unwrap();
    client
        .exchange_code_blocking(&recorder, &completed)
        .unwrap();
    let sent = recorder.sent.lock().unwrap();
    assert_eq!(sent[0].uri().to_string(), "http://127.0.0.1:8080/token");
}

#[test]
fn with_origin_refuses_what_an_endpoint_may_not_be() {
    let client = || {
        OAuth2Client::new(
            AcmeBody::DEFINITION,
            ClientCredentials::new(ClientId::new("id"), None),
            "http://127.0.0.1:9999/cb",
        )
        .unwrap()
    };
    for (origin, message) in [
        (
            "http://example.com",
            "invalid origin \"http://example.com\"",
        ),
        ("https://user@example.com", "invalid origin"),
        ("localhost:8080", "invalid origin"),
        ("https://example.com/token", "is not an origin"),
        ("https://example.com?x=1", "is not an origin"),
    ] {
        let error = client().with_origin(origin).unwrap_err();
        assert!(error.to_string().contains(message), "{origin}: {error}");
    }
    assert!(
        client()
            .with_origin("https://staging.acme.example/")
            .is_ok()
    );
}

#[oauth2_connection(
    id = "acme_connection_oauth2-dev",
    name = "OAuth2",
    description = "Acme, which accepts plain http only on localhost",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = [],
    redirect_to_localhost_in_development = true,
)]
struct AcmeDevelopment;

#[test]
fn in_development_a_loopback_redirect_uri_becomes_localhost() {
    let credentials = || ClientCredentials::new(ClientId::new("id"), None);
    let client = OAuth2Client::new(
        AcmeDevelopment::DEFINITION,
        credentials(),
        "http://127.0.0.1:3000/cb",
    )
    .unwrap();
    assert_eq!(client.redirect_uri(), "http://127.0.0.1:3000/cb");
    let client = client.in_development();
    assert_eq!(client.redirect_uri(), "http://localhost:3000/cb");
    let request = client.authorize().unwrap();
    assert_eq!(request.pending.redirect_uri(), "http://localhost:3000/cb");
    assert!(
        request
            .url
            .query_pairs()
            .any(|(name, value)| name == "redirect_uri" && value == "http://localhost:3000/cb")
    );
    // Definitions without the key, and other hosts, are left alone.
    let other = OAuth2Client::new(
        AcmeBody::DEFINITION,
        credentials(),
        "http://127.0.0.1:3000/cb",
    )
    .unwrap()
    .in_development();
    assert_eq!(other.redirect_uri(), "http://127.0.0.1:3000/cb");
    for kept in [
        "https://app.example/cb",
        "http://127.0.0.10/cb",
        "http://127.0.0.1.example/cb",
    ] {
        assert_eq!(
            AcmeDevelopment::DEFINITION.development_redirect_uri(kept),
            kept
        );
    }
    assert_eq!(
        AcmeDevelopment::DEFINITION.development_redirect_uri("http://[::1]/cb?x=1"),
        "http://localhost/cb?x=1"
    );
}

// Hardening finding 7: the runtime redirect URI is checked like a declared URL.
#[test]
fn a_redirect_uri_is_checked_when_the_client_is_made() {
    let make = |uri: &str| {
        OAuth2Client::new(
            AcmeBody::DEFINITION,
            ClientCredentials::new(ClientId::new("id"), None),
            uri,
        )
    };
    for good in [
        "https://app.example/oauth/callback?tenant=1",
        "http://127.0.0.1:8080/cb",
        "http://[::1]/cb",
        "com.example.app:/oauth2redirect",
    ] {
        assert!(make(good).is_ok(), "{good}");
    }
    for bad in [
        "http://app.example/cb",
        "https://app.example/cb#fragment",
        "https://user:pw@app.example/cb",
        "/cb",
        "",
        "javascript:alert(1)",
        "https://app.example/c b",
        "https://app.example/cb\r\nX-Injected: 1",
    ] {
        match make(bad) {
            Err(connkit::oauth2::ClientError::RedirectUri { uri, .. }) => assert_eq!(uri, bad),
            other => panic!("{bad:?} was accepted: {other:?}"),
        }
    }
}
