//! The client-credentials connection kind (RFC 6749 §4.4): `#[client_credentials_connection]`.
//! No user takes part: the client obtains a token with its own credentials, and obtains another
//! when it expires. Its keys are the token endpoint's half of `#[oauth2_connection]`'s, plus
//! `grant_type` (Zoom's `account_credentials`) and `client` (whose client it is).

use syn::LitStr;

use connkit_rules::env::CredentialKind;
use connkit_rules::id::CLIENT_CREDENTIALS_KIND;
use connkit_rules::params::{check_client_credentials_param, check_client_grant_type};

use crate::ctxt::Ctxt;
use crate::keys::Fallback::{self, EmptyList};
use crate::keys::Presence::{Default, Required};
use crate::keys::Syntax::{Str, StrList, StrMap};
use crate::keys::{CRATE, Checked, Const, DESCRIPTION, Fields, Key, NAME};

use super::Kind;
use super::common::{connection_id, non_blank};
use super::inputs::{ANY_HOST, HOSTS, INPUTS, Inputs};
use super::oauth2::{
    CLIENT_AUTH, CLIENT_KEY_ENV, DPOP, EntryCheck, SCOPE_DELIMITER, TOKEN_HEADERS, TOKEN_METADATA,
    TOKEN_PATH, TOKEN_REQUEST_FORMAT, TOKEN_URL, check_maps, client_auth, client_auth_variables,
    delimiter, dpop, env_var, header_entry, param_problem, scopes, token_request_format,
    token_response_shape,
};

/// `#[client_credentials_connection]`.
pub(crate) const KIND: Kind = Kind {
    macro_name: MACRO,
    example: "pub struct ZoomServerToServer;",
    keys: KEYS,
    misplaced: MISPLACED,
    definition_type: "ClientCredentialsDefinition",
    fields_type: "ClientCredentialsFields",
    constructor: "client_credentials",
    variant: "ClientCredentials",
    validate,
};

pub(crate) const MACRO: &str = "#[client_credentials_connection]";

const NO_USER: &str = "a client-credentials connection has no user to send to an authorization page; remove it, or declare #[oauth2_connection]";
const NO_REFRESH: &str = "a client-credentials token is obtained again when it expires, never refreshed; remove it (extra fields of the token request go in `token_params`)";

/// The keys of `#[oauth2_connection]` that have no meaning here, and why.
const MISPLACED: &[(&str, &str)] = &[
    ("authorize_url", NO_USER),
    ("pkce", NO_USER),
    ("auth_params", NO_USER),
    ("redirect_to_localhost_in_development", NO_USER),
    ("issuer", NO_USER),
    ("require_iss", NO_USER),
    ("incremental_auth", NO_USER),
    ("refresh_url", NO_REFRESH),
    ("refresh_params", NO_REFRESH),
    ("refresh_scopes", NO_REFRESH),
    ("redirect_uri_on_refresh", NO_REFRESH),
    ("par_url", NO_USER),
    (
        "device_authorization_url",
        "device authorization is a user's consent; declare it on #[oauth2_connection]",
    ),
    (
        "token_endpoint_auth",
        "connkit calls this `client_auth`: `\"body\"`, `\"header\"`, `\"private_key_jwt\"` or `\"client_secret_jwt\"`",
    ),
];

const ID: Key = Key {
    name: "id",
    syntax: Str,
    presence: Required,
    doc: "`<app-id>_connection_client-credentials`, optionally followed by `-<variant>`",
    fallback: Fallback::Str(""),
};
const SCOPES: Key = Key {
    name: "scopes",
    syntax: StrList,
    presence: Default("`[]`: no `scope` parameter"),
    doc: "the scopes to request, each an RFC 6749 scope token, no duplicates",
    fallback: EmptyList,
};
const GRANT_TYPE: Key = Key {
    name: "grant_type",
    syntax: Str,
    presence: Default("`\"client_credentials\"`"),
    doc: "the token request's `grant_type`: a provider's own grant of the same shape, like Zoom's `\"account_credentials\"`; not a grant a user takes part in",
    fallback: Fallback::Str("client_credentials"),
};
const CLIENT: Key = Key {
    name: "client",
    syntax: Str,
    presence: Default("`\"owner\"`"),
    doc: "whose client it is: `\"owner\"` (each connection's owner gives the client id and secret, sealed with the connection; Zoom server-to-server apps) or `\"platform\"` (yours, from a `ClientCredentialSource`, as for `#[oauth2_connection]`)",
    fallback: Fallback::Variant("ClientHolder", "Owner"),
};
const CLIENT_ID_ENV: Key = Key {
    name: "client_id_env",
    syntax: Str,
    presence: Default("`INTEGRATION_<APP>_CLIENT_ID`"),
    doc: "with `client = \"platform\"`: the variable `credentials::Env` reads the client id from; a variant may use `INTEGRATION_<APP>_<VARIANT>_CLIENT_ID`",
    fallback: Fallback::Str(""),
};
const CLIENT_SECRET_ENV: Key = Key {
    name: "client_secret_env",
    syntax: Str,
    presence: Default("`INTEGRATION_<APP>_CLIENT_SECRET`"),
    doc: "with `client = \"platform\"`: the variable `credentials::Env` reads the client secret from",
    fallback: Fallback::Str(""),
};
const TOKEN_PARAMS: Key = Key {
    name: "token_params",
    syntax: StrMap {
        case_insensitive: false,
    },
    presence: Default("none"),
    doc: "extra fields of the token request, like Zoom's `account_id = \"{account_id}\"`; not those the flow sets (`grant_type`, `scope`, `client_id`, `client_secret`, `client_assertion`, `client_assertion_type`)",
    fallback: EmptyList,
};

/// Every key, in the order of the documentation and of the generated fields.
pub(crate) const KEYS: &[&Key] = &[
    &ID,
    &NAME,
    &DESCRIPTION,
    &TOKEN_URL,
    &SCOPES,
    &SCOPE_DELIMITER,
    &GRANT_TYPE,
    &CLIENT,
    &CLIENT_ID_ENV,
    &CLIENT_SECRET_ENV,
    &CLIENT_AUTH,
    &CLIENT_KEY_ENV,
    &TOKEN_PARAMS,
    &TOKEN_HEADERS,
    &TOKEN_REQUEST_FORMAT,
    &TOKEN_PATH,
    &TOKEN_METADATA,
    &DPOP,
    &INPUTS,
    &HOSTS,
    &ANY_HOST,
    &CRATE,
];

/// Checks every key; `Some` only when no error was found (in this stage or before).
fn validate(fields: &Fields, cx: &mut Ctxt) -> Option<Checked> {
    let mut checked = Checked::default();
    let id = fields.str(&ID);
    let id_text = id.map(LitStr::value);
    let parts = match (id, &id_text) {
        (Some(lit), Some(text)) => connection_id(lit, text, CLIENT_CREDENTIALS_KIND, cx),
        _ => None,
    };
    if let Some(text) = &id_text {
        checked.set(&ID, Const::Str(text.clone()));
    }
    for key in [&NAME, &DESCRIPTION] {
        if let Some(text) = non_blank(fields, key, cx) {
            checked.set(key, Const::Str(text));
        }
    }
    let mut inputs = Inputs::check(fields, &mut checked, cx);
    // The client secret goes to the token endpoint.
    if let Some(token_url) = inputs.url(fields, &TOKEN_URL, true, cx) {
        checked.set(&TOKEN_URL, Const::Str(token_url));
    }
    let delimiter = delimiter(fields, cx);
    if let Some(delimiter) = &delimiter {
        checked.set(&SCOPE_DELIMITER, Const::Str(delimiter.clone()));
    }
    match fields.str_list(&SCOPES) {
        None => checked.set(&SCOPES, Const::StrList(Vec::new())),
        Some(lits) => {
            if let Some(scopes) = scopes(lits, delimiter.as_deref(), cx) {
                checked.set(&SCOPES, Const::StrList(scopes));
            }
        }
    }
    match fields.str(&GRANT_TYPE) {
        None => checked.set(&GRANT_TYPE, Const::Str("client_credentials".to_owned())),
        Some(lit) => match check_client_grant_type(&lit.value()) {
            Ok(()) => checked.set(&GRANT_TYPE, Const::Str(lit.value())),
            Err(error) => cx.error_with_help(lit, &error, error.help()),
        },
    }
    let platform = match fields.str(&CLIENT) {
        None => Some(false),
        Some(lit) => match lit.value().as_str() {
            "owner" => Some(false),
            "platform" => Some(true),
            other => {
                cx.error_with_help(
                    lit,
                    format!("invalid client {other:?}: expected \"owner\" or \"platform\""),
                    connkit_rules::suggest::closest(other, &["owner", "platform"])
                        .map(|close| format!("did you mean \"{close}\"?")),
                );
                None
            }
        },
    };
    match platform {
        Some(true) => checked.set(&CLIENT, Const::Variant("ClientHolder", "Platform")),
        Some(false) => checked.set(&CLIENT, Const::Variant("ClientHolder", "Owner")),
        None => {}
    }
    for (key, kind) in [
        (&CLIENT_ID_ENV, CredentialKind::ClientId),
        (&CLIENT_SECRET_ENV, CredentialKind::ClientSecret),
        (&CLIENT_KEY_ENV, CredentialKind::ClientKey),
    ] {
        if platform == Some(false)
            && let Some(lit) = fields.str(key)
        {
            cx.error_with_help(
                lit,
                format!(
                    "`{}` is read only for `client = \"platform\"`: an owner's client is given with each connection",
                    key.name
                ),
                Some(format!(
                    "add `client = \"platform\"`, or remove `{}`",
                    key.name
                )),
            );
            continue;
        }
        if let Some(name) = env_var(fields, key, kind, id_text.is_some(), parts, cx) {
            checked.set(key, Const::Str(name));
        }
    }
    client_auth(fields, &mut checked, cx);
    if platform == Some(true) {
        client_auth_variables(fields, cx);
    }
    token_request_format(fields, &mut checked, cx);
    token_response_shape(fields, &mut checked, cx);
    dpop(fields, &mut checked);
    let maps: [(&Key, &EntryCheck); 2] = [
        (&TOKEN_PARAMS, &|name, _| {
            check_client_credentials_param(name)
                .map_err(|problem| param_problem(&TOKEN_PARAMS, name, problem))
        }),
        (&TOKEN_HEADERS, &header_entry),
    ];
    check_maps(fields, &mut inputs, &maps, &mut checked, cx);
    inputs.finish(cx);
    let complete = [&ID, &NAME, &DESCRIPTION, &TOKEN_URL]
        .iter()
        .all(|key| fields.has(key));
    (complete && cx.is_empty()).then_some(checked)
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;

    use super::*;
    use crate::keys::tests::{assert_docs_table, assert_table_is_well_formed};
    use crate::syntax::{Separator, parse_entries};

    fn check(args: &str) -> (Option<Checked>, Vec<String>) {
        let mut cx = Ctxt::default();
        let args: TokenStream = args.parse().unwrap();
        let entries = parse_entries(args, Separator::Equals).unwrap();
        let fields = Fields::from_entries_in(entries, KEYS, MACRO, None, MISPLACED, &mut cx);
        let checked = validate(&fields, &mut cx);
        (checked, cx.messages())
    }

    const MINIMAL: &str = r#"id = "zoom_connection_client-credentials", name = "n", description = "d",
        token_url = "https://zoom.us/oauth/token""#;

    #[test]
    fn a_minimal_definition_sets_every_field() {
        let (checked, messages) = check(MINIMAL);
        assert_eq!(messages, Vec::<String>::new());
        let checked = checked.unwrap();
        let mut names = checked.names();
        names.sort_unstable();
        let mut expected: Vec<&str> = KEYS
            .iter()
            .filter(|key| key.name != "crate")
            .map(|key| key.name)
            .collect();
        expected.sort_unstable();
        assert_eq!(names, expected);
        let tokens = checked.field_tokens(KEYS).unwrap().to_string();
        assert!(tokens.contains("\"client_credentials\""), "{tokens}");
        assert!(
            tokens.contains("\"INTEGRATION_ZOOM_CLIENT_SECRET\""),
            "{tokens}"
        );
    }

    #[test]
    fn a_key_of_the_user_flow_says_why_it_is_not_one_here() {
        let (checked, messages) = check(&format!(
            "{MINIMAL}, authorize_url = \"https://zoom.us/oauth/authorize\""
        ));
        assert!(checked.is_none());
        assert_eq!(
            messages,
            [format!(
                "unknown key `authorize_url` in {MACRO}\n\nhelp: {NO_USER}"
            )]
        );
    }

    #[test]
    fn an_owner_client_reads_no_variable() {
        let (_, messages) = check(&format!(
            "{MINIMAL}, client_id_env = \"INTEGRATION_ZOOM_CLIENT_ID\""
        ));
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("add `client = \"platform\"`"));
        let (checked, messages) = check(&format!(
            "{MINIMAL}, client = \"platform\", client_id_env = \"INTEGRATION_ZOOM_CLIENT_ID\""
        ));
        assert_eq!(messages, Vec::<String>::new());
        assert!(checked.is_some());
    }

    #[test]
    fn the_table_and_its_docs() {
        assert_table_is_well_formed(KEYS);
        assert_docs_table(KEYS, "docs/client_credentials_connection.md");
    }
}
