//! Rules every connection kind shares: the id of its kind, a non-blank name and description,
//! and (for the kinds whose credential the user types in) the whole of their validation.

use syn::LitStr;

use connkit_rules::id::{ConnectionIdParts, check_connection_id};

use crate::ctxt::Ctxt;
use crate::keys::{Checked, Const, DESCRIPTION, Fields, Key, NAME};

use super::inputs::Inputs;

/// The parts of `id`, or an error at its literal.
pub(crate) fn connection_id<'a>(
    lit: &LitStr,
    id: &'a str,
    kind: &'static str,
    cx: &mut Ctxt,
) -> Option<ConnectionIdParts<'a>> {
    match check_connection_id(id, kind) {
        Ok(parts) => Some(parts),
        Err(error) => {
            cx.error_with_help(lit, &error, error.help());
            None
        }
    }
}

/// The text of a string key that must not be blank.
pub(crate) fn non_blank(fields: &Fields, key: &Key, cx: &mut Ctxt) -> Option<String> {
    let lit = fields.str(key)?;
    let text = lit.value();
    if text.trim().is_empty() {
        cx.error(lit, format!("`{}` must not be empty", key.name));
        return None;
    }
    Some(text)
}

/// `id` (of `kind`), `name`, `description` and `inputs`: the keys of a kind whose credential
/// the end user types in. Its inputs have no template to be placed in (the app reads them), so
/// none is "unused".
pub(crate) fn identity_and_inputs(
    fields: &Fields,
    id_key: &Key,
    kind: &'static str,
    checked: &mut Checked,
    cx: &mut Ctxt,
) {
    if let Some(lit) = fields.str(id_key) {
        let id = lit.value();
        connection_id(lit, &id, kind, cx);
        checked.set(id_key, Const::Str(id));
    }
    for key in [&NAME, &DESCRIPTION] {
        if let Some(text) = non_blank(fields, key, cx) {
            checked.set(key, Const::Str(text));
        }
    }
    Inputs::check(fields, checked, cx);
}

/// Whether every required key of `keys` was written and no error was found.
pub(crate) fn complete(fields: &Fields, required: &[&Key], cx: &Ctxt) -> bool {
    required.iter().all(|key| fields.has(key)) && cx.is_empty()
}
