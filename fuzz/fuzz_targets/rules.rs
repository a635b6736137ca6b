//! The rules' validators on arbitrary text: ids (app, connection, action), environment variable
//! names, URLs and redirect URIs, scopes and delimiters, parameters and headers. No input may
//! panic, and whatever a suggestion proposes must itself pass the rule it fixes.
#![no_main]

use connkit_rules::env::{CredentialKind, check_env_var_name, check_env_var_shape};
use connkit_rules::id::{
    ComponentKind, OAUTH2_KIND, check_app_id, check_component_id, check_connection_id,
    parse_connection_id, suggest_app_id, suggest_connection_id,
};
use connkit_rules::params::{
    check_auth_param, check_authorize_query, check_refresh_param, check_token_header,
    parse_client_auth,
};
use connkit_rules::scope::{check_delimiter, check_scopes};
use connkit_rules::suggest::did_you_mean;
use connkit_rules::url_shape::{check_redirect_uri, check_url};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    let (first, second) = text.split_once('\u{0}').unwrap_or((text, ""));

    let _ = check_app_id(text).map_err(|error| (error.to_string(), error.help()));
    if let Some(app_id) = suggest_app_id(text) {
        assert!(check_app_id(&app_id).is_ok(), "suggested {app_id:?}");
    }
    match check_connection_id(text, OAUTH2_KIND) {
        Ok(parts) => {
            for kind in [CredentialKind::ClientId, CredentialKind::ClientSecret] {
                let _ = check_env_var_name(second, parts.app_id, parts.variant, kind);
            }
        }
        Err(error) => {
            let _ = (error.to_string(), error.help());
        }
    }
    if let Some(id) = suggest_connection_id(text, OAUTH2_KIND) {
        assert!(
            parse_connection_id(&id, OAUTH2_KIND).is_ok(),
            "suggested {id:?}"
        );
    }
    let _ = check_component_id(text, first, ComponentKind::Action);
    for kind in [CredentialKind::ClientId, CredentialKind::ClientSecret] {
        let _ = check_env_var_shape(text, kind).map_err(|error| (error.to_string(), error.help()));
    }
    let _ = check_url(text).map_err(|problem| (problem.to_string(), problem.help()));
    let _ = check_redirect_uri(text).map_err(|problem| problem.to_string());
    let scopes: Vec<&str> = text.split('\u{1}').collect();
    for issue in check_scopes(&scopes, second) {
        let _ = (issue.message(&scopes, second), issue.help(&scopes));
    }
    let _ = check_delimiter(first);
    let _ = check_auth_param(first, second).map_err(|problem| problem.help());
    let _ = check_refresh_param(first);
    let _ =
        check_token_header(first, second).map_err(|problem| (problem.to_string(), problem.help()));
    let _ = check_authorize_query(text).map_err(|problem| (problem.to_string(), problem.help()));
    let _ = parse_client_auth(text).map_err(|error| error.help());
    let _ = did_you_mean(
        text,
        &["authorize_url", "token_url", "scopes", "client_auth"],
    );
});
