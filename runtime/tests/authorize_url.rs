//! `OAuth2Definition::authorize_url`: parameters, order, encoding, and a preserved query.

use connkit::definition::AuthorizationParams;
use connkit::oauth2_connection;

#[oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize?tenant=a%20b&x=1",
    token_url = "https://auth.acme.example/token",
    scopes = ["read:all", "write"],
    scope_delimiter = ",",
    pkce = true,
    auth_params = { prompt = "consent", "login hint" = "a&b=c" },
)]
struct AcmeOAuth2;

#[oauth2_connection(
    id = "bare_connection_oauth2",
    name = "OAuth2",
    description = "No scopes",
    authorize_url = "http://127.0.0.1:8080/authorize",
    token_url = "http://127.0.0.1:8080/token",
    scopes = [],
)]
struct BareOAuth2;

fn pairs(url: &connkit::Url) -> Vec<(String, String)> {
    url.query_pairs().into_owned().collect()
}

#[test]
fn parameters_in_order_after_the_existing_query() {
    let url = AcmeOAuth2::DEFINITION
        .authorization_request_url(
            &AuthorizationParams::new("client id", "https://app.example/cb?x=1", "st&ate")
                .with_code_challenge("challenge"),
        )
        .unwrap();
    let expected = [
        ("tenant", "a b"),
        ("x", "1"),
        ("client_id", "client id"),
        ("redirect_uri", "https://app.example/cb?x=1"),
        ("response_type", "code"),
        ("scope", "read:all,write"),
        ("prompt", "consent"),
        ("login hint", "a&b=c"),
        ("state", "st&ate"),
        ("code_challenge", "challenge"),
        ("code_challenge_method", "S256"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
    assert_eq!(pairs(&url), expected);
    assert_eq!(url.host_str(), Some("auth.acme.example"));
    assert_eq!(url.path(), "/authorize");
}

#[test]
fn no_scope_parameter_without_scopes_and_no_challenge_without_one() {
    let url = BareOAuth2::DEFINITION
        .authorization_request_url(&AuthorizationParams::new("c", "http://127.0.0.1:9/cb", "s"))
        .unwrap();
    let names: Vec<String> = pairs(&url).into_iter().map(|(name, _)| name).collect();
    assert_eq!(
        names,
        ["client_id", "redirect_uri", "response_type", "state"]
    );
    assert_eq!(BareOAuth2::DEFINITION.scope_param(), None);
    assert_eq!(
        url.as_str().split('?').next(),
        Some("http://127.0.0.1:8080/authorize")
    );
}
