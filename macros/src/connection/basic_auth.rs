//! The basic-auth connection kind: `#[basic_auth_connection]`, a username and password sent as HTTP Basic.

use connkit_rules::id::BASIC_AUTH_KIND;

use crate::ctxt::Ctxt;
use crate::keys::Fallback;
use crate::keys::Presence::Required;
use crate::keys::Syntax::Str;
use crate::keys::{CRATE, Checked, DESCRIPTION, Fields, Key, NAME};

use super::Kind;
use super::common::{complete, identity_and_inputs};
use super::inputs::INPUTS;

/// `#[basic_auth_connection]`.
pub(crate) const KIND: Kind = Kind {
    macro_name: MACRO,
    example: "pub struct JiraBasic;",
    keys: KEYS,
    misplaced: &[
        (
            "dpop",
            "`dpop` binds tokens from a token endpoint to a key; a username and password have none: remove it",
        ),
        (
            "token_url",
            "a username and password are sent as they are, with no token endpoint; remove it, or declare #[oauth2_connection] or #[client_credentials_connection]",
        ),
    ],
    definition_type: "BasicAuthDefinition",
    fields_type: "BasicAuthFields",
    constructor: "basic_auth",
    variant: "BasicAuth",
    validate,
};

pub(crate) const MACRO: &str = "#[basic_auth_connection]";

const ID: Key = Key {
    name: "id",
    syntax: Str,
    presence: Required,
    doc: "`<app-id>_connection_basic-auth`, optionally followed by `-<variant>`",
    fallback: Fallback::Str(""),
};

/// Every key, in the order of the documentation and of the generated fields.
pub(crate) const KEYS: &[&Key] = &[&ID, &NAME, &DESCRIPTION, &INPUTS, &CRATE];

fn validate(fields: &Fields, cx: &mut Ctxt) -> Option<Checked> {
    let mut checked = Checked::default();
    identity_and_inputs(fields, &ID, BASIC_AUTH_KIND, &mut checked, cx);
    complete(fields, &[&ID, &NAME, &DESCRIPTION], cx).then_some(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::tests::{assert_docs_table, assert_table_is_well_formed};

    #[test]
    fn the_table_and_its_docs() {
        assert_table_is_well_formed(KEYS);
        assert_docs_table(KEYS, "docs/basic_auth_connection.md");
    }
}
