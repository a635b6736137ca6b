//! The key/value syntax shared by the macros: `key = value, ...` inside
//! `#[oauth2_connection(...)]` and `key: value, ...` inside `app! { ... }`.
//!
//! Values are parsed loosely (any literal, list, map, path or other tokens) so that a value of
//! the wrong type becomes a precise error at that value instead of a parse error for the whole
//! invocation.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry as MapSlot;

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitBool, LitStr, Path, Token};

use crate::errors::{Errors, with_help};

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
    let parser = |input: ParseStream| {
        parse_comma_separated(input, |input| {
            let key = input.call(Ident::parse_any)?;
            match separator {
                Separator::Equals => drop(input.parse::<Token![=]>()?),
                Separator::Colon => drop(input.parse::<Token![:]>()?),
            }
            let value = parse_value(input)?;
            Ok(Entry { key, value })
        })
    };
    parser.parse2(tokens)
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

/// The entries by key, after reporting unknown keys, repeated keys and missing required keys.
pub(crate) fn index_keys<'a>(
    entries: &'a [Entry],
    known: &[&str],
    required: &[&str],
    macro_name: &str,
    errors: &mut Errors,
) -> BTreeMap<String, &'a Entry> {
    let mut by_key: BTreeMap<String, &Entry> = BTreeMap::new();
    // A misspelled required key is reported once, as misspelled, not also as missing.
    let mut suggested: Vec<&str> = Vec::new();
    for entry in entries {
        let key = entry.key.unraw().to_string();
        if !known.contains(&key.as_str()) {
            let closest = connkit_rules::suggest::closest(&key, known);
            suggested.extend(closest);
            let help = match closest {
                Some(closest) => format!("did you mean `{closest}`?"),
                None => format!("the keys of {macro_name} are: {}", known.join(", ")),
            };
            errors.at(
                &entry.key,
                with_help(format!("unknown key `{key}` in {macro_name}"), Some(help)),
            );
        } else {
            match by_key.entry(key) {
                MapSlot::Occupied(occupied) => {
                    errors.at(&entry.key, format!("`{}` is given twice", occupied.key()));
                }
                MapSlot::Vacant(vacant) => {
                    vacant.insert(entry);
                }
            }
        }
    }
    let missing: Vec<String> = required
        .iter()
        .filter(|key| !by_key.contains_key(**key) && !suggested.contains(key))
        .map(|key| format!("`{key}`"))
        .collect();
    match missing.len() {
        0 => {}
        1 => errors.at_call_site(format!(
            "{macro_name} is missing the required key {}",
            missing[0]
        )),
        _ => errors.at_call_site(format!(
            "{macro_name} is missing the required keys {}",
            missing.join(", ")
        )),
    }
    by_key
}

/// The string literal of `key`, or an error at the value.
pub(crate) fn expect_str<'a>(
    value: &'a Value,
    key: &str,
    errors: &mut Errors,
) -> Option<&'a LitStr> {
    match value {
        Value::Str(lit) => Some(lit),
        other => {
            errors.at(other, format!("`{key}` expects a string literal"));
            None
        }
    }
}

/// The non-blank string literal of `key`, or an error at the value.
pub(crate) fn non_empty_str(
    value: Option<&Value>,
    key: &str,
    errors: &mut Errors,
) -> Option<String> {
    let lit = expect_str(value?, key, errors)?;
    let text = lit.value();
    if text.trim().is_empty() {
        errors.at(lit, format!("`{key}` must not be empty"));
        return None;
    }
    Some(text)
}

/// The string literal of `key`, checked as a URL by connkit-rules, or an error at the value.
pub(crate) fn url_str(value: Option<&Value>, key: &str, errors: &mut Errors) -> Option<String> {
    let lit = expect_str(value?, key, errors)?;
    let url = lit.value();
    match connkit_rules::url_shape::check_url(&url) {
        Ok(_) => Some(url),
        Err(problem) => {
            errors.at(lit, format!("invalid {key} \"{url}\": {problem}"));
            None
        }
    }
}

/// The boolean literal of an optional `key`, `default` when it is absent, or an error at the
/// value.
pub(crate) fn optional_bool(
    value: Option<&Value>,
    key: &str,
    default: bool,
    errors: &mut Errors,
) -> Option<bool> {
    match value {
        None => Some(default),
        Some(value) => expect_bool(value, key, errors),
    }
}

/// How generated code names the runtime crate, unless `crate = path` says otherwise.
pub(crate) fn default_crate_path() -> TokenStream {
    quote::quote!(::connkit)
}

/// The `crate = path` override (an error at the value if it is not a path), or `::connkit`.
pub(crate) fn crate_path(value: Option<&Value>, errors: &mut Errors) -> TokenStream {
    value
        .and_then(|value| expect_path(value, "crate", errors))
        .map_or_else(default_crate_path, ToTokens::to_token_stream)
}

/// The boolean literal of `key`, or an error at the value.
fn expect_bool(value: &Value, key: &str, errors: &mut Errors) -> Option<bool> {
    match value {
        Value::Bool(lit) => Some(lit.value),
        other => {
            errors.at(other, format!("`{key}` expects `true` or `false`"));
            None
        }
    }
}

/// The path of `key`, or an error at the value.
fn expect_path<'a>(value: &'a Value, key: &str, errors: &mut Errors) -> Option<&'a Path> {
    match value {
        Value::Path(path) => Some(path),
        other => {
            errors.at(other, format!("`{key}` expects a path"));
            None
        }
    }
}

/// The string literals of a `[...]` list, or errors at the offending values.
pub(crate) fn expect_str_list<'a>(
    value: &'a Value,
    key: &str,
    errors: &mut Errors,
) -> Option<Vec<&'a LitStr>> {
    let Value::List(_, items) = value else {
        errors.at(
            value,
            format!("`{key}` expects a list of string literals, like `[\"a\", \"b\"]`"),
        );
        return None;
    };
    let mut strings = Vec::with_capacity(items.len());
    let mut all_strings = true;
    for item in items {
        match item {
            Value::Str(lit) => strings.push(lit),
            other => {
                errors.at(other, format!("`{key}` expects string literals"));
                all_strings = false;
            }
        }
    }
    all_strings.then_some(strings)
}

/// The type paths of a `[...]` list, or errors at the offending values.
pub(crate) fn expect_path_list<'a>(
    value: &'a Value,
    key: &str,
    errors: &mut Errors,
) -> Option<Vec<&'a Path>> {
    let Value::List(_, items) = value else {
        errors.at(
            value,
            format!("`{key}` expects a list of type paths, like `[MyType]`"),
        );
        return None;
    };
    let mut paths = Vec::with_capacity(items.len());
    let mut all_paths = true;
    for item in items {
        match item {
            Value::Path(path) => paths.push(path),
            other => {
                errors.at(other, format!("`{key}` expects type paths"));
                all_paths = false;
            }
        }
    }
    all_paths.then_some(paths)
}

/// The `name = "value"` entries of a `{...}` map, or errors at the offending entries. A name
/// given twice is an error at the second; `case_insensitive` compares names ignoring ASCII case
/// (HTTP header names).
pub(crate) fn expect_str_map<'a>(
    value: &'a Value,
    key: &str,
    case_insensitive: bool,
    errors: &mut Errors,
) -> Option<Vec<(&'a MapKey, &'a LitStr)>> {
    let Value::Map(_, entries) = value else {
        errors.at(
            value,
            format!("`{key}` expects a map of string values, like `{{ name = \"value\", \"other-name\" = \"value\" }}`"),
        );
        return None;
    };
    let mut pairs: Vec<(&MapKey, &LitStr)> = Vec::with_capacity(entries.len());
    let mut valid = true;
    for entry in entries {
        let name = entry.key.name();
        let repeated = pairs.iter().any(|(earlier, _)| {
            let earlier = earlier.name();
            if case_insensitive {
                earlier.eq_ignore_ascii_case(&name)
            } else {
                earlier == name
            }
        });
        if repeated {
            errors.at(&entry.key, format!("`{name}` is set twice in `{key}`"));
            valid = false;
            continue;
        }
        match &entry.value {
            Value::Str(lit) => pairs.push((&entry.key, lit)),
            other => {
                errors.at(other, format!("`{key}` expects string values"));
                valid = false;
            }
        }
    }
    valid.then_some(pairs)
}

/// Renders a path as written, for messages (`a::B`).
pub(crate) fn path_text(path: &Path) -> String {
    path.to_token_stream().to_string().replace(' ', "")
}
