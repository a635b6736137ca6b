//! Expansion: tokens only. In an anonymous `const` block that names the runtime once
//! (`use <crate>::__private as __connkit;`), a `DEFINITION` constant on the struct and a
//! `Connection` impl; after an error, the same items around the stand-in (every field at its
//! key's fallback value), so that the only errors are the definition's own.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::Kind;
use super::ast::Ast;
use crate::ctxt::Ctxt;
use crate::keys::{Checked, Source, write_fallback_fields};

pub(crate) fn expand(kind: &Kind, ast: Ast, checked: Option<Checked>, cx: Ctxt) -> TokenStream {
    let Ast {
        item, ident, krate, ..
    } = ast;
    let Kind {
        definition_type,
        fields_type,
        constructor,
        variant,
        keys,
        ..
    } = kind;
    // The fields as text, parsed once (see `Source`); the few items around them are tokens, so
    // that the crate path keeps the span it was written with.
    let mut out = Source::new();
    // A definition that signs asks for the `jwt` feature, with an error at its value when the
    // feature is off.
    let requirement = checked.as_ref().and_then(Checked::jwt_at).map(|span| {
        let check = quote::quote_spanned!(span=> __connkit::requires_jwt::<__connkit::Jwt>());
        quote! { const _: () = #check; }
    });
    if checked
        .and_then(|checked| checked.write_fields(keys, &mut out))
        .is_none()
    {
        write_fallback_fields(keys, &mut out);
    }
    let fields = out.finish();
    let [definition_type, fields_type, constructor, variant] =
        [definition_type, fields_type, constructor, variant]
            .map(|name| Ident::new(name, Span::call_site()));
    let errors = cx.into_compile_errors();
    quote! {
        #item
        const _: () = {
            use #krate::__private as __connkit;
            impl #ident {
                #[doc = " The connection's definition, checked at compile time."]
                pub const DEFINITION: &'static __connkit::#definition_type =
                    &__connkit::#constructor(__connkit::#fields_type { #fields });
            }
            #[automatically_derived]
            impl __connkit::ConnectionType for #ident {
                const CONNECTION_DEFINITION: __connkit::ConnectionDefinition =
                    __connkit::ConnectionDefinition::#variant(<#ident>::DEFINITION);
            }
            #requirement
        };
        #errors
    }
}
