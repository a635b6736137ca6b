//! Validation: the app id and URL by connkit-rules, blank names, and types listed twice. The
//! checks that need the listed types' definitions (ownership, duplicate ids) are `const`
//! assertions written by `expand`.

use syn::{LitStr, Path};

use connkit_rules::id::check_app_id;

use super::keys::*;
use crate::ctxt::Ctxt;
use crate::keys::{Checked, Const, Fields, Key};
use crate::syntax::path_text;

/// A checked app: its scalar fields, and the listed types (each once).
pub(crate) struct CheckedApp<'a> {
    pub(crate) checked: Checked,
    pub(crate) id: String,
    pub(crate) connections: Vec<&'a Path>,
    pub(crate) actions: Vec<&'a Path>,
    pub(crate) triggers: Vec<&'a Path>,
}

/// Checks every key; `Some` only when no error was found (in this stage or before).
pub(crate) fn validate<'a>(fields: &'a Fields, cx: &mut Ctxt) -> Option<CheckedApp<'a>> {
    let mut checked = Checked::default();
    let id = fields.str(&ID).and_then(|lit| app_id(lit, cx));
    if let Some(id) = &id {
        checked.set(&ID, Const::Str(id.clone()));
    }
    for key in [&NAME, &DESCRIPTION] {
        if let Some(lit) = fields.str(key) {
            let text = lit.value();
            if text.trim().is_empty() {
                cx.error(lit, format!("`{}` must not be empty", key.name));
            } else {
                checked.set(key, Const::Str(text));
            }
        }
    }
    if let Some(lit) = fields.str(&LOGO_URL) {
        let url = lit.value();
        match connkit_rules::url_shape::check_url(&url) {
            Ok(_) => checked.set(&LOGO_URL, Const::Str(url)),
            Err(problem) => cx.error_with_help(
                lit,
                format!("invalid {} \"{url}\": {problem}", LOGO_URL.name),
                problem.help(),
            ),
        }
    }
    for key in [&IS_PUBLISHED, &AVAILABLE_FOR_AGENT] {
        let value = fields.bool(key).is_none_or(|lit| lit.value);
        checked.set(key, Const::Bool(value));
    }
    let mut list =
        |key: &Key, noun: &str| unique(fields.path_list(key).unwrap_or_default(), key, noun, cx);
    let (connections, actions, triggers) = (
        list(&CONNECTIONS, "connection"),
        list(&ACTIONS, "action"),
        list(&TRIGGERS, "trigger"),
    );
    let complete = [&ID, &NAME, &DESCRIPTION, &LOGO_URL]
        .iter()
        .all(|key| fields.has(key));
    match id {
        Some(id) if complete && cx.is_empty() => Some(CheckedApp {
            checked,
            id,
            connections,
            actions,
            triggers,
        }),
        _ => None,
    }
}

fn app_id(lit: &LitStr, cx: &mut Ctxt) -> Option<String> {
    let id = lit.value();
    match check_app_id(&id) {
        Ok(()) => Some(id),
        Err(error) => {
            cx.error_with_help(lit, &error, error.help());
            None
        }
    }
}

/// The paths with repeats removed; a repeated path is an error at its second occurrence.
fn unique<'a>(paths: &'a [Path], key: &Key, noun: &str, cx: &mut Ctxt) -> Vec<&'a Path> {
    let mut unique: Vec<&Path> = Vec::with_capacity(paths.len());
    for path in paths {
        let text = path_text(path);
        if unique.iter().any(|earlier| path_text(earlier) == text) {
            cx.error(
                path,
                format!("{noun} `{text}` is listed twice in `{}`", key.name),
            );
        } else {
            unique.push(path);
        }
    }
    unique
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;
    use crate::keys::tests::{assert_docs_table, assert_table_is_well_formed};
    use crate::syntax::parse_header_and_entries;

    /// The id and list lengths of the checked app, and every message.
    fn check(input: proc_macro2::TokenStream) -> (Option<(String, usize, usize)>, Vec<String>) {
        let mut cx = Ctxt::default();
        let (_, entries) = parse_header_and_entries(input).unwrap();
        let fields = Fields::from_entries(entries, KEYS, MACRO, &mut cx);
        let checked = validate(&fields, &mut cx)
            .map(|app| (app.id, app.connections.len(), app.actions.len()));
        (checked, cx.messages())
    }

    #[test]
    fn a_valid_app() {
        let (checked, messages) = check(quote!(
            id: "acme", name: "Acme", description: "Acme", logo_url: "https://a.example/l.svg",
            connections: [AcmeOAuth2, other::AcmeOAuth2], actions: [Send],
        ));
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(checked, Some(("acme".to_owned(), 2, 1)));
    }

    #[test]
    fn camel_case_ids_are_suggested_lowercased() {
        let (checked, messages) = check(quote!(
            id: "GitHub", name: "GitHub", description: "Code", logo_url: "https://a.example/l.svg",
        ));
        assert!(checked.is_none());
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0].ends_with("help: did you mean \"github\"?"),
            "{}",
            messages[0]
        );
    }

    #[test]
    fn a_type_listed_twice_is_one_error() {
        let (_, messages) = check(quote!(
            id: "acme", name: "Acme", description: "Acme", logo_url: "https://a.example/l.svg",
            triggers: [New, New],
        ));
        assert_eq!(messages, ["trigger `New` is listed twice in `triggers`"]);
    }

    #[test]
    fn the_table_and_its_docs() {
        assert_table_is_well_formed(KEYS);
        assert_docs_table(KEYS, "docs/app.md");
    }
}
