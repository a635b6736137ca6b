//! Expansion: tokens only. A block that lists the connections, actions and triggers in local
//! statics, asserts at compile time that each belongs to the app and that no id repeats (one
//! `const` per list, whose error points at the offending item), and builds the app; after an
//! error, the stand-in (every field at its key's fallback value).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::Path;
use syn::spanned::Spanned;

use connkit_rules::id::ComponentKind;

use super::keys::{ACTIONS, CONNECTIONS, KEYS, TRIGGERS};
use super::valid::CheckedApp;
use crate::ctxt::Ctxt;
use crate::keys::{Const, fallback_tokens};
use crate::syntax::{fail_at_item, path_text};

pub(crate) fn expand(app: Option<CheckedApp>, krate: &TokenStream, cx: Ctxt) -> TokenStream {
    if let Some(app) = app
        && cx.is_empty()
        && let Some(tokens) = app_tokens(app, krate)
    {
        return tokens;
    }
    // A stand-in of the right type, so that `const X: AppDefinition = app! {..}` adds no error.
    let errors = cx.into_compile_errors();
    let fields = fallback_tokens(KEYS);
    quote! {{
        #errors
        use #krate::__private as __connkit;
        __connkit::app(__connkit::AppFields { #fields })
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
    let connection_items: Vec<TokenStream> = connections
        .iter()
        .map(|path| quote_spanned!(path.span()=> <#path as __connkit::ConnectionType>::CONNECTION_DEFINITION))
        .collect();
    let mut assertions = Vec::new();
    assertions.extend(list_check(
        &connections,
        &quote!(__connkit::app_connections_check(&__CONNECTIONS, #id)),
        &id,
    ));
    let mut component_items = |kind: ComponentKind, paths: &[&Path], list: TokenStream| {
        let component_trait = match kind {
            ComponentKind::Action => quote!(Action),
            ComponentKind::Trigger => quote!(Trigger),
        };
        let variant = component_trait.clone();
        assertions.extend(list_check(
            paths,
            &quote!(__connkit::app_components_check(
                #list, #id, __connkit::ComponentKind::#variant,
            )),
            &id,
        ));
        paths
            .iter()
            .map(|path| quote_spanned!(path.span()=> <#path as __connkit::#component_trait>::__DEFINITION))
            .collect::<Vec<_>>()
    };
    let action_items = component_items(ComponentKind::Action, &actions, quote!(&__ACTIONS));
    let trigger_items = component_items(ComponentKind::Trigger, &triggers, quote!(&__TRIGGERS));

    // A list is a named item only where an assertion reads it; an empty one is `&[]` (each item
    // costs the compiler a little, and a catalogue has hundreds of apps). It is a `static`, not a
    // `const`: the compiler checks the value of every constant down through its references, so
    // a constant list is walked again for the app and again for every constant that holds the
    // app, while it stops at a static, which is checked once.
    let mut lists = Vec::new();
    for (key, name, reference, ty, items) in [
        (
            &CONNECTIONS,
            "__CONNECTIONS",
            "&__CONNECTIONS",
            quote!(ConnectionDefinition),
            connection_items,
        ),
        (
            &ACTIONS,
            "__ACTIONS",
            "&__ACTIONS",
            quote!(ComponentDefinition),
            action_items,
        ),
        (
            &TRIGGERS,
            "__TRIGGERS",
            "&__TRIGGERS",
            quote!(ComponentDefinition),
            trigger_items,
        ),
    ] {
        if items.is_empty() {
            checked.set(key, Const::Code("&[]"));
        } else {
            let (ident, count) = (format_ident!("{name}"), items.len());
            lists.push(quote!(static #ident: [__connkit::#ty; #count] = [#(#items),*];));
            checked.set(key, Const::Code(reference));
        }
    }
    let fields = checked.field_tokens(KEYS)?;
    let call_site = Span::call_site();
    Some(quote_spanned! {call_site=> {
        use #krate::__private as __connkit;
        #(#lists)*
        #(#assertions)*
        __connkit::app(__connkit::AppFields { #fields })
    }})
}

/// One `const` assertion for a whole list: `check` (a call) finds the first mistake and the
/// index of the item to point at, its message is put together only then (from the items as
/// written, a list inline rather than one more `const` item), and the arm of that index panics
/// at the item's span: the error points where the pairwise assertions pointed, from one
/// evaluation per list.
fn list_check(paths: &[&Path], check: &TokenStream, id: &str) -> Option<TokenStream> {
    if paths.is_empty() {
        return None;
    }
    let names = paths.iter().map(|path| path_text(path));
    let fail = fail_at_item(paths);
    Some(quote! {
        const _: () = {
            if let ::core::option::Option::Some((index, mistake)) = #check {
                let message = mistake.message(index, #id, &[#(#names),*]);
                #fail
            }
        };
    })
}
