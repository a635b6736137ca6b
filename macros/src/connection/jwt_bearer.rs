//! The JWT-bearer connection kind (RFC 7523 §2.1): `#[jwt_bearer_connection]`. The owner gives
//! a private key (a Google service account's, say); each token is obtained with an assertion
//! signed by it, whose claims the definition declares, and obtained again when it expires.

use connkit_rules::id::JWT_BEARER_KIND;
use connkit_rules::params::{check_jwt_bearer_param, check_jwt_claim};

use crate::ctxt::Ctxt;
use crate::keys::Fallback::{self, EmptyList};
use crate::keys::Presence::{Default, Required};
use crate::keys::Syntax::{Bool, Str, StrList, StrMap};
use crate::keys::{CRATE, Checked, Const, DESCRIPTION, Fields, Key, NAME};
use crate::syntax::MapKey;

use super::Kind;
use super::common::{connection_id, non_blank};
use super::inputs::{ANY_HOST, HOSTS, INPUTS, Inputs};
use super::oauth2::{
    EntryCheck, Problem, SCOPE_DELIMITER, TOKEN_HEADERS, TOKEN_METADATA, TOKEN_PATH,
    TOKEN_REQUEST_FORMAT, TOKEN_URL, check_maps, delimiter, header_entry, param_problem, scopes,
    token_request_format, token_response_shape,
};

/// `#[jwt_bearer_connection]`.
pub(crate) const KIND: Kind = Kind {
    macro_name: MACRO,
    example: "pub struct GoogleServiceAccount;",
    keys: KEYS,
    misplaced: MISPLACED,
    definition_type: "JwtBearerDefinition",
    fields_type: "JwtBearerFields",
    constructor: "jwt_bearer",
    variant: "JwtBearer",
    validate,
};

pub(crate) const MACRO: &str = "#[jwt_bearer_connection]";

const NO_USER: &str = "a JWT-bearer connection has no user to send to an authorization page; remove it, or declare #[oauth2_connection]";
const NO_REFRESH: &str = "a JWT-bearer token is obtained again with a new assertion when it expires, never refreshed; remove it";
const THE_KEY_SIGNS: &str = "a JWT-bearer grant authenticates with its signed assertion; a client id or secret the provider also wants goes in `token_params` (from a secret input)";

/// Keys of other kinds that have no meaning here, and why.
const MISPLACED: &[(&str, &str)] = &[
    ("authorize_url", NO_USER),
    ("pkce", NO_USER),
    ("auth_params", NO_USER),
    ("issuer", NO_USER),
    ("refresh_url", NO_REFRESH),
    ("refresh_params", NO_REFRESH),
    ("refresh_scopes", NO_REFRESH),
    ("client_auth", THE_KEY_SIGNS),
    ("client_id_env", THE_KEY_SIGNS),
    ("client_secret_env", THE_KEY_SIGNS),
    ("client_key_env", THE_KEY_SIGNS),
    (
        "grant_type",
        "the grant is urn:ietf:params:oauth:grant-type:jwt-bearer, which the flow sends; a provider grant of the client-credentials shape is declared with #[client_credentials_connection]",
    ),
];

const ID: Key = Key {
    name: "id",
    syntax: Str,
    presence: Required,
    doc: "`<app-id>_connection_jwt-bearer`, optionally followed by `-<variant>`",
    fallback: Fallback::Str(""),
};
const SCOPES: Key = Key {
    name: "scopes",
    syntax: StrList,
    presence: Default("`[]`: no scope"),
    doc: "the scopes to request, each an RFC 6749 scope token, no duplicates; sent as `scope` in the form, or in the assertion with `scope_in_claim`",
    fallback: EmptyList,
};
const CLAIMS: Key = Key {
    name: "claims",
    syntax: StrMap {
        case_insensitive: false,
    },
    presence: Required,
    doc: "the assertion's claims, `{input}` placeholders filled in: `iss` and `aud` required, `sub` for the user to act as (Google's domain-wide delegation), and a provider's own (Box's `box_sub_type`); not those the flow sets (`exp`, `iat`, `nbf`, `jti`)",
    fallback: EmptyList,
};
const SCOPE_IN_CLAIM: Key = Key {
    name: "scope_in_claim",
    syntax: Bool,
    presence: Default("`false`"),
    doc: "send the scopes as the assertion's `scope` claim instead of a form field (Google's service accounts)",
    fallback: Fallback::Bool(false),
};
const TOKEN_PARAMS: Key = Key {
    name: "token_params",
    syntax: StrMap {
        case_insensitive: false,
    },
    presence: Default("none"),
    doc: "extra fields of the token request (Box's `client_id` and `client_secret`, from inputs); not those the flow sets (`grant_type`, `assertion`, `scope`)",
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
    &CLAIMS,
    &SCOPE_IN_CLAIM,
    &TOKEN_PARAMS,
    &TOKEN_HEADERS,
    &TOKEN_REQUEST_FORMAT,
    &TOKEN_PATH,
    &TOKEN_METADATA,
    &INPUTS,
    &HOSTS,
    &ANY_HOST,
    &CRATE,
];

/// Checks every key; `Some` only when no error was found (in this stage or before).
fn validate(fields: &Fields, cx: &mut Ctxt) -> Option<Checked> {
    let mut checked = Checked::default();
    if let Some(lit) = fields.str(&ID) {
        let id = lit.value();
        connection_id(lit, &id, JWT_BEARER_KIND, cx);
        checked.set(&ID, Const::Str(id));
    }
    for key in [&NAME, &DESCRIPTION] {
        if let Some(text) = non_blank(fields, key, cx) {
            checked.set(key, Const::Str(text));
        }
    }
    let mut inputs = Inputs::check(fields, &mut checked, cx);
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
    let scope_in_claim = fields.bool(&SCOPE_IN_CLAIM).is_some_and(|lit| lit.value);
    checked.set(&SCOPE_IN_CLAIM, Const::Bool(scope_in_claim));
    if let Some(claims) = fields.str_map(&CLAIMS) {
        let named = |name: &str| claims.iter().any(|(key, _)| MapKey::name(key) == name);
        for required in ["iss", "aud"] {
            if !named(required) {
                let help = match required {
                    "iss" => {
                        "add `iss = \"<who signs: a service account's email, the client id>\"`"
                    }
                    _ => {
                        "add `aud = \"<the audience the provider names, often its token endpoint>\"`"
                    }
                };
                match claims.first() {
                    Some((first, _)) => {
                        cx.error_with_help(
                            first,
                            format!("`claims` needs `{required}`"),
                            Some(help.to_owned()),
                        );
                    }
                    None => cx.error_at_call_site(format!("`claims` needs `{required}`; {help}")),
                }
            }
        }
    }
    // The checked claims, their placeholders and the token request's maps.
    let maps: [(&Key, &EntryCheck); 3] = [
        (&CLAIMS, &move |name, _| {
            check_jwt_claim(name, scope_in_claim).map_err(|problem| Problem {
                on_value: false,
                message: format!("invalid claims entry `{name}`: {problem}"),
                help: problem.help(),
            })
        }),
        (&TOKEN_PARAMS, &move |name, _| {
            check_jwt_bearer_param(name, scope_in_claim)
                .map_err(|problem| param_problem(&TOKEN_PARAMS, name, problem))
        }),
        (&TOKEN_HEADERS, &header_entry),
    ];
    check_maps(fields, &mut inputs, &maps, &mut checked, cx);
    token_request_format(fields, &mut checked, cx);
    token_response_shape(fields, &mut checked, cx);
    inputs.finish(cx);
    // Every JWT-bearer definition signs: it needs the `jwt` feature.
    if let Some(lit) = fields.str(&ID) {
        checked.needs_jwt(lit.span());
    }
    let complete = [&ID, &NAME, &DESCRIPTION, &TOKEN_URL, &CLAIMS]
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

    const GOOGLE: &str = r#"id = "google_connection_jwt-bearer", name = "n", description = "d",
        token_url = "https://oauth2.googleapis.com/token",
        scopes = ["https://www.googleapis.com/auth/drive.readonly"], scope_in_claim = true,
        claims = { iss = "{client_email}", sub = "{subject}", aud = "https://oauth2.googleapis.com/token" },
        inputs = { client_email = { label = "Service account" }, subject = { label = "User" } }"#;

    #[test]
    fn a_google_service_account_sets_every_field_and_needs_jwt() {
        let (checked, messages) = check(GOOGLE);
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
        assert!(checked.jwt_at().is_some());
    }

    #[test]
    fn claims_the_flow_sets_and_missing_ones_are_named() {
        let (_, messages) = check(
            r#"id = "acme_connection_jwt-bearer", name = "n", description = "d",
            token_url = "https://a.example/token", claims = { iss = "me", exp = "1" }"#,
        );
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("`claims` needs `aud`"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("invalid claims entry `exp`"),
            "{messages:?}"
        );
    }

    #[test]
    fn the_table_and_its_docs() {
        assert_table_is_well_formed(KEYS);
        assert_docs_table(KEYS, "docs/jwt_bearer_connection.md");
    }
}
