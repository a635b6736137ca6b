//! The key/value syntax shared by the macros: `key = value, ...` inside
//! `#[oauth2_connection(...)]`, `key: value, ...` inside `app! { ... }`, and the
//! `crate = path;` header of `app!` and `registry!`.
//!
//! Values are parsed loosely (any literal, list, map, path or other tokens) so that a value of
//! the wrong type becomes a precise error at that value (in the `ast` stage, driven by the key
//! table) instead of a parse error for the whole invocation.

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::spanned::Spanned;
use syn::{Ident, LitBool, LitStr, Path, Token};

/// One `key = value` (or `key: value`) entry.
pub(crate) struct Entry {
    pub(crate) key: Ident,
    pub(crate) value: Value,
}

/// A value as written.
pub(crate) enum Value {
    Str(LitStr),
    Bool(LitBool),
    List(Group, Vec<Value>),
    Map(Group, Vec<MapEntry>),
    Path(Path),
    Other(TokenStream),
}

impl ToTokens for Value {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Str(lit) => lit.to_tokens(tokens),
            Self::Bool(lit) => lit.to_tokens(tokens),
            Self::List(group, _) | Self::Map(group, _) => group.to_tokens(tokens),
            Self::Path(path) => path.to_tokens(tokens),
            Self::Other(other) => other.to_tokens(tokens),
        }
    }
}

/// One `key = value` entry of a `{ ... }` map.
pub(crate) struct MapEntry {
    pub(crate) key: MapKey,
    pub(crate) value: Value,
}

/// A map key: an identifier or, for names that are not identifiers, a string literal.
pub(crate) enum MapKey {
    Ident(Ident),
    Str(LitStr),
}

impl MapKey {
    pub(crate) fn name(&self) -> String {
        match self {
            Self::Ident(ident) => ident.unraw().to_string(),
            Self::Str(lit) => lit.value(),
        }
    }
}

impl ToTokens for MapKey {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        match self {
            Self::Ident(ident) => ident.to_tokens(tokens),
            Self::Str(lit) => lit.to_tokens(tokens),
        }
    }
}

/// How a key is separated from its value.
#[derive(Clone, Copy)]
pub(crate) enum Separator {
    /// `key = value`, as in attributes.
    Equals,
    /// `key: value`, as in struct-like macros.
    Colon,
}

/// Parses `key <sep> value, ...` with an optional trailing comma.
pub(crate) fn parse_entries(tokens: TokenStream, separator: Separator) -> syn::Result<Vec<Entry>> {
    let parser = |input: ParseStream| parse_entries_from(input, separator);
    parser.parse2(tokens)
}

fn parse_entries_from(input: ParseStream, separator: Separator) -> syn::Result<Vec<Entry>> {
    parse_comma_separated(input, |input| {
        let key = input.call(Ident::parse_any)?;
        match separator {
            Separator::Equals => {
                input.parse::<Token![=]>()?;
            }
            Separator::Colon => {
                input.parse::<Token![:]>()?;
            }
        }
        let value = parse_value(input)?;
        Ok(Entry { key, value })
    })
}

/// The optional `crate = path;` header of `app!` and `registry!` (the attribute takes
/// `crate = path` as one of its keys: one spelling for all three macros).
pub(crate) fn parse_crate_header(input: ParseStream) -> syn::Result<Option<Path>> {
    if input.peek(Token![crate]) && input.peek2(Token![=]) {
        input.parse::<Token![crate]>()?;
        input.parse::<Token![=]>()?;
        let path: Path = input.parse()?;
        input.parse::<Token![;]>()?;
        Ok(Some(path))
    } else {
        Ok(None)
    }
}

/// `crate = path;` (optional), then `key: value, ...`: the input of `app!`.
pub(crate) fn parse_header_and_entries(
    tokens: TokenStream,
) -> syn::Result<(Option<Path>, Vec<Entry>)> {
    let parser = |input: ParseStream| {
        let krate = parse_crate_header(input)?;
        let entries = parse_entries_from(input, Separator::Colon)?;
        Ok((krate, entries))
    };
    parser.parse2(tokens)
}

/// How generated code names the runtime crate: `::connkit` unless `crate = path` says
/// otherwise.
pub(crate) fn crate_tokens(krate: Option<&Path>) -> TokenStream {
    krate.map_or_else(|| quote::quote!(::connkit), ToTokens::to_token_stream)
}

fn parse_comma_separated<T>(
    input: ParseStream,
    mut parse_item: impl FnMut(ParseStream) -> syn::Result<T>,
) -> syn::Result<Vec<T>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        items.push(parse_item(input)?);
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(items)
}

fn parse_value(input: ParseStream) -> syn::Result<Value> {
    if input.peek(LitStr) {
        return input.parse().map(Value::Str);
    }
    if input.peek(LitBool) {
        return input.parse().map(Value::Bool);
    }
    if input.peek(syn::token::Bracket) {
        let group = parse_group(input)?;
        let items = (|input: ParseStream| parse_comma_separated(input, parse_value))
            .parse2(group.stream())?;
        return Ok(Value::List(group, items));
    }
    if input.peek(syn::token::Brace) {
        let group = parse_group(input)?;
        let entries = (|input: ParseStream| parse_comma_separated(input, parse_map_entry))
            .parse2(group.stream())?;
        return Ok(Value::Map(group, entries));
    }
    if input.peek(Ident::peek_any) || input.peek(Token![::]) {
        let fork = input.fork();
        if let Ok(path) = fork.parse::<Path>()
            && (fork.is_empty() || fork.peek(Token![,]))
        {
            input.parse::<Path>()?;
            return Ok(Value::Path(path));
        }
    }
    let mut other = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        other.extend([input.parse::<TokenTree>()?]);
    }
    if other.is_empty() {
        return Err(input.error("expected a value"));
    }
    Ok(Value::Other(other))
}

fn parse_group(input: ParseStream) -> syn::Result<Group> {
    input.step(|cursor| match cursor.token_tree() {
        Some((TokenTree::Group(group), rest)) => Ok((group, rest)),
        _ => Err(cursor.error("expected a bracketed or braced group")),
    })
}

fn parse_map_entry(input: ParseStream) -> syn::Result<MapEntry> {
    let key = if input.peek(LitStr) {
        MapKey::Str(input.parse()?)
    } else {
        MapKey::Ident(input.call(Ident::parse_any)?)
    };
    input.parse::<Token![=]>()?;
    let value = parse_value(input)?;
    Ok(MapEntry { key, value })
}

/// Renders a path as written, for messages (`a::B`).
pub(crate) fn path_text(path: &Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}

/// `match index { 0 => panic!(..), 1 => panic!(..), .., _ => panic!(..) }`, each arm spanned at
/// its item, so that the error of a compile-time check of a whole list points at the item it is
/// about. `index` (the item's) and `message` (a `Message`) are bindings of the generated code.
pub(crate) fn fail_at_item(items: &[&Path]) -> TokenStream {
    let arms = items.iter().enumerate().map(|(index, item)| {
        let panic = quote_spanned!(item.span()=> ::core::panic!("{}", message.as_str()));
        quote!(#index => #panic,)
    });
    quote! {
        match index {
            #(#arms)*
            _ => ::core::panic!("{}", message.as_str()),
        }
    }
}
