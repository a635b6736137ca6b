//! The flow against glewlwyd (Debian's package, a C server) on 127.0.0.1:18083, started by
//! `scripts/test.sh` with `tests/interop/glewlwyd/up.sh`. HTTP through the blocking ureq adapter.
//!
//! glewlwyd's errors are not RFC-shaped: 403 `unauthorized_client` for a wrong secret or redirect
//! URI, 403 `{"error":"invalid_code"}` for a wrong verifier or a replayed code, 400 with an empty
//! body for a used refresh token or an unknown grant type. The client must fail cleanly, with a
//! typed error, on each; the tests pin the exact answer.
//!
//! The tests take turns: under parallel requests glewlwyd 2.7.5 (sqlite) now and then answers a
//! refresh with HTTP 200 and an empty body. connkit reports that as
//! `TokenResponseError::EmptyBody`, as it should, but the server is not under test.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{
    REDIRECT_URI, continue_past_login_page, glewlwyd_signed_in, require_server, tampered,
    with_grant_type,
};
use connkit::http::{BlockingHttpClient, UreqClient};
use connkit::{
    OAuth2Client, TokenSet, credentials::ClientCredentials, credentials::ClientId,
    oauth2::AuthorizationErrorCode, oauth2::CallbackError, oauth2::CompletedAuthorization,
    oauth2::OAuthErrorCode, oauth2::TokenError, oauth2::TokenResponseError, oauth2_connection,
    secret::ClientSecret,
};

const ADDRESS: &str = "127.0.0.1:18083";

static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Waits for the other glewlwyd tests, then requires the server.
fn turn() -> std::sync::MutexGuard<'static, ()> {
    let guard = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    require_server("glewlwyd", ADDRESS);
    guard
}
const API: &str = "http://127.0.0.1:18083/api";

#[oauth2_connection(
    id = "glewlwyd_connection_oauth2-basic",
    name = "glewlwyd, HTTP Basic",
    description = "client_secret_basic client",
    authorize_url = "http://127.0.0.1:18083/api/oidc/auth",
    token_url = "http://127.0.0.1:18083/api/oidc/token",
    scopes = ["api"],
    client_auth = "header",
    pkce = true,
)]
struct BasicClient;

#[oauth2_connection(
    id = "glewlwyd_connection_oauth2-post",
    name = "glewlwyd, form body",
    description = "client_secret_post client",
    authorize_url = "http://127.0.0.1:18083/api/oidc/auth",
    token_url = "http://127.0.0.1:18083/api/oidc/token",
    scopes = ["api"],
    pkce = true,
)]
struct PostClient;

#[oauth2_connection(
    id = "glewlwyd_connection_oauth2-public",
    name = "glewlwyd, public",
    description = "public client with PKCE",
    authorize_url = "http://127.0.0.1:18083/api/oidc/auth",
    token_url = "http://127.0.0.1:18083/api/oidc/token",
    scopes = ["api"],
    pkce = true,
)]
struct PublicClient;

/// Asks for a scope alice may not grant: glewlwyd refuses consent with `invalid_scope`.
#[oauth2_connection(
    id = "glewlwyd_connection_oauth2-refused",
    name = "glewlwyd, refused scope",
    description = "a scope the user cannot consent to",
    authorize_url = "http://127.0.0.1:18083/api/oidc/auth",
    token_url = "http://127.0.0.1:18083/api/oidc/token",
    scopes = ["email"],
    client_auth = "header",
    pkce = true,
)]
struct RefusedScope;

fn basic() -> OAuth2Client {
    OAuth2Client::new(
        BasicClient::DEFINITION,
        ClientCredentials::new(
            ClientId::new("basic-client"),
            Some(ClientSecret::new("basic-secret")),
        ),
        REDIRECT_URI,
    )
    .unwrap()
}

fn post() -> OAuth2Client {
    OAuth2Client::new(
        PostClient::DEFINITION,
        ClientCredentials::new(
            ClientId::new("post-client"),
            Some(ClientSecret::new("post-secret")),
        ),
        REDIRECT_URI,
    )
    .unwrap()
}

fn public() -> OAuth2Client {
    OAuth2Client::new(
        PublicClient::DEFINITION,
        ClientCredentials::new(ClientId::new("public-client"), None),
        REDIRECT_URI,
    )
    .unwrap()
}

fn http() -> UreqClient {
    UreqClient::new()
}

/// alice signs in, grants the client its scopes, and follows the authorize URL.
fn authorize(
    client: &OAuth2Client,
    client_id: &str,
) -> (connkit::oauth2::PendingAuthorization, String) {
    let request = client.authorize().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let callback = runtime.block_on(async {
        glewlwyd_signed_in(API, client_id, "api")
            .await
            .follow_to_callback(request.url.as_str(), continue_past_login_page)
            .await
            .unwrap()
    });
    (request.pending, callback)
}

/// Authorizes and completes the callback.
fn authorized(client: &OAuth2Client, client_id: &str) -> CompletedAuthorization {
    let (pending, callback) = authorize(client, client_id);
    client
        .complete(pending, &callback)
        .unwrap_or_else(|error| panic!("{error}: {callback}"))
}

/// Exchanges a fresh code with one field of the pending authorization replaced before the
/// callback completes it (the pending authorization is plain serialized data).
fn exchange_tampered(
    client: &OAuth2Client,
    client_id: &str,
    field: &str,
    value: serde_json::Value,
) -> TokenError {
    let (pending, callback) = authorize(client, client_id);
    let completed = client
        .complete(tampered(&pending, field, value), &callback)
        .unwrap();
    client
        .exchange_code_blocking(&http(), &completed)
        .unwrap_err()
}

fn tokens(client: &OAuth2Client, client_id: &str) -> TokenSet {
    let completed = authorized(client, client_id);
    client.exchange_code_blocking(&http(), &completed).unwrap()
}

fn full_flow(client: &OAuth2Client, client_id: &str) {
    let first = tokens(client, client_id);
    assert!(first.access_token().expose_secret().len() > 10);
    assert!(first.token_type().unwrap().eq_ignore_ascii_case("bearer"));
    assert!(first.expires_at().is_some());
    assert!(first.refresh_token().is_some());
    let second = client.refresh_blocking(&http(), &first).unwrap();
    assert_ne!(second.access_token(), first.access_token());
    let third = client.refresh_blocking(&http(), &second).unwrap();
    assert_ne!(third.access_token(), second.access_token());
}

/// glewlwyd refuses with a status and either a (non-RFC) error code or an empty body.
fn assert_refused(error: &TokenError, status: u16, code: Option<OAuthErrorCode>) {
    match (error, code) {
        (TokenError::Response(TokenResponseError::OAuth(error)), Some(code)) => {
            assert_eq!((error.status, &error.code), (status, &code), "{error}");
        }
        (TokenError::Response(TokenResponseError::Status { status: found, .. }), None) => {
            assert_eq!(*found, status)
        }
        (error, code) => panic!("expected HTTP {status} with {code:?}, got {error:?}"),
    }
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn full_flow_with_http_basic_client_auth() {
    let _turn = turn();
    full_flow(&basic(), "basic-client");
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn full_flow_with_client_credentials_in_the_body() {
    let _turn = turn();
    full_flow(&post(), "post-client");
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn full_flow_as_a_public_client_with_pkce() {
    let _turn = turn();
    full_flow(&public(), "public-client");
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn refresh_rotation_retires_the_old_refresh_token() {
    let _turn = turn();
    let client = basic();
    let first = tokens(&client, "basic-client");
    let second = client.refresh_blocking(&http(), &first).unwrap();
    assert_ne!(
        second.refresh_token(),
        first.refresh_token(),
        "a rotated refresh token"
    );
    let third = client.refresh_blocking(&http(), &second).unwrap();
    assert_ne!(third.refresh_token(), second.refresh_token());
    // The used token fails (400, empty body), and its reuse revokes the chain: the newest token
    // fails from then on as well.
    assert_refused(
        &client.refresh_blocking(&http(), &first).unwrap_err(),
        400,
        None,
    );
    assert_refused(
        &client.refresh_blocking(&http(), &third).unwrap_err(),
        400,
        None,
    );
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn a_wrong_client_secret_is_refused_cleanly() {
    let _turn = turn();
    for (definition, id, secret) in [
        (BasicClient::DEFINITION, "basic-client", "basic-secret"),
        (PostClient::DEFINITION, "post-client", "post-secret"),
    ] {
        let right = OAuth2Client::new(
            definition,
            ClientCredentials::new(ClientId::new(id), Some(ClientSecret::new(secret))),
            REDIRECT_URI,
        )
        .unwrap();
        let completed = authorized(&right, id);
        let wrong = OAuth2Client::new(
            definition,
            ClientCredentials::new(ClientId::new(id), Some(ClientSecret::new("wrong-secret"))),
            REDIRECT_URI,
        )
        .unwrap();
        let error = wrong
            .exchange_code_blocking(&http(), &completed)
            .unwrap_err();
        // glewlwyd's client-authentication failure is 403 unauthorized_client.
        assert_refused(&error, 403, Some(OAuthErrorCode::UnauthorizedClient));
        assert!(!format!("{error} {error:?}").contains("wrong-secret"));
    }
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn a_wrong_pkce_verifier_is_refused() {
    let _turn = turn();
    let other_verifier = connkit::secret::PkceVerifier::generate().unwrap();
    let error = exchange_tampered(
        &public(),
        "public-client",
        "pkce_verifier",
        serde_json::json!(other_verifier.expose_secret()),
    );
    assert_refused(
        &error,
        403,
        Some(OAuthErrorCode::Other("invalid_code".into())),
    );
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn a_wrong_redirect_uri_is_refused() {
    let _turn = turn();
    let error = exchange_tampered(
        &basic(),
        "basic-client",
        "redirect_uri",
        serde_json::json!("http://127.0.0.1:9999/other"),
    );
    assert_refused(&error, 403, Some(OAuthErrorCode::UnauthorizedClient));
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn a_replayed_code_is_refused() {
    let _turn = turn();
    let client = post();
    let completed = authorized(&client, "post-client");
    client.exchange_code_blocking(&http(), &completed).unwrap();
    let error = client
        .exchange_code_blocking(&http(), &completed)
        .unwrap_err();
    assert_refused(
        &error,
        403,
        Some(OAuthErrorCode::Other("invalid_code".into())),
    );
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn a_refused_consent_gives_a_typed_error_with_the_state() {
    let _turn = turn();
    // glewlwyd has no API that answers access_denied; a scope the user cannot consent to is
    // refused on the redirect URI with invalid_scope.
    let client = OAuth2Client::new(
        RefusedScope::DEFINITION,
        ClientCredentials::new(
            ClientId::new("basic-client"),
            Some(ClientSecret::new("basic-secret")),
        ),
        REDIRECT_URI,
    )
    .unwrap();
    let (pending, callback) = authorize(&client, "basic-client");
    let sent_state = pending.state().clone();
    match client.complete(pending, &callback) {
        Err(CallbackError::Authorization { code, state, .. }) => {
            assert_eq!(code, AuthorizationErrorCode::InvalidScope);
            assert_eq!(state, sent_state);
        }
        other => panic!("expected invalid_scope, got {other:?}"),
    }
}

#[test]
#[ignore = "needs glewlwyd on 127.0.0.1:18083; scripts/test.sh starts it and runs this test"]
fn an_unsupported_grant_type_is_refused_cleanly() {
    let _turn = turn();
    let client = basic();
    let completed = authorized(&client, "basic-client");
    let request = with_grant_type(
        client.exchange_request(&completed).unwrap(),
        "urn:example:unsupported",
    );
    let response = http().send(request).unwrap();
    let error = client
        .read_exchange_response(&response, std::time::SystemTime::now())
        .unwrap_err();
    assert_refused(&error, 400, None);
}
