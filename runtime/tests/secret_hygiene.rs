//! No secret in logs, `Display` or `Debug`: a whole flow with known secret values (client
//! secret, access and refresh tokens, code, PKCE verifier, state, an id_token and Slack's nested
//! user token), traced at TRACE level, with every error it can give and the `Debug` of every
//! value on the way. Not one occurrence of any secret in all of it.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use connkit::credentials::{ClientCredentialMap, ClientCredentials};
use connkit::http::{BlockingHttpClient, HttpError};
use connkit::{OAuth2Client, credentials::ClientId, oauth2_connection, secret::ClientSecret};

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = ["read"],
    client_auth = "header",
    issuer = "https://auth.acme.example",
)]
struct AcmeOAuth2;

#[oauth2_connection(
    id = "acme_connection_oauth2-other",
    name = "OAuth2",
    description = "Acme, another connection",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = [],
)]
struct OtherOAuth2;

const CLIENT_SECRET: &str = "hyg-client-secret-000";
const CODE: &str = "hyg-authorization-code-111";
const ACCESS: &str = "hyg-access-token-222";
const REFRESH: &str = "hyg-refresh-token-333";
const ACCESS_2: &str = "hyg-access-token-444";
const REFRESH_2: &str = "hyg-refresh-token-555";
const ID_TOKEN: &str = "hyg-id-token-666";
const USER_TOKEN: &str = "hyg-user-token-777";

/// Answers each request with the next canned answer, or fails as told.
struct Canned(Mutex<Vec<Result<(u16, String), HttpError>>>);

impl BlockingHttpClient for Canned {
    fn send(&self, _: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, HttpError> {
        let (status, body) = self.0.lock().unwrap().remove(0)?;
        Ok(http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .header("retry-after", "3")
            .body(body.into_bytes())
            .unwrap())
    }
}

#[test]
fn no_secret_in_traces_errors_or_debug() {
    let (captured, _guard) = common::traces::capture();

    let mut rendered: Vec<String> = Vec::new();
    let mut secrets: Vec<String> = [
        CLIENT_SECRET,
        CODE,
        ACCESS,
        REFRESH,
        ACCESS_2,
        REFRESH_2,
        ID_TOKEN,
        USER_TOKEN,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();

    let mut credentials = ClientCredentialMap::new();
    credentials.insert(
        AcmeOAuth2::DEFINITION.id(),
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new(CLIENT_SECRET))),
    );
    rendered.push(format!("{credentials:?}"));
    let client = OAuth2Client::from_source(
        AcmeOAuth2::DEFINITION,
        &credentials,
        "https://app.example/cb",
    )
    .unwrap();
    rendered.push(format!("{client:?} {client:#?}"));

    // The whole flow.
    let request = client.authorize().unwrap();
    secrets.push(request.pending.state().expose_secret().to_owned());
    secrets.push(
        request
            .pending
            .pkce_verifier()
            .unwrap()
            .expose_secret()
            .to_owned(),
    );
    rendered.push(format!("{request:?} {:?}", request.pending));
    let state = request.pending.state().expose_secret().to_owned();
    let callback = format!("https://app.example/cb?code={CODE}&state={state}");
    let completed = client.complete(request.pending, &callback).unwrap();
    rendered.push(format!("{completed:?}"));
    let first = format!(
        r#"{{"access_token":"{ACCESS}","refresh_token":"{REFRESH}","expires_in":60,"id_token":"{ID_TOKEN}","authed_user":{{"access_token":"{USER_TOKEN}"}}}}"#
    );
    let second = format!(r#"{{"access_token":"{ACCESS_2}","refresh_token":"{REFRESH_2}"}}"#);
    let http = Canned(Mutex::new(vec![
        Ok((200, first)),
        Ok((200, second)),
        Ok((
            400,
            r#"{"error":"invalid_grant","error_description":"revoked"}"#.to_owned(),
        )),
        Ok((429, String::new())),
        Ok((
            200,
            format!(r#"{{"access_token":"{ACCESS}","access_token":"{ACCESS_2}"}}"#),
        )),
        Ok((200, format!(r#"{{"access_token":"{ACCESS}""#))),
        Ok((200, format!(r#"{{"refresh_token":"{REFRESH}"}}"#))),
        Err(HttpError::Timeout),
    ]));
    let tokens = client.exchange_code_blocking(&http, &completed).unwrap();
    rendered.push(format!("{tokens:?} {tokens:#?}"));
    let refreshed = client.refresh_blocking(&http, &tokens).unwrap();
    rendered.push(format!("{refreshed:?}"));

    // Every failure the token endpoint can cause, each traced by the client too.
    for _ in 0..6 {
        let error = client.refresh_blocking(&http, &refreshed).unwrap_err();
        rendered.push(format!("{error} {error:?}"));
    }
    let no_refresh: connkit::TokenSet =
        serde_json::from_str(&format!(r#"{{"access_token":"{ACCESS}"}}"#)).unwrap();
    let error = client.refresh_blocking(&http, &no_refresh).unwrap_err();
    rendered.push(format!("{error} {error:?}"));

    // Every way a callback is refused.
    for callback in [
        format!("code={CODE}"),
        format!("code={CODE}&state=forged"),
        format!("code={CODE}&code={CODE}&state={{state}}"),
        "error=access_denied&error_description=no&state={state}".to_owned(),
        format!("code={CODE}&state={{state}}&iss=https%3A%2F%2Fattacker.example"),
        "state={state}".to_owned(),
    ] {
        let request = client.authorize().unwrap();
        let state = request.pending.state().expose_secret().to_owned();
        secrets.push(state.clone());
        let callback = callback.replace("{state}", &state);
        let error = client.complete(request.pending, &callback).unwrap_err();
        rendered.push(format!("{error} {error:?}"));
    }
    let request = client
        .authorize_at(SystemTime::now(), Duration::ZERO)
        .unwrap();
    let state = request.pending.state().expose_secret().to_owned();
    secrets.push(state.clone());
    let error = client
        .complete(request.pending, &format!("code={CODE}&state={state}"))
        .unwrap_err();
    rendered.push(format!("{error} {error:?}"));
    let other = OAuth2Client::new(
        OtherOAuth2::DEFINITION,
        ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new(CLIENT_SECRET))),
        "https://app.example/cb",
    )
    .unwrap();
    let request = client.authorize().unwrap();
    secrets.push(request.pending.state().expose_secret().to_owned());
    let error = other.complete(request.pending, "code=x").unwrap_err();
    rendered.push(format!("{error} {error:?}"));
    let error = other.exchange_request(&completed).unwrap_err();
    rendered.push(format!("{error} {error:?}"));

    let traces = captured.text();
    assert!(
        traces.contains("connkit.token_request") && traces.contains("callback refused"),
        "the flow was traced:\n{traces}"
    );
    rendered.push(traces);
    let everything = rendered.join("\n");
    for secret in &secrets {
        assert!(secret.len() >= 16, "a real secret: {secret}");
        assert!(
            !everything.contains(secret.as_str()),
            "{secret} appears in:\n{everything}"
        );
    }
}
