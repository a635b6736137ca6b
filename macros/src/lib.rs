//! Procedural macros of connkit: `#[oauth2_connection]`, `#[api_key_connection]`,
//! `#[basic_auth_connection]`, `#[key_pair_connection]`, `app!` and `registry!`.
//!
//! Use them through the `connkit` crate, which re-exports them with examples and provides the
//! types they expand into.
//!
//! Each macro runs in stages, in the manner of thiserror's `impl` crate: `ast` parses the input
//! into typed, spanned values (driven by the macro's key table in `keys.rs`), `valid` checks
//! them against connkit-rules (which also words every fix), and `expand` only writes tokens,
//! or the stand-in after an error so that no follow-on error appears. Every mistake of one
//! invocation is reported in one build, each at its token. The stages are plain functions on
//! `proc_macro2` token streams, unit-tested in this crate beside the trybuild cases. A connection
//! kind is one file in `connection/` (its key table, its rules, its `Kind`); the connection
//! stages are shared.

mod app;
mod connection;
mod ctxt;
mod keys;
mod registry;
#[cfg(test)]
mod robustness;
#[cfg(test)]
mod snapshots;
mod syntax;

use proc_macro::TokenStream;

/// # Keys of `#[oauth2_connection(key = value, ...)]`
///
#[doc = include_str!("../docs/oauth2_connection.md")]
///
/// # Keys of each input, in `inputs = { name = { key = value, ... } }`
///
/// The same for every connection kind.
///
#[doc = include_str!("../docs/inputs.md")]
#[proc_macro_attribute]
pub fn oauth2_connection(args: TokenStream, item: TokenStream) -> TokenStream {
    connection::expand(&connection::oauth2::KIND, args.into(), item.into()).into()
}

/// # Keys of `#[api_key_connection(key = value, ...)]`
///
#[doc = include_str!("../docs/api_key_connection.md")]
#[proc_macro_attribute]
pub fn api_key_connection(args: TokenStream, item: TokenStream) -> TokenStream {
    connection::expand(&connection::api_key::KIND, args.into(), item.into()).into()
}

/// # Keys of `#[basic_auth_connection(key = value, ...)]`
///
#[doc = include_str!("../docs/basic_auth_connection.md")]
#[proc_macro_attribute]
pub fn basic_auth_connection(args: TokenStream, item: TokenStream) -> TokenStream {
    connection::expand(&connection::basic_auth::KIND, args.into(), item.into()).into()
}

/// # Keys of `#[key_pair_connection(key = value, ...)]`
///
#[doc = include_str!("../docs/key_pair_connection.md")]
#[proc_macro_attribute]
pub fn key_pair_connection(args: TokenStream, item: TokenStream) -> TokenStream {
    connection::expand(&connection::key_pair::KIND, args.into(), item.into()).into()
}

/// # Keys of `#[client_credentials_connection(key = value, ...)]`
///
#[doc = include_str!("../docs/client_credentials_connection.md")]
///
/// # Keys of each input, in `inputs = { name = { key = value, ... } }`
///
#[doc = include_str!("../docs/inputs.md")]
#[proc_macro_attribute]
pub fn client_credentials_connection(args: TokenStream, item: TokenStream) -> TokenStream {
    connection::expand(
        &connection::client_credentials::KIND,
        args.into(),
        item.into(),
    )
    .into()
}

/// # Keys of `#[jwt_bearer_connection(key = value, ...)]`
///
#[doc = include_str!("../docs/jwt_bearer_connection.md")]
///
/// # Keys of each input, in `inputs = { name = { key = value, ... } }`
///
#[doc = include_str!("../docs/inputs.md")]
#[proc_macro_attribute]
pub fn jwt_bearer_connection(args: TokenStream, item: TokenStream) -> TokenStream {
    connection::expand(&connection::jwt_bearer::KIND, args.into(), item.into()).into()
}

/// # Keys of `app! { key: value, ... }`
///
/// Optionally preceded by `crate = path;` for a renamed connkit.
///
#[doc = include_str!("../docs/app.md")]
#[proc_macro]
pub fn app(input: TokenStream) -> TokenStream {
    app::expand(input.into()).into()
}

/// Builds a `connkit::Registry` from app constants, usable in a `const` initializer:
/// `registry![APP_A, APP_B]`, optionally preceded by `crate = path;` for a renamed connkit.
#[proc_macro]
pub fn registry(input: TokenStream) -> TokenStream {
    registry::expand(input.into()).into()
}
