//! Collects every error of one macro invocation so that one build reports all of them.

use core::fmt::Display;

use proc_macro2::TokenStream;
use quote::ToTokens;

/// The errors found so far, combined into one `syn::Error`.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// An error covering `tokens` (a string literal is covered whole).
    pub(crate) fn at(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error at the macro invocation (for an attribute macro: the attribute).
    pub(crate) fn at_call_site(&mut self, message: impl Display) {
        self.push(syn::Error::new(proc_macro2::Span::call_site(), message));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.0
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }
}

/// `message`, followed by a `help:` line when there is an obvious fix.
pub(crate) fn with_help(message: String, help: Option<String>) -> String {
    match help {
        Some(help) => format!("{message}\n\nhelp: {help}"),
        None => message,
    }
}
