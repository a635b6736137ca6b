//! Parsing: the annotated item (a unit struct without generics) and the attribute's keys, typed
//! by the key table.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::{Data, DeriveInput, Fields as StructFields};

use super::Kind;
use crate::ctxt::Ctxt;
use crate::keys::Fields;
use crate::syntax::{Separator, crate_tokens, parse_entries};

/// A parsed connection attribute on its struct.
pub(crate) struct Ast {
    /// The struct as it is emitted (without generic parameters, which were reported).
    pub(crate) item: TokenStream,
    /// The struct's name.
    pub(crate) ident: syn::Ident,
    /// The keys that were written with a value of the right type.
    pub(crate) fields: Fields,
    /// How generated code names connkit.
    pub(crate) krate: TokenStream,
}

/// Parses the attribute and its item. `Err` holds the item to emit untouched when it is not a
/// struct the attribute can go on (the error is in `cx`).
pub(crate) fn parse(
    kind: &Kind,
    args: TokenStream,
    item: TokenStream,
    cx: &mut Ctxt,
) -> Result<Ast, TokenStream> {
    let Some(derive) = parse_item(kind, &item, cx) else {
        return Err(item);
    };
    let fields = match parse_entries(args, Separator::Equals) {
        Ok(entries) => Fields::from_entries_in(
            entries,
            kind.keys,
            kind.macro_name,
            None,
            kind.misplaced,
            cx,
        ),
        Err(error) => {
            cx.push(error);
            Fields::empty()
        }
    };
    let crate_key = kind.keys.iter().find(|key| key.name == "crate");
    let krate = crate_tokens(crate_key.and_then(|key| fields.path(key)));
    // A generic struct was reported; emitting it without its (unused) parameters keeps that
    // the only error.
    let item = if derive.generics.params.is_empty() && derive.generics.where_clause.is_none() {
        item
    } else {
        let DeriveInput {
            attrs, vis, ident, ..
        } = &derive;
        quote! { #(#attrs)* #vis struct #ident; }
    };
    Ok(Ast {
        item,
        ident: derive.ident,
        fields,
        krate,
    })
}

/// The item, if it is a struct; an error unless it is a unit struct without generics.
fn parse_item(kind: &Kind, item: &TokenStream, cx: &mut Ctxt) -> Option<DeriveInput> {
    let expected = format!(
        "{} must be placed on a unit struct, like `{}`",
        kind.macro_name, kind.example
    );
    let Ok(derive) = syn::parse2::<DeriveInput>(item.clone()) else {
        cx.error_at(item_keyword_span(item), expected);
        return None;
    };
    match &derive.data {
        Data::Struct(data) => match &data.fields {
            StructFields::Unit => {}
            fields => {
                cx.error(
                    fields,
                    format!("{expected}; a connection struct has no fields"),
                );
                return None;
            }
        },
        Data::Enum(data) => {
            cx.error_at(data.enum_token.span, &expected);
            return None;
        }
        Data::Union(data) => {
            cx.error_at(data.union_token.span, &expected);
            return None;
        }
    }
    if !derive.generics.params.is_empty() || derive.generics.where_clause.is_some() {
        cx.error(
            &derive.generics,
            "a connection struct cannot have generic parameters",
        );
    }
    Some(derive)
}

/// The span of the item's keyword (`fn`, `impl`, ...), past attributes and visibility.
fn item_keyword_span(item: &TokenStream) -> Span {
    let mut tokens = item.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                tokens.next(); // the attribute's [...] group
            }
            TokenTree::Ident(ident) if ident == "pub" => {
                if matches!(tokens.peek(), Some(TokenTree::Group(_))) {
                    tokens.next(); // pub(crate) and the like
                }
            }
            other => return other.span(),
        }
    }
    Span::call_site()
}
