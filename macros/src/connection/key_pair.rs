//! The key-pair connection kind: `#[key_pair_connection]`, a public and a private key the app signs its requests with.

use connkit_rules::id::KEY_PAIR_KIND;

use crate::ctxt::Ctxt;
use crate::keys::Fallback;
use crate::keys::Presence::Required;
use crate::keys::Syntax::Str;
use crate::keys::{CRATE, Checked, DESCRIPTION, Fields, Key, NAME};

use super::Kind;
use super::common::{complete, identity_and_inputs};
use super::inputs::INPUTS;

/// `#[key_pair_connection]`.
pub(crate) const KIND: Kind = Kind {
    macro_name: MACRO,
    example: "pub struct CoinbaseKeyPair;",
    keys: KEYS,
    misplaced: &[
        (
            "dpop",
            "`dpop` binds tokens from a token endpoint to a key; a key-pair connection has none: remove it",
        ),
        (
            "token_url",
            "a key pair is used as it is, with no token endpoint; remove it",
        ),
    ],
    definition_type: "KeyPairDefinition",
    fields_type: "KeyPairFields",
    constructor: "key_pair",
    variant: "KeyPair",
    validate,
};

pub(crate) const MACRO: &str = "#[key_pair_connection]";

const ID: Key = Key {
    name: "id",
    syntax: Str,
    presence: Required,
    doc: "`<app-id>_connection_key-pair`, optionally followed by `-<variant>`",
    fallback: Fallback::Str(""),
};

/// Every key, in the order of the documentation and of the generated fields.
pub(crate) const KEYS: &[&Key] = &[&ID, &NAME, &DESCRIPTION, &INPUTS, &CRATE];

fn validate(fields: &Fields, cx: &mut Ctxt) -> Option<Checked> {
    let mut checked = Checked::default();
    identity_and_inputs(fields, &ID, KEY_PAIR_KIND, &mut checked, cx);
    complete(fields, &[&ID, &NAME, &DESCRIPTION], cx).then_some(checked)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::tests::{assert_docs_table, assert_table_is_well_formed};

    #[test]
    fn the_table_and_its_docs() {
        assert_table_is_well_formed(KEYS);
        assert_docs_table(KEYS, "docs/key_pair_connection.md");
    }
}
