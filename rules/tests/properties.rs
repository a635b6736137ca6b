//! Properties of the naming rules over generated inputs.

use connkit_rules::env::{CredentialKind, check_env_var_name, env_var_name};
use connkit_rules::id::{
    OAUTH2_KIND, check_app_id, connection_belongs_to, connection_id_for, parse_connection_id,
    suggest_app_id, suggest_connection_id,
};
use connkit_rules::url_shape::check_url;
use proptest::prelude::*;

const APP_ID: &str = "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}";
const VARIANT: &str = "[A-Za-z0-9]{1,5}(-[A-Za-z0-9]{1,5}){0,2}";
/// An app id spelled with a capital, `_` or a space between its parts.
const NEAR_MISS: &str = "[A-Za-z][a-z0-9]{0,5}([A-Z_ ][a-z0-9]{1,5}){1,3}";

/// Ids and near misses, and some of any text: what `suggest_*` is asked about.
fn id_like() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => NEAR_MISS,
        1 => "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}(_connection_oauth2)?",
        1 => "\\PC{0,30}",
    ]
}

proptest! {
    #[test]
    fn derived_names_of_a_valid_app_id_validate(app_id in APP_ID) {
        prop_assert!(check_app_id(&app_id).is_ok());
        let connection_id = connection_id_for(&app_id, OAUTH2_KIND);
        let parts = parse_connection_id(&connection_id, OAUTH2_KIND).unwrap();
        prop_assert_eq!(parts.app_id, app_id.as_str());
        prop_assert_eq!(parts.variant, None);
        prop_assert!(connection_belongs_to(&connection_id, &app_id));
        for kind in [CredentialKind::ClientId, CredentialKind::ClientSecret] {
            let name = env_var_name(&app_id, None, kind);
            prop_assert!(name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'));
            prop_assert!(check_env_var_name(&name, &app_id, None, kind).is_ok());
        }
    }

    #[test]
    fn derived_names_of_a_variant_validate(app_id in APP_ID, variant in VARIANT) {
        let connection_id = format!("{}-{variant}", connection_id_for(&app_id, OAUTH2_KIND));
        let parts = parse_connection_id(&connection_id, OAUTH2_KIND).unwrap();
        prop_assert_eq!(parts.variant, Some(variant.as_str()));
        for kind in [CredentialKind::ClientId, CredentialKind::ClientSecret] {
            for name in [env_var_name(&app_id, None, kind), env_var_name(&app_id, Some(&variant), kind)] {
                prop_assert!(check_env_var_name(&name, &app_id, Some(&variant), kind).is_ok());
            }
        }
    }

    #[test]
    fn the_other_credential_name_is_refused(app_id in APP_ID) {
        let id_name = env_var_name(&app_id, None, CredentialKind::ClientId);
        prop_assert!(check_env_var_name(&id_name, &app_id, None, CredentialKind::ClientSecret).is_err());
    }

    #[test]
    fn suggested_ids_are_valid(input in id_like()) {
        if let Some(app_id) = suggest_app_id(&input) {
            prop_assert!(check_app_id(&app_id).is_ok(), "{app_id}");
            prop_assert_ne!(app_id, input.clone());
        }
        if let Some(connection_id) = suggest_connection_id(&input, OAUTH2_KIND) {
            prop_assert!(parse_connection_id(&connection_id, OAUTH2_KIND).is_ok(), "{connection_id}");
            prop_assert_ne!(connection_id, input.clone());
        }
    }

    #[test]
    fn suggestions_for_near_misses(app_id in NEAR_MISS) {
        // Mis-cased or mis-separated app ids (each has an upper-case letter, `_` or a space
        // between its parts) always get a suggestion that is itself valid.
        let id = format!("{app_id}_connection_oauth2");
        prop_assert!(parse_connection_id(&id, OAUTH2_KIND).is_err(), "{id} is valid");
        let suggestion = suggest_connection_id(&id, OAUTH2_KIND);
        prop_assert!(suggestion.is_some(), "no suggestion for {id}");
    }

    #[test]
    fn checks_never_panic(input in "\\PC{0,40}") {
        let _ = check_app_id(&input);
        let _ = parse_connection_id(&input, OAUTH2_KIND);
        let _ = check_url(&input);
    }
}

/// Every error a check returns is a `std::error::Error` that can cross threads and live as long
/// as the caller wants (the Rust API Guidelines' C-GOOD-ERR).
#[test]
fn every_error_is_a_send_sync_static_error() {
    fn is_error<E: std::error::Error + Send + Sync + 'static>() {}
    use connkit_rules::{env, id, params, scope, template, url_shape};
    is_error::<id::AppIdError>();
    is_error::<id::ConnectionIdError>();
    is_error::<id::ConnectionIdCheckError>();
    is_error::<env::EnvVarNameError>();
    is_error::<params::ClientAuthError>();
    is_error::<params::ParamError>();
    is_error::<params::QueryParamError>();
    is_error::<params::DotPathError>();
    is_error::<params::HeaderError>();
    is_error::<params::KeyPlacementError>();
    is_error::<scope::DelimiterError>();
    is_error::<template::TemplateError>();
    is_error::<template::HostsEntryError>();
    is_error::<template::PatternError>();
    is_error::<template::ValueError>();
    is_error::<template::UrlTemplateError>();
    is_error::<url_shape::UrlError>();
    is_error::<url_shape::RedirectUriError>();
}

/// `suggested_ids_are_valid` checks a suggestion when there is one: its generator must give
/// inputs that get one, or it would check little.
#[test]
fn the_generator_reaches_suggestions() {
    use proptest::strategy::ValueTree as _;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = id_like();
    let suggested = (0..1000)
        .filter(|_| {
            strategy.new_tree(&mut runner).is_ok_and(|tree| {
                let input = tree.current();
                suggest_app_id(&input).is_some()
                    || suggest_connection_id(&input, OAUTH2_KIND).is_some()
            })
        })
        .count();
    assert!(
        suggested > 300,
        "{suggested} of 1000 inputs got a suggestion"
    );
}
