//! The flow against oidc-provider (npm, OpenID Certified) on 127.0.0.1:18081, started by
//! `scripts/test.sh` from `tests/interop/oidc-provider`. HTTP through the reqwest adapter.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Browser, REDIRECT_URI, require_server, tampered, with_grant_type};
use connkit::http::{HttpClient, ReqwestClient};
use connkit::{
    OAuth2Client, TokenSet, credentials::ClientCredentials, credentials::ClientId,
    oauth2::AuthorizationErrorCode, oauth2::CallbackError, oauth2::CompletedAuthorization,
    oauth2::OAuthErrorCode, oauth2::TokenError, oauth2::TokenResponseError, oauth2_connection,
    secret::ClientSecret,
};

const ADDRESS: &str = "127.0.0.1:18081";
const ISSUER: &str = "http://127.0.0.1:18081";

#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-basic",
    name = "oidc-provider, HTTP Basic",
    description = "client_secret_basic client",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access", "api"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
struct BasicClient;

#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-post",
    name = "oidc-provider, form body",
    description = "client_secret_post client",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access"],
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
struct PostClient;

#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-public",
    name = "oidc-provider, public",
    description = "public client with PKCE",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access"],
    auth_params = { prompt = "consent" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
struct PublicClient;

/// The basic client's definition with another server's issuer: what a client would hold in a
/// mix-up attack, where an attacker's server and this one are confused.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-mixed-up",
    name = "oidc-provider, expecting another issuer",
    description = "client_secret_basic client",
    authorize_url = "http://127.0.0.1:18081/auth",
    token_url = "http://127.0.0.1:18081/token",
    scopes = ["openid", "offline_access", "api"],
    client_auth = "header",
    auth_params = { prompt = "consent" },
    issuer = "https://attacker.example",
)]
struct MixedUpClient;

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

fn http() -> ReqwestClient {
    ReqwestClient::new().unwrap()
}

/// Authorize in the browser and return the pending authorization and the callback URL.
async fn authorize(
    client: &OAuth2Client,
    extra_query: &str,
) -> (connkit::oauth2::PendingAuthorization, String) {
    let request = client.authorize().unwrap();
    let url = format!("{}{extra_query}", request.url);
    let callback = Browser::new()
        .follow_to_callback(&url, |_| None)
        .await
        .unwrap();
    (request.pending, callback)
}

/// Authorizes and completes the callback (its issuer checked against the definition's).
async fn authorized(client: &OAuth2Client) -> CompletedAuthorization {
    let (pending, callback) = authorize(client, "").await;
    client
        .complete(pending, &callback)
        .unwrap_or_else(|error| panic!("{error}: {callback}"))
}

/// Exchanges a fresh code with one field of the pending authorization replaced before the
/// callback completes it (the pending authorization is plain serialized data).
async fn exchange_tampered(
    client: &OAuth2Client,
    field: &str,
    value: serde_json::Value,
) -> TokenError {
    let (pending, callback) = authorize(client, "").await;
    let completed = client
        .complete(tampered(&pending, field, value), &callback)
        .unwrap();
    client.exchange_code(&http(), &completed).await.unwrap_err()
}

/// The whole flow up to tokens.
async fn tokens(client: &OAuth2Client) -> TokenSet {
    let completed = authorized(client).await;
    assert_eq!(completed.issuer(), Some(ISSUER), "oidc-provider sends iss");
    client.exchange_code(&http(), &completed).await.unwrap()
}

async fn full_flow(client: &OAuth2Client) {
    let first = tokens(client).await;
    assert!(first.access_token().expose_secret().len() > 10);
    assert!(first.token_type().unwrap().eq_ignore_ascii_case("bearer"));
    assert!(first.expires_at().is_some());
    assert!(first.refresh_token().is_some());
    assert!(
        first.metadata().contains_key("id_token"),
        "OIDC id_token kept as metadata"
    );
    let second = client.refresh(&http(), &first).await.unwrap();
    assert_ne!(second.access_token(), first.access_token());
    let third = client.refresh(&http(), &second).await.unwrap();
    assert_ne!(third.access_token(), second.access_token());
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn full_flow_with_http_basic_client_auth() {
    require_server("oidc-provider", ADDRESS);
    full_flow(&basic()).await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn full_flow_with_client_credentials_in_the_body() {
    require_server("oidc-provider", ADDRESS);
    full_flow(&post()).await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn full_flow_as_a_public_client_with_pkce() {
    require_server("oidc-provider", ADDRESS);
    full_flow(&public()).await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn refresh_rotation_retires_the_old_refresh_token() {
    require_server("oidc-provider", ADDRESS);
    let client = basic();
    let first = tokens(&client).await;
    let second = client.refresh(&http(), &first).await.unwrap();
    assert_ne!(
        second.refresh_token(),
        first.refresh_token(),
        "a rotated refresh token"
    );
    let third = client.refresh(&http(), &second).await.unwrap();
    assert_ne!(third.refresh_token(), second.refresh_token());
    // The used token fails, and its reuse revokes the grant (token theft detection): the newest
    // token fails from then on as well.
    let reused = client.refresh(&http(), &first).await.unwrap_err();
    assert_eq!(
        reused.oauth_code(),
        Some(&OAuthErrorCode::InvalidGrant),
        "{reused}"
    );
    let revoked = client.refresh(&http(), &third).await.unwrap_err();
    assert_eq!(
        revoked.oauth_code(),
        Some(&OAuthErrorCode::InvalidGrant),
        "{revoked}"
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_wrong_client_secret_is_invalid_client() {
    require_server("oidc-provider", ADDRESS);
    for (right, definition) in [
        (basic(), BasicClient::DEFINITION),
        (post(), PostClient::DEFINITION),
    ] {
        let completed = authorized(&right).await;
        let id = if definition.client_auth() == connkit::definition::ClientAuth::Header {
            "basic-client"
        } else {
            "post-client"
        };
        let wrong = OAuth2Client::new(
            definition,
            ClientCredentials::new(ClientId::new(id), Some(ClientSecret::new("wrong-secret"))),
            REDIRECT_URI,
        )
        .unwrap();
        let error = wrong.exchange_code(&http(), &completed).await.unwrap_err();
        assert_eq!(
            error.oauth_code(),
            Some(&OAuthErrorCode::InvalidClient),
            "{error}"
        );
        assert!(!error.to_string().contains("wrong-secret"));
    }
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_wrong_pkce_verifier_is_invalid_grant() {
    require_server("oidc-provider", ADDRESS);
    let other_verifier = connkit::secret::PkceVerifier::generate().unwrap();
    let error = exchange_tampered(
        &public(),
        "pkce_verifier",
        serde_json::json!(other_verifier.expose_secret()),
    )
    .await;
    assert_eq!(
        error.oauth_code(),
        Some(&OAuthErrorCode::InvalidGrant),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_wrong_redirect_uri_is_invalid_grant() {
    require_server("oidc-provider", ADDRESS);
    let error = exchange_tampered(
        &basic(),
        "redirect_uri",
        serde_json::json!("http://127.0.0.1:9999/other"),
    )
    .await;
    assert_eq!(
        error.oauth_code(),
        Some(&OAuthErrorCode::InvalidGrant),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_replayed_code_is_invalid_grant() {
    require_server("oidc-provider", ADDRESS);
    let client = post();
    let completed = authorized(&client).await;
    client.exchange_code(&http(), &completed).await.unwrap();
    let error = client.exchange_code(&http(), &completed).await.unwrap_err();
    assert_eq!(
        error.oauth_code(),
        Some(&OAuthErrorCode::InvalidGrant),
        "{error}"
    );
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_user_who_denies_consent_gives_a_typed_error_with_the_state() {
    require_server("oidc-provider", ADDRESS);
    let client = basic();
    let (pending, callback) = authorize(&client, "&login_hint=deny").await;
    let sent_state = pending.state().clone();
    match client.complete(pending, &callback) {
        Err(CallbackError::Authorization {
            code,
            description,
            state,
            ..
        }) => {
            assert_eq!(code, AuthorizationErrorCode::AccessDenied);
            assert_eq!(description.as_deref(), Some("End-User denied the request"));
            assert_eq!(state, sent_state);
        }
        other => panic!("expected access_denied, got {other:?}"),
    }
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn an_unsupported_grant_type_is_typed() {
    require_server("oidc-provider", ADDRESS);
    let client = basic();
    let completed = authorized(&client).await;
    let request = with_grant_type(
        client.exchange_request(&completed).unwrap(),
        "urn:example:unsupported",
    );
    let response = http().send(request).await.unwrap();
    let error = client
        .read_exchange_response(&response, std::time::SystemTime::now())
        .unwrap_err();
    assert_eq!(
        error.oauth_code(),
        Some(&OAuthErrorCode::UnsupportedGrantType),
        "{error}"
    );
    assert!(matches!(
        error,
        TokenError::Response(TokenResponseError::OAuth(connkit::oauth2::OAuthError {
            status: 400,
            ..
        }))
    ));
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_callback_from_another_issuer_is_refused() {
    require_server("oidc-provider", ADDRESS);
    let client = OAuth2Client::new(
        MixedUpClient::DEFINITION,
        ClientCredentials::new(
            ClientId::new("basic-client"),
            Some(ClientSecret::new("basic-secret")),
        ),
        REDIRECT_URI,
    )
    .unwrap();
    let (pending, callback) = authorize(&client, "").await;
    match client.complete(pending, &callback) {
        Err(CallbackError::IssuerMismatch { expected, found }) => {
            assert_eq!(expected, "https://attacker.example");
            assert_eq!(found.as_deref(), Some(ISSUER));
        }
        other => panic!("expected an issuer mismatch, got {other:?}"),
    }
}

/// The basic client as a self-hosted server whose host the user supplies: `hosts` lists the
/// loopback address oidc-provider listens on, which is what lets a whole-host input name an IP
/// address (and plain `http`).
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-self-hosted",
    name = "oidc-provider, host from the user",
    description = "client_secret_basic client on a server the user names",
    inputs = {
        host = { label = "Server" },
        hint = { label = "Login hint", pattern = "[a-z]+", default = "alice" },
    },
    hosts = ["127.0.0.1"],
    authorize_url = "http://{host}:18081/auth",
    token_url = "http://{host}:18081/token",
    revoke_url = "http://{host}:18081/token/revocation",
    scopes = ["openid", "offline_access", "api"],
    client_auth = "header",
    auth_params = { prompt = "consent", login_hint = "{hint}" },
    issuer = "http://127.0.0.1:18081",
    require_iss = true,
)]
struct SelfHostedClient;

/// The same server behind a definition whose `hosts` does not list it.
#[oauth2_connection(
    id = "oidc-provider_connection_oauth2-elsewhere",
    name = "oidc-provider, other hosts only",
    description = "client_secret_basic client, hosts under example.com only",
    inputs = { host = { label = "Server" } },
    hosts = ["*.example.com"],
    authorize_url = "https://{host}:18081/auth",
    token_url = "https://{host}:18081/token",
    scopes = ["openid", "offline_access", "api"],
    client_auth = "header",
)]
struct ElsewhereClient;

fn basic_credentials() -> ClientCredentials {
    ClientCredentials::new(
        ClientId::new("basic-client"),
        Some(ClientSecret::new("basic-secret")),
    )
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_whole_host_input_listed_in_hosts_reaches_the_server_and_revokes() {
    require_server("oidc-provider", ADDRESS);
    let inputs = connkit::definition::InputValues::new().with("host", "127.0.0.1");
    let client = OAuth2Client::with_inputs(
        SelfHostedClient::DEFINITION,
        basic_credentials(),
        REDIRECT_URI,
        &inputs,
    )
    .unwrap();
    let request = client.authorize().unwrap();
    assert!(
        request
            .url
            .as_str()
            .starts_with("http://127.0.0.1:18081/auth?"),
        "{}",
        request.url
    );
    assert!(request.url.as_str().contains("&login_hint=alice"));
    let first = tokens(&client).await;
    let second = client.refresh(&http(), &first).await.unwrap();
    assert_ne!(second.access_token(), first.access_token());
    // RFC 7009: revoking the refresh token ends it; the next refresh is invalid_grant.
    assert!(client.revoke(&http(), &second).await.unwrap());
    let error = client.refresh(&http(), &second).await.unwrap_err();
    assert_eq!(error.oauth_code(), Some(&OAuthErrorCode::InvalidGrant));
    // Revoking again is a success too (§2.2: an invalid token is not an error).
    assert!(client.revoke(&http(), &second).await.unwrap());
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn the_same_host_is_refused_by_a_definition_that_does_not_list_it() {
    require_server("oidc-provider", ADDRESS);
    let inputs = connkit::definition::InputValues::new().with("host", "127.0.0.1");
    let error = OAuth2Client::with_inputs(
        ElsewhereClient::DEFINITION,
        basic_credentials(),
        REDIRECT_URI,
        &inputs,
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the value of `host` cannot be the whole host: IP addresses and `localhost` are refused unless `hosts` lists them"
    );
    // A name it does list still needs to be one: the guard runs before any request.
    for host in [
        "127.0.0.1.example.com@127.0.0.1",
        "a.example.com:18081",
        "evil.test",
    ] {
        let inputs = connkit::definition::InputValues::new().with("host", host);
        assert!(
            OAuth2Client::with_inputs(
                ElsewhereClient::DEFINITION,
                basic_credentials(),
                REDIRECT_URI,
                &inputs
            )
            .is_err(),
            "{host}"
        );
    }
}
