//! The connection macros, one file per kind (`oauth2.rs`: its key table, its rules and its
//! [`Kind`]), sharing the stages: `ast` (the item and the typed keys) → the kind's `validate`
//! (the rules) → `expand` (tokens, or the stand-in after an error).

pub(crate) mod api_key;
mod ast;
pub(crate) mod basic_auth;
pub(crate) mod client_credentials;
mod common;
mod expand;
mod inputs;
pub(crate) mod jwt_bearer;
pub(crate) mod key_pair;
pub(crate) mod oauth2;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;
use crate::keys::{Checked, Fields, Key};

#[cfg(test)]
pub(crate) use ast::parse as parse_for_tests;

/// What the shared stages need to know of a connection kind.
pub(crate) struct Kind {
    /// The attribute as users write it, for messages: `#[oauth2_connection]`.
    pub(crate) macro_name: &'static str,
    /// A struct it goes on, for the message when it is put elsewhere.
    pub(crate) example: &'static str,
    /// The key table; a key named `crate` is the path override.
    pub(crate) keys: &'static [&'static Key],
    /// Keys of other kinds that users put here, each with why it is not a key of this kind and
    /// what to do instead (the `help:` of its "unknown key" error).
    pub(crate) misplaced: &'static [(&'static str, &'static str)],
    /// The runtime's definition type, fields type, `__private` constructor and
    /// `ConnectionDefinition` variant.
    pub(crate) definition_type: &'static str,
    pub(crate) fields_type: &'static str,
    pub(crate) constructor: &'static str,
    pub(crate) variant: &'static str,
    /// The kind's rules: the checked value of every field, or `None` after an error.
    pub(crate) validate: fn(&Fields, &mut Ctxt) -> Option<Checked>,
}

/// Expands a connection attribute of `kind` on `item`.
pub(crate) fn expand(kind: &Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let ast = match ast::parse(kind, args, item, &mut cx) {
        Ok(ast) => ast,
        Err(item) => {
            // Not a unit struct: emit it untouched so the only error is ours.
            let errors = cx.into_compile_errors();
            return quote! { #item #errors };
        }
    };
    let checked = (kind.validate)(&ast.fields, &mut cx);
    expand::expand(kind, ast, checked, cx)
}
