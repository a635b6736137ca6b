//! Expansion: tokens only. The apps in a local constant, one `const` evaluation that sorts them
//! by id, finds each app's first earlier app with the same id and fills the lookup table, and
//! one `const` assertion per app that reads its entry: the generated items are linear in the
//! number of apps. (A connection id shared by two apps implies a shared app id: see
//! `RegistryCheck` in the runtime.)

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Path;
use syn::spanned::Spanned;

use crate::ctxt::Ctxt;
use crate::syntax::path_text;

pub(crate) fn expand(apps: Option<Vec<&Path>>, krate: &TokenStream, cx: Ctxt) -> TokenStream {
    let Some(apps) = apps.filter(|_| cx.is_empty()) else {
        let errors = cx.into_compile_errors();
        return quote! {{ #errors #krate::__private::registry(&[], &[]) }};
    };
    let names = apps.iter().map(|app| path_text(app));
    let assertions = apps.iter().enumerate().map(|(index, app)| {
        quote_spanned! {app.span()=>
            const _: () = if let ::core::option::Option::Some(message) =
                #krate::__private::registry_clash(&__CHECK, #index, __NAMES)
            {
                ::core::panic!("{}", message.as_str())
            };
        }
    });
    let count = apps.len();
    quote! {{
        const __APPS: &[#krate::AppDefinition] = &[#(#apps),*];
        const __NAMES: &[&str] = &[#(#names),*];
        const __SLOTS: usize = #krate::__private::registry_slots(#count);
        const __CHECK: #krate::__private::RegistryCheck<#count, __SLOTS> =
            #krate::__private::check_registry::<#count, __SLOTS>(__APPS);
        const __TABLE: &[u16] = &__CHECK.table;
        #(#assertions)*
        #krate::__private::registry(__APPS, __TABLE)
    }}
}
