//! Parsing: the optional `crate = path;` header and the `key: value` entries, typed by the key
//! table.

use proc_macro2::TokenStream;

use super::keys::{KEYS, MACRO};
use crate::ctxt::Ctxt;
use crate::keys::Fields;
use crate::syntax::{crate_tokens, parse_header_and_entries};

/// A parsed `app! { ... }`.
pub(crate) struct Ast {
    /// The keys written with a value of the right type; `None` when the input did not parse.
    pub(crate) fields: Option<Fields>,
    /// How generated code names connkit.
    pub(crate) krate: TokenStream,
}

pub(crate) fn parse(input: TokenStream, cx: &mut Ctxt) -> Ast {
    match parse_header_and_entries(input) {
        Ok((krate, entries)) => Ast {
            fields: Some(Fields::from_entries(entries, KEYS, MACRO, cx)),
            krate: crate_tokens(krate.as_ref()),
        },
        Err(error) => {
            cx.push(error);
            Ast {
                fields: None,
                krate: crate_tokens(None),
            }
        }
    }
}
