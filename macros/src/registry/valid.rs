//! Validation: no app listed twice, and at most `u16::MAX` apps (the lookup order is `u16`).
//! Duplicate app ids and connection ids need the apps' definitions: `expand` asserts them.

use syn::Path;

use crate::ctxt::Ctxt;
use crate::syntax::path_text;

/// The apps, each once; `None` after an error.
pub(crate) fn validate<'a>(apps: &'a [Path], cx: &mut Ctxt) -> Option<Vec<&'a Path>> {
    let mut unique: Vec<&Path> = Vec::with_capacity(apps.len());
    for path in apps {
        let text = path_text(path);
        if unique.iter().any(|earlier| path_text(earlier) == text) {
            cx.error(path, format!("app `{text}` is listed twice"));
        } else {
            unique.push(path);
        }
    }
    if unique.len() > usize::from(u16::MAX) {
        cx.error_at_call_site("a registry holds at most 65535 apps");
    }
    cx.is_empty().then_some(unique)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_app_listed_twice_is_one_error() {
        let apps: Vec<Path> = ["GMAIL", "apps::SLACK", "GMAIL"]
            .iter()
            .map(|text| syn::parse_str(text).unwrap())
            .collect();
        let mut cx = Ctxt::default();
        assert!(validate(&apps, &mut cx).is_none());
        assert_eq!(cx.messages(), ["app `GMAIL` is listed twice"]);
        let mut cx = Ctxt::default();
        assert_eq!(
            validate(&apps[..2], &mut cx).map(|apps| apps.len()),
            Some(2)
        );
    }
}
