//! `app! { ... }`: `ast` (the `crate = path;` header and the typed keys) → `valid` (the rules)
//! → `expand` (a block building the app, with const assertions for what needs the listed
//! types; or the stand-in after an error).

mod ast;
mod expand;
pub(crate) mod keys;
mod valid;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let ast = ast::parse(input, &mut cx);
    let checked = ast
        .fields
        .as_ref()
        .and_then(|fields| valid::validate(fields, &mut cx));
    expand::expand(checked, &ast.krate, cx)
}

/// The parse and validate stages alone, for the robustness test.
#[cfg(test)]
pub(crate) fn parse_for_tests(input: TokenStream, cx: &mut Ctxt) {
    let ast = ast::parse(input, cx);
    if let Some(fields) = &ast.fields {
        let _ = valid::validate(fields, cx);
    }
}
