//! Expansion: tokens only. A `DEFINITION` constant on the struct and a `Connection` impl; after
//! an error, the same items around the stand-in (every field at its key's fallback value), so
//! that the only errors are the definition's own.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Kind;
use super::ast::Ast;
use crate::ctxt::Ctxt;
use crate::keys::{Checked, fallback_tokens};

pub(crate) fn expand(kind: &Kind, ast: Ast, checked: Option<Checked>, cx: Ctxt) -> TokenStream {
    let Ast {
        item, ident, krate, ..
    } = ast;
    let fields = checked
        .and_then(|checked| checked.field_tokens(kind.keys, &krate))
        .unwrap_or_else(|| fallback_tokens(kind.keys, &krate));
    let definition_type = format_ident!("{}", kind.definition_type);
    let fields_type = format_ident!("{}", kind.fields_type);
    let constructor = format_ident!("{}", kind.constructor);
    let variant = format_ident!("{}", kind.variant);
    let errors = cx.into_compile_errors();
    quote! {
        #item
        impl #ident {
            /// The connection's definition, checked at compile time.
            pub const DEFINITION: &'static #krate::#definition_type =
                &#krate::__private::#constructor(#krate::__private::#fields_type { #fields });
        }
        impl #krate::Connection for #ident {
            const CONNECTION: #krate::ConnectionDefinition =
                #krate::ConnectionDefinition::#variant(<#ident>::DEFINITION);
        }
        #errors
    }
}
