//! Connection inputs at run time: substitution, encoding, and the guard that keeps a value where
//! its placeholder is; and the token-request quirks (refresh endpoint, JSON body, extra exchange
//! fields, scope and redirect URI on refresh, nested tokens, metadata paths).

// Test code: a panic here is a failed test.
#![allow(clippy::unwrap_used)]

use std::time::UNIX_EPOCH;

use connkit::{
    OAuth2Client, credentials::ClientCredentials, credentials::ClientId, definition::InputError,
    definition::InputValues, oauth2::ClientError, oauth2::TokenError, oauth2::TokenResponseError,
    oauth2_connection, secret::ClientSecret,
};
use proptest::prelude::*;

#[oauth2_connection(
    id = "shopify_connection_oauth2",
    name = "OAuth2",
    description = "Shopify",
    inputs = { shop = { label = "Shop name" } },
    authorize_url = "https://{shop}.myshopify.com/admin/oauth/authorize",
    token_url = "https://{shop}.myshopify.com/admin/oauth/access_token",
    scopes = ["read_products"],
)]
struct Shopify;

#[oauth2_connection(
    id = "adyen_connection_oauth2",
    name = "OAuth2",
    description = "Adyen: part of a label",
    inputs = { environment = { label = "Environment", default = "live" } },
    authorize_url = "https://ca-{environment}.adyen.com/ca/ca/oauth/connect.shtml",
    token_url = "https://oauth-{environment}.adyen.com/v1/token",
    scopes = [],
)]
struct Adyen;

#[oauth2_connection(
    id = "azure-ad_connection_oauth2",
    name = "OAuth2",
    description = "Azure AD: a tenant in the path",
    inputs = { tenant = { label = "Tenant" } },
    authorize_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
    token_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    scopes = ["offline_access", "User.Read"],
    refresh_scopes = true,
)]
struct AzureAd;

#[oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Self-managed GitLab: a whole host",
    inputs = { host = { label = "GitLab server" }, account = { label = "Account", secret = true } },
    hosts = ["*.gitlab.example", "gitlab.example.org", "127.0.0.1"],
    authorize_url = "https://{host}/oauth/authorize?account={account}",
    token_url = "https://{host}/oauth/token",
    revoke_url = "https://{host}/oauth/revoke",
    scopes = ["read_api"],
)]
struct Gitlab;

#[oauth2_connection(
    id = "tempo_connection_oauth2",
    name = "OAuth2",
    description = "Token-request quirks",
    authorize_url = "https://app.tempo.example/oauth/authorize",
    token_url = "https://api.tempo.example/oauth/token",
    refresh_url = "https://api.tempo.example/oauth/refresh",
    scopes = ["a", "b"],
    pkce = false,
    token_params = { audience = "tempo" },
    token_request_format = "json",
    refresh_scopes = true,
    redirect_uri_on_refresh = true,
)]
struct Tempo;

#[oauth2_connection(
    id = "slack_connection_oauth2",
    name = "OAuth2",
    description = "Slack user tokens",
    authorize_url = "https://slack.com/oauth/v2/authorize",
    token_url = "https://slack.com/api/oauth.v2.access",
    scopes = ["chat:write"],
    scope_delimiter = ",",
    token_path = "authed_user",
    token_metadata = ["team.id", "app_id"],
)]
struct Slack;

#[oauth2_connection(
    id = "zoho_connection_oauth2",
    name = "OAuth2",
    description = "Zoho: a regional top-level domain, which chooses the domain",
    inputs = { region = { label = "Data center", default = "com" } },
    hosts = ["accounts.zoho.com", "accounts.zoho.eu", "accounts.zoho.in"],
    authorize_url = "https://accounts.zoho.{region}/oauth/v2/auth",
    token_url = "https://accounts.zoho.{region}/oauth/v2/token",
    scopes = ["ZohoCRM.users.ALL"],
)]
struct Zoho;

fn credentials() -> ClientCredentials {
    ClientCredentials::new(ClientId::new("id"), Some(ClientSecret::new("secret")))
}

fn client(
    definition: &'static connkit::definition::OAuth2Definition,
    values: &[(&str, &str)],
) -> Result<OAuth2Client, ClientError> {
    let values: InputValues = values.iter().copied().collect();
    OAuth2Client::with_inputs(definition, credentials(), "https://app.example/cb", &values)
}

fn input_error(result: Result<OAuth2Client, ClientError>) -> InputError {
    match result {
        Err(ClientError::Input(error)) => error,
        other => panic!("expected an input error, got {other:?}"),
    }
}

#[test]
fn a_host_label_is_filled_in_and_the_guard_refuses_what_could_leave_it() {
    let shop = client(Shopify::DEFINITION, &[("shop", "Acme-1")]).unwrap();
    let url = shop.authorize().unwrap().url;
    assert_eq!(url.host_str(), Some("acme-1.myshopify.com"));
    assert_eq!(url.path(), "/admin/oauth/authorize");
    let hostile = [
        ".",
        "/",
        "@",
        ":",
        "evil.com",
        "evil.com/x",
        "evil.com#",
        "x@evil.com",
        "x:1",
        "%2e",
        "%2f",
        "a\u{3002}b",
        "a\u{ff0e}b",
        "xn--80ak6aa92e.com",
        "аcme",
        "a\r\nb",
        "a\nb",
        "",
        " ",
        "a b",
        "a?b",
    ];
    for value in hostile {
        let error = input_error(client(Shopify::DEFINITION, &[("shop", value)]));
        let message = error.to_string();
        assert!(message.contains("`shop`"), "{message}");
        // The message names the one refused character, never the value.
        if value.chars().count() > 1 {
            assert!(
                !message.contains(value),
                "the value is not repeated: {message}"
            );
        }
    }
    let long = "a".repeat(64);
    assert!(client(Shopify::DEFINITION, &[("shop", &long)]).is_err());
    let very_long = "a".repeat(100_000);
    assert!(client(Shopify::DEFINITION, &[("shop", &very_long)]).is_err());
}

#[test]
fn part_of_a_label_and_a_default() {
    let adyen = client(Adyen::DEFINITION, &[]).unwrap();
    assert_eq!(
        adyen.endpoints().authorize_url().host_str(),
        Some("ca-live.adyen.com")
    );
    assert_eq!(
        adyen.endpoints().token_url().host_str(),
        Some("oauth-live.adyen.com")
    );
    let test = client(Adyen::DEFINITION, &[("environment", "test")]).unwrap();
    assert_eq!(
        test.endpoints().token_url().host_str(),
        Some("oauth-test.adyen.com")
    );
    assert_eq!(test.inputs().get("environment"), Some("test"));
}

#[test]
fn a_path_segment_is_encoded_and_stays_one_segment() {
    let contoso = client(
        AzureAd::DEFINITION,
        &[("tenant", "contoso.onmicrosoft.com")],
    )
    .unwrap();
    assert_eq!(
        contoso.endpoints().token_url().as_str(),
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"
    );
    for (value, segment) in [
        ("a/b", "a%2Fb"),
        ("%2e%2e", "%252e%252e"),
        ("..%2f", "..%252f"),
        ("a?b#c", "a%3Fb%23c"),
        ("é", "%C3%A9"),
        ("...", "..."),
    ] {
        let url = client(AzureAd::DEFINITION, &[("tenant", value)])
            .unwrap()
            .endpoints()
            .token_url()
            .clone();
        assert_eq!(
            url.path(),
            format!("/{segment}/oauth2/v2.0/token"),
            "{value:?}"
        );
        assert_eq!(url.host_str(), Some("login.microsoftonline.com"));
    }
    for value in [".", "..", "", "a\r\nb", "a\0b"] {
        let error = input_error(client(AzureAd::DEFINITION, &[("tenant", value)]));
        assert!(error.to_string().contains("`tenant`"), "{error}");
    }
}

#[test]
fn a_whole_host_must_be_a_listed_dns_name() {
    let gitlab = client(
        Gitlab::DEFINITION,
        &[("host", "code.gitlab.example"), ("account", "a&b=c")],
    )
    .unwrap();
    let url = gitlab.authorize().unwrap().url;
    assert_eq!(url.host_str(), Some("code.gitlab.example"));
    assert!(
        url.as_str()
            .starts_with("https://code.gitlab.example/oauth/authorize?account=a%26b%3Dc&"),
        "{url}"
    );
    assert_eq!(
        gitlab.endpoints().revoke_url().map(|url| url.as_str()),
        Some("https://code.gitlab.example/oauth/revoke")
    );
    assert!(
        client(
            Gitlab::DEFINITION,
            &[("host", "gitlab.example.org"), ("account", "a")]
        )
        .is_ok()
    );
    assert!(
        client(
            Gitlab::DEFINITION,
            &[("host", "127.0.0.1"), ("account", "a")]
        )
        .is_ok()
    );
    for value in [
        "evil.example",
        "gitlab.example",
        "evil.example/.gitlab.example",
        "x@code.gitlab.example",
        "code.gitlab.example:443",
        "code.gitlab.example/path",
        "localhost",
        "[::1]",
        "127.0.0.2",
        "2130706433",
        "code.gitlab.example\u{3002}evil.example",
        "code.gіtlab.example",
        "code.gitlab.example.",
        "code..gitlab.example",
    ] {
        let error = input_error(client(
            Gitlab::DEFINITION,
            &[("host", value), ("account", "a")],
        ));
        assert!(
            matches!(error, InputError::Position { input: "host", .. }),
            "{value:?}: {error:?}"
        );
    }
}

#[test]
fn a_label_that_chooses_the_domain_must_give_a_listed_host() {
    for (region, host) in [("com", "accounts.zoho.com"), ("eu", "accounts.zoho.eu")] {
        let zoho = client(Zoho::DEFINITION, &[("region", region)]).unwrap();
        assert_eq!(zoho.endpoints().token_url().host_str(), Some(host));
    }
    // `zoho.xyz` could be registered by anyone: the client secret never goes there.
    for region in ["xyz", "evil", "com-evil"] {
        let error = input_error(client(Zoho::DEFINITION, &[("region", region)]));
        assert_eq!(
            error,
            InputError::Position {
                input: "region",
                position: connkit_rules::template::Position::HostLabel,
                problem: connkit_rules::template::ValueError::HostNotAllowed,
            }
        );
    }
}

#[test]
fn missing_and_unknown_values_are_typed_errors() {
    assert_eq!(
        input_error(client(Shopify::DEFINITION, &[])),
        InputError::Missing {
            input: "shop",
            label: "Shop name"
        }
    );
    assert!(matches!(
        input_error(client(Shopify::DEFINITION, &[("shop", "a"), ("shpo", "b")])),
        InputError::Unknown { .. }
    ));
    assert!(
        OAuth2Client::new(Shopify::DEFINITION, credentials(), "https://app.example/cb").is_err()
    );
}

#[test]
fn input_values_never_show_in_debug() {
    let values = InputValues::new().with("account", "s3cr3t-account");
    assert!(!format!("{values:?}").contains("s3cr3t"));
    let gitlab = client(
        Gitlab::DEFINITION,
        &[
            ("host", "code.gitlab.example"),
            ("account", "s3cr3t-account"),
        ],
    )
    .unwrap();
    // The secret account is in the authorize URL's query: the client's Debug shows no URL.
    for debug in [format!("{gitlab:?}"), format!("{:?}", gitlab.endpoints())] {
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
    }
    // Without a secret input, the URLs show.
    let shop = client(Shopify::DEFINITION, &[("shop", "acme")]).unwrap();
    assert!(format!("{shop:?}").contains("https://acme.myshopify.com/"));
}

fn form(request: &http::Request<Vec<u8>>) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_slice(request.body()).unwrap()
}

#[test]
fn json_token_requests_with_extra_fields_a_refresh_endpoint_scope_and_redirect_uri() {
    let tempo = client(Tempo::DEFINITION, &[]).unwrap();
    let request = tempo.authorize().unwrap();
    let callback = format!("code=c&state={}", request.pending.state().expose_secret());
    let completed = tempo.complete(request.pending, &callback).unwrap();
    let exchange = tempo.exchange_request(&completed).unwrap();
    assert_eq!(exchange.uri(), "https://api.tempo.example/oauth/token");
    assert_eq!(exchange.headers()["content-type"], "application/json");
    let body = form(&exchange);
    assert_eq!(body["grant_type"], "authorization_code");
    assert_eq!(body["code"], "c");
    assert_eq!(body["audience"], "tempo");
    assert_eq!(body["client_secret"], "secret");

    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(br#"{"access_token":"at","refresh_token":"rt","expires_in":60}"#.to_vec())
        .unwrap();
    let tokens = tempo.read_exchange_response(&response, UNIX_EPOCH).unwrap();
    let refresh = tempo.refresh_request(&tokens).unwrap();
    assert_eq!(refresh.uri(), "https://api.tempo.example/oauth/refresh");
    let body = form(&refresh);
    assert_eq!(body["grant_type"], "refresh_token");
    assert_eq!(body["refresh_token"], "rt");
    assert_eq!(body["scope"], "a b");
    assert_eq!(body["redirect_uri"], "https://app.example/cb");
    assert!(
        !body.contains_key("audience"),
        "token_params are for the exchange only"
    );
}

#[test]
fn a_refresh_sends_scope_only_when_declared() {
    let azure = client(AzureAd::DEFINITION, &[("tenant", "common")]).unwrap();
    let tokens = connkit::TokenSet::from_response(
        connkit::oauth2::token_response::parse_token_response(
            200,
            None,
            br#"{"access_token":"at","refresh_token":"rt"}"#,
            " ",
        )
        .unwrap(),
        UNIX_EPOCH,
    );
    let refresh = azure.refresh_request(&tokens).unwrap();
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(refresh.body())
        .into_owned()
        .collect();
    assert!(fields.contains(&("scope".to_owned(), "offline_access User.Read".to_owned())));
    assert!(!fields.iter().any(|(name, _)| name == "redirect_uri"));
    let shop = client(Shopify::DEFINITION, &[("shop", "acme")]).unwrap();
    let refresh = shop.refresh_request(&tokens).unwrap();
    let body = String::from_utf8(refresh.body().clone()).unwrap();
    assert!(!body.contains("scope"), "{body}");
    assert_eq!(
        refresh.uri(),
        "https://acme.myshopify.com/admin/oauth/access_token"
    );
}

#[test]
fn tokens_nested_in_the_response_and_metadata_paths() {
    let slack = client(Slack::DEFINITION, &[]).unwrap();
    let body = br#"{"ok":true,"app_id":"A1","access_token":"xoxb-bot","team":{"id":"T1","name":"Acme"},
        "authed_user":{"id":"U1","scope":"chat:write,users:read","access_token":"xoxp-user","token_type":"user"}}"#;
    let response = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(body.to_vec())
        .unwrap();
    let tokens = slack.read_exchange_response(&response, UNIX_EPOCH).unwrap();
    assert_eq!(tokens.access_token().expose_secret(), "xoxp-user");
    assert_eq!(tokens.token_type(), Some("user"));
    assert_eq!(
        tokens.scopes(),
        Some(&["chat:write".to_owned(), "users:read".to_owned()][..])
    );
    assert_eq!(tokens.metadata()["team.id"], "T1");
    assert_eq!(tokens.metadata()["app_id"], "A1");
    assert_eq!(tokens.metadata()["id"], "U1");
    assert!(!tokens.metadata().contains_key("team.name"));
    // Slack's errors are at the top level.
    let error = http::Response::builder()
        .status(200)
        .body(br#"{"ok":false,"error":"invalid_code"}"#.to_vec())
        .unwrap();
    let error = slack
        .read_exchange_response(&error, UNIX_EPOCH)
        .unwrap_err();
    assert_eq!(
        error.oauth_code().map(|code| code.as_str()),
        Some("invalid_code")
    );
    // A success without the declared object is a typed error.
    let bot_only = http::Response::builder()
        .status(200)
        .body(br#"{"ok":true,"access_token":"xoxb-bot"}"#.to_vec())
        .unwrap();
    assert!(matches!(
        slack.read_exchange_response(&bot_only, UNIX_EPOCH),
        Err(TokenError::Response(
            TokenResponseError::MissingTokenObject {
                path: "authed_user"
            }
        ))
    ));
}

/// The input named by a refusal: every refusal of a value is an input error naming its input
/// and saying where its placeholder is (never a URL error, which would mean the guard let a
/// value through that broke the URL).
fn refused_input(result: Result<OAuth2Client, ClientError>) -> &'static str {
    match input_error(result) {
        InputError::Position { input, .. } => input,
        other => panic!("expected a refusal by position, got {other:?}"),
    }
}

/// Whether `value` is a host name under `*.gitlab.example`: dot-separated labels of letters,
/// digits and inner hyphens, at most 63 bytes each.
fn is_gitlab_subdomain(value: &str) -> bool {
    let Some(prefix) = value.strip_suffix(".gitlab.example") else {
        return false;
    };
    prefix.split('.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    })
}

proptest! {
    /// A host label is accepted exactly when it is 1 to 63 ASCII letters, digits and hyphens;
    /// an accepted one leaves the host's fixed suffix and the path as declared, and a refused
    /// one is a typed error naming the input.
    #[test]
    fn no_value_moves_a_host_label_out_of_its_host(
        value in prop_oneof!["[A-Za-z0-9-]{1,70}", "[a-z0-9./:@?#%-]{1,12}", "\\PC{0,80}"]
    ) {
        let label_like = !value.is_empty()
            && value.len() <= 63
            && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let result = client(Shopify::DEFINITION, &[("shop", &value)]);
        prop_assert_eq!(result.is_ok(), label_like, "{:?}", value);
        match result {
            Ok(shop) => {
                let url = shop.endpoints().token_url();
                let host = url.host_str().unwrap();
                prop_assert_eq!(host, format!("{}.myshopify.com", value.to_ascii_lowercase()));
                prop_assert_eq!(url.path(), "/admin/oauth/access_token");
                prop_assert_eq!(url.port(), None);
                prop_assert_eq!(url.username(), "");
            }
            refused => prop_assert_eq!(refused_input(refused), "shop"),
        }
    }

    /// A path segment is accepted exactly when it is not empty, `.` or `..`; an accepted one
    /// stays one segment of the declared path and reads back as the value, and a refused one is
    /// a typed error naming the input.
    #[test]
    fn no_value_moves_a_path_segment(
        value in prop_oneof!["[./%?#a-z]{0,3}", "\\PC{0,80}"]
    ) {
        let acceptable = !value.is_empty() && value != "." && value != "..";
        let result = client(AzureAd::DEFINITION, &[("tenant", &value)]);
        prop_assert_eq!(result.is_ok(), acceptable, "{:?}", value);
        match result {
            Ok(azure) => {
                let url = azure.endpoints().token_url();
                prop_assert_eq!(url.host_str(), Some("login.microsoftonline.com"));
                let segments: Vec<&str> = url.path_segments().unwrap().collect();
                prop_assert_eq!(segments.len(), 4);
                prop_assert_eq!(&segments[1..], &["oauth2", "v2.0", "token"]);
                let decoded = percent_decode(segments[0]);
                prop_assert_eq!(decoded.as_deref(), Some(value.as_str()));
            }
            refused => prop_assert_eq!(refused_input(refused), "tenant"),
        }
    }

    /// A whole host is accepted exactly when the definition's `hosts` lists it (a name under
    /// `*.gitlab.example`, or one of the two exact entries); anything else, from the same
    /// alphabet as a URL's authority, is a typed error naming the input.
    #[test]
    fn no_value_names_an_unlisted_host(
        value in prop_oneof![
            "[a-z0-9-]{1,8}(\\.[a-z0-9-]{1,8}){0,2}\\.gitlab\\.example",
            Just("gitlab.example.org".to_owned()),
            Just("127.0.0.1".to_owned()),
            "[a-z0-9-]{1,8}(\\.[a-z0-9-]{1,8}){1,3}",
            "[a-z0-9.:@/\\[\\]-]{0,40}",
        ]
    ) {
        let listed = is_gitlab_subdomain(&value)
            || value == "gitlab.example.org"
            || value == "127.0.0.1";
        let result = client(Gitlab::DEFINITION, &[("host", &value), ("account", "a")]);
        prop_assert_eq!(result.is_ok(), listed, "{:?}", value);
        match result {
            Ok(gitlab) => {
                let url = gitlab.endpoints().token_url();
                prop_assert_eq!(url.host_str(), Some(value.as_str()));
                prop_assert_eq!(url.path(), "/oauth/token");
            }
            refused => prop_assert_eq!(refused_input(refused), "host"),
        }
    }
}

/// `%XX` escapes decoded (UTF-8); `None` for an escape that is not two hex digits or bytes that
/// are not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = segment.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
