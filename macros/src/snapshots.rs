//! Expansion snapshots: one definition of each macro, expanded and printed as formatted Rust
//! in `snapshots/<name>.rs`, so that a change of the generated code is a reviewed diff. Each
//! expansion is also checked to name the runtime only through `__private`.
//!
//! `CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots` rewrites the files.

use proc_macro2::{Spacing, TokenStream, TokenTree};
use quote::quote;

use crate::connection::{
    Kind, api_key, basic_auth, client_credentials, jwt_bearer, key_pair, oauth2,
};

/// Formats `items` (a file's worth of items) as rustfmt would, near enough to review.
fn pretty(items: TokenStream) -> String {
    let file: syn::File = match syn::parse2(items.clone()) {
        Ok(file) => file,
        Err(error) => panic!("the expansion does not parse as items ({error}): {items}"),
    };
    prettyplease::unparse(&file)
}

/// Every path that starts at a crate root (`::name`) names `::core` or `::connkit::__private`,
/// and every path through `__connkit` (the block's `use ::connkit::__private as __connkit`)
/// follows that `use`. Returns the offending path, if any.
fn outside_private(tokens: &TokenStream) -> Option<String> {
    let flat = flatten(tokens);
    let text: Vec<String> = flat.iter().map(ToString::to_string).collect();
    for (at, token) in flat.iter().enumerate() {
        // `::` is a joint `:` then a `:`; it starts a path at a crate root unless it follows a
        // path segment (`a::b`, `<T as X>::Y`).
        let joint_colon = matches!(
            token,
            TokenTree::Punct(punct) if punct.as_char() == ':' && punct.spacing() == Spacing::Joint
        );
        if !joint_colon || (at > 0 && continues_path(&flat[at - 1])) {
            continue;
        }
        let root = text.get(at + 2).map(String::as_str);
        match root {
            Some("core") => {}
            Some("connkit") if text.get(at + 5).map(String::as_str) == Some("__private") => {}
            _ => return Some(text[at..(at + 6).min(text.len())].concat()),
        }
    }
    let uses = text
        .windows(2)
        .filter(|pair| pair[0] == "as" && pair[1] == "__connkit")
        .count();
    let mentions = text.iter().filter(|token| *token == "__connkit").count();
    (mentions > 0 && uses == 0).then(|| "`__connkit` without its `use`".to_owned())
}

/// Whether `::` after this token continues a path: after a name that is not a keyword, or
/// after the `>` of a qualified path or generic arguments.
fn continues_path(previous: &TokenTree) -> bool {
    const KEYWORDS: &[&str] = &[
        "as", "const", "dyn", "for", "impl", "in", "let", "mut", "pub", "ref", "return", "static",
        "type", "use", "where",
    ];
    match previous {
        TokenTree::Ident(ident) => !KEYWORDS.contains(&ident.to_string().as_str()),
        TokenTree::Punct(punct) => punct.as_char() == '>',
        _ => false,
    }
}

/// The token trees, groups opened, in order (delimiters left out).
fn flatten(tokens: &TokenStream) -> Vec<TokenTree> {
    let mut out = Vec::new();
    for tree in tokens.clone() {
        match tree {
            TokenTree::Group(group) => out.extend(flatten(&group.stream())),
            other => out.push(other),
        }
    }
    out
}

/// Checks the expansion and compares it with `snapshots/<name>.rs` (or writes it, blessing).
fn assert_snapshot(name: &str, expansion: TokenStream, printable: TokenStream) {
    // A snapshot is of a definition that is correct: after a mistake, a stand-in is expanded.
    assert!(
        !expansion.to_string().contains("compile_error"),
        "the {name} snapshot's input has a mistake: {expansion}"
    );
    if let Some(path) = outside_private(&expansion) {
        panic!("the expansion of {name} names `{path}`, outside `::connkit::__private`");
    }
    let printed = format!(
        "// The expansion of the `{name}` snapshot in src/snapshots.rs. Generated: rewrite it with\n\
         // CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots\n\n{}",
        pretty(printable)
    );
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots")
        .join(format!("{name}.rs"));
    if std::env::var_os("CONNKIT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("the directory");
        std::fs::write(&path, &printed).expect("the snapshot written");
        return;
    }
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        written == printed,
        "{} differs from the expansion; review it, then run \
         CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots\n\n{printed}",
        path.display()
    );
}

fn attribute(name: &str, kind: &Kind, args: TokenStream) {
    let item = quote!(
        pub struct Snapshot;
    );
    let expansion = crate::connection::expand(kind, args, item);
    assert_snapshot(name, expansion.clone(), expansion);
}

/// An expression macro's expansion, printed as the initializer of a constant of type `ty`.
fn expression(name: &str, ty: TokenStream, expansion: TokenStream) {
    let printable = quote!(const SNAPSHOT: #ty = #expansion;);
    assert_snapshot(name, expansion, printable);
}

#[test]
fn oauth2_connection() {
    attribute(
        "oauth2_connection",
        &oauth2::KIND,
        quote!(
            id = "zoho-books_connection_oauth2-EU",
            name = "zoho.eu",
            description = "Connect to Zoho Books in the EU data center",
            inputs = { organization = { label = "Organization id", pattern = "[0-9]+" } },
            authorize_url = "https://accounts.zoho.eu/oauth/v2/auth?organization_id={organization}",
            token_url = "https://accounts.zoho.eu/oauth/v2/token",
            scopes = ["ZohoBooks.fullaccess.ALL"],
            scope_delimiter = ",",
            client_auth = "header",
            auth_params = { access_type = "offline", prompt = "consent" },
        ),
    );
}

#[test]
fn api_key_connection() {
    attribute(
        "api_key_connection",
        &api_key::KIND,
        quote!(
            id = "openai_connection_api-key",
            name = "API key",
            description = "Connect with an OpenAI API key",
            header = "Authorization",
            prefix = "Bearer ",
        ),
    );
}

#[test]
fn basic_auth_connection() {
    attribute(
        "basic_auth_connection",
        &basic_auth::KIND,
        quote!(
            id = "jira_connection_basic-auth",
            name = "API token",
            description = "Connect with your email and an API token",
            inputs = { site = { label = "Site" } },
        ),
    );
}

#[test]
fn key_pair_connection() {
    attribute(
        "key_pair_connection",
        &key_pair::KIND,
        quote!(
            id = "snowflake_connection_key-pair",
            name = "Key pair",
            description = "Connect with a user's key pair",
        ),
    );
}

#[test]
fn client_credentials_connection() {
    attribute(
        "client_credentials_connection",
        &client_credentials::KIND,
        quote!(
            id = "zoom_connection_client-credentials",
            name = "Server-to-server",
            description = "Connect a Zoom server-to-server app",
            token_url = "https://zoom.us/oauth/token",
            grant_type = "account_credentials",
            client_auth = "header",
            token_params = { account_id = "{account_id}" },
            inputs = { account_id = { label = "Account ID" } },
        ),
    );
}

#[test]
fn jwt_bearer_connection() {
    attribute(
        "jwt_bearer_connection",
        &jwt_bearer::KIND,
        quote!(
            id = "google-drive_connection_jwt-bearer",
            name = "Service account",
            description = "Google Drive as a service account",
            token_url = "https://oauth2.googleapis.com/token",
            scopes = ["https://www.googleapis.com/auth/drive.readonly"],
            scope_in_claim = true,
            claims = { iss = "{client_email}", sub = "{subject}", aud = "https://oauth2.googleapis.com/token" },
            inputs = { client_email = { label = "Service account" }, subject = { label = "User" } },
        ),
    );
}

#[test]
fn app() {
    expression(
        "app",
        quote!(::connkit::AppDefinition),
        crate::app::expand(quote!(
            id: "zoho-books",
            name: "Zoho Books",
            description: "Accounting",
            logo_url: "https://example.com/zoho-books.svg",
            connections: [ZohoBooksEu],
            actions: [CreateInvoice],
        )),
    );
}

#[test]
fn registry() {
    expression(
        "registry",
        quote!(::connkit::Registry),
        crate::registry::expand(quote!(ZOHO_BOOKS, NOTION)),
    );
}

#[test]
fn a_path_outside_private_is_found() {
    assert_eq!(outside_private(&quote!(::core::option::Option::None)), None);
    assert_eq!(
        outside_private(&quote!(<T as ::connkit::__private::Connection>)),
        None
    );
    assert!(outside_private(&quote!(::connkit::Registry)).is_some());
    assert!(outside_private(&quote!(x: ::std::string::String)).is_some());
    assert!(
        outside_private(&quote!(
            <T as ::connkit::definition::ConnectionType>::CONNECTION_DEFINITION
        ))
        .is_some()
    );
    assert_eq!(outside_private(&quote!(a::b::c)), None);
    assert!(outside_private(&quote!(__connkit::app())).is_some());
    assert_eq!(
        outside_private(&quote!({
            use ::connkit::__private as __connkit;
            __connkit::app()
        })),
        None
    );
}
