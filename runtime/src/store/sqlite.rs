//! The SQLite backend (feature `sqlite`): one file, created and migrated on open, in WAL mode
//! with a busy timeout, so that several processes on one machine share it.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, params};

use super::backend::{Backend, BackendError, Filter, Row};
use super::migrations::{MIGRATIONS, MigrationError};

/// How long a writer waits for another process's write to finish.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Rows in an SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteBackend {
    connection: Arc<Mutex<Connection>>,
}

impl SqliteBackend {
    /// Opens (creating if needed) the database at `path` and applies the migrations it lacks.
    ///
    /// On Unix a new file is created readable and writable by its owner only (0600), and so
    /// are its `-wal` and `-shm` files, which SQLite creates with the database file's mode. An
    /// existing file keeps its mode. On Windows the files get the access control list their
    /// folder gives: keep the store in a folder only its user can read.
    ///
    /// # Errors
    /// [`MigrationError::Newer`] when the file was written by a newer connkit, or the database's
    /// own error.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, MigrationError> {
        let path = path.as_ref();
        create_private(path)?;
        let connection = Connection::open(path).map_err(database)?;
        Self::prepare(connection)
    }

    /// A database in memory, for tests.
    ///
    /// # Errors
    /// As [`open`](Self::open).
    pub fn in_memory() -> Result<Self, MigrationError> {
        Self::prepare(Connection::open_in_memory().map_err(database)?)
    }

    fn prepare(connection: Connection) -> Result<Self, MigrationError> {
        connection.busy_timeout(BUSY_TIMEOUT).map_err(database)?;
        // WAL lets readers run beside a writer; `synchronous = NORMAL` is durable across
        // process crashes in WAL mode.
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .map_err(database)?;
        connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(database)?;
        migrate(&connection)?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
        })
    }

    /// Runs `work` on the connection off the async runtime's threads.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, BackendError> {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            let connection = connection
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            work(&connection).map_err(|error| BackendError(Box::new(error)))
        })
        .await
        .map_err(|error| BackendError(Box::new(error)))?
    }
}

/// Creates the file at `path` with mode 0600 if there is none, so that SQLite (which would
/// create it 0644) opens a file only its owner can read. An in-memory or URI name is left to
/// SQLite.
fn create_private(path: &Path) -> Result<(), MigrationError> {
    let name = path.as_os_str();
    if name.is_empty()
        || name == ":memory:"
        || path.to_str().is_some_and(|p| p.starts_with("file:"))
    {
        return Ok(());
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(MigrationError::Database(BackendError(Box::new(error)))),
    }
}

fn database(error: rusqlite::Error) -> MigrationError {
    MigrationError::Database(BackendError(Box::new(error)))
}

/// Applies the migrations the file lacks, each in a transaction with its version.
fn migrate(connection: &Connection) -> Result<(), MigrationError> {
    connection
        .execute_batch("CREATE TABLE IF NOT EXISTS connkit_schema (version INTEGER NOT NULL)")
        .map_err(database)?;
    let version: i64 = connection
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM connkit_schema",
            [],
            |row| row.get(0),
        )
        .map_err(database)?;
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(MigrationError::Newer {
            found: version,
            known,
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let next = index as i64 + 1;
        // IMMEDIATE: two processes opening a new file at once migrate one after the other;
        // the second finds the version moved and does nothing.
        let sql = format!(
            "BEGIN IMMEDIATE;
             {body}
             INSERT INTO connkit_schema (version) SELECT {next} WHERE NOT EXISTS (SELECT 1 FROM connkit_schema WHERE version >= {next});
             COMMIT;",
            body = migration.sqlite
        );
        if let Err(error) = connection.execute_batch(&sql) {
            let _ = connection.execute_batch("ROLLBACK");
            // Another process may have applied it meanwhile.
            let now: i64 = connection
                .query_row(
                    "SELECT COALESCE(MAX(version), 0) FROM connkit_schema",
                    [],
                    |row| row.get(0),
                )
                .map_err(database)?;
            if now < next {
                return Err(database(error));
            }
        }
    }
    Ok(())
}

/// The database's clock in Unix milliseconds and seconds (SQLite reads the host's clock once
/// per statement: on one machine, every process shares it).
const NOW_MS: &str = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)";
const NOW_S: &str = "CAST((julianday('now') - 2440587.5) * 86400.0 AS INTEGER)";

/// The update of a whole row at an expected version (`?17`).
const UPDATE: &str =
    "UPDATE connkit_connections SET owner = ?2, definition_id = ?3, sealed_tokens = ?4,
     key_id = ?5, scopes_requested = ?6, scopes_granted = ?7, status = ?8,
     created_at = ?9, refreshed_at = ?10, used_at = ?11, last_error = ?12,
     failures = ?13, last_ok_at = ?14, version = ?15, refresh_at = ?16
     WHERE id = ?1 AND version = ?17";

const COLUMNS: &str = "id, owner, definition_id, sealed_tokens, key_id, scopes_requested, scopes_granted, status, created_at, refreshed_at, used_at, last_error, failures, last_ok_at, version, refresh_at";

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        id: row.get(0)?,
        owner: row.get(1)?,
        definition_id: row.get(2)?,
        sealed_tokens: row.get(3)?,
        key_id: row.get(4)?,
        scopes_requested: row.get(5)?,
        scopes_granted: row.get(6)?,
        status: row.get(7)?,
        created_at: row.get(8)?,
        refreshed_at: row.get(9)?,
        used_at: row.get(10)?,
        last_error: row.get(11)?,
        failures: row.get(12)?,
        last_ok_at: row.get(13)?,
        version: row.get(14)?,
        refresh_at: row.get(15)?,
    })
}

/// The row's fields as statement parameters, in [`COLUMNS`] order (`?1` to `?16`).
fn fields(row: &Row) -> [&dyn ToSql; 16] {
    [
        &row.id,
        &row.owner,
        &row.definition_id,
        &row.sealed_tokens,
        &row.key_id,
        &row.scopes_requested,
        &row.scopes_granted,
        &row.status,
        &row.created_at,
        &row.refreshed_at,
        &row.used_at,
        &row.last_error,
        &row.failures,
        &row.last_ok_at,
        &row.version,
        &row.refresh_at,
    ]
}

impl Backend for SqliteBackend {
    async fn insert(&self, row: Row) -> Result<(), BackendError> {
        self.run(move |connection| {
            connection.execute(
                &format!("INSERT INTO connkit_connections ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
                fields(&row).as_slice(),
            )
        })
        .await
        .map(drop)
    }

    async fn get(&self, id: &str) -> Result<Option<Row>, BackendError> {
        let id = id.to_owned();
        self.run(move |connection| {
            connection
                .query_row(
                    &format!("SELECT {COLUMNS} FROM connkit_connections WHERE id = ?1"),
                    [id],
                    read_row,
                )
                .optional()
        })
        .await
    }

    async fn list(&self, filter: Filter<'_>) -> Result<Vec<Row>, BackendError> {
        let owner = filter.owner.map(str::to_owned);
        let definition = filter.definition_id.map(str::to_owned);
        self.run(move |connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {COLUMNS} FROM connkit_connections
                 WHERE (?1 IS NULL OR owner = ?1) AND (?2 IS NULL OR definition_id = ?2)
                 ORDER BY rowid"
            ))?;
            statement
                .query_map(params![owner, definition], read_row)?
                .collect()
        })
        .await
    }

    async fn update(&self, row: &Row, expected_version: i64) -> Result<bool, BackendError> {
        let row = row.clone();
        self.run(move |connection| {
            connection
                .execute(
                    UPDATE,
                    [&fields(&row)[..], &[&expected_version]]
                        .concat()
                        .as_slice(),
                )
                .map(|changed| changed == 1)
        })
        .await
    }

    async fn update_leased(
        &self,
        row: &Row,
        expected_version: i64,
        holder: &str,
    ) -> Result<bool, BackendError> {
        let (row, holder) = (row.clone(), holder.to_owned());
        self.run(move |connection| {
            connection
                .execute(
                    &format!("{UPDATE} AND lease_holder = ?18 AND lease_until >= {NOW_MS}"),
                    [&fields(&row)[..], &[&expected_version, &holder]]
                        .concat()
                        .as_slice(),
                )
                .map(|changed| changed == 1)
        })
        .await
    }

    async fn delete(&self, id: &str) -> Result<bool, BackendError> {
        let id = id.to_owned();
        self.run(move |connection| {
            connection
                .execute("DELETE FROM connkit_connections WHERE id = ?1", [id])
                .map(|changed| changed == 1)
        })
        .await
    }

    async fn try_lease(
        &self,
        id: &str,
        holder: &str,
        lasting: Duration,
    ) -> Result<bool, BackendError> {
        let (id, holder) = (id.to_owned(), holder.to_owned());
        let lasting = crate::clock::milliseconds(lasting);
        self.run(move |connection| {
            connection
                .execute(
                    &format!(
                        "UPDATE connkit_connections SET lease_holder = ?2, lease_until = {NOW_MS} + ?3
                         WHERE id = ?1
                         AND (lease_holder IS NULL OR lease_until < {NOW_MS} OR lease_holder = ?2)"
                    ),
                    params![id, holder, lasting],
                )
                .map(|changed| changed == 1)
        })
        .await
    }

    async fn release_lease(&self, id: &str, holder: &str) -> Result<bool, BackendError> {
        let (id, holder) = (id.to_owned(), holder.to_owned());
        self.run(move |connection| {
            connection
                .execute(
                    "UPDATE connkit_connections SET lease_holder = NULL, lease_until = NULL
                     WHERE id = ?1 AND lease_holder = ?2",
                    params![id, holder],
                )
                .map(|changed| changed == 1)
        })
        .await
    }

    async fn due(&self, before: i64) -> Result<Vec<Row>, BackendError> {
        self.run(move |connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {COLUMNS} FROM connkit_connections WHERE refresh_at <= ?1
                 ORDER BY refresh_at, rowid"
            ))?;
            statement.query_map([before], read_row)?.collect()
        })
        .await
    }

    async fn claim(&self, key: &str, lasting: Duration) -> Result<bool, BackendError> {
        let key = key.to_owned();
        let lasting = crate::clock::whole_seconds(lasting);
        self.run(move |connection| {
            connection.execute(
                &format!("DELETE FROM connkit_claims WHERE until < {NOW_S}"),
                [],
            )?;
            connection
                .execute(
                    &format!(
                        "INSERT INTO connkit_claims (key, until) VALUES (?1, {NOW_S} + ?2)
                         ON CONFLICT (key) DO NOTHING"
                    ),
                    params![key, lasting],
                )
                .map(|inserted| inserted == 1)
        })
        .await
    }

    async fn now_ms(&self) -> Result<i64, BackendError> {
        self.run(|connection| {
            connection.query_row(&format!("SELECT {NOW_MS}"), [], |row| row.get(0))
        })
        .await
    }

    async fn sealed_with_other_key(
        &self,
        key_id: &str,
        limit: usize,
    ) -> Result<Vec<Row>, BackendError> {
        let key_id = key_id.to_owned();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(move |connection| {
            let mut statement = connection.prepare(&format!(
                "SELECT {COLUMNS} FROM connkit_connections WHERE key_id <> ?1 ORDER BY id LIMIT ?2"
            ))?;
            statement
                .query_map(params![key_id, limit], read_row)?
                .collect()
        })
        .await
    }
}
