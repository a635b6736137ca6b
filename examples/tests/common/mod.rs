//! Helpers shared by the catalogue tests.

use std::collections::BTreeSet;

use connkit::Url;
use connkit::definition::{AuthorizationParams, InputValues, OAuth2Definition};

pub const CLIENT_ID: &str = "test-client";
pub const REDIRECT_URI: &str = "https://app.example/callback";
pub const STATE: &str = "test-state";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// Asserts that the connection's authorize URL starts with `endpoint`, sends exactly the
/// standard parameters plus `extra` (as a set), and that its `scope` is exactly `scope`.
pub fn assert_authorize_url(
    connection: &OAuth2Definition,
    endpoint: &str,
    scope: Option<&str>,
    extra: &[(&str, &str)],
) {
    assert_authorize_url_with(connection, &InputValues::new(), endpoint, scope, extra);
}

/// [`assert_authorize_url`] for a connection with inputs, given `inputs`.
pub fn assert_authorize_url_with(
    connection: &OAuth2Definition,
    inputs: &InputValues,
    endpoint: &str,
    scope: Option<&str>,
    extra: &[(&str, &str)],
) {
    let challenge = connection.pkce().then_some(CHALLENGE);
    let mut params = AuthorizationParams::new(CLIENT_ID, REDIRECT_URI, STATE);
    if let Some(challenge) = challenge {
        params = params.with_code_challenge(challenge);
    }
    let url = connection
        .endpoints(inputs)
        .expect("the test's inputs are valid")
        .authorization_request_url(connection, &params);
    let mut without_query = url.clone();
    without_query.set_query(None);
    assert_eq!(
        without_query.as_str(),
        Url::parse(endpoint)
            .expect("corpus endpoints are URLs")
            .as_str()
    );

    let sent: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let sent_scope: Vec<&str> = sent
        .iter()
        .filter(|(name, _)| name == "scope")
        .map(|(_, value)| value.as_str())
        .collect();
    assert_eq!(
        sent_scope,
        scope.into_iter().collect::<Vec<_>>(),
        "scope of {url}"
    );

    let expected: BTreeSet<(String, String)> = [
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("response_type", "code"),
        ("state", STATE),
    ]
    .into_iter()
    .chain(scope.map(|scope| ("scope", scope)))
    .chain(challenge.map(|challenge| ("code_challenge", challenge)))
    .chain(challenge.map(|_| ("code_challenge_method", "S256")))
    .chain(extra.iter().copied())
    .map(|(name, value)| (name.to_owned(), value.to_owned()))
    .collect();
    let sent_set: BTreeSet<(String, String)> = sent.iter().cloned().collect();
    assert_eq!(
        sent.len(),
        sent_set.len(),
        "a parameter is sent twice in {url}"
    );
    assert_eq!(sent_set, expected, "parameters of {url}");
}
