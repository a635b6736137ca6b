//! The API-key, basic-auth and key-pair kinds at run time: where each credential goes in a
//! request, and that no credential shows in `Debug`, `Display` or an error.

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use connkit::credentials::{ClientCredentialError, ClientCredentialSource, Env};
use connkit::{
    api_key_connection, basic_auth_connection, definition::BasicCredentials,
    definition::ConnectionType, definition::KeyPair, definition::PlacementError,
    key_pair_connection, secret::ApiKey, secret::Password, secret::PrivateKey,
};

#[api_key_connection(
    id = "openai_connection_api-key",
    name = "API key",
    description = "Bearer key",
    header = "Authorization",
    prefix = "Bearer "
)]
struct Bearer;

#[api_key_connection(
    id = "acme_connection_api-key",
    name = "API key",
    description = "Own header",
    header = "X-Api-Key"
)]
struct OwnHeader;

#[api_key_connection(
    id = "zendesk_connection_api-key",
    name = "API token",
    description = "Query parameter",
    query = "api_token"
)]
struct InQuery;

#[basic_auth_connection(
    id = "jira_connection_basic-auth",
    name = "Basic",
    description = "Email and token"
)]
struct Basic;

#[key_pair_connection(
    id = "coinbase_connection_key-pair",
    name = "Key pair",
    description = "CDP key"
)]
struct Pair;

const KEY: &str = "sk-test-9f3c/+=&?#";

fn request() -> http::Request<Vec<u8>> {
    http::Request::get("https://api.example.com/v1/items?page=2")
        .body(Vec::new())
        .unwrap()
}

#[test]
fn an_api_key_goes_where_its_definition_says() {
    let key = ApiKey::new(KEY);
    let mut bearer = request();
    Bearer::DEFINITION.authorize(&mut bearer, &key).unwrap();
    assert_eq!(
        bearer.headers()["authorization"],
        format!("Bearer {KEY}").as_str()
    );
    assert!(bearer.headers()["authorization"].is_sensitive());
    assert_eq!(bearer.uri(), "https://api.example.com/v1/items?page=2");

    let mut own = request();
    OwnHeader::DEFINITION.authorize(&mut own, &key).unwrap();
    assert_eq!(own.headers()["x-api-key"], KEY);
    assert!(!own.headers().contains_key("authorization"));

    let mut query = request();
    InQuery::DEFINITION.authorize(&mut query, &key).unwrap();
    let url = url::Url::parse(&query.uri().to_string()).unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("page".to_owned(), "2".to_owned()),
            ("api_token".to_owned(), KEY.to_owned())
        ]
    );
    assert_eq!(url.path(), "/v1/items");
    assert!(query.headers().is_empty());
}

#[test]
fn a_key_that_cannot_be_a_header_value_is_a_typed_error_without_the_key() {
    let key = ApiKey::new("sk-secret\r\nX-Injected: 1");
    let mut bearer = request();
    let error = Bearer::DEFINITION.authorize(&mut bearer, &key).unwrap_err();
    assert_eq!(
        error,
        PlacementError::HeaderValue {
            header: "Authorization"
        }
    );
    assert!(!error.to_string().contains("sk-secret"));
    assert!(bearer.headers().is_empty(), "nothing was set");
}

#[test]
fn basic_auth_is_rfc_7617() {
    let credentials = BasicCredentials::new("zoë@example.com", Password::new("pä:ss"));
    let mut request = request();
    Basic::DEFINITION
        .authorize(&mut request, &credentials)
        .unwrap();
    let value = request.headers()["authorization"].to_str().unwrap();
    let encoded = value.strip_prefix("Basic ").unwrap();
    use base64::Engine as _;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), "zoë@example.com:pä:ss");
    assert!(request.headers()["authorization"].is_sensitive());
    let colon = BasicCredentials::new("a:b", Password::new("p"));
    assert_eq!(
        Basic::DEFINITION.authorize(&mut request.clone(), &colon),
        Err(PlacementError::UsernameColon)
    );
}

#[test]
fn credentials_never_show() {
    let secret = "hunter2-secret";
    let shown = [
        format!("{:?} {}", ApiKey::new(secret), ApiKey::new(secret)),
        format!("{:?} {}", Password::new(secret), Password::new(secret)),
        format!("{:?} {}", PrivateKey::new(secret), PrivateKey::new(secret)),
        format!("{:?}", BasicCredentials::new("me", Password::new(secret))),
        format!("{:?}", KeyPair::new("pub", PrivateKey::new(secret))),
    ];
    for text in shown {
        assert!(!text.contains(secret), "{text}");
        assert!(text.contains("redacted"), "{text}");
    }
}

#[test]
fn these_kinds_have_no_client_credentials() {
    for connection in [
        Bearer::CONNECTION_DEFINITION,
        Basic::CONNECTION_DEFINITION,
        Pair::CONNECTION_DEFINITION,
    ] {
        match Env.client_credentials(connection) {
            Err(ClientCredentialError::NoClientCredentials {
                connection_id,
                kind,
            }) => {
                assert_eq!(connection_id, connection.id());
                assert_eq!(kind, connection.kind());
            }
            other => panic!("{other:?}"),
        }
        assert!(Env.problems(connection).is_empty(), "nothing is missing");
    }
}
