//! Expansion: tokens only. A `DEFINITION` constant on the struct and a `Connection` impl; after
//! an error, the same items around the stand-in (every field at its key's fallback value), so
//! that the only errors are the definition's own.

use proc_macro2::TokenStream;
use quote::quote;

use super::ast::Ast;
use super::keys::KEYS;
use crate::ctxt::Ctxt;
use crate::keys::{Checked, fallback_tokens};

pub(crate) fn expand(ast: Ast, checked: Option<Checked>, cx: Ctxt) -> TokenStream {
    let Ast {
        item, ident, krate, ..
    } = ast;
    let fields = checked
        .and_then(|checked| checked.field_tokens(KEYS, &krate))
        .unwrap_or_else(|| fallback_tokens(KEYS, &krate));
    let errors = cx.into_compile_errors();
    quote! {
        #item
        impl #ident {
            /// The connection's definition, checked at compile time.
            pub const DEFINITION: &'static #krate::OAuth2Definition =
                &#krate::__private::oauth2(#krate::__private::OAuth2Fields { #fields });
        }
        impl #krate::Connection for #ident {
            const CONNECTION: #krate::ConnectionDefinition =
                #krate::ConnectionDefinition::OAuth2(<#ident>::DEFINITION);
        }
        #errors
    }
}
