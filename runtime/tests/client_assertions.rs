//! Client assertions (RFC 7523 §2.2) as connkit sends them: the claims, the header, a fresh
//! `jti` per request, verified with the public key; the client's key read from the environment
//! with its key id; and no key material in any `Debug`, `Display` or error.

#![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use connkit::credentials::{ClientCredentialSource, ClientCredentials, ClientId, Env};
use connkit::definition::{ConnectionType, InputValues};
use connkit::oauth2::ClientCredentialsClient;
use connkit::secret::{ClientSecret, PrivateKey};
use connkit::{OAuth2Client, client_credentials_connection, oauth2_connection};

const ED25519: &str = include_str!("keys/rfc8037-ed25519.pkcs8.pem");
const ED25519_PUBLIC_X: &str = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
const CHILD_MARKER: &str = "CONNKIT_ASSERTION_CHILD";

#[client_credentials_connection(
    id = "acme_connection_client-credentials",
    name = "Service",
    description = "Acme",
    token_url = "https://auth.acme.example/oauth/token",
    scopes = ["reports"],
    client_auth = "private_key_jwt",
)]
struct Signed;

#[client_credentials_connection(
    id = "acme_connection_client-credentials-hmac",
    name = "Service",
    description = "Acme",
    token_url = "https://auth.acme.example/oauth/token",
    client_auth = "client_secret_jwt"
)]
struct Hmac;

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/oauth/token",
    scopes = [],
    client_auth = "private_key_jwt",
)]
struct SignedCode;

fn form(request: &http::Request<Vec<u8>>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(request.body())
        .into_owned()
        .collect()
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn decode(part: &str) -> serde_json::Value {
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[test]
fn a_private_key_jwt_assertion_carries_the_rfc_7523_claims_and_verifies() {
    let credentials = ClientCredentials::new(ClientId::new("my-client"), None)
        .with_key(PrivateKey::new(ED25519), Some("key-1".to_owned()));
    let client =
        ClientCredentialsClient::new(Signed::DEFINITION, credentials, &InputValues::new()).unwrap();
    let request = client.token_request().unwrap();
    let form = form(&request);
    assert_eq!(field(&form, "grant_type"), Some("client_credentials"));
    assert_eq!(field(&form, "scope"), Some("reports"));
    assert_eq!(field(&form, "client_id"), Some("my-client"));
    assert_eq!(
        field(&form, "client_assertion_type"),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    assert!(field(&form, "client_secret").is_none());
    assert!(request.headers().get("authorization").is_none());
    let assertion = field(&form, "client_assertion").unwrap();
    let parts: Vec<&str> = assertion.split('.').collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(
        decode(parts[0]),
        serde_json::json!({"alg": "EdDSA", "kid": "key-1", "typ": "JWT"})
    );
    let claims = decode(parts[1]);
    assert_eq!(claims["iss"], "my-client");
    assert_eq!(claims["sub"], "my-client");
    assert_eq!(claims["aud"], "https://auth.acme.example/oauth/token");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let issued = claims["iat"].as_u64().unwrap();
    assert!(issued.abs_diff(now) <= 5, "{claims}");
    assert_eq!(claims["exp"].as_u64().unwrap(), issued + 60);
    // Signed with the key: the public half verifies it.
    let public = URL_SAFE_NO_PAD.decode(ED25519_PUBLIC_X).unwrap();
    let verified = verify_ed25519(&public, &format!("{}.{}", parts[0], parts[1]), parts[2]);
    assert!(verified);
    // A fresh jti for every request: a provider takes each assertion once.
    let again = form_of_assertion(&client);
    assert_ne!(
        decode(again.split('.').nth(1).unwrap())["jti"],
        claims["jti"]
    );
    // Neither the client nor the request's debug form shows the key.
    assert!(!format!("{client:?}").contains("MC4C"));
}

/// Verifies an Ed25519 signature with the public key, with the aws-lc-rs connkit builds.
fn verify_ed25519(public: &[u8], input: &str, signature: &str) -> bool {
    use aws_lc_rs::signature::{ED25519, UnparsedPublicKey};
    UnparsedPublicKey::new(&ED25519, public)
        .verify(
            input.as_bytes(),
            &URL_SAFE_NO_PAD.decode(signature).unwrap(),
        )
        .is_ok()
}

fn form_of_assertion(client: &ClientCredentialsClient) -> String {
    let request = client.token_request().unwrap();
    field(&form(&request), "client_assertion")
        .unwrap()
        .to_owned()
}

#[test]
fn a_client_secret_jwt_assertion_is_an_hmac_of_the_secret() {
    let secret = "a-client-secret-of-thirty-two-bytes!";
    let credentials =
        ClientCredentials::new(ClientId::new("my-client"), Some(ClientSecret::new(secret)));
    let client =
        ClientCredentialsClient::new(Hmac::DEFINITION, credentials, &InputValues::new()).unwrap();
    let request = client.token_request().unwrap();
    let form = form(&request);
    assert!(
        field(&form, "client_secret").is_none(),
        "the secret is never sent"
    );
    let assertion = field(&form, "client_assertion").unwrap();
    let (input, mac) = assertion.rsplit_once('.').unwrap();
    assert_eq!(decode(input.split('.').next().unwrap())["alg"], "HS256");
    let key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, secret.as_bytes());
    assert!(
        aws_lc_rs::hmac::verify(
            &key,
            input.as_bytes(),
            &URL_SAFE_NO_PAD.decode(mac).unwrap()
        )
        .is_ok()
    );
    assert!(!String::from_utf8_lossy(request.body()).contains(secret));
}

#[test]
fn the_exchange_signs_too() {
    let credentials = ClientCredentials::new(ClientId::new("my-client"), None)
        .with_key(PrivateKey::new(ED25519), None);
    let client = OAuth2Client::new(
        SignedCode::DEFINITION,
        credentials,
        "https://app.example/cb",
    )
    .unwrap();
    let request = client.authorize().unwrap();
    let callback = format!(
        "https://app.example/cb?code=c0de&state={}",
        request.pending.state().expose_secret()
    );
    let completed = client.complete(request.pending, &callback).unwrap();
    let exchange = client.exchange_request(&completed).unwrap();
    let form = form(&exchange);
    assert_eq!(field(&form, "grant_type"), Some("authorization_code"));
    assert!(field(&form, "client_assertion").is_some());
}

#[test]
fn the_environment_gives_the_key_and_its_id() {
    if std::env::var_os(CHILD_MARKER).is_none() {
        let output = Command::new(std::env::current_exe().unwrap())
            .args([
                "the_environment_gives_the_key_and_its_id",
                "--exact",
                "--nocapture",
            ])
            .env(CHILD_MARKER, "1")
            .env("INTEGRATION_ACME_CLIENT_ID", "env-client")
            // Line breaks as `\n`, as a variable usually holds a PEM.
            .env(
                "INTEGRATION_ACME_CLIENT_KEY",
                ED25519.trim_end().replace('\n', "\\n"),
            )
            .env("INTEGRATION_ACME_CLIENT_KEY_ID", "env-key")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("1 passed"));
        return;
    }
    let credentials = Env
        .client_credentials(SignedCode::CONNECTION_DEFINITION)
        .unwrap();
    assert_eq!(credentials.client_id.as_str(), "env-client");
    assert!(credentials.client_secret.is_none());
    assert_eq!(credentials.client_key_id.as_deref(), Some("env-key"));
    assert!(!format!("{credentials:?}").contains("MC4C"));
    let client = OAuth2Client::new(
        SignedCode::DEFINITION,
        credentials,
        "https://app.example/cb",
    )
    .unwrap();
    assert!(!format!("{client:?}").contains("MC4C"));
    // A definition whose owner gives the client reads no variable.
    assert_eq!(
        Env.problems(Signed::CONNECTION_DEFINITION).len(),
        0,
        "an owner's client reads no variable"
    );
}
