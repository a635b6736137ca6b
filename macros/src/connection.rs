//! `#[oauth2_connection(...)]`: parse the arguments, validate them with connkit-rules, expand
//! into an inherent `DEFINITION` constant and a `connkit::Connection` impl.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::{Data, DeriveInput, Fields, LitStr};

use connkit_rules::env::{CredentialKind, check_env_var_name, env_var_name};
use connkit_rules::id::{OAUTH2_KIND, parse_connection_id, suggest_connection_id};
use connkit_rules::params::{
    ParamProblem, check_auth_param, check_refresh_param, is_header_name, is_header_value,
};
use connkit_rules::scope::{DEFAULT_DELIMITER, ScopeProblem, check_delimiter, check_scopes};

use crate::args::{
    Entry, Separator, crate_path, default_crate_path, expect_str, expect_str_list, expect_str_map,
    index_keys, non_empty_str, optional_bool, parse_entries, url_str,
};
use crate::errors::{Errors, with_help};

const MACRO: &str = "#[oauth2_connection]";

const KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "authorize_url",
    "token_url",
    "scopes",
    "client_id_env",
    "client_secret_env",
    "scope_delimiter",
    "client_auth",
    "pkce",
    "auth_params",
    "token_headers",
    "refresh_params",
    "redirect_to_localhost_in_development",
    "crate",
];

const REQUIRED: &[&str] = &[
    "id",
    "name",
    "description",
    "authorize_url",
    "token_url",
    "scopes",
];

/// A definition that passed every check.
struct Definition {
    id: String,
    name: String,
    description: String,
    authorize_url: String,
    token_url: String,
    scopes: Vec<String>,
    scope_delimiter: String,
    client_id_env: String,
    client_secret_env: String,
    client_auth_header: bool,
    pkce: bool,
    auth_params: Vec<(String, String)>,
    token_headers: Vec<(String, String)>,
    refresh_params: Vec<(String, String)>,
    redirect_to_localhost_in_development: bool,
}

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let Some(item_ast) = check_item(&item, &mut errors) else {
        // Not a unit struct: emit it untouched so the only error is ours.
        let errors = errors.into_compile_errors();
        return quote! { #item #errors };
    };
    let (definition, krate) = match parse_entries(args, Separator::Equals) {
        Ok(entries) => validate(&entries, &mut errors),
        Err(error) => {
            errors.push(error);
            (None, default_crate_path())
        }
    };
    let ident = &item_ast.ident;
    // A generic struct was reported above; emitting it without its (unused) parameters keeps
    // that the only error.
    let item = if item_ast.generics.params.is_empty() && item_ast.generics.where_clause.is_none() {
        item
    } else {
        let DeriveInput {
            attrs, vis, ident, ..
        } = &item_ast;
        quote! { #(#attrs)* #vis struct #ident; }
    };
    let definition_expr = match definition {
        Some(definition) if errors.is_empty() => definition_tokens(&definition, &krate),
        _ => quote! { &#krate::__private::PLACEHOLDER_OAUTH2_CONNECTION },
    };
    let errors = errors.into_compile_errors();
    quote! {
        #item
        impl #ident {
            /// The connection's definition, checked at compile time.
            pub const DEFINITION: &'static #krate::OAuth2Connection = #definition_expr;
        }
        impl #krate::Connection for #ident {
            const CONNECTION: #krate::ConnectionDefinition =
                #krate::ConnectionDefinition::OAuth2(<#ident>::DEFINITION);
        }
        #errors
    }
}

/// The item must be a unit struct without generics.
fn check_item(item: &TokenStream, errors: &mut Errors) -> Option<DeriveInput> {
    const EXPECTED: &str =
        "#[oauth2_connection] must be placed on a unit struct, like `pub struct GmailOAuth2;`";
    let ast = match syn::parse2::<DeriveInput>(item.clone()) {
        Ok(ast) => ast,
        Err(_) => {
            errors.push(syn::Error::new(item_keyword_span(item), EXPECTED));
            return None;
        }
    };
    match &ast.data {
        Data::Struct(data) => match &data.fields {
            Fields::Unit => {}
            fields => {
                errors.at(
                    fields,
                    format!("{EXPECTED}; a connection struct has no fields"),
                );
                return None;
            }
        },
        Data::Enum(data) => {
            errors.push(syn::Error::new(data.enum_token.span, EXPECTED));
            return None;
        }
        Data::Union(data) => {
            errors.push(syn::Error::new(data.union_token.span, EXPECTED));
            return None;
        }
    }
    if !ast.generics.params.is_empty() || ast.generics.where_clause.is_some() {
        errors.at(
            &ast.generics,
            "a connection struct cannot have generic parameters",
        );
    }
    Some(ast)
}

/// The span of the item's keyword (`fn`, `impl`, ...), past attributes and visibility.
fn item_keyword_span(item: &TokenStream) -> Span {
    let mut tokens = item.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                tokens.next(); // the attribute's [...] group
            }
            TokenTree::Ident(ident) if ident == "pub" => {
                if matches!(tokens.peek(), Some(TokenTree::Group(_))) {
                    tokens.next(); // pub(crate) and the like
                }
            }
            other => return other.span(),
        }
    }
    Span::call_site()
}

fn validate(entries: &[Entry], errors: &mut Errors) -> (Option<Definition>, TokenStream) {
    let by_key = index_keys(entries, KEYS, REQUIRED, MACRO, errors);
    let value_of = |key: &str| by_key.get(key).map(|entry| &entry.value);

    let krate = crate_path(value_of("crate"), errors);

    let id_lit = value_of("id").and_then(|value| expect_str(value, "id", errors));
    let id_text = id_lit.map(LitStr::value);
    let id_parts = match (id_lit, &id_text) {
        (Some(lit), Some(id)) => match parse_connection_id(id, OAUTH2_KIND) {
            Ok(parts) => Some(parts),
            Err(error) => {
                let help = suggest_connection_id(id, OAUTH2_KIND)
                    .map(|suggestion| format!("did you mean \"{suggestion}\"?"));
                errors.at(
                    lit,
                    with_help(format!("invalid connection id \"{id}\": {error}"), help),
                );
                None
            }
        },
        _ => None,
    };

    let name = non_empty_str(value_of("name"), "name", errors);
    let description = non_empty_str(value_of("description"), "description", errors);
    let authorize_url = url_str(value_of("authorize_url"), "authorize_url", errors);
    let token_url = url_str(value_of("token_url"), "token_url", errors);

    let scope_delimiter = match value_of("scope_delimiter") {
        None => Some(DEFAULT_DELIMITER.to_owned()),
        Some(value) => expect_str(value, "scope_delimiter", errors).and_then(|lit| {
            let delimiter = lit.value();
            match check_delimiter(&delimiter) {
                Ok(()) => Some(delimiter),
                Err(error) => {
                    errors.at(
                        lit,
                        format!("invalid scope_delimiter {delimiter:?}: {error}"),
                    );
                    None
                }
            }
        }),
    };
    let scopes = value_of("scopes")
        .and_then(|value| expect_str_list(value, "scopes", errors))
        .and_then(|lits| check_scope_list(&lits, scope_delimiter.as_deref(), errors));

    // Env var names depend on the app id; when the id is invalid that error is enough.
    let env = |key: &str, kind: CredentialKind, errors: &mut Errors| -> Option<String> {
        let parts = id_parts.as_ref()?;
        let Some(value) = value_of(key) else {
            return Some(env_var_name(parts.app_id, None, kind));
        };
        let lit = expect_str(value, key, errors)?;
        let written = lit.value();
        match check_env_var_name(&written, parts.app_id, parts.variant, kind) {
            Ok(()) => Some(written),
            Err(error) => {
                errors.at(lit, format!("invalid {key}: {error}"));
                None
            }
        }
    };
    let client_id_env = env("client_id_env", CredentialKind::ClientId, errors);
    let client_secret_env = env("client_secret_env", CredentialKind::ClientSecret, errors);

    let client_auth_header = match value_of("client_auth") {
        None => Some(false),
        Some(value) => expect_str(value, "client_auth", errors).and_then(|lit| match lit.value().as_str() {
            "body" => Some(false),
            "header" => Some(true),
            other => {
                let help = matches!(other.to_ascii_lowercase().as_str(), "basic" | "client_secret_basic")
                    .then(|| "HTTP Basic authentication is `client_auth = \"header\"`".to_owned());
                errors.at(
                    lit,
                    with_help(
                        format!("invalid client_auth \"{other}\": expected \"body\" (credentials in the form) or \"header\" (HTTP Basic)"),
                        help,
                    ),
                );
                None
            }
        }),
    };
    let pkce = optional_bool(value_of("pkce"), "pkce", false, errors);
    let redirect_to_localhost_in_development = optional_bool(
        value_of("redirect_to_localhost_in_development"),
        "redirect_to_localhost_in_development",
        false,
        errors,
    );

    let auth_params = string_map(
        value_of("auth_params"),
        "auth_params",
        false,
        errors,
        |name, value| {
            check_auth_param(name, value).map_err(|problem| {
                let part = if matches!(problem, ParamProblem::ResponseTypeNotCode) {
                    Part::Value
                } else {
                    Part::Name
                };
                (
                    part,
                    format!("invalid auth_params entry `{name}`: {problem}"),
                )
            })
        },
    );
    let token_headers = string_map(
        value_of("token_headers"),
        "token_headers",
        true,
        errors,
        |name, value| {
            if !is_header_name(name) {
                Err((
                    Part::Name,
                    format!("{name:?} is not a valid HTTP header name"),
                ))
            } else if !is_header_value(value) {
                Err((
                    Part::Value,
                    format!(
                        "the value of header `{name}` is not a valid HTTP header value (visible ASCII, no line breaks, no surrounding spaces)"
                    ),
                ))
            } else {
                Ok(())
            }
        },
    );
    let refresh_params = string_map(
        value_of("refresh_params"),
        "refresh_params",
        false,
        errors,
        |name, _| {
            check_refresh_param(name).map_err(|problem| {
                (
                    Part::Name,
                    format!("invalid refresh_params entry `{name}`: {problem}"),
                )
            })
        },
    );

    let definition = (|| {
        Some(Definition {
            id: id_text?,
            name: name?,
            description: description?,
            authorize_url: authorize_url?,
            token_url: token_url?,
            scopes: scopes?,
            scope_delimiter: scope_delimiter?,
            client_id_env: client_id_env?,
            client_secret_env: client_secret_env?,
            client_auth_header: client_auth_header?,
            pkce: pkce?,
            auth_params: auth_params?,
            token_headers: token_headers?,
            refresh_params: refresh_params?,
            redirect_to_localhost_in_development: redirect_to_localhost_in_development?,
        })
    })();
    (definition, krate)
}

/// Which side of a map entry an error points at.
enum Part {
    Name,
    Value,
}

/// An optional `{ name = "value" }` map whose every entry passes `check`.
fn string_map(
    value: Option<&crate::args::Value>,
    key: &str,
    case_insensitive: bool,
    errors: &mut Errors,
    check: impl Fn(&str, &str) -> Result<(), (Part, String)>,
) -> Option<Vec<(String, String)>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let pairs = expect_str_map(value, key, case_insensitive, errors)?;
    let mut checked = Vec::with_capacity(pairs.len());
    let mut valid = true;
    for (name_token, value_lit) in pairs {
        let (name, value) = (name_token.name(), value_lit.value());
        match check(&name, &value) {
            Ok(()) => checked.push((name, value)),
            Err((Part::Name, message)) => {
                errors.at(name_token, message);
                valid = false;
            }
            Err((Part::Value, message)) => {
                errors.at(value_lit, message);
                valid = false;
            }
        }
    }
    valid.then_some(checked)
}

fn check_scope_list(
    lits: &[&LitStr],
    delimiter: Option<&str>,
    errors: &mut Errors,
) -> Option<Vec<String>> {
    let scopes: Vec<String> = lits.iter().map(|lit| lit.value()).collect();
    let scope_refs: Vec<&str> = scopes.iter().map(String::as_str).collect();
    // With an invalid delimiter (already reported) the scopes are checked without it.
    let issues = check_scopes(&scope_refs, delimiter.unwrap_or(""));
    for issue in &issues {
        let scope = &scopes[issue.index];
        let lit = lits[issue.index];
        match issue.problem {
            ScopeProblem::Duplicate { first } => {
                errors.at(lit, format!("duplicate scope \"{scope}\""));
                errors.at(
                    lits[first],
                    format!("scope \"{scope}\" first declared here"),
                );
            }
            ScopeProblem::ContainsDelimiter => errors.at(
                lit,
                format!(
                    "invalid scope \"{scope}\": {}; the delimiter is {:?}",
                    issue.problem,
                    delimiter.unwrap_or_default()
                ),
            ),
            ScopeProblem::Whitespace => {
                let parts: Vec<String> = scope
                    .split_whitespace()
                    .map(|part| format!("{part:?}"))
                    .collect();
                let help = (parts.len() > 1)
                    .then(|| format!("write each scope as its own string: {}", parts.join(", ")));
                errors.at(
                    lit,
                    with_help(format!("invalid scope {scope:?}: {}", issue.problem), help),
                );
            }
            ref problem => errors.at(lit, format!("invalid scope {scope:?}: {problem}")),
        }
    }
    issues.is_empty().then_some(scopes)
}

fn definition_tokens(definition: &Definition, krate: &TokenStream) -> TokenStream {
    let Definition {
        id,
        name,
        description,
        authorize_url,
        token_url,
        scopes,
        scope_delimiter,
        client_id_env,
        client_secret_env,
        client_auth_header,
        pkce,
        auth_params,
        token_headers,
        refresh_params,
        redirect_to_localhost_in_development,
    } = definition;
    let client_auth = if *client_auth_header {
        quote!(#krate::ClientAuth::Header)
    } else {
        quote!(#krate::ClientAuth::Body)
    };
    let pairs = |pairs: &[(String, String)]| {
        let pairs = pairs.iter().map(|(name, value)| quote!((#name, #value)));
        quote!(&[#(#pairs),*])
    };
    let (auth_params, token_headers, refresh_params) = (
        pairs(auth_params),
        pairs(token_headers),
        pairs(refresh_params),
    );
    quote! {
        &#krate::__private::oauth2_connection(#krate::__private::OAuth2ConnectionParts {
            id: #id,
            name: #name,
            description: #description,
            authorize_endpoint: #authorize_url,
            token_endpoint: #token_url,
            scopes: &[#(#scopes),*],
            scope_delimiter: #scope_delimiter,
            client_id_env: #client_id_env,
            client_secret_env: #client_secret_env,
            client_auth: #client_auth,
            pkce: #pkce,
            auth_params: #auth_params,
            token_headers: #token_headers,
            refresh_params: #refresh_params,
            redirect_to_localhost_in_development: #redirect_to_localhost_in_development,
        })
    }
}
