//! Reading a connection store for `connkit scopes`: which stored connections each definition
//! has, and the scopes each was granted. Only the plain columns are read; nothing is unsealed,
//! so no key is needed.

use std::collections::BTreeMap;
use std::path::Path;

use connkit::store::{Backend, Filter, PostgresBackend, SqliteBackend};

/// Whether `store` is a PostgreSQL connection string rather than an SQLite file.
pub(crate) fn is_postgres(store: &str) -> bool {
    store.starts_with("postgres://")
        || store.starts_with("postgresql://")
        || store.contains("host=")
}

/// How to name `store` in a message: the file, or only "PostgreSQL" (a connection string may
/// hold a password).
pub(crate) fn describe(store: &str) -> String {
    if is_postgres(store) {
        "PostgreSQL (the --store connection string)".to_owned()
    } else {
        store.to_owned()
    }
}

/// The granted scopes of every stored connection of each of `ids`.
pub(crate) async fn granted_scopes(
    store: &str,
    ids: &[&str],
) -> Result<BTreeMap<String, Vec<Vec<String>>>, String> {
    if is_postgres(store) {
        let backend = PostgresBackend::connect(store)
            .await
            .map_err(|error| error.to_string())?;
        read(&backend, ids).await
    } else {
        if !Path::new(store).is_file() {
            return Err("no such file".to_owned());
        }
        let backend = SqliteBackend::open(store).map_err(|error| error.to_string())?;
        read(&backend, ids).await
    }
}

async fn read(
    backend: &impl Backend,
    ids: &[&str],
) -> Result<BTreeMap<String, Vec<Vec<String>>>, String> {
    let mut stored = BTreeMap::new();
    for id in ids {
        let rows = backend
            .list(Filter {
                owner: None,
                definition_id: Some(id),
            })
            .await
            .map_err(|error| error.to_string())?;
        let granted = rows
            .iter()
            .map(|row| {
                row.scopes_granted
                    .split(' ')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .collect();
        stored.insert((*id).to_owned(), granted);
    }
    Ok(stored)
}
