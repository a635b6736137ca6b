//! `#[oauth2_connection(...)]`: `ast` (the item and the typed keys) → `valid` (the rules) →
//! `expand` (tokens, or the stand-in after an error).

mod ast;
mod expand;
pub(crate) mod keys;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ctxt::Ctxt;

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let ast = match ast::parse(args, item, &mut cx) {
        Ok(ast) => ast,
        Err(item) => {
            // Not a unit struct: emit it untouched so the only error is ours.
            let errors = cx.into_compile_errors();
            return quote! { #item #errors };
        }
    };
    let checked = valid::validate(&ast.fields, &mut cx);
    expand::expand(ast, checked, cx)
}
