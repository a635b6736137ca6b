//! The catalogue as a registry: lookups, ownership, environment variable names, and the URL
//! shape rule cross-checked against a WHATWG URL parser on every corpus URL.

use connkit::Url;
use connkit::credentials::{ClientCredentialError, Env, missing_client_credentials};
use connkit_examples::CATALOGUE;
use connkit_rules::url_shape::check_url;

#[test]
fn the_catalogue_holds_the_23_apps_of_the_corpus_and_six_more() {
    let ids: Vec<&str> = CATALOGUE.apps().iter().map(|app| app.id()).collect();
    assert_eq!(ids.len(), 29);
    for id in [
        "gitlab",
        "microsoft-entra-id",
        "shopify",
        "openai",
        "jira",
        "snowflake",
    ] {
        assert!(ids.contains(&id), "{id} is missing");
    }
    for id in [
        "calendly",
        "dropbox",
        "figma",
        "github",
        "gmail",
        "google-calendar",
        "google-contacts",
        "google-docs",
        "google-drive",
        "google-forms",
        "google-sheets",
        "google-slides",
        "youtube",
        "hubspot",
        "linear",
        "linkedin",
        "microsoft-outlook",
        "microsoft-excel-365",
        "notion",
        "slack",
        "x",
        "zoho-books",
        "zoho-crm",
    ] {
        assert!(ids.contains(&id), "{id} is missing");
    }
}

#[test]
fn every_app_and_connection_is_found_by_id() {
    for app in CATALOGUE.apps() {
        assert_eq!(CATALOGUE.app(app.id()), Some(app));
        for connection in app.connections() {
            assert_eq!(CATALOGUE.connection(connection.id()), Some(connection));
            assert_eq!(
                connkit_rules::id::connection_app_id(connection.id()),
                Some(app.id())
            );
        }
    }
    assert_eq!(CATALOGUE.app("gmai"), None);
    assert_eq!(CATALOGUE.app(""), None);
    assert_eq!(CATALOGUE.connection("gmail_connection_oauth2-EU"), None);
    assert_eq!(CATALOGUE.connection("nothing"), None);
}

#[test]
fn env_var_names_follow_the_rule() {
    let excel = CATALOGUE
        .connection("microsoft-excel-365_connection_oauth2")
        .and_then(|connection| connection.as_oauth2())
        .unwrap();
    assert_eq!(
        [excel.client_id_env(), excel.client_secret_env()],
        [
            "INTEGRATION_MICROSOFT_EXCEL_365_CLIENT_ID",
            "INTEGRATION_MICROSOFT_EXCEL_365_CLIENT_SECRET"
        ]
    );
    let slack = CATALOGUE
        .connection("slack_connection_oauth2")
        .and_then(|connection| connection.as_oauth2())
        .unwrap();
    assert_eq!(slack.client_secret_env(), "INTEGRATION_SLACK_CLIENT_SECRET");
}

#[test]
fn the_env_source_names_each_unset_variable() {
    // The test environment sets none of the catalogue's variables.
    let missing = missing_client_credentials(&Env, CATALOGUE.apps());
    assert_eq!(
        missing.len(),
        52,
        "two variables for each of the 26 connections"
    );
    let first = &missing[0];
    let ClientCredentialError::Env(error) = &first.error else {
        panic!("{first:?}")
    };
    assert_eq!(error.variable(), "INTEGRATION_CALENDLY_CLIENT_ID");
    assert_eq!(
        (first.app_id, first.connection_id),
        ("calendly", "calendly_connection_oauth2")
    );
    assert_eq!(
        first.to_string(),
        "environment variable INTEGRATION_CALENDLY_CLIENT_ID is not set (needed by connection calendly_connection_oauth2)"
    );
}

#[test]
fn every_corpus_url_passes_the_shape_rule_and_a_whatwg_parser_alike() {
    let mut checked = 0;
    for app in CATALOGUE.apps() {
        let mut urls = vec![app.logo_url()];
        for oauth2 in app.connections().iter().filter_map(|c| c.as_oauth2()) {
            urls.extend([oauth2.authorize_url(), oauth2.token_url()]);
        }
        // A template is checked with its placeholders filled in (see tests/catalogue.rs).
        urls.retain(|url| !url.contains('{'));
        for url in urls {
            let shape = check_url(url).unwrap_or_else(|problem| panic!("{url}: {problem}"));
            let parsed = Url::parse(url).unwrap_or_else(|error| panic!("{url}: {error}"));
            assert_eq!(parsed.scheme(), shape.scheme, "{url}");
            assert_eq!(
                parsed.host_str(),
                Some(shape.host.to_ascii_lowercase().as_str()),
                "{url}"
            );
            assert_eq!(parsed.port(), shape.port, "{url}");
            assert_eq!(
                parsed.path(),
                if shape.path.is_empty() {
                    "/"
                } else {
                    shape.path
                },
                "{url}"
            );
            assert_eq!(parsed.query(), shape.query, "{url}");
            checked += 1;
        }
    }
    // The corpus apps' logo, authorize and token URLs, and the other apps' logos.
    assert_eq!(checked, 23 * 3 + 6);
}
