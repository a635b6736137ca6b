//! Client authentication by signed JWT (RFC 7523 §2.2) against the real oidc-provider:
//! `private_key_jwt` with RS256, ES256 and EdDSA keys and `client_secret_jwt` (HS256) on the
//! client-credentials grant, and `private_key_jwt` on an authorization-code exchange and its
//! refresh, over both HTTP adapters. The keys are RFC 7515's and RFC 8037's examples; the
//! provider registers their public halves (tests/interop/oidc-provider/server.mjs).

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use common::{Browser, REDIRECT_URI, require_server};
use connkit::credentials::{ClientCredentials, ClientId};
use connkit::definition::InputValues;
use connkit::http::{ReqwestClient, UreqClient};
use connkit::oauth2::{ClientCredentialsClient, ClientError, OAuthErrorCode};
use connkit::secret::{ClientSecret, PrivateKey};
use connkit::store::{Connections, SqliteBackend, Store};
use connkit::{OAuth2Client, credentials::ClientCredentialMap};
use connkit_interop::{
    MACHINE_REGISTRY, OIDC_PROVIDER, SecretJwtMachineClient, SignedCodeClient, SignedMachineClient,
    keyring,
};

const ADDRESS: &str = "127.0.0.1:18081";
const RSA: &str = include_str!("../../../runtime/tests/keys/rfc7515-rsa.pkcs8.pem");
const RSA_PKCS1: &str = include_str!("../../../runtime/tests/keys/rfc7515-rsa.pkcs1.pem");
const P256: &str = include_str!("../../../runtime/tests/keys/rfc7515-p256.pkcs8.pem");
const P256_SEC1: &str = include_str!("../../../runtime/tests/keys/rfc7515-p256.sec1.pem");
const ED25519: &str = include_str!("../../../runtime/tests/keys/rfc8037-ed25519.pkcs8.pem");
const ENCRYPTED: &str = include_str!("../../../runtime/tests/keys/encrypted.pkcs8.pem");

fn signed(client_id: &str, pem: &str) -> ClientCredentials {
    ClientCredentials::new(ClientId::new(client_id), None).with_key(PrivateKey::new(pem), None)
}

fn secret_jwt() -> ClientCredentials {
    ClientCredentials::new(
        ClientId::new("csjwt-client"),
        Some(ClientSecret::new(
            "csjwt-secret-of-at-least-thirty-two-bytes",
        )),
    )
}

/// What the introspection endpoint says of `token`, asked by the basic machine client.
async fn active(token: &str) -> bool {
    let response = reqwest::Client::new()
        .post(format!("{OIDC_PROVIDER}/token/introspection"))
        .basic_auth("cc-client", Some("cc-secret"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("token={token}"))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    body["active"] == true
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn every_signing_key_and_the_hmac_authenticate_a_machine_client_over_both_adapters() {
    require_server("oidc-provider", ADDRESS);
    let none = InputValues::new();
    let cases = [
        ("jwt-rs-client", RSA),
        ("jwt-rs-client", RSA_PKCS1),
        ("jwt-es-client", P256),
        ("jwt-es-client", P256_SEC1),
        ("jwt-ed-client", ED25519),
    ];
    for (client_id, pem) in cases {
        let client = ClientCredentialsClient::new(
            SignedMachineClient::DEFINITION,
            signed(client_id, pem),
            &none,
        )
        .unwrap();
        let over_reqwest = client.obtain(&ReqwestClient::new().unwrap()).await.unwrap();
        assert!(
            active(over_reqwest.access_token().expose_secret()).await,
            "{client_id}"
        );
        let over_ureq =
            tokio::task::spawn_blocking(move || client.obtain_blocking(&UreqClient::new()))
                .await
                .unwrap()
                .unwrap();
        assert!(
            active(over_ureq.access_token().expose_secret()).await,
            "{client_id}"
        );
    }
    // A key the provider did not register for the client is refused, as is a wrong secret.
    let wrong = ClientCredentialsClient::new(
        SignedMachineClient::DEFINITION,
        signed("jwt-rs-client", ED25519),
        &none,
    )
    .unwrap();
    let error = wrong
        .obtain(&ReqwestClient::new().unwrap())
        .await
        .unwrap_err();
    assert_eq!(error.oauth_code(), Some(&OAuthErrorCode::InvalidClient));

    let hmac =
        ClientCredentialsClient::new(SecretJwtMachineClient::DEFINITION, secret_jwt(), &none)
            .unwrap();
    let tokens = hmac.obtain(&ReqwestClient::new().unwrap()).await.unwrap();
    assert!(active(tokens.access_token().expose_secret()).await);
    let tokens = tokio::task::spawn_blocking(move || hmac.obtain_blocking(&UreqClient::new()))
        .await
        .unwrap()
        .unwrap();
    assert!(active(tokens.access_token().expose_secret()).await);
    let wrong_secret = ClientCredentials::new(
        ClientId::new("csjwt-client"),
        Some(ClientSecret::new("not-the-secret-of-thirty-two-bytes!!")),
    );
    let refused =
        ClientCredentialsClient::new(SecretJwtMachineClient::DEFINITION, wrong_secret, &none)
            .unwrap()
            .obtain(&ReqwestClient::new().unwrap())
            .await
            .unwrap_err();
    assert_eq!(refused.oauth_code(), Some(&OAuthErrorCode::InvalidClient));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn a_stored_signed_machine_connection_keeps_its_key_sealed_and_renews() {
    require_server("oidc-provider", ADDRESS);
    let connections = Connections::new(
        Store::new(SqliteBackend::in_memory().unwrap(), keyring()),
        MACHINE_REGISTRY,
        ClientCredentialMap::new(),
        ReqwestClient::new().unwrap(),
        REDIRECT_URI,
    )
    .unwrap();
    let stored = connections
        .connect_client_credentials(
            SignedMachineClient::DEFINITION.id(),
            "workspace-1",
            Some(signed("jwt-ed-client", ED25519)),
            &InputValues::new(),
        )
        .await
        .unwrap();
    assert!(!format!("{stored:?}").contains("BEGIN"));
    // Expired: the new token is obtained with the key read back from the seal.
    let mut expired = stored.clone();
    let mut json = serde_json::to_value(&expired.tokens).unwrap();
    json["expires_at"] = 1.into();
    expired.tokens = serde_json::from_value(json).unwrap();
    connections.store().save(&expired).await.unwrap();
    let token = connections.access_token(&stored.id).await.unwrap();
    assert_ne!(&token, stored.tokens.access_token());
    assert!(active(token.expose_secret()).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs oidc-provider on 127.0.0.1:18081; scripts/test.sh starts it and runs this test"]
async fn private_key_jwt_on_the_code_exchange_and_the_refresh() {
    require_server("oidc-provider", ADDRESS);
    let client = OAuth2Client::new(
        SignedCodeClient::DEFINITION,
        signed("jwt-code-client", P256),
        REDIRECT_URI,
    )
    .unwrap();
    let request = client.authorize().unwrap();
    let callback = Browser::new()
        .follow_to_callback(request.url.as_str(), |_| None)
        .await
        .unwrap();
    let completed = client.complete(request.pending, &callback).unwrap();
    let tokens = client
        .exchange_code(&ReqwestClient::new().unwrap(), &completed)
        .await
        .unwrap();
    assert!(tokens.refresh_token().is_some());
    // The refresh signs a new assertion (a fresh jti: the provider takes each once).
    let refreshed =
        tokio::task::spawn_blocking(move || client.refresh_blocking(&UreqClient::new(), &tokens))
            .await
            .unwrap()
            .unwrap();
    assert!(active(refreshed.access_token().expose_secret()).await);

    // A key that is not a key, or an encrypted one, is refused before any request, without
    // any of the key in the error.
    for (pem, expected) in [
        (ENCRYPTED, "encrypted"),
        (
            "-----BEGIN PRIVATE KEY-----\nc2VjcmV0\n-----END PRIVATE KEY-----",
            "not a key connkit can sign with",
        ),
    ] {
        let error = OAuth2Client::new(
            SignedCodeClient::DEFINITION,
            signed("jwt-code-client", pem),
            REDIRECT_URI,
        )
        .unwrap_err();
        assert!(matches!(error, ClientError::ClientKey { .. }), "{error:?}");
        let text = std::error::Error::source(&error).unwrap().to_string();
        assert!(text.contains(expected), "{text}");
        assert!(!error.to_string().contains("c2VjcmV0"));
    }
    let keyless = OAuth2Client::new(
        SignedCodeClient::DEFINITION,
        ClientCredentials::new(ClientId::new("jwt-code-client"), None),
        REDIRECT_URI,
    )
    .unwrap_err();
    assert!(matches!(keyless, ClientError::MissingClientKey { .. }));
}
