//! The schema, as versioned migrations applied on open. A database written by a newer connkit
//! (a version this one does not know) is refused with [`MigrationError::Newer`], never altered.

use super::backend::BackendError;

/// One schema step, in each backend's dialect.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) struct Migration {
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) sqlite: &'static str,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) postgres: &'static str,
}

/// Every schema step, in order; a database's version is how many it has applied.
#[cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        sqlite: "CREATE TABLE connkit_connections (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        definition_id TEXT NOT NULL,
        sealed_tokens TEXT NOT NULL,
        key_id TEXT NOT NULL,
        scopes_requested TEXT NOT NULL,
        scopes_granted TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        refreshed_at INTEGER,
        used_at INTEGER,
        last_error TEXT,
        failures INTEGER NOT NULL,
        last_ok_at INTEGER,
        version INTEGER NOT NULL,
        lease_holder TEXT,
        lease_until INTEGER
    );
    CREATE INDEX connkit_connections_owner ON connkit_connections (owner);
    CREATE INDEX connkit_connections_definition ON connkit_connections (definition_id);
    CREATE INDEX connkit_connections_key ON connkit_connections (key_id);",
        postgres: "CREATE TABLE connkit_connections (
        seq BIGSERIAL,
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        definition_id TEXT NOT NULL,
        sealed_tokens TEXT NOT NULL,
        key_id TEXT NOT NULL,
        scopes_requested TEXT NOT NULL,
        scopes_granted TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        refreshed_at BIGINT,
        used_at BIGINT,
        last_error TEXT,
        failures BIGINT NOT NULL,
        last_ok_at BIGINT,
        version BIGINT NOT NULL,
        lease_holder TEXT,
        lease_until BIGINT
    );
    CREATE INDEX connkit_connections_owner ON connkit_connections (owner);
    CREATE INDEX connkit_connections_definition ON connkit_connections (definition_id);
    CREATE INDEX connkit_connections_key ON connkit_connections (key_id);",
    },
    // 2: `refresh_at`, the token's expiry in the clear, so that a refresher reads only the rows
    // due. Existing OAuth2 rows that are active get 0 (due at once): the store opens them on the
    // next sweep and writes the true value back.
    Migration {
        sqlite: r"ALTER TABLE connkit_connections ADD COLUMN refresh_at INTEGER;
    UPDATE connkit_connections SET refresh_at = 0
        WHERE status = 'active' AND definition_id LIKE '%\_connection\_oauth2%' ESCAPE '\';
    CREATE INDEX connkit_connections_refresh_at ON connkit_connections (refresh_at);",
        postgres: r"ALTER TABLE connkit_connections ADD COLUMN refresh_at BIGINT;
    UPDATE connkit_connections SET refresh_at = 0
        WHERE status = 'active' AND definition_id LIKE '%\_connection\_oauth2%' ESCAPE '\';
    CREATE INDEX connkit_connections_refresh_at ON connkit_connections (refresh_at);",
    },
    // 3: one-time claims (a finished authorization's state, hashed), so that a callback is
    // completed once whatever copies of its cookies exist.
    Migration {
        sqlite: "CREATE TABLE connkit_claims (key TEXT PRIMARY KEY, until INTEGER NOT NULL);
    CREATE INDEX connkit_claims_until ON connkit_claims (until);",
        postgres: "CREATE TABLE connkit_claims (key TEXT PRIMARY KEY, until BIGINT NOT NULL);
    CREATE INDEX connkit_claims_until ON connkit_claims (until);",
    },
    // 4: values sealed in the first format (`v1.`), whose associated data bound the id, owner
    // and field only, are marked in the key column, so that key rotation (which re-seals every
    // row whose key column is not the newest key's id) re-seals them in the current format,
    // binding the definition, kind, status and scopes too.
    Migration {
        sqlite: "UPDATE connkit_connections SET key_id = 'v1.' || key_id
        WHERE sealed_tokens LIKE 'v1.%' AND key_id NOT LIKE 'v1.%';",
        postgres: "UPDATE connkit_connections SET key_id = 'v1.' || key_id
        WHERE sealed_tokens LIKE 'v1.%' AND key_id NOT LIKE 'v1.%';",
    },
];

/// A database could not be opened for this version of connkit.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationError {
    /// The database was migrated by a newer connkit; this one does not touch it.
    #[error(
        "the connection store's schema is at version {found}, newer than this connkit's {known}; upgrade connkit"
    )]
    Newer {
        /// The database's version.
        found: i64,
        /// The newest version this connkit knows.
        known: i64,
    },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] BackendError),
    /// The PostgreSQL configuration cannot be honoured.
    #[cfg(feature = "postgres")]
    #[error(transparent)]
    Config(#[from] super::postgres::PostgresConfigError),
}
