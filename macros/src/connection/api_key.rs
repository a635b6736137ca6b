//! The API-key connection kind: `#[api_key_connection]`, where the key goes (a header with an
//! optional prefix, or a query parameter).

use connkit_rules::id::API_KEY_KIND;
use connkit_rules::params::{check_key_header, check_key_prefix, check_key_query};

use crate::ctxt::Ctxt;
use crate::keys::Fallback;
use crate::keys::Presence::{Default, Required};
use crate::keys::Syntax::Str;
use crate::keys::{CRATE, Checked, Const, DESCRIPTION, Fields, Key, NAME};

use super::Kind;
use super::common::{complete, identity_and_inputs};
use super::inputs::INPUTS;

/// `#[api_key_connection]`.
pub(crate) const KIND: Kind = Kind {
    macro_name: MACRO,
    example: "pub struct OpenAiApiKey;",
    keys: KEYS,
    misplaced: &[
        (
            "dpop",
            "`dpop` binds tokens from a token endpoint to a key; an API key has none: remove it",
        ),
        ("scopes", "an API key carries no scopes; remove it"),
        (
            "token_url",
            "an API key is used as it is, with no token endpoint; remove it, or declare #[oauth2_connection] or #[client_credentials_connection]",
        ),
    ],
    definition_type: "ApiKeyDefinition",
    fields_type: "ApiKeyFields",
    constructor: "api_key",
    variant: "ApiKey",
    validate,
};

pub(crate) const MACRO: &str = "#[api_key_connection]";

const ID: Key = Key {
    name: "id",
    syntax: Str,
    presence: Required,
    doc: "`<app-id>_connection_api-key`, optionally followed by `-<variant>`",
    fallback: Fallback::Str(""),
};
const HEADER: Key = Key {
    name: "header",
    syntax: Str,
    presence: Default("none; `header` or `query` is required"),
    doc: "the header the key goes in, like `\"Authorization\"` or `\"X-Api-Key\"`",
    fallback: Fallback::Nothing,
};
const PREFIX: Key = Key {
    name: "prefix",
    syntax: Str,
    presence: Default("`\"\"`"),
    doc: "the text before the key in its header, like `\"Bearer \"`; only with `header`",
    fallback: Fallback::Str(""),
};
const QUERY: Key = Key {
    name: "query",
    syntax: Str,
    presence: Default("none; `header` or `query` is required"),
    doc: "the query parameter the key goes in, like `\"api_key\"`",
    fallback: Fallback::Nothing,
};

/// Every key, in the order of the documentation and of the generated fields.
pub(crate) const KEYS: &[&Key] = &[
    &ID,
    &NAME,
    &DESCRIPTION,
    &INPUTS,
    &HEADER,
    &PREFIX,
    &QUERY,
    &CRATE,
];

fn validate(fields: &Fields, cx: &mut Ctxt) -> Option<Checked> {
    let mut checked = Checked::default();
    identity_and_inputs(fields, &ID, API_KEY_KIND, &mut checked, cx);
    let (header, query) = (fields.str(&HEADER), fields.str(&QUERY));
    match (header, query) {
        (Some(_), Some(query)) => cx.error_with_help(
            query,
            "an API key goes in a header or in the query, not both",
            Some("keep `header` or `query`".to_owned()),
        ),
        (None, None) if !fields.broken(&HEADER) && !fields.broken(&QUERY) => cx.error_at_call_site(
            format!("{MACRO} needs `header` or `query`: where the key goes in a request"),
        ),
        _ => {}
    }
    let mut placement = |key: &Key, check: fn(&str) -> Result<(), _>| match fields.str(key) {
        None => checked.set(key, Const::OptionalStr(None)),
        Some(lit) => match check(&lit.value()) {
            Ok(()) => checked.set(key, Const::OptionalStr(Some(lit.value()))),
            Err(problem) => cx.error(
                lit,
                format!("invalid {} {:?}: {problem}", key.name, lit.value()),
            ),
        },
    };
    placement(&HEADER, check_key_header);
    placement(&QUERY, check_key_query);
    match fields.str(&PREFIX) {
        None => checked.set(&PREFIX, Const::Str(String::new())),
        Some(lit) if header.is_none() => cx.error_with_help(
            lit,
            "`prefix` goes before the key in its header, and this key goes in the query",
            Some("remove `prefix`".to_owned()),
        ),
        Some(lit) => match check_key_prefix(&lit.value()) {
            Ok(()) => checked.set(&PREFIX, Const::Str(lit.value())),
            Err(problem) => cx.error(lit, format!("invalid prefix {:?}: {problem}", lit.value())),
        },
    }
    complete(fields, &[&ID, &NAME, &DESCRIPTION], cx).then_some(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::tests::{assert_docs_table, assert_table_is_well_formed};

    #[test]
    fn the_table_and_its_docs() {
        assert_table_is_well_formed(KEYS);
        assert_docs_table(KEYS, "docs/api_key_connection.md");
    }
}
