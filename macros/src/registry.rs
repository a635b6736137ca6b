//! `registry![APP_A, APP_B, ...]`: a `connkit::Registry` of app constants, with const
//! assertions that no two apps share an app id or a connection id. `registry![crate = path;
//! ...]` names a renamed connkit.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Path, Token};

use crate::app::pairwise;
use crate::args::path_text;
use crate::errors::Errors;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let parser = |input: ParseStream| {
        let krate = if input.peek(Token![crate]) && input.peek2(Token![=]) {
            input.parse::<Token![crate]>()?;
            input.parse::<Token![=]>()?;
            let path: Path = input.parse()?;
            input.parse::<Token![;]>()?;
            Some(path.to_token_stream())
        } else {
            None
        };
        let apps = Punctuated::<Path, Token![,]>::parse_terminated(input)?;
        Ok((krate, apps))
    };
    let parsed = parser.parse2(input);
    let krate = match &parsed {
        Ok((Some(krate), _)) => krate.clone(),
        _ => crate::args::default_crate_path(),
    };
    let listed = match parsed {
        Ok((_, paths)) => paths.into_iter().collect::<Vec<_>>(),
        Err(error) => {
            errors.push(error);
            let errors = errors.into_compile_errors();
            return quote! {{ #errors #krate::__private::registry(&[], &[]) }};
        }
    };
    let mut apps: Vec<&Path> = Vec::with_capacity(listed.len());
    for path in &listed {
        let text = path_text(path);
        if apps.iter().any(|earlier| path_text(earlier) == text) {
            errors.at(path, format!("app `{text}` is listed twice"));
        } else {
            apps.push(path);
        }
    }
    if apps.len() > usize::from(u16::MAX) {
        errors.at_call_site("a registry holds at most 65535 apps");
    }
    if !errors.is_empty() {
        let errors = errors.into_compile_errors();
        return quote! {{ #errors #krate::__private::registry(&[], &[]) }};
    }

    let mut assertions = Vec::new();
    pairwise(&apps, |(first_index, first), (second_index, second)| {
        let (first, second_text) = (path_text(first), path_text(second));
        let same_id = format!("apps `{first}` and `{second_text}` have the same app id");
        let shared = format!("apps `{first}` and `{second_text}` declare the same connection id");
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
        const __APPS: &[#krate::App] = &[#(#apps),*];
        const __ORDER: &[u16] = &#krate::__private::order_by_id::<#count>(__APPS);
        #(#assertions)*
        #krate::__private::registry(__APPS, __ORDER)
    }}
}
