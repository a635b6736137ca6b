//! Expansion: tokens only. The apps in a local static (the compiler checks a constant's value
//! down through its references, and stops at a static: a constant list would have the whole
//! catalogue walked twice), one `const` evaluation that fills the lookup table and finds each
//! app's first earlier app with the same id on the way, and one `const` assertion that fails at
//! the first clashing app, with an arm spanned at each app: the generated tokens are linear in
//! the number of apps, and the items a fixed few (each `const` item costs the compiler far more
//! than an arm). (A connection id shared by two apps implies a shared app id: see
//! `RegistryCheck` in the runtime.)

use proc_macro2::TokenStream;
use quote::quote;
use syn::Path;

use crate::ctxt::Ctxt;
use crate::syntax::{fail_at_item, path_text};

pub(crate) fn expand(apps: Option<Vec<&Path>>, krate: &TokenStream, cx: Ctxt) -> TokenStream {
    let Some(apps) = apps.filter(|_| cx.is_empty()) else {
        let errors = cx.into_compile_errors();
        return quote! {{ #errors #krate::__private::registry(&[], &[]) }};
    };
    let names = apps.iter().map(|app| path_text(app));
    // One assertion for the whole list: the arm of the first clashing app fails at its span.
    let fail = fail_at_item(&apps);
    let count = apps.len();
    quote! {{
        use #krate::__private as __connkit;
        static __APPS: [__connkit::AppDefinition; #count] = [#(#apps),*];
        const __NAMES: &[&str] = &[#(#names),*];
        const __SLOTS: usize = __connkit::registry_slots(#count);
        const __CHECK: __connkit::RegistryCheck<#count, __SLOTS> =
            __connkit::check_registry::<#count, __SLOTS>(&__APPS);
        const __TABLE: &[u16] = &__CHECK.table;
        const _: () = if let ::core::option::Option::Some((index, message)) =
            __connkit::registry_clash(&__CHECK, __NAMES)
        {
            #fail
        };
        __connkit::registry(&__APPS, __TABLE)
    }}
}
