//! The error context of one macro invocation: collects every error so that one build reports
//! all of them, each at its token, with the fix (worded by connkit-rules) on a `help:` line.

use core::fmt::Display;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

/// The errors found so far, combined into one `syn::Error`.
#[derive(Default)]
pub(crate) struct Ctxt(Option<syn::Error>);

impl Ctxt {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(errors) => errors.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// An error covering `tokens` (a string literal is covered whole).
    pub(crate) fn error(&mut self, tokens: impl ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// An error covering `tokens`, followed by a `help:` line when there is a fix.
    pub(crate) fn error_with_help(
        &mut self,
        tokens: impl ToTokens,
        message: impl Display,
        help: Option<String>,
    ) {
        self.push(syn::Error::new_spanned(tokens, with_help(message, help)));
    }

    /// An error at `span`.
    pub(crate) fn error_at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// An error at the macro invocation (for an attribute macro: the attribute).
    pub(crate) fn error_at_call_site(&mut self, message: impl Display) {
        self.error_at(Span::call_site(), message);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The errors as `compile_error!` invocations (empty when there are none).
    pub(crate) fn into_compile_errors(self) -> TokenStream {
        self.0
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }

    /// The spans of the errors so far, for unit tests.
    #[cfg(test)]
    pub(crate) fn spans(&self) -> Vec<Span> {
        self.0
            .iter()
            .flat_map(|error| error.clone().into_iter().map(|error| error.span()))
            .collect()
    }

    /// The messages so far, for unit tests.
    #[cfg(test)]
    pub(crate) fn messages(&self) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|error| error.clone().into_iter().map(|error| error.to_string()))
            .collect()
    }
}

/// `message`, followed by a `help:` line when there is a fix.
fn with_help(message: impl Display, help: Option<String>) -> String {
    match help {
        Some(help) => format!("{message}\n\nhelp: {help}"),
        None => message.to_string(),
    }
}
