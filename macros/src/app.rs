//! `app! { ... }`: an expression building a `connkit::App`, with const assertions that every
//! listed connection, action and trigger belongs to the app and that none is listed twice.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{LitStr, Path};

use connkit_rules::id::{check_app_id, suggest_app_id};

use crate::args::{
    Separator, crate_path, expect_path_list, expect_str, index_keys, non_empty_str, optional_bool,
    parse_entries, path_text, url_str,
};
use crate::errors::{Errors, with_help};

const MACRO: &str = "app!";

const KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "logo_url",
    "is_published",
    "available_for_agent",
    "actions",
    "triggers",
    "connections",
    "crate",
];

const REQUIRED: &[&str] = &["id", "name", "description", "logo_url"];

/// What `app!` lists: connections, actions or triggers.
#[derive(Clone, Copy)]
enum ListKind {
    Connection,
    Action,
    Trigger,
}

impl ListKind {
    fn key(self) -> &'static str {
        match self {
            Self::Connection => "connections",
            Self::Action => "actions",
            Self::Trigger => "triggers",
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Self::Connection => "connection",
            Self::Action => "action",
            Self::Trigger => "trigger",
        }
    }
}

struct AppDefinition<'a> {
    id: String,
    name: String,
    description: String,
    logo_url: String,
    is_published: bool,
    available_for_agent: bool,
    connections: Vec<&'a Path>,
    actions: Vec<&'a Path>,
    triggers: Vec<&'a Path>,
}

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let entries = match parse_entries(input, Separator::Colon) {
        Ok(entries) => entries,
        Err(error) => {
            errors.push(error);
            Vec::new()
        }
    };
    let parsed = errors.is_empty();
    let by_key = if parsed {
        index_keys(&entries, KEYS, REQUIRED, MACRO, &mut errors)
    } else {
        Default::default()
    };
    let value_of = |key: &str| by_key.get(key).map(|entry| &entry.value);
    let krate = crate_path(value_of("crate"), &mut errors);

    let definition = parsed.then(|| {
        let id = value_of("id")
            .and_then(|value| expect_str(value, "id", &mut errors))
            .and_then(|lit| app_id(lit, &mut errors));
        let name = non_empty_str(value_of("name"), "name", &mut errors);
        let description = non_empty_str(value_of("description"), "description", &mut errors);
        let logo_url = url_str(value_of("logo_url"), "logo_url", &mut errors);
        let is_published =
            optional_bool(value_of("is_published"), "is_published", true, &mut errors);
        let available_for_agent = optional_bool(
            value_of("available_for_agent"),
            "available_for_agent",
            true,
            &mut errors,
        );
        let mut list = |kind: ListKind| match value_of(kind.key()) {
            None => Some(Vec::new()),
            Some(value) => expect_path_list(value, kind.key(), &mut errors)
                .map(|paths| unique_paths(paths, kind, &mut errors)),
        };
        let (connections, actions, triggers) = (
            list(ListKind::Connection),
            list(ListKind::Action),
            list(ListKind::Trigger),
        );
        Some(AppDefinition {
            id: id?,
            name: name?,
            description: description?,
            logo_url: logo_url?,
            is_published: is_published?,
            available_for_agent: available_for_agent?,
            connections: connections?,
            actions: actions?,
            triggers: triggers?,
        })
    });

    match definition.flatten() {
        Some(definition) if errors.is_empty() => app_tokens(&definition, &krate),
        _ => {
            // A stand-in of the right type, so that `const X: App = app! {..}` adds no error.
            let errors = errors.into_compile_errors();
            quote! {{ #errors #krate::__private::PLACEHOLDER_APP }}
        }
    }
}

fn app_id(lit: &LitStr, errors: &mut Errors) -> Option<String> {
    let id = lit.value();
    match check_app_id(&id) {
        Ok(()) => Some(id),
        Err(error) => {
            let help =
                suggest_app_id(&id).map(|suggestion| format!("did you mean \"{suggestion}\"?"));
            errors.at(
                lit,
                with_help(format!("invalid app id \"{id}\": {error}"), help),
            );
            None
        }
    }
}

/// The paths with repeats removed; a repeated path is an error at its second occurrence.
fn unique_paths<'a>(paths: Vec<&'a Path>, kind: ListKind, errors: &mut Errors) -> Vec<&'a Path> {
    let mut unique: Vec<&Path> = Vec::with_capacity(paths.len());
    for path in paths {
        let text = path_text(path);
        if unique.iter().any(|earlier| path_text(earlier) == text) {
            errors.at(
                path,
                format!(
                    "{} `{text}` is listed twice in `{}`",
                    kind.noun(),
                    kind.key()
                ),
            );
        } else {
            unique.push(path);
        }
    }
    unique
}

fn app_tokens(app: &AppDefinition<'_>, krate: &TokenStream) -> TokenStream {
    let AppDefinition {
        id,
        name,
        description,
        logo_url,
        is_published,
        available_for_agent,
        ..
    } = app;
    let connection_items = app
        .connections
        .iter()
        .map(|path| quote_spanned!(path.span()=> <#path as #krate::Connection>::CONNECTION));
    let component_items = |paths: &[&Path], kind: ListKind| -> Vec<TokenStream> {
        let component_trait = match kind {
            ListKind::Action => quote!(Action),
            _ => quote!(Trigger),
        };
        paths
            .iter()
            .map(|path| quote_spanned!(path.span()=> <#path as #krate::#component_trait>::__DEFINITION))
            .collect()
    };
    let action_items = component_items(&app.actions, ListKind::Action);
    let trigger_items = component_items(&app.triggers, ListKind::Trigger);

    let mut assertions = Vec::new();
    for (index, path) in app.connections.iter().enumerate() {
        let message = format!(
            "connection `{}` does not belong to app \"{id}\": its id must start with \"{id}_connection_\"",
            path_text(path)
        );
        assertions.push(quote_spanned! {path.span()=>
            const _: () = if #krate::__private::connection_foreign_to(&__CONNECTIONS[#index], #id) {
                ::core::panic!(#message)
            };
        });
    }
    pairwise(
        &app.connections,
        |(first_index, first), (second_index, second)| {
            let message = format!(
                "connections `{}` and `{}` have the same id",
                path_text(first),
                path_text(second)
            );
            assertions.push(quote_spanned! {second.span()=>
            const _: () = if #krate::__private::same_connection_id(&__CONNECTIONS[#first_index], &__CONNECTIONS[#second_index]) {
                ::core::panic!(#message)
            };
        });
        },
    );
    for (kind, paths, list) in [
        (ListKind::Action, &app.actions, quote!(__ACTIONS)),
        (ListKind::Trigger, &app.triggers, quote!(__TRIGGERS)),
    ] {
        let noun = kind.noun();
        let component_kind = match kind {
            ListKind::Action => quote!(Action),
            _ => quote!(Trigger),
        };
        for (index, path) in paths.iter().enumerate() {
            let shown = path_text(path);
            let wrong_app = format!(
                "{noun} `{shown}` does not belong to app \"{id}\": its ID must start with \"{id}_{noun}_\""
            );
            let bad_name = format!(
                "{noun} `{shown}` has an invalid ID: the name after \"{id}_{noun}_\" must be lowercase kebab-case ([a-z0-9] words joined by single '-')"
            );
            assertions.push(quote_spanned! {path.span()=>
                const _: () = match #krate::__private::check_component_id(
                    #list[#index].id(), #id, #krate::__private::ComponentKind::#component_kind,
                ) {
                    #krate::__private::ComponentIdCheck::Valid => {}
                    #krate::__private::ComponentIdCheck::WrongApp => ::core::panic!(#wrong_app),
                    #krate::__private::ComponentIdCheck::BadName => ::core::panic!(#bad_name),
                };
            });
        }
        pairwise(paths, |(first_index, first), (second_index, second)| {
            let message = format!(
                "{noun}s `{}` and `{}` have the same ID",
                path_text(first),
                path_text(second)
            );
            assertions.push(quote_spanned! {second.span()=>
                const _: () = if #krate::__private::same_component_id(&#list[#first_index], &#list[#second_index]) {
                    ::core::panic!(#message)
                };
            });
        });
    }

    let call_site = Span::call_site();
    quote_spanned! {call_site=> {
        const __CONNECTIONS: &[#krate::ConnectionDefinition] = &[#(#connection_items),*];
        const __ACTIONS: &[#krate::ComponentDefinition] = &[#(#action_items),*];
        const __TRIGGERS: &[#krate::ComponentDefinition] = &[#(#trigger_items),*];
        #(#assertions)*
        #krate::__private::app(#krate::__private::AppParts {
            id: #id,
            name: #name,
            description: #description,
            logo_url: #logo_url,
            is_published: #is_published,
            available_for_agent: #available_for_agent,
            actions: __ACTIONS,
            triggers: __TRIGGERS,
            connections: __CONNECTIONS,
        })
    }}
}

/// Calls `each` for every pair `(i, j)` with `i < j`.
pub(crate) fn pairwise<'a, T>(
    items: &'a [T],
    mut each: impl FnMut((usize, &'a T), (usize, &'a T)),
) {
    for (second_index, second) in items.iter().enumerate() {
        for (first_index, first) in items[..second_index].iter().enumerate() {
            each((first_index, first), (second_index, second));
        }
    }
}
