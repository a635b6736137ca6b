//! `connkit scopes check | update`: `connkit-scopes.lock` holds every OAuth2 connection's scopes,
//! as `Cargo.lock` holds dependencies, so that a scope change is a reviewed change. Connections
//! stored before a scope was added lack it until the user consents again.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::json;

use crate::catalogue::{CatalogueError, OAuth2Connection, oauth2_connections};

/// The lock file's name, in the crate's folder.
pub(crate) const LOCK_FILE: &str = "connkit-scopes.lock";
/// The format this version writes and reads.
const VERSION: u32 = 1;

/// Why `scopes` could not do its work (a difference is not an error: it is the report).
#[derive(Debug, thiserror::Error)]
pub(crate) enum ScopesError {
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
    /// There is no lock to check against.
    #[error("{} does not exist", path.display())]
    NoLock { path: PathBuf },
    /// The lock could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The lock is not a lock this version reads.
    #[error("{} is not a scopes lock: {reason}", path.display())]
    BadLock { path: PathBuf, reason: String },
    /// The store to count affected connections in could not be read.
    #[error("cannot read the store {store}: {reason}")]
    Store { store: String, reason: String },
}

impl ScopesError {
    pub(crate) fn help(&self) -> Option<&'static str> {
        match self {
            Self::Catalogue(error) => error.help(),
            Self::NoLock { .. } => {
                Some("`connkit scopes update` writes it; commit it with the code")
            }
            Self::BadLock { .. } => Some(
                "it is written by `connkit scopes update`; restore it from version control or write it again",
            ),
            Self::Io { .. } | Self::Store { .. } => None,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LockFile {
    version: u32,
    #[serde(default)]
    connection: Vec<LockedConnection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LockedConnection {
    id: String,
    scopes: Vec<String>,
}

/// Scopes by connection id.
type Scopes = BTreeMap<String, Vec<String>>;

/// The lock's text for `connections`: sorted by id, scopes sorted.
fn write_lock(connections: &BTreeMap<String, OAuth2Connection>) -> String {
    let mut text = String::from(
        "# Written by `connkit scopes update`; do not edit by hand.\n\
         # Every OAuth2 connection's scopes. `connkit scopes check` fails when the code asks for\n\
         # others, so that a scope change is reviewed: connections stored before a scope was\n\
         # added lack it until the user consents again.\n",
    );
    let _ = writeln!(text, "version = {VERSION}");
    for connection in connections.values() {
        let _ = write!(
            text,
            "\n[[connection]]\nid = {}\nscopes = [",
            quoted(&connection.id)
        );
        if connection.scopes.is_empty() {
            text.push_str("]\n");
            continue;
        }
        text.push('\n');
        for scope in &connection.scopes {
            let _ = writeln!(text, "    {},", quoted(scope));
        }
        text.push_str("]\n");
    }
    text
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(quoted, "\\u{:04X}", u32::from(c));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

fn read_lock(path: &Path) -> Result<Scopes, ScopesError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(ScopesError::NoLock {
                path: path.to_owned(),
            });
        }
        Err(source) => {
            return Err(ScopesError::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    parse_lock(&text).map_err(|reason| ScopesError::BadLock {
        path: path.to_owned(),
        reason,
    })
}

fn parse_lock(text: &str) -> Result<Scopes, String> {
    let lock: LockFile = toml::from_str(text).map_err(|error| error.message().to_owned())?;
    if lock.version != VERSION {
        return Err(format!(
            "version {} (this connkit reads version {VERSION})",
            lock.version
        ));
    }
    let mut scopes = Scopes::new();
    for mut connection in lock.connection {
        connection.scopes.sort();
        if scopes
            .insert(connection.id.clone(), connection.scopes)
            .is_some()
        {
            return Err(format!("connection {:?} is listed twice", connection.id));
        }
    }
    Ok(scopes)
}

/// How a connection's scopes differ from the lock.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    /// A connection the lock does not have.
    New { scopes: Vec<String> },
    /// A connection the code no longer declares.
    Gone { scopes: Vec<String> },
    /// Scopes added and removed.
    Changed {
        added: Vec<String>,
        removed: Vec<String>,
    },
}

fn changes(locked: &Scopes, current: &Scopes) -> BTreeMap<String, Change> {
    let mut changes = BTreeMap::new();
    for (id, scopes) in current {
        match locked.get(id) {
            None => {
                changes.insert(
                    id.clone(),
                    Change::New {
                        scopes: scopes.clone(),
                    },
                );
            }
            Some(before) => {
                let added: Vec<String> = scopes
                    .iter()
                    .filter(|s| !before.contains(s))
                    .cloned()
                    .collect();
                let removed: Vec<String> = before
                    .iter()
                    .filter(|s| !scopes.contains(s))
                    .cloned()
                    .collect();
                if !added.is_empty() || !removed.is_empty() {
                    changes.insert(id.clone(), Change::Changed { added, removed });
                }
            }
        }
    }
    for (id, scopes) in locked {
        if !current.contains_key(id) {
            changes.insert(
                id.clone(),
                Change::Gone {
                    scopes: scopes.clone(),
                },
            );
        }
    }
    changes
}

/// The stored connections of one definition: the granted scopes of each.
type Stored = BTreeMap<String, Vec<Vec<String>>>;

/// How many stored connections each change affects.
#[derive(Default)]
struct Impact {
    stored: Option<Stored>,
}

impl Impact {
    fn of(&self, id: &str) -> Option<&[Vec<String>]> {
        self.stored
            .as_ref()
            .map(|stored| stored.get(id).map_or(&[][..], Vec::as_slice))
    }

    /// Stored connections of `id` not granted `scope`.
    fn lacking(&self, id: &str, scope: &str) -> Option<usize> {
        self.of(id).map(|rows| {
            rows.iter()
                .filter(|granted| !granted.iter().any(|g| g == scope))
                .count()
        })
    }

    /// Stored connections of `id` granted `scope`.
    fn holding(&self, id: &str, scope: &str) -> Option<usize> {
        self.of(id).map(|rows| {
            rows.iter()
                .filter(|granted| granted.iter().any(|g| g == scope))
                .count()
        })
    }

    fn all(&self, id: &str) -> Option<usize> {
        self.of(id).map(<[Vec<String>]>::len)
    }
}

/// The scopes, space-separated, or "no scopes".
fn listed(scopes: &[String]) -> String {
    if scopes.is_empty() {
        "no scopes".to_owned()
    } else {
        scopes.join(" ")
    }
}

/// "1 stored connection lacks", "2 stored connections lack".
fn stored_phrase(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 stored connection {singular}")
    } else {
        format!("{count} stored connections {plural}")
    }
}

/// One added (`+`) or removed (`-`) scope, with the stored connections it affects (`verbs`:
/// what one of them, and what several, do with it until reconnected).
fn scope_line(
    text: &mut String,
    sign: char,
    scope: &str,
    stored: Option<usize>,
    verbs: (&str, &str),
) {
    let _ = write!(text, "    {sign} {scope}");
    if let Some(count) = stored {
        let _ = write!(
            text,
            "  ({} it until reconnected)",
            stored_phrase(count, verbs.0, verbs.1)
        );
    }
    text.push('\n');
}

/// The changes as text, with the stored connections each affects where a store was given.
fn describe(changes: &BTreeMap<String, Change>, impact: &Impact) -> String {
    let mut text = String::new();
    for (id, change) in changes {
        match change {
            Change::New { scopes } => {
                let _ = writeln!(text, "  new connection {id}: {}", listed(scopes));
            }
            Change::Gone { scopes } => {
                let _ = write!(
                    text,
                    "  removed connection {id} (it had: {})",
                    listed(scopes)
                );
                if let Some(count) = impact.all(id) {
                    let _ = write!(
                        text,
                        "; {} to it",
                        stored_phrase(count, "still refers", "still refer")
                    );
                }
                text.push('\n');
            }
            Change::Changed { added, removed } => {
                let _ = writeln!(text, "  {id}");
                for scope in added {
                    let lacking = impact.lacking(id, scope);
                    scope_line(&mut text, '+', scope, lacking, ("lacks", "lack"));
                }
                for scope in removed {
                    let holding = impact.holding(id, scope);
                    scope_line(&mut text, '-', scope, holding, ("keeps", "keep"));
                }
            }
        }
    }
    text
}

fn json_changes(changes: &BTreeMap<String, Change>, impact: &Impact) -> serde_json::Value {
    let list: Vec<serde_json::Value> = changes
        .iter()
        .map(|(id, change)| match change {
            Change::New { scopes } => json!({"connection": id, "change": "new", "scopes": scopes}),
            Change::Gone { scopes } => json!({
                "connection": id, "change": "removed", "scopes": scopes,
                "stored_connections": impact.all(id),
            }),
            Change::Changed { added, removed } => json!({
                "connection": id,
                "change": "changed",
                "added": added.iter().map(|scope| json!({
                    "scope": scope, "stored_connections_lacking": impact.lacking(id, scope),
                })).collect::<Vec<_>>(),
                "removed": removed.iter().map(|scope| json!({
                    "scope": scope, "stored_connections_holding": impact.holding(id, scope),
                })).collect::<Vec<_>>(),
            }),
        })
        .collect();
    serde_json::Value::Array(list)
}

/// What `scopes` was asked.
pub(crate) struct Request<'a> {
    pub(crate) crate_dir: &'a Path,
    pub(crate) lock: Option<&'a Path>,
    pub(crate) store: Option<&'a str>,
    pub(crate) json: bool,
}

impl Request<'_> {
    fn lock_path(&self) -> PathBuf {
        self.lock
            .map_or_else(|| self.crate_dir.join(LOCK_FILE), Path::to_path_buf)
    }
}

/// `connkit scopes check`: the report, and whether the lock matches.
pub(crate) fn check(request: &Request<'_>) -> Result<(String, bool), ScopesError> {
    let lock_path = request.lock_path();
    let locked = read_lock(&lock_path)?;
    let current = current(request.crate_dir)?;
    let changes = changes(&locked, &scopes_of(&current));
    let impact = impact(request.store, &changes)?;
    if request.json {
        let report = json!({
            "lock": lock_path,
            "up_to_date": changes.is_empty(),
            "connections": current.len(),
            "changes": json_changes(&changes, &impact),
        });
        return Ok((format!("{report}\n"), changes.is_empty()));
    }
    if changes.is_empty() {
        return Ok((
            format!(
                "{} matches the code: {} OAuth2 connections\n",
                lock_path.display(),
                current.len()
            ),
            true,
        ));
    }
    let mut text = format!("scopes differ from {}:\n", lock_path.display());
    text.push_str(&describe(&changes, &impact));
    text.push_str(
        "review the change, then run `connkit scopes update`; stored connections that lack an \
         added scope get it when the user reconnects\n",
    );
    Ok((text, false))
}

/// `connkit scopes update`: writes the lock, and reports what changed.
pub(crate) fn update(request: &Request<'_>) -> Result<String, ScopesError> {
    let lock_path = request.lock_path();
    let locked = match read_lock(&lock_path) {
        Ok(locked) => locked,
        Err(ScopesError::NoLock { .. }) => Scopes::new(),
        Err(error) => return Err(error),
    };
    let current = current(request.crate_dir)?;
    let changes = changes(&locked, &scopes_of(&current));
    let impact = impact(request.store, &changes)?;
    let text = write_lock(&current);
    // Written beside, then renamed over: a failure part way leaves the old lock whole.
    let staging = lock_path.with_extension("lock.new");
    std::fs::write(&staging, text)
        .and_then(|()| std::fs::rename(&staging, &lock_path))
        .map_err(|source| ScopesError::Io {
            path: lock_path.clone(),
            source,
        })?;
    if changes.is_empty() {
        return Ok(format!(
            "{} is up to date: {} OAuth2 connections\n",
            lock_path.display(),
            current.len()
        ));
    }
    Ok(format!(
        "wrote {} ({} OAuth2 connections); changes:\n{}",
        lock_path.display(),
        current.len(),
        describe(&changes, &impact)
    ))
}

fn current(crate_dir: &Path) -> Result<BTreeMap<String, OAuth2Connection>, ScopesError> {
    Ok(oauth2_connections(crate_dir)?)
}

fn scopes_of(connections: &BTreeMap<String, OAuth2Connection>) -> Scopes {
    connections
        .iter()
        .map(|(id, connection)| (id.clone(), connection.scopes.clone()))
        .collect()
}

/// Reads the granted scopes of the stored connections the changes touch.
fn impact(store: Option<&str>, changes: &BTreeMap<String, Change>) -> Result<Impact, ScopesError> {
    let Some(store) = store else {
        return Ok(Impact::default());
    };
    let failed = |reason: String| ScopesError::Store {
        store: crate::store::describe(store),
        reason,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| failed(error.to_string()))?;
    let ids: Vec<&str> = changes
        .iter()
        .filter(|(_, change)| !matches!(change, Change::New { .. }))
        .map(|(id, _)| id.as_str())
        .collect();
    let stored = runtime
        .block_on(crate::store::granted_scopes(store, &ids))
        .map_err(failed)?;
    Ok(Impact {
        stored: Some(stored),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.
    use super::*;

    fn connection(id: &str, scopes: &[&str]) -> OAuth2Connection {
        OAuth2Connection {
            id: id.to_owned(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            client_id_env: String::new(),
            client_secret_env: String::new(),
            file: PathBuf::new(),
            line: 1,
        }
    }

    #[test]
    fn the_lock_reads_back_what_it_wrote() {
        let connections: BTreeMap<String, OAuth2Connection> = [
            connection("b_connection_oauth2", &["a \"quoted\" \\ scope", "z"]),
            connection("a_connection_oauth2", &[]),
        ]
        .into_iter()
        .map(|c| (c.id.clone(), c))
        .collect();
        let text = write_lock(&connections);
        assert!(
            text.find("a_connection_oauth2").unwrap() < text.find("b_connection_oauth2").unwrap()
        );
        assert_eq!(parse_lock(&text).unwrap(), scopes_of(&connections));
    }

    #[test]
    fn a_bad_lock_is_refused_with_the_reason() {
        assert!(
            parse_lock("version = 2\n")
                .unwrap_err()
                .contains("version 2")
        );
        assert!(parse_lock("").unwrap_err().contains("version"));
        assert!(
            parse_lock("version = 1\n[[connection]]\nid = \"a\"\n")
                .unwrap_err()
                .contains("scopes")
        );
        let twice = "version = 1\n[[connection]]\nid = \"a\"\nscopes = []\n[[connection]]\nid = \"a\"\nscopes = []\n";
        assert!(parse_lock(twice).unwrap_err().contains("listed twice"));
        assert!(
            parse_lock("version = 1\nextra = 1\n")
                .unwrap_err()
                .contains("extra")
        );
        assert!(parse_lock("version = [").is_err());
    }

    #[test]
    fn changes_name_what_was_added_and_removed_and_count_what_is_stored() {
        let locked: Scopes = [
            ("a".to_owned(), vec!["read".to_owned(), "write".to_owned()]),
            ("gone".to_owned(), vec!["x".to_owned()]),
        ]
        .into();
        let current: Scopes = [
            ("a".to_owned(), vec!["admin".to_owned(), "read".to_owned()]),
            ("new".to_owned(), vec!["y".to_owned()]),
        ]
        .into();
        let found = changes(&locked, &current);
        assert_eq!(
            found["a"],
            Change::Changed {
                added: vec!["admin".to_owned()],
                removed: vec!["write".to_owned()]
            }
        );
        assert_eq!(
            found["gone"],
            Change::Gone {
                scopes: vec!["x".to_owned()]
            }
        );
        assert_eq!(
            found["new"],
            Change::New {
                scopes: vec!["y".to_owned()]
            }
        );
        let granted = |scopes: &[&str]| scopes.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let impact = Impact {
            stored: Some(
                [
                    (
                        "a".to_owned(),
                        vec![
                            granted(&["read", "write"]),
                            granted(&["read", "admin"]),
                            granted(&["read"]),
                        ],
                    ),
                    ("gone".to_owned(), vec![granted(&["x"])]),
                ]
                .into(),
            ),
        };
        let text = describe(&found, &impact);
        assert!(
            text.contains("    + admin  (2 stored connections lack it until reconnected)"),
            "{text}"
        );
        assert!(
            text.contains("    - write  (1 stored connection keeps it until reconnected)"),
            "{text}"
        );
        assert!(
            text.contains(
                "removed connection gone (it had: x); 1 stored connection still refers to it"
            ),
            "{text}"
        );
        assert!(!describe(&found, &Impact::default()).contains("stored"));
    }
}
