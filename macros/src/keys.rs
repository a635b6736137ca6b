//! Key tables: each macro declares its keys once (name, syntax, required or default, doc line,
//! and the value its error-recovery stand-in uses), and that one declaration drives
//!
//! - parsing: each value is typed by its key's syntax, with an error at the value otherwise;
//! - unknown keys and their "did you mean" suggestion, repeated keys, missing required keys;
//! - expansion: the generated fields struct has one field per key, named as the key;
//! - the stand-in emitted after an error (the `fallback` values);
//! - the key table in the macro's documentation ([`docs_table`]).

use proc_macro2::TokenStream;
use quote::quote;
use syn::ext::IdentExt;
use syn::{LitBool, LitStr, Path};

use crate::ctxt::Ctxt;
use crate::syntax::{Entry, MapKey, Value};

/// One key of a macro.
pub(crate) struct Key {
    /// The key as written.
    pub(crate) name: &'static str,
    /// What its value looks like.
    pub(crate) syntax: Syntax,
    /// Whether it must be written, and what it is when it is not.
    pub(crate) presence: Presence,
    /// One line for the documentation (read by the test that writes the docs' key table).
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) doc: &'static str,
    /// The value of the generated field in the stand-in emitted after an error.
    pub(crate) fallback: Fallback,
}

/// How a key's value is written.
#[derive(Clone, Copy)]
pub(crate) enum Syntax {
    /// `"text"`.
    Str,
    /// `true` or `false`.
    Bool,
    /// `["a", "b"]`.
    StrList,
    /// `{ name = "value", "other-name" = "value" }`; names compared ignoring ASCII case when
    /// `case_insensitive` (HTTP header names).
    StrMap { case_insensitive: bool },
    /// `[TypeA, path::TypeB]`.
    PathList,
    /// `path::to::crate`.
    Path,
    /// `{ name = { key = value, ... }, ... }`: named entries, each typed by its own key table
    /// (the `inputs` of a connection).
    Table(&'static [&'static Key]),
}

impl Syntax {
    #[cfg(test)]
    fn describe(self) -> &'static str {
        match self {
            Self::Str => "string",
            Self::Bool => "`true` / `false`",
            Self::StrList => "list of strings",
            Self::StrMap { .. } => "map of strings",
            Self::PathList => "list of types",
            Self::Path => "path",
            Self::Table(_) => "map of tables",
        }
    }
}

/// Whether a key must be written.
pub(crate) enum Presence {
    /// It must.
    Required,
    /// It may be left out; the text says what it is then, for the docs.
    Default(#[cfg_attr(not(test), allow(dead_code))] &'static str),
}

/// A generated field's value in the stand-in.
pub(crate) enum Fallback {
    Str(&'static str),
    /// `None`, for an optional string.
    Nothing,
    Bool(bool),
    EmptyList,
    /// `__connkit::<type>::<variant>` (`__connkit` is the `use` of `<crate>::__private` that
    /// every expansion starts with).
    Variant(&'static str, &'static str),
    /// The key is not a field of the generated definition (`crate`).
    NotAField,
}

/// `name`, shared by every macro's table.
pub(crate) const NAME: Key = Key {
    name: "name",
    syntax: Syntax::Str,
    presence: Presence::Required,
    doc: "display name, not blank",
    fallback: Fallback::Str(""),
};

/// `description`, shared by every macro's table.
pub(crate) const DESCRIPTION: Key = Key {
    name: "description",
    syntax: Syntax::Str,
    presence: Presence::Required,
    doc: "description, not blank",
    fallback: Fallback::Str(""),
};

/// `crate`, shared by the connection attributes: the path override (`app!` and `registry!`
/// take it as a `crate = path;` header instead).
pub(crate) const CRATE: Key = Key {
    name: "crate",
    syntax: Syntax::Path,
    presence: Presence::Default("`::connkit`"),
    doc: "the path of the connkit crate, when the dependency is renamed",
    fallback: Fallback::NotAField,
};

/// A value as its key's syntax types it.
pub(crate) enum Typed {
    Str(LitStr),
    Bool(LitBool),
    StrList(Vec<LitStr>),
    StrMap(Vec<(MapKey, LitStr)>),
    PathList(Vec<Path>),
    Path(Path),
    Table(Vec<(MapKey, Fields)>),
}

/// A known key with a well-typed value, as written.
pub(crate) struct Field {
    pub(crate) key: &'static Key,
    pub(crate) value: Typed,
}

/// The well-typed fields of one invocation. A key written with a value of the wrong type was
/// reported and is absent here, like a key that was not written.
pub(crate) struct Fields {
    fields: Vec<Field>,
    /// Keys written with an error in their value (reported), so that rules depending on them
    /// stay quiet instead of reporting a follow-on error.
    broken: Vec<&'static str>,
}

impl Fields {
    /// Types `entries` by `table`, reporting unknown keys (with a suggestion), repeated keys,
    /// values of the wrong type and missing required keys.
    pub(crate) fn from_entries(
        entries: Vec<Entry>,
        table: &'static [&'static Key],
        macro_name: &str,
        cx: &mut Ctxt,
    ) -> Self {
        Self::from_entries_in(entries, table, macro_name, None, &[], cx)
    }

    /// As `from_entries`, for the entries of `context` (a macro, or a nested table such as
    /// "input `shop`"); a missing required key is reported at `missing_at` (the call site when
    /// `None`). A key of `misplaced` (a key of another kind, with why it is not one here) gets
    /// that help instead of the list of keys.
    pub(crate) fn from_entries_in(
        entries: Vec<Entry>,
        table: &'static [&'static Key],
        macro_name: &str,
        missing_at: Option<&MapKey>,
        misplaced: &[(&str, &str)],
        cx: &mut Ctxt,
    ) -> Self {
        let names: Vec<&str> = table.iter().map(|key| key.name).collect();
        let mut seen: Vec<&'static str> = Vec::new();
        // A misspelled required key is reported once, as misspelled, not also as missing.
        let mut suggested: Vec<&str> = Vec::new();
        let mut fields = Vec::new();
        let mut broken: Vec<&'static str> = Vec::new();
        for Entry { key: name, value } in entries {
            let written = name.unraw().to_string();
            let Some(key) = table.iter().copied().find(|key| key.name == written) else {
                if let Some((_, why)) = misplaced.iter().find(|(name, _)| *name == written) {
                    cx.error_with_help(
                        &name,
                        format!("unknown key `{written}` in {macro_name}"),
                        Some((*why).to_owned()),
                    );
                    continue;
                }
                let help = connkit_rules::suggest::did_you_mean(&written, &names);
                let close = connkit_rules::suggest::closest(&written, &names);
                suggested.extend(close);
                // The key the user meant was written, misspelled: rules about it stay quiet.
                broken.extend(close);
                let help = help.unwrap_or_else(|| {
                    if written == "crate" && missing_at.is_none() {
                        format!("in {macro_name}, `crate = path;` goes before the keys")
                    } else {
                        format!("the keys of {macro_name} are: {}", names.join(", "))
                    }
                });
                cx.error_with_help(
                    &name,
                    format!("unknown key `{written}` in {macro_name}"),
                    Some(help),
                );
                continue;
            };
            if seen.contains(&key.name) {
                cx.error(&name, format!("`{}` is given twice", key.name));
                continue;
            }
            seen.push(key.name);
            match typed(value, key, cx) {
                Some(value) => fields.push(Field { key, value }),
                None => broken.push(key.name),
            }
        }
        let missing: Vec<String> = table
            .iter()
            .filter(|key| matches!(key.presence, Presence::Required))
            .filter(|key| !seen.contains(&key.name) && !suggested.contains(&key.name))
            .map(|key| format!("`{}`", key.name))
            .collect();
        let message = match missing.as_slice() {
            [] => None,
            [one] => Some(format!("{macro_name} is missing the required key {one}")),
            many => Some(format!(
                "{macro_name} is missing the required keys {}",
                many.join(", ")
            )),
        };
        if let Some(message) = message {
            match missing_at {
                Some(at) => cx.error(at, message),
                None => cx.error_at_call_site(message),
            }
            if missing_at.is_some() {
                broken.extend(table.iter().map(|key| key.name));
            }
        }
        Self { fields, broken }
    }

    /// No fields (the input did not parse; that error is enough).
    pub(crate) fn empty() -> Self {
        Self {
            fields: Vec::new(),
            broken: Vec::new(),
        }
    }

    fn get(&self, key: &Key) -> Option<&Field> {
        self.fields.iter().find(|field| field.key.name == key.name)
    }

    /// Whether `key` was written with an error already reported (a wrong type, or an error
    /// inside a nested table).
    pub(crate) fn broken(&self, key: &Key) -> bool {
        self.broken.contains(&key.name)
    }

    /// Whether every required key is here and no key is broken.
    pub(crate) fn is_whole(&self) -> bool {
        self.broken.is_empty()
    }

    pub(crate) fn table(&self, key: &Key) -> Option<&[(MapKey, Fields)]> {
        match &self.get(key)?.value {
            Typed::Table(entries) => Some(entries),
            _ => None,
        }
    }

    pub(crate) fn str(&self, key: &Key) -> Option<&LitStr> {
        match &self.get(key)?.value {
            Typed::Str(lit) => Some(lit),
            _ => None,
        }
    }

    pub(crate) fn bool(&self, key: &Key) -> Option<&LitBool> {
        match &self.get(key)?.value {
            Typed::Bool(lit) => Some(lit),
            _ => None,
        }
    }

    pub(crate) fn str_list(&self, key: &Key) -> Option<&[LitStr]> {
        match &self.get(key)?.value {
            Typed::StrList(lits) => Some(lits),
            _ => None,
        }
    }

    pub(crate) fn str_map(&self, key: &Key) -> Option<&[(MapKey, LitStr)]> {
        match &self.get(key)?.value {
            Typed::StrMap(pairs) => Some(pairs),
            _ => None,
        }
    }

    pub(crate) fn path_list(&self, key: &Key) -> Option<&[Path]> {
        match &self.get(key)?.value {
            Typed::PathList(paths) => Some(paths),
            _ => None,
        }
    }

    pub(crate) fn path(&self, key: &Key) -> Option<&Path> {
        match &self.get(key)?.value {
            Typed::Path(path) => Some(path),
            _ => None,
        }
    }

    /// Whether `key` was written (with a value of the right type).
    pub(crate) fn has(&self, key: &Key) -> bool {
        self.get(key).is_some()
    }
}

/// `value` typed by `key`'s syntax, or an error at the value.
fn typed(value: Value, key: &Key, cx: &mut Ctxt) -> Option<Typed> {
    let name = key.name;
    match (key.syntax, value) {
        (Syntax::Str, Value::Str(lit)) => Some(Typed::Str(lit)),
        (Syntax::Bool, Value::Bool(lit)) => Some(Typed::Bool(lit)),
        (Syntax::Path, Value::Path(path)) => Some(Typed::Path(path)),
        (Syntax::StrList, Value::List(_, items)) => {
            let count = items.len();
            let mut lits = Vec::with_capacity(count);
            for item in items {
                match item {
                    Value::Str(lit) => lits.push(lit),
                    other => cx.error(other, format!("`{name}` expects string literals")),
                }
            }
            (lits.len() == count).then_some(Typed::StrList(lits))
        }
        (Syntax::PathList, Value::List(_, items)) => {
            let count = items.len();
            let mut paths = Vec::with_capacity(count);
            for item in items {
                match item {
                    Value::Path(path) => paths.push(path),
                    other => cx.error(other, format!("`{name}` expects type paths")),
                }
            }
            (paths.len() == count).then_some(Typed::PathList(paths))
        }
        (Syntax::StrMap { case_insensitive }, Value::Map(_, entries)) => {
            let mut pairs: Vec<(MapKey, LitStr)> = Vec::with_capacity(entries.len());
            let mut valid = true;
            for entry in entries {
                let entry_name = entry.key.name();
                let repeated = pairs.iter().any(|(earlier, _)| {
                    let earlier = earlier.name();
                    if case_insensitive {
                        earlier.eq_ignore_ascii_case(&entry_name)
                    } else {
                        earlier == entry_name
                    }
                });
                if repeated {
                    cx.error(
                        &entry.key,
                        format!("`{entry_name}` is set twice in `{name}`"),
                    );
                    valid = false;
                    continue;
                }
                match entry.value {
                    Value::Str(lit) => pairs.push((entry.key, lit)),
                    other => {
                        cx.error(other, format!("`{name}` expects string values"));
                        valid = false;
                    }
                }
            }
            valid.then_some(Typed::StrMap(pairs))
        }
        (Syntax::Table(table), Value::Map(_, entries)) => {
            let mut tables: Vec<(MapKey, Fields)> = Vec::with_capacity(entries.len());
            let mut valid = true;
            for entry in entries {
                let entry_name = entry.key.name();
                if tables
                    .iter()
                    .any(|(earlier, _)| earlier.name() == entry_name)
                {
                    cx.error(
                        &entry.key,
                        format!("`{entry_name}` is declared twice in `{name}`"),
                    );
                    valid = false;
                    continue;
                }
                let Value::Map(_, inner) = entry.value else {
                    cx.error(
                        &entry.value,
                        format!("each entry of `{name}` is a table, like `{entry_name} = {{ label = \"...\" }}`"),
                    );
                    valid = false;
                    continue;
                };
                let mut nested = Vec::with_capacity(inner.len());
                for field in inner {
                    match field.key {
                        MapKey::Ident(key) => nested.push(Entry {
                            key,
                            value: field.value,
                        }),
                        MapKey::Str(lit) => {
                            cx.error(
                                &lit,
                                format!("the keys of an entry of `{name}` are names, not strings"),
                            );
                            valid = false;
                        }
                    }
                }
                let context = format!("`{name}` entry `{entry_name}`");
                let fields =
                    Fields::from_entries_in(nested, table, &context, Some(&entry.key), &[], cx);
                valid &= fields.is_whole();
                tables.push((entry.key, fields));
            }
            // Entries with an error are kept (their own keys stay usable); the key is broken.
            if valid {
                Some(Typed::Table(tables))
            } else {
                None
            }
        }
        (syntax, other) => {
            let expected = match syntax {
                Syntax::Str => format!("`{name}` expects a string literal"),
                Syntax::Bool => format!("`{name}` expects `true` or `false`"),
                Syntax::Path => format!("`{name}` expects a path"),
                Syntax::StrList => {
                    format!("`{name}` expects a list of string literals, like `[\"a\", \"b\"]`")
                }
                Syntax::PathList => {
                    format!("`{name}` expects a list of type paths, like `[MyType]`")
                }
                Syntax::StrMap { .. } => format!(
                    "`{name}` expects a map of string values, like `{{ name = \"value\", \"other-name\" = \"value\" }}`"
                ),
                Syntax::Table(_) => format!(
                    "`{name}` expects a map of tables, like `{{ shop = {{ label = \"Shop name\" }} }}`"
                ),
            };
            cx.error(other, expected);
            None
        }
    }
}

/// A checked value of a generated field.
pub(crate) enum Const {
    Str(String),
    /// An optional string key: `Some("...")` or `None`.
    OptionalStr(Option<String>),
    StrList(Vec<String>),
    Pairs(Vec<(String, String)>),
    Bool(bool),
    /// `__connkit::<type>::<variant>` (`__connkit` is the `use` of `<crate>::__private` that
    /// every expansion starts with).
    Variant(&'static str, &'static str),
    /// Code written by the macro itself (the lists of `app!`: `&[]` or the name of a constant
    /// it declares).
    Code(&'static str),
    /// `&[__connkit::<constructor>(__connkit::<fields_type> { name, .. }), ..]`:
    /// the named entries of a nested table, each with its checked fields.
    Records {
        constructor: &'static str,
        fields_type: &'static str,
        table: &'static [&'static Key],
        records: Vec<(String, Checked)>,
    },
}

impl Const {
    /// Writes the value's expression.
    fn write(&self, out: &mut Source) {
        match self {
            Self::Str(text) => out.str_literal(text),
            Self::OptionalStr(Some(text)) => {
                out.text("::core::option::Option::Some(");
                out.str_literal(text);
                out.text(")");
            }
            Self::OptionalStr(None) => out.text("::core::option::Option::None"),
            Self::StrList(items) => {
                out.text("&[");
                for item in items {
                    out.str_literal(item);
                    out.text(",");
                }
                out.text("]");
            }
            Self::Pairs(pairs) => {
                out.text("&[");
                for (name, value) in pairs {
                    out.text("(");
                    out.str_literal(name);
                    out.text(",");
                    out.str_literal(value);
                    out.text("),");
                }
                out.text("]");
            }
            Self::Bool(value) => out.text(if *value { "true" } else { "false" }),
            Self::Variant(ty, variant) => out.text(&format!("__connkit::{ty}::{variant}")),
            Self::Code(code) => out.text(code),
            Self::Records {
                constructor,
                fields_type,
                table,
                records,
            } => {
                out.text("&[");
                for (name, checked) in records {
                    out.text(&format!(
                        "__connkit::{constructor}(__connkit::{fields_type} {{ name: "
                    ));
                    out.str_literal(name);
                    out.text(", ");
                    // A record missing a field is a bug that the record table's own test
                    // catches; the fields written stay as they are.
                    let _ = checked.write_fields(table, out);
                    out.text("}),");
                }
                out.text("]");
            }
        }
    }
}

/// Generated fields, written as source text and parsed once. A definition's fields are
/// hundreds of tokens: made one at a time (`quote!`), each is a call through the compiler's
/// proc-macro bridge, and building them was most of the macros' own time. The text names the
/// runtime only as `__connkit`, which the tokens around it bind (`use <crate>::__private as
/// __connkit;`), so that the crate path keeps its span.
#[derive(Default)]
pub(crate) struct Source {
    text: String,
}

impl Source {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn text(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// A string literal: `{:?}` writes a valid Rust string literal (quotes, backslashes and
    /// control characters escaped).
    pub(crate) fn str_literal(&mut self, value: &str) {
        use core::fmt::Write as _;
        let _ = write!(self.text, "{value:?}");
    }

    /// The code written, parsed.
    pub(crate) fn finish(self) -> TokenStream {
        // In a macro, the compiler's own lexer, directly: proc-macro2's `from_str` first lexes
        // the text again itself, which cost more than the parse saved. (Outside a macro, in
        // this crate's tests, proc-macro2's lexer is all there is.)
        let parsed = if proc_macro::is_available() {
            self.text
                .parse::<proc_macro::TokenStream>()
                .map(TokenStream::from)
                .map_err(drop)
        } else {
            self.text.parse::<TokenStream>().map_err(drop)
        };
        // The text is the macro's own (literals escaped by `{:?}`); a failure here is a bug in
        // this file, reported as a compile error rather than a panic.
        parsed.unwrap_or_else(|()| {
            quote!(::core::compile_error!(
                "connkit-macros wrote code it cannot parse: please report this bug"
            ))
        })
    }
}

/// The checked value of every field key, collected by a macro's `valid` stage, and what the
/// definition needs of connkit's features.
#[derive(Default)]
pub(crate) struct Checked(Vec<(&'static str, Const)>, Option<proc_macro2::Span>);

impl Checked {
    pub(crate) fn set(&mut self, key: &Key, value: Const) {
        self.0.push((key.name, value));
    }

    /// Records that the definition signs JWTs (connkit's `jwt` feature), for the value at
    /// `span`.
    pub(crate) fn needs_jwt(&mut self, span: proc_macro2::Span) {
        self.1 = Some(span);
    }

    /// Where the definition asks for the `jwt` feature, if it does.
    pub(crate) fn jwt_at(&self) -> Option<proc_macro2::Span> {
        self.1
    }

    /// `name: value, ...` for every field key of `table`, in table order; `None` when a field
    /// key has no value (a key added to the table without its rule).
    pub(crate) fn field_tokens(&self, table: &[&Key]) -> Option<TokenStream> {
        let mut out = Source::new();
        self.write_fields(table, &mut out)?;
        Some(out.finish())
    }

    /// Writes [`Checked::field_tokens`]; `None`, with nothing written, when a field key has no
    /// value.
    pub(crate) fn write_fields(&self, table: &[&Key], out: &mut Source) -> Option<()> {
        // Every value is found before any is written.
        let fields = table
            .iter()
            .filter(|key| is_field(key))
            .map(|key| {
                let (_, value) = self.0.iter().find(|(name, _)| *name == key.name)?;
                Some((key.name, value))
            })
            .collect::<Option<Vec<_>>>()?;
        for (name, value) in fields {
            write_field(out, name, value);
        }
        Some(())
    }

    /// The names set, for tests.
    #[cfg(test)]
    pub(crate) fn names(&self) -> Vec<&'static str> {
        self.0.iter().map(|(name, _)| *name).collect()
    }
}

fn is_field(key: &Key) -> bool {
    !matches!(key.fallback, Fallback::NotAField)
}

/// `name: value, ...` for every field key of `table`, at its fallback value: the stand-in.
pub(crate) fn fallback_tokens(table: &[&Key]) -> TokenStream {
    let mut out = Source::new();
    write_fallback_fields(table, &mut out);
    out.finish()
}

/// Writes [`fallback_tokens`].
pub(crate) fn write_fallback_fields(table: &[&Key], out: &mut Source) {
    for key in table {
        let value = match key.fallback {
            Fallback::Str(text) => Const::Str(text.to_owned()),
            Fallback::Nothing => Const::OptionalStr(None),
            Fallback::Bool(value) => Const::Bool(value),
            Fallback::EmptyList => Const::Code("&[]"),
            Fallback::Variant(ty, variant) => Const::Variant(ty, variant),
            Fallback::NotAField => continue,
        };
        write_field(out, key.name, &value);
    }
}

/// `name: value,`.
fn write_field(out: &mut Source, name: &str, value: &Const) {
    out.text(name);
    // A space: `name:::core::...` would read as `name::` `:core`.
    out.text(": ");
    value.write(out);
    out.text(",");
}

/// The key table as Markdown, for the macro's documentation.
#[cfg(test)]
pub(crate) fn docs_table(table: &[&Key]) -> String {
    let mut out =
        String::from("| key | value | required or default | meaning |\n|---|---|---|---|\n");
    for key in table {
        let presence = match key.presence {
            Presence::Required => "required",
            Presence::Default(default) => default,
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            key.name,
            key.syntax.describe(),
            presence,
            key.doc
        ));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Asserts that the documentation file at `path` (relative to this crate), which the macro's
    /// rustdoc includes, holds the key table generated from `table`; with `CONNKIT_BLESS=1`,
    /// rewrites it instead.
    pub(crate) fn assert_docs_table(table: &[&Key], path: &str) {
        let crate_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let path = crate_dir.join(path);
        let generated = docs_table(table);
        if std::env::var_os("CONNKIT_BLESS").is_some() {
            std::fs::write(&path, &generated).unwrap();
            return;
        }
        let written = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            written,
            generated,
            "{} is out of date with its key table; run CONNKIT_BLESS=1 cargo test -p connkit-macros",
            path.display()
        );
    }

    /// Names in a table are unique, and every field key has a distinct fallback-able name.
    pub(crate) fn assert_table_is_well_formed(table: &[&Key]) {
        for (index, key) in table.iter().enumerate() {
            assert!(
                table[..index]
                    .iter()
                    .all(|earlier| earlier.name != key.name),
                "`{}` is declared twice",
                key.name
            );
            assert!(!key.doc.is_empty(), "`{}` has no doc line", key.name);
        }
    }

    #[test]
    fn generated_string_literals_read_back_as_written() {
        let values = [
            "",
            "plain",
            "quote \" and backslash \\ and \\\"",
            "line\nbreak\r\ttab\0nul",
            "unicode é ü 日本 \u{200b} \u{feff} \u{301}",
            "{braces} [brackets] (parens) /* not a comment */ // nor this",
            "r#\"raw\"#",
        ];
        for value in values {
            let mut out = Source::new();
            out.str_literal(value);
            let literal: LitStr = syn::parse2(out.finish()).unwrap();
            assert_eq!(literal.value(), value);
        }
    }

    #[test]
    fn generated_fields_lex_as_written() {
        let fields = [
            (
                "id",
                Const::Str("a_connection_oauth2".into()),
                "id : \"a_connection_oauth2\"",
            ),
            (
                "issuer",
                Const::OptionalStr(None),
                "issuer : :: core :: option :: Option :: None",
            ),
            (
                "scopes",
                Const::StrList(vec!["read".into(), "a \"b\"".into()]),
                "scopes : & [\"read\" , \"a \\\"b\\\"\" ,]",
            ),
            ("pkce", Const::Bool(true), "pkce : true"),
            (
                "client_auth",
                Const::Variant("ClientAuth", "Body"),
                "client_auth : __connkit :: ClientAuth :: Body",
            ),
            ("connections", Const::Code("&[]"), "connections : & []"),
        ];
        for (name, value, expected) in fields {
            let mut out = Source::new();
            out.text(name);
            out.text(": ");
            value.write(&mut out);
            assert_eq!(out.finish().to_string(), expected);
        }
    }
}
