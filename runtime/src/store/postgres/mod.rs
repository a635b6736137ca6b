//! The PostgreSQL backend (feature `postgres`): for deployments with many processes or
//! machines. A pool of connections (deadpool-postgres) that replaces broken ones, so that the
//! backend works again by itself after the database restarts; TLS through rustls, as libpq's
//! `sslmode` and `sslrootcert` say. Every write is one statement, so nothing holds a
//! transaction.

mod config;
mod tls;

use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use tokio_postgres::Client;
use tokio_postgres::types::ToSql;

use super::backend::{Backend, BackendError, Filter, Row};
use super::migrations::{MIGRATIONS, MigrationError};
pub use config::PostgresConfigError;

/// The advisory lock that serializes migrations of one database across processes (held only
/// while migrating, at open).
const MIGRATION_LOCK: i64 = 0x636f_6e6e_6b69_7401;

/// How many connections a [`PostgresBackend`] keeps, and how long a call waits for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PoolOptions {
    /// The most connections open at once (16 by default).
    pub max_connections: usize,
    /// How long a call waits for a connection, to be made or to come free, before it fails
    /// with the database's error (10 s by default): while the database is down, calls fail
    /// within this, and succeed again once it is back.
    pub timeout: Duration,
}

impl Default for PoolOptions {
    fn default() -> Self {
        Self {
            max_connections: 16,
            timeout: Duration::from_secs(10),
        }
    }
}

impl PoolOptions {
    /// With at most `max_connections` connections.
    #[must_use]
    pub fn max_connections(mut self, max_connections: usize) -> Self {
        self.max_connections = max_connections.max(1);
        self
    }

    /// With calls waiting at most `timeout` for a connection.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Rows in a PostgreSQL database. Clones share the pool.
#[derive(Clone)]
pub struct PostgresBackend {
    pool: Pool,
}

impl std::fmt::Debug for PostgresBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let status = self.pool.status();
        f.debug_struct("PostgresBackend")
            .field("connections", &status.size)
            .field("max_connections", &status.max_size)
            .finish_non_exhaustive()
    }
}

fn database(error: tokio_postgres::Error) -> BackendError {
    BackendError(Box::new(error))
}

impl PostgresBackend {
    /// Connects with a libpq-style configuration and applies the migrations the database
    /// lacks, with the default [`PoolOptions`]. Must run inside a Tokio runtime, which drives
    /// the connections.
    ///
    /// The configuration is libpq's: `key=value` pairs (`host=db.internal port=5432
    /// user=connkit dbname=connkit sslmode=verify-full sslrootcert=/etc/ssl/db-ca.pem`) or a
    /// `postgresql://` URL with the same parameters. TLS follows `sslmode` as libpq does:
    ///
    /// | `sslmode` | TLS | the server is verified |
    /// |---|---|---|
    /// | `disable` | never | no |
    /// | `prefer` (the default) | when the server offers it | no (as `verify-ca` with `sslrootcert`) |
    /// | `require` | always | no (as `verify-ca` with `sslrootcert`) |
    /// | `verify-ca` | always | its certificate chains to `sslrootcert` |
    /// | `verify-full` | always | and names the host connected to |
    ///
    /// `sslrootcert` is a PEM file of certificate authorities, or `system` for the operating
    /// system's; without it `verify-*` uses libpq's `~/.postgresql/root.crt`. A managed
    /// PostgreSQL is reached with `sslmode=verify-full`: anything less sends refresh-token
    /// ciphertexts and owner ids to whoever answers.
    ///
    /// ```no_run
    /// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
    /// use connkit::store::{Keyring, PostgresBackend, SealingKey, Store};
    ///
    /// let backend = PostgresBackend::connect(
    ///     "postgresql://connkit@db.internal/connkit?sslmode=verify-full&sslrootcert=/etc/ssl/db-ca.pem",
    /// )
    /// .await?;
    /// let store = Store::new(backend, Keyring::new(SealingKey::from_bytes("k1", &[7; 32])?));
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`MigrationError::Config`] for a configuration it cannot honour (named, never quoted),
    /// [`MigrationError::Newer`] when the database was migrated by a newer connkit, or the
    /// database's own error (unreachable, refused, a certificate that does not verify).
    pub async fn connect(config: &str) -> Result<Self, MigrationError> {
        Self::connect_with(config, PoolOptions::default()).await
    }

    /// [`connect`](Self::connect), with `options` for the pool.
    ///
    /// # Errors
    /// As [`connect`](Self::connect).
    pub async fn connect_with(config: &str, options: PoolOptions) -> Result<Self, MigrationError> {
        let settings = config::parse(config)?;
        let tls = tls::connector(settings.ssl_mode, settings.root.as_ref())?;
        let manager = Manager::from_config(
            settings.config,
            tls,
            ManagerConfig {
                // A connection whose socket closed (the server restarted) is replaced.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(options.max_connections.max(1))
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(options.timeout))
            .create_timeout(Some(options.timeout))
            .recycle_timeout(Some(options.timeout))
            .build()
            .map_err(|error| MigrationError::Database(BackendError(Box::new(error))))?;
        let backend = Self { pool };
        let mut client = backend.client().await?;
        migrate(&mut client).await?;
        Ok(backend)
    }

    /// A connection from the pool.
    async fn client(&self) -> Result<deadpool_postgres::Object, BackendError> {
        self.pool
            .get()
            .await
            .map_err(|error| BackendError(Box::new(error)))
    }
}

async fn migrate(client: &mut Client) -> Result<(), MigrationError> {
    let transaction = client.transaction().await.map_err(database)?;
    transaction
        .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(database)?;
    transaction
        .batch_execute("CREATE TABLE IF NOT EXISTS connkit_schema (version BIGINT NOT NULL)")
        .await
        .map_err(database)?;
    let version: i64 = transaction
        .query_one("SELECT COALESCE(MAX(version), 0) FROM connkit_schema", &[])
        .await
        .map_err(database)?
        .get(0);
    let known = MIGRATIONS.len() as i64;
    if version > known {
        return Err(MigrationError::Newer {
            found: version,
            known,
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        transaction
            .batch_execute(migration.postgres)
            .await
            .map_err(database)?;
        transaction
            .execute(
                "INSERT INTO connkit_schema (version) VALUES ($1)",
                &[&(index as i64 + 1)],
            )
            .await
            .map_err(database)?;
    }
    transaction.commit().await.map_err(database)?;
    Ok(())
}

/// The database server's clock in Unix milliseconds and seconds: every process and machine
/// reads the same one.
const NOW_MS: &str = "floor(extract(epoch from clock_timestamp()) * 1000)::bigint";
const NOW_S: &str = "floor(extract(epoch from clock_timestamp()))::bigint";

/// The update of a whole row at an expected version (`$17`).
const UPDATE: &str =
    "UPDATE connkit_connections SET owner = $2, definition_id = $3, sealed_tokens = $4,
     key_id = $5, scopes_requested = $6, scopes_granted = $7, status = $8,
     created_at = $9, refreshed_at = $10, used_at = $11, last_error = $12,
     failures = $13, last_ok_at = $14, version = $15, refresh_at = $16
     WHERE id = $1 AND version = $17";

const COLUMNS: &str = "id, owner, definition_id, sealed_tokens, key_id, scopes_requested, scopes_granted, status, created_at, refreshed_at, used_at, last_error, failures, last_ok_at, version, refresh_at";

/// A row, or the database's error when a column is not of the type connkit writes (never a
/// panic).
fn read_row(row: &tokio_postgres::Row) -> Result<Row, BackendError> {
    let read = || -> Result<Row, tokio_postgres::Error> {
        Ok(Row {
            id: row.try_get(0)?,
            owner: row.try_get(1)?,
            definition_id: row.try_get(2)?,
            sealed_tokens: row.try_get(3)?,
            key_id: row.try_get(4)?,
            scopes_requested: row.try_get(5)?,
            scopes_granted: row.try_get(6)?,
            status: row.try_get(7)?,
            created_at: row.try_get(8)?,
            refreshed_at: row.try_get(9)?,
            used_at: row.try_get(10)?,
            last_error: row.try_get(11)?,
            failures: row.try_get(12)?,
            last_ok_at: row.try_get(13)?,
            version: row.try_get(14)?,
            refresh_at: row.try_get(15)?,
        })
    };
    read().map_err(database)
}

/// The row's fields as statement parameters, in [`COLUMNS`] order (`$1` to `$16`).
fn fields(row: &Row) -> [&(dyn ToSql + Sync); 16] {
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

impl Backend for PostgresBackend {
    async fn insert(&self, row: Row) -> Result<(), BackendError> {
        self.client().await?
            .execute(
                &format!("INSERT INTO connkit_connections ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"),
                &fields(&row),
            )
            .await
            .map(drop)
            .map_err(database)
    }

    async fn get(&self, id: &str) -> Result<Option<Row>, BackendError> {
        self.client()
            .await?
            .query_opt(
                &format!("SELECT {COLUMNS} FROM connkit_connections WHERE id = $1"),
                &[&id],
            )
            .await
            .map_err(database)?
            .as_ref()
            .map(read_row)
            .transpose()
    }

    async fn list(&self, filter: Filter<'_>) -> Result<Vec<Row>, BackendError> {
        self.client().await?
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM connkit_connections
                     WHERE ($1::TEXT IS NULL OR owner = $1) AND ($2::TEXT IS NULL OR definition_id = $2)
                     ORDER BY seq"
                ),
                &[&filter.owner, &filter.definition_id],
            )
            .await
            .map_err(database)?
            .iter()
            .map(read_row)
            .collect()
    }

    async fn update(&self, row: &Row, expected_version: i64) -> Result<bool, BackendError> {
        self.client()
            .await?
            .execute(UPDATE, &[&fields(row)[..], &[&expected_version]].concat())
            .await
            .map(|changed| changed == 1)
            .map_err(database)
    }

    async fn update_leased(
        &self,
        row: &Row,
        expected_version: i64,
        holder: &str,
    ) -> Result<bool, BackendError> {
        self.client()
            .await?
            .execute(
                &format!("{UPDATE} AND lease_holder = $18 AND lease_until >= {NOW_MS}"),
                &[&fields(row)[..], &[&expected_version, &holder]].concat(),
            )
            .await
            .map(|changed| changed == 1)
            .map_err(database)
    }

    async fn delete(&self, id: &str) -> Result<bool, BackendError> {
        self.client()
            .await?
            .execute("DELETE FROM connkit_connections WHERE id = $1", &[&id])
            .await
            .map(|changed| changed == 1)
            .map_err(database)
    }

    async fn try_lease(
        &self,
        id: &str,
        holder: &str,
        lasting: Duration,
    ) -> Result<bool, BackendError> {
        let lasting = crate::clock::milliseconds(lasting);
        self.client()
            .await?
            .execute(
                &format!(
                    "UPDATE connkit_connections SET lease_holder = $2, lease_until = {NOW_MS} + $3
                     WHERE id = $1
                     AND (lease_holder IS NULL OR lease_until < {NOW_MS} OR lease_holder = $2)"
                ),
                &[&id, &holder, &lasting],
            )
            .await
            .map(|changed| changed == 1)
            .map_err(database)
    }

    async fn release_lease(&self, id: &str, holder: &str) -> Result<bool, BackendError> {
        self.client()
            .await?
            .execute(
                "UPDATE connkit_connections SET lease_holder = NULL, lease_until = NULL
                 WHERE id = $1 AND lease_holder = $2",
                &[&id, &holder],
            )
            .await
            .map(|changed| changed == 1)
            .map_err(database)
    }

    async fn due(&self, before: i64) -> Result<Vec<Row>, BackendError> {
        self.client()
            .await?
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM connkit_connections WHERE refresh_at <= $1
                     ORDER BY refresh_at, seq"
                ),
                &[&before],
            )
            .await
            .map_err(database)?
            .iter()
            .map(read_row)
            .collect()
    }

    async fn claim(&self, key: &str, lasting: Duration) -> Result<bool, BackendError> {
        let lasting = crate::clock::whole_seconds(lasting);
        self.client()
            .await?
            .execute(
                &format!("DELETE FROM connkit_claims WHERE until < {NOW_S}"),
                &[],
            )
            .await
            .map_err(database)?;
        self.client()
            .await?
            .execute(
                &format!(
                    "INSERT INTO connkit_claims (key, until) VALUES ($1, {NOW_S} + $2)
                     ON CONFLICT (key) DO NOTHING"
                ),
                &[&key, &lasting],
            )
            .await
            .map(|inserted| inserted == 1)
            .map_err(database)
    }

    async fn now_ms(&self) -> Result<i64, BackendError> {
        self.client()
            .await?
            .query_one(&format!("SELECT {NOW_MS}"), &[])
            .await
            .map_err(database)?
            .try_get(0)
            .map_err(database)
    }

    async fn sealed_with_other_key(
        &self,
        key_id: &str,
        limit: usize,
    ) -> Result<Vec<Row>, BackendError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.client().await?
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM connkit_connections WHERE key_id <> $1 ORDER BY id LIMIT $2"
                ),
                &[&key_id, &limit],
            )
            .await
            .map_err(database)?
            .iter()
            .map(read_row)
            .collect()
    }
}
