//! Stored connections (feature `store`; `sqlite` and `postgres` add the backends).
//!
//! - [`Store`] keeps [`StoredConnection`]s over a [`Backend`], their token sets sealed by a
//!   [`Keyring`] (AES-256-GCM, a fresh nonce per value; the connection's id, owner and field,
//!   and its definition, kind, status and scopes kept in the clear, as associated data, so that
//!   editing any of them makes the row refuse to open), and [`StoredCredential`]s (an API key, a
//!   password, a key pair the end user gave) sealed the same way;
//! - `SqliteBackend` keeps them in one SQLite file, shared by the processes of a machine (its
//!   leases and claims are timed by that machine's clock);
//! - [`MemoryBackend`] keeps them in memory, for tests and examples (its leases and claims on a
//!   [`ManualClock`] a test moves, or the system's);
//! - `PostgresBackend` keeps them in PostgreSQL, for many processes or machines (its leases and
//!   claims are timed by the database server's clock, so the machines' clocks need not agree);
//! - migrations are versioned and applied on open; a database from a newer connkit is refused.
//!
//! Under load (`scripts/store-load.sh`: 4 processes × 250 callers for 60 s, 8 connections with
//! 2 s tokens, a provider that rotates refresh tokens), every call got a valid token and no
//! refresh token was reused, on SQLite (18k calls/s) and on PostgreSQL (2.4k calls/s on a
//! saturated 2-core machine); bench/README.md has the figures, with those under `kill -9` and
//! with clocks that disagree.
//!
#![cfg_attr(
    all(feature = "sqlite", feature = "reqwest"),
    doc = include_str!("../../docs/store_flow.md")
)]

mod backend;
mod connections;
mod credential;
mod memory;
mod migrations;
#[cfg(feature = "postgres")]
mod postgres;
mod seal;
#[cfg(feature = "sqlite")]
mod sqlite;
#[allow(clippy::module_inception)]
mod store;
#[cfg(feature = "testing")]
pub mod testing;

pub use backend::{Backend, BackendError, Filter, Row};
pub use connections::{
    ConnectionError, ConnectionEvent, Connections, PendingConnection, PendingDevice, RefreshPolicy,
    RefreshReport,
};
pub use credential::{Credential, NewCredential, StoredCredential};
pub use memory::{ManualClock, MemoryBackend};
pub use migrations::MigrationError;
#[cfg(feature = "postgres")]
pub use postgres::{PoolOptions, PostgresBackend, PostgresConfigError};
pub use seal::{KeyId, Keyring, SealContext, SealError, Sealed, SealingKey};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteBackend;
pub use store::{
    ConnectionStatus, Health, NewConnection, Owned, Rotation, ScopeDrift, Store, StoreError,
    StoredConnection, Unreadable,
};
