//! Expansion: tokens only. A block that lists the connections, actions and triggers in local
//! constants, asserts at compile time that each belongs to the app and that no id repeats, and
//! builds the app; after an error, the stand-in (every field at its key's fallback value).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Path;
use syn::spanned::Spanned;

use connkit_rules::id::{
    ComponentKind, component_name_message, duplicate_component_message,
    duplicate_connection_message, foreign_component_message, foreign_connection_message,
};

use super::keys::{ACTIONS, CONNECTIONS, KEYS, TRIGGERS};
use super::valid::CheckedApp;
use crate::ctxt::Ctxt;
use crate::keys::{Const, fallback_tokens};
use crate::syntax::path_text;

pub(crate) fn expand(app: Option<CheckedApp>, krate: &TokenStream, cx: Ctxt) -> TokenStream {
    if let Some(app) = app
        && cx.is_empty()
        && let Some(tokens) = app_tokens(app, krate)
    {
        return tokens;
    }
    // A stand-in of the right type, so that `const X: AppDefinition = app! {..}` adds no error.
    let errors = cx.into_compile_errors();
    let fields = fallback_tokens(KEYS, krate);
    quote! {{
        #errors
        #krate::__private::app(#krate::__private::AppFields { #fields })
    }}
}

fn app_tokens(app: CheckedApp, krate: &TokenStream) -> Option<TokenStream> {
    let CheckedApp {
        mut checked,
        id,
        connections,
        actions,
        triggers,
    } = app;
    let connection_items = connections
        .iter()
        .map(|path| quote_spanned!(path.span()=> <#path as #krate::Connection>::CONNECTION));
    let mut assertions = Vec::new();
    for (index, path) in connections.iter().enumerate() {
        let message = foreign_connection_message(&path_text(path), &id);
        assertions.push(quote_spanned! {path.span()=>
            const _: () = if #krate::__private::connection_foreign_to(&__CONNECTIONS[#index], #id) {
                ::core::panic!(#message)
            };
        });
    }
    pairwise(
        &connections,
        |(first_index, first), (second_index, second)| {
            let message = duplicate_connection_message(&path_text(first), &path_text(second));
            assertions.push(quote_spanned! {second.span()=>
            const _: () = if #krate::__private::same_connection_id(&__CONNECTIONS[#first_index], &__CONNECTIONS[#second_index]) {
                ::core::panic!(#message)
            };
        });
        },
    );
    let mut component_items = |kind: ComponentKind, paths: &[&Path], list: TokenStream| {
        let component_trait = match kind {
            ComponentKind::Action => quote!(Action),
            ComponentKind::Trigger => quote!(Trigger),
        };
        let variant = component_trait.clone();
        for (index, path) in paths.iter().enumerate() {
            let shown = path_text(path);
            let wrong_app = foreign_component_message(kind, &shown, &id);
            let bad_name = component_name_message(kind, &shown, &id);
            assertions.push(quote_spanned! {path.span()=>
                const _: () = match #krate::__private::check_component_id(
                    #list[#index].id(), #id, #krate::__private::ComponentKind::#variant,
                ) {
                    #krate::__private::ComponentIdCheck::Valid => {}
                    #krate::__private::ComponentIdCheck::WrongApp => ::core::panic!(#wrong_app),
                    #krate::__private::ComponentIdCheck::BadName => ::core::panic!(#bad_name),
                };
            });
        }
        pairwise(paths, |(first_index, first), (second_index, second)| {
            let message = duplicate_component_message(kind, &path_text(first), &path_text(second));
            assertions.push(quote_spanned! {second.span()=>
                const _: () = if #krate::__private::same_component_id(&#list[#first_index], &#list[#second_index]) {
                    ::core::panic!(#message)
                };
            });
        });
        paths
            .iter()
            .map(|path| quote_spanned!(path.span()=> <#path as #krate::#component_trait>::__DEFINITION))
            .collect::<Vec<_>>()
    };
    let action_items = component_items(ComponentKind::Action, &actions, quote!(__ACTIONS));
    let trigger_items = component_items(ComponentKind::Trigger, &triggers, quote!(__TRIGGERS));

    checked.set(&ACTIONS, Const::Tokens(quote!(__ACTIONS)));
    checked.set(&TRIGGERS, Const::Tokens(quote!(__TRIGGERS)));
    checked.set(&CONNECTIONS, Const::Tokens(quote!(__CONNECTIONS)));
    let fields = checked.field_tokens(KEYS, krate)?;
    let call_site = Span::call_site();
    Some(quote_spanned! {call_site=> {
        const __CONNECTIONS: &[#krate::ConnectionDefinition] = &[#(#connection_items),*];
        const __ACTIONS: &[#krate::ComponentDefinition] = &[#(#action_items),*];
        const __TRIGGERS: &[#krate::ComponentDefinition] = &[#(#trigger_items),*];
        #(#assertions)*
        #krate::__private::app(#krate::__private::AppFields { #fields })
    }})
}

/// Calls `each` for every pair `(i, j)` with `i < j`.
fn pairwise<'a, T>(items: &'a [T], mut each: impl FnMut((usize, &'a T), (usize, &'a T))) {
    for (second_index, second) in items.iter().enumerate() {
        for (first_index, first) in items[..second_index].iter().enumerate() {
            each((first_index, first), (second_index, second));
        }
    }
}
