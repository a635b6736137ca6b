//! Reading a catalogue's sources without compiling them: where connkit's macros are invoked,
//! with each `key = value` of their arguments and its place in the file, and the OAuth2
//! connections declared under `src/apps/` (their ids, scopes and client credential variables).
//!
//! The files are read with proc-macro2's lexer, as the compiler would tokenize them; a
//! connection written by another macro, or under a `cfg`, is not seen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use connkit_rules::env::{CredentialKind, env_var_name};
use connkit_rules::id::parse_connection_id;
use proc_macro2::{Delimiter, LineColumn, TokenStream, TokenTree};

/// The attribute macros that declare a connection, and the function-like macros of apps and
/// registries.
const ATTRIBUTES: [&str; 4] = [
    "oauth2_connection",
    "api_key_connection",
    "basic_auth_connection",
    "key_pair_connection",
];
const CALLS: [&str; 2] = ["app", "registry"];

/// Why the catalogue could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CatalogueError {
    /// Reading a file or folder failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file is not valid Rust tokens.
    #[error("{}: not valid Rust: {message}", path.display())]
    Lex { path: PathBuf, message: String },
    /// The crate has no `src/apps/`.
    #[error("{} does not exist; connkit's catalogue layout keeps each app in src/apps/<app-id>/", path.display())]
    NoApps { path: PathBuf },
    /// Two connections have the same id.
    #[error("connection {id:?} is declared twice: {} and {}", first.display(), second.display())]
    Duplicate {
        id: String,
        first: PathBuf,
        second: PathBuf,
    },
}

impl CatalogueError {
    pub(crate) fn help(&self) -> Option<&'static str> {
        match self {
            Self::NoApps { .. } => Some("pass --crate-dir with the folder that holds src/apps/"),
            Self::Duplicate { .. } => {
                Some("the compiler refuses this too (cargo check says where); keep one")
            }
            Self::Io { .. } | Self::Lex { .. } => None,
        }
    }
}

/// One invocation of a connkit macro in a file.
#[derive(Debug)]
pub(crate) struct Invocation {
    /// `oauth2_connection`, `app`, ...
    pub(crate) name: &'static str,
    pub(crate) start: LineColumn,
    pub(crate) end: LineColumn,
    pub(crate) pairs: Vec<Pair>,
}

/// One `key = value` (or `key: value`) of an invocation.
#[derive(Debug)]
pub(crate) struct Pair {
    pub(crate) key: String,
    pub(crate) start: LineColumn,
    pub(crate) end: LineColumn,
    pub(crate) value: Value,
}

/// What a value is, as far as this reading needs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// A string literal.
    Str(String),
    /// A list of string literals.
    List(Vec<String>),
    /// Anything else.
    Other,
}

impl Invocation {
    fn string(&self, key: &str) -> Option<&str> {
        self.pairs.iter().find_map(|pair| match &pair.value {
            Value::Str(text) if pair.key == key => Some(text.as_str()),
            _ => None,
        })
    }

    fn list(&self, key: &str) -> Option<&[String]> {
        self.pairs.iter().find_map(|pair| match &pair.value {
            Value::List(items) if pair.key == key => Some(items.as_slice()),
            _ => None,
        })
    }

    /// Whether `(line, column)` (1-based, as rustc reports) is inside the invocation.
    pub(crate) fn contains(&self, line: usize, column: usize) -> bool {
        within(self.start, self.end, line, column)
    }
}

impl Pair {
    /// Whether `(line, column)` (1-based, as rustc reports) is inside the pair.
    pub(crate) fn contains(&self, line: usize, column: usize) -> bool {
        within(self.start, self.end, line, column)
    }
}

fn within(start: LineColumn, end: LineColumn, line: usize, column: usize) -> bool {
    // proc-macro2's columns count from 0, rustc's from 1.
    let at = (line, column.saturating_sub(1));
    (start.line, start.column) <= at && at < (end.line, end.column)
}

/// Every connkit macro invocation in `source`.
pub(crate) fn invocations(path: &Path, source: &str) -> Result<Vec<Invocation>, CatalogueError> {
    let tokens = TokenStream::from_str(source).map_err(|error| CatalogueError::Lex {
        path: path.to_owned(),
        message: error.to_string(),
    })?;
    let mut found = Vec::new();
    walk(tokens, &mut found);
    Ok(found)
}

fn walk(tokens: TokenStream, found: &mut Vec<Invocation>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        match tree {
            // `#[path::name(args)]`
            TokenTree::Group(group) if group.delimiter() == Delimiter::Bracket => {
                let after_hash = index
                    .checked_sub(1)
                    .and_then(|before| trees.get(before))
                    .is_some_and(
                        |before| matches!(before, TokenTree::Punct(p) if p.as_char() == '#'),
                    );
                if after_hash && let Some(invocation) = attribute(group.stream(), tree) {
                    found.push(invocation);
                    continue;
                }
                walk(group.stream(), found);
            }
            // `path::name! { args }`
            TokenTree::Group(group) => {
                let call = index
                    .checked_sub(2)
                    .and_then(|at| match (&trees[at], &trees[at + 1]) {
                        (TokenTree::Ident(name), TokenTree::Punct(bang))
                            if bang.as_char() == '!' =>
                        {
                            CALLS.iter().find(|call| name == *call).copied()
                        }
                        _ => None,
                    });
                match call {
                    Some(name) => found.push(Invocation {
                        name,
                        start: trees[index - 2].span().start(),
                        end: tree.span().end(),
                        pairs: pairs(group.stream()),
                    }),
                    None => walk(group.stream(), found),
                }
            }
            _ => {}
        }
    }
}

/// The invocation an attribute's tokens make, if it is one of connkit's.
fn attribute(tokens: TokenStream, whole: &TokenTree) -> Option<Invocation> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let (TokenTree::Ident(name), TokenTree::Group(arguments)) =
        (trees.get(trees.len().checked_sub(2)?)?, trees.last()?)
    else {
        return None;
    };
    if arguments.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    let name = ATTRIBUTES.iter().find(|attribute| name == *attribute)?;
    Some(Invocation {
        name,
        start: whole.span().start(),
        end: whole.span().end(),
        pairs: pairs(arguments.stream()),
    })
}

/// The top-level `key = value` / `key: value` pairs of a macro's arguments.
fn pairs(tokens: TokenStream) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut flush = |item: &mut Vec<TokenTree>| {
        if let [
            TokenTree::Ident(key),
            TokenTree::Punct(separator),
            value @ ..,
        ] = item.as_slice()
            && matches!(separator.as_char(), '=' | ':')
            && let Some(last) = value.last()
        {
            pairs.push(Pair {
                key: key.to_string(),
                start: key.span().start(),
                end: last.span().end(),
                value: read_value(value),
            });
        }
        item.clear();
    };
    for tree in tokens {
        if matches!(&tree, TokenTree::Punct(p) if p.as_char() == ',') {
            flush(&mut item);
        } else {
            item.push(tree);
        }
    }
    flush(&mut item);
    pairs
}

fn read_value(value: &[TokenTree]) -> Value {
    match value {
        [TokenTree::Literal(_)] => string(&value[0]).map_or(Value::Other, Value::Str),
        [TokenTree::Group(group)] if group.delimiter() == Delimiter::Bracket => {
            let mut items = Vec::new();
            for tree in group.stream() {
                match &tree {
                    TokenTree::Punct(p) if p.as_char() == ',' => {}
                    TokenTree::Literal(_) => match string(&tree) {
                        Some(text) => items.push(text),
                        None => return Value::Other,
                    },
                    _ => return Value::Other,
                }
            }
            Value::List(items)
        }
        _ => Value::Other,
    }
}

/// A string literal's value (escapes and raw strings read as the compiler reads them).
fn string(tree: &TokenTree) -> Option<String> {
    syn::parse2::<syn::LitStr>(TokenStream::from(tree.clone()))
        .ok()
        .map(|literal| literal.value())
}

/// An OAuth2 connection declared in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuth2Connection {
    pub(crate) id: String,
    /// Its scopes, sorted (their order is not a change).
    pub(crate) scopes: Vec<String>,
    pub(crate) client_id_env: String,
    pub(crate) client_secret_env: String,
    /// Where it is declared, relative to the crate.
    pub(crate) file: PathBuf,
    pub(crate) line: usize,
}

/// Every OAuth2 connection declared under `<crate_dir>/src/apps/`, by id.
pub(crate) fn oauth2_connections(
    crate_dir: &Path,
) -> Result<BTreeMap<String, OAuth2Connection>, CatalogueError> {
    let apps = crate_dir.join("src").join("apps");
    if !apps.is_dir() {
        return Err(CatalogueError::NoApps { path: apps });
    }
    let mut files = Vec::new();
    rust_files(&apps, &mut files)?;
    files.sort();
    let mut connections: BTreeMap<String, OAuth2Connection> = BTreeMap::new();
    for file in files {
        let source = std::fs::read_to_string(&file).map_err(|source| CatalogueError::Io {
            path: file.clone(),
            source,
        })?;
        let relative = file.strip_prefix(crate_dir).unwrap_or(&file).to_path_buf();
        for invocation in invocations(&relative, &source)? {
            if invocation.name != "oauth2_connection" {
                continue;
            }
            // A definition the macro would refuse is the compiler's to report (`connkit check`).
            let Some(id) = invocation.string("id") else {
                continue;
            };
            let Ok(parts) = parse_connection_id(id, "oauth2") else {
                continue;
            };
            let variable = |key: &str, kind| {
                invocation
                    .string(key)
                    .map_or_else(|| env_var_name(parts.app_id, None, kind), str::to_owned)
            };
            let mut scopes = invocation.list("scopes").unwrap_or_default().to_vec();
            scopes.sort();
            let connection = OAuth2Connection {
                id: id.to_owned(),
                scopes,
                client_id_env: variable("client_id_env", CredentialKind::ClientId),
                client_secret_env: variable("client_secret_env", CredentialKind::ClientSecret),
                file: relative.clone(),
                line: invocation.start.line,
            };
            if let Some(first) = connections.get(id) {
                return Err(CatalogueError::Duplicate {
                    id: id.to_owned(),
                    first: first.file.clone(),
                    second: relative,
                });
            }
            connections.insert(id.to_owned(), connection);
        }
    }
    Ok(connections)
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), CatalogueError> {
    let io = |source| CatalogueError::Io {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            rust_files(&path, files)?;
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.
    use super::*;

    const SOURCE: &str = r#"
use connkit::{app, oauth2_connection};

#[derive(Debug)]
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    scopes = ["write", r"read", "a\u{2d}b"],
    auth_params = { prompt = "consent" },
    client_secret_env = "INTEGRATION_ACME_EU_CLIENT_SECRET",
)]
pub struct AcmeOAuth2;

pub const ACME: AppDefinition = connkit::app! {
    id: "acme",
    connections: [AcmeOAuth2],
};
"#;

    #[test]
    fn invocations_are_found_with_their_pairs_and_places() {
        let found = invocations(Path::new("x.rs"), SOURCE).unwrap();
        assert_eq!(found.len(), 2);
        let attribute = &found[0];
        assert_eq!(attribute.name, "oauth2_connection");
        assert_eq!(attribute.start.line, 5);
        assert_eq!(attribute.string("id"), Some("acme_connection_oauth2"));
        let scopes: Vec<&str> = attribute
            .list("scopes")
            .unwrap()
            .iter()
            .map(String::as_str)
            .collect();
        assert_eq!(scopes, ["write", "read", "a-b"]);
        let keys: Vec<&str> = attribute
            .pairs
            .iter()
            .map(|pair| pair.key.as_str())
            .collect();
        assert_eq!(keys, ["id", "scopes", "auth_params", "client_secret_env"]);
        // The id pair is on line 6, from column 5 (rustc's count) to its end.
        let id = &attribute.pairs[0];
        assert!(
            id.contains(6, 5) && id.contains(6, 33) && !id.contains(6, 4) && !id.contains(7, 5)
        );
        let app = &found[1];
        assert_eq!((app.name, app.string("id")), ("app", Some("acme")));
        assert!(app.contains(14, 40) && !app.contains(11, 1));
    }

    /// The scan of the catalogue's sources agrees with what the compiler made of them: the same
    /// OAuth2 connections, scopes and credential variables as the registry.
    #[test]
    fn the_scan_of_the_catalogue_agrees_with_its_registry() {
        let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
        let scanned = oauth2_connections(&examples).unwrap();
        let mut compiled: Vec<&connkit::definition::OAuth2Definition> = connkit_examples::CATALOGUE
            .apps()
            .iter()
            .flat_map(|app| app.connections())
            .filter_map(|connection| connection.as_oauth2())
            .collect();
        compiled.sort_by_key(|connection| connection.id());
        let ids: Vec<&str> = scanned.keys().map(String::as_str).collect();
        let compiled_ids: Vec<&str> = compiled.iter().map(|c| c.id()).collect();
        assert_eq!(ids, compiled_ids);
        for definition in compiled {
            let connection = &scanned[definition.id()];
            let mut scopes = definition.scopes().to_vec();
            scopes.sort_unstable();
            assert_eq!(connection.scopes, scopes, "{}", definition.id());
            assert_eq!(connection.client_id_env, definition.client_id_env());
            assert_eq!(connection.client_secret_env, definition.client_secret_env());
        }
    }

    #[test]
    fn a_variable_named_in_the_definition_wins() {
        let dir = std::env::temp_dir().join(format!("connkit-cli-scan-{}", std::process::id()));
        let connections = dir.join("src/apps/acme/connections");
        std::fs::create_dir_all(&connections).unwrap();
        std::fs::write(
            connections.join("acme.oauth2.rs"),
            SOURCE.replace("acme_connection_oauth2", "acme_connection_oauth2-EU"),
        )
        .unwrap();
        let scanned = oauth2_connections(&dir).unwrap();
        let acme = &scanned["acme_connection_oauth2-EU"];
        assert_eq!(acme.client_id_env, "INTEGRATION_ACME_CLIENT_ID");
        assert_eq!(acme.client_secret_env, "INTEGRATION_ACME_EU_CLIENT_SECRET");
        assert_eq!(acme.scopes, ["a-b", "read", "write"]);
        assert_eq!(
            acme.file,
            Path::new("src/apps/acme/connections/acme.oauth2.rs")
        );
        // The same id twice is refused, naming both files.
        std::fs::copy(
            connections.join("acme.oauth2.rs"),
            connections.join("copy.rs"),
        )
        .unwrap();
        let error = oauth2_connections(&dir).unwrap_err();
        assert!(error.to_string().contains("is declared twice"), "{error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn text_that_is_not_rust_is_a_clear_error() {
        let error = invocations(Path::new("bad.rs"), "fn main() { \"").unwrap_err();
        assert!(
            error.to_string().starts_with("bad.rs: not valid Rust"),
            "{error}"
        );
    }
}
