//! Procedural macros of connkit: `#[oauth2_connection]`, `app!` and `registry!`.
//!
//! Use them through the `connkit` crate, which re-exports them and provides the types they
//! expand into. Each macro parses its input, validates it with `connkit-rules`, and reports
//! every mistake at the offending token in one build; after an error it still emits a
//! stand-in of the right type, so no follow-on errors appear.

mod app;
mod args;
mod connection;
mod errors;
mod registry;

use proc_macro::TokenStream;

/// Declares an OAuth2 connection on a unit struct. See the `connkit` crate for the keys and
/// the rules they are checked against.
#[proc_macro_attribute]
pub fn oauth2_connection(args: TokenStream, item: TokenStream) -> TokenStream {
    connection::expand(args.into(), item.into()).into()
}

/// Builds a `connkit::App`; usable in a `const` initializer.
#[proc_macro]
pub fn app(input: TokenStream) -> TokenStream {
    app::expand(input.into()).into()
}

/// Builds a `connkit::Registry` from app constants; usable in a `const` initializer.
#[proc_macro]
pub fn registry(input: TokenStream) -> TokenStream {
    registry::expand(input.into()).into()
}
