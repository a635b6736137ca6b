//! Expansion: tokens only. The apps in a local constant, their order by id (computed at compile
//! time), and a `const` assertion per pair that they share no app id and no connection id.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::Path;
use syn::spanned::Spanned;

use connkit_rules::id::{duplicate_app_message, shared_connection_message};

use crate::app::pairwise;
use crate::ctxt::Ctxt;
use crate::syntax::path_text;

pub(crate) fn expand(apps: Option<Vec<&Path>>, krate: &TokenStream, cx: Ctxt) -> TokenStream {
    let Some(apps) = apps.filter(|_| cx.is_empty()) else {
        let errors = cx.into_compile_errors();
        return quote! {{ #errors #krate::__private::registry(&[], &[]) }};
    };
    let mut assertions = Vec::new();
    pairwise(&apps, |(first_index, first), (second_index, second)| {
        let (first, second_text) = (path_text(first), path_text(second));
        let same_id = duplicate_app_message(&first, &second_text);
        let shared = shared_connection_message(&first, &second_text);
        assertions.push(quote_spanned! {second.span()=>
            const _: () = match #krate::__private::apps_conflict(&__APPS[#first_index], &__APPS[#second_index]) {
                #krate::__private::AppConflict::None => {}
                #krate::__private::AppConflict::SameId => ::core::panic!(#same_id),
                #krate::__private::AppConflict::SharedConnection => ::core::panic!(#shared),
            };
        });
    });
    let count = apps.len();
    quote! {{
        const __APPS: &[#krate::AppDefinition] = &[#(#apps),*];
        const __ORDER: &[u16] = &#krate::__private::order_by_id::<#count>(__APPS);
        #(#assertions)*
        #krate::__private::registry(__APPS, __ORDER)
    }}
}
