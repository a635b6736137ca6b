//! `registry![APP_A, APP_B, ...]` (or `registry![crate = path; ...]` for a renamed connkit):
//! `ast` → `valid` (no app listed twice) → `expand` (a registry with const assertions that no
//! two apps share an app id or a connection id).

mod ast;
mod expand;
mod valid;

use proc_macro2::TokenStream;

use crate::ctxt::Ctxt;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let ast = ast::parse(input, &mut cx);
    let apps = ast
        .apps
        .as_deref()
        .and_then(|apps| valid::validate(apps, &mut cx));
    expand::expand(apps, &ast.krate, cx)
}

/// The parse and validate stages alone, for the robustness test.
#[cfg(test)]
pub(crate) fn validate_for_tests(input: TokenStream, cx: &mut Ctxt) {
    let ast = ast::parse(input, cx);
    if let Some(apps) = &ast.apps {
        let _ = valid::validate(apps, cx);
    }
}
