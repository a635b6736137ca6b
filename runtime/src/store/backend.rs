//! The seam between the store and a database: plain rows, whose only secret field is already
//! sealed text. Every write is one statement; an update is a compare-and-set on the row's
//! version, a lease is a compare-and-set on its holder and expiry. No transaction or lock is
//! held across anything else (an HTTP call above all).
//!
//! Leases and claims are timed by the database's clock, never the caller's: processes whose
//! clocks disagree still agree on who holds a lease and which claims stand.

use std::future::Future;
use std::time::Duration;

/// One stored connection as a database keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
// Not `#[non_exhaustive]`: a backend of your own builds it (or reads every field), so a new
// field is a breaking change for backends whatever the attribute says (ARCHITECTURE.md).
pub struct Row {
    /// The stored connection's id.
    pub id: String,
    /// The owner (tenant, workspace) chosen by the caller.
    pub owner: String,
    /// The connection definition's id.
    pub definition_id: String,
    /// The token set, sealed (`Sealed::to_text`).
    pub sealed_tokens: String,
    /// The id of the key that sealed it (also inside `sealed_tokens`; a column for rotation),
    /// prefixed `v1.` for a value sealed in connkit 0.1.0's first format, which key rotation
    /// re-seals in the current one.
    pub key_id: String,
    /// The scopes requested, space-separated.
    pub scopes_requested: String,
    /// The scopes granted, space-separated.
    pub scopes_granted: String,
    /// `active`, `needs_reconnect` or `revoked`.
    pub status: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last refresh.
    pub refreshed_at: Option<i64>,
    /// Unix seconds of the last time a token was handed out.
    pub used_at: Option<i64>,
    /// The last refresh error, a secret-free summary.
    pub last_error: Option<String>,
    /// Refresh failures since the last success.
    pub failures: i64,
    /// Unix seconds of the last time the connection worked.
    pub last_ok_at: Option<i64>,
    /// Incremented by every update; updates compare it.
    pub version: i64,
    /// Unix seconds at which the access token expires, kept in the clear for an active
    /// connection that has a refresh token, so that a refresher selects the connections due
    /// without opening every row; `None` when no refresh is ever due by time (no expiry, no
    /// refresh token, not active, or a credential). Rows written before this column existed
    /// hold 0 (due at once, to be opened): the store writes the true value back on first read.
    pub refresh_at: Option<i64>,
}

/// Which rows to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
// Not `#[non_exhaustive]`: a backend of your own builds it (or reads every field), so a new
// field is a breaking change for backends whatever the attribute says (ARCHITECTURE.md).
pub struct Filter<'a> {
    /// Only this owner's.
    pub owner: Option<&'a str>,
    /// Only this definition's.
    pub definition_id: Option<&'a str>,
}

/// A database failed. The message never holds a row's values.
#[derive(Debug, thiserror::Error)]
#[error("the connection store's database failed: {0}")]
pub struct BackendError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

/// A database that keeps rows. Implemented for SQLite (`SqliteBackend`) and PostgreSQL
/// (`PostgresBackend`); the shared test suite runs against both.
pub trait Backend: Send + Sync {
    /// Adds a row with a new id.
    fn insert(&self, row: Row) -> impl Future<Output = Result<(), BackendError>> + Send;

    /// The row with this id.
    fn get(&self, id: &str) -> impl Future<Output = Result<Option<Row>, BackendError>> + Send;

    /// The rows `filter` selects, in the order they were inserted.
    fn list(
        &self,
        filter: Filter<'_>,
    ) -> impl Future<Output = Result<Vec<Row>, BackendError>> + Send;

    /// Replaces the row with `row` (`row.version` one more than `expected_version`; the same
    /// when only `refresh_at` changes) if its version is still `expected_version`; `false` when
    /// another writer came first.
    fn update(
        &self,
        row: &Row,
        expected_version: i64,
    ) -> impl Future<Output = Result<bool, BackendError>> + Send;

    /// Removes the row; `false` when there was none.
    fn delete(&self, id: &str) -> impl Future<Output = Result<bool, BackendError>> + Send;

    /// Takes the row's lease for `holder` for `lasting` from now, by the database's clock, if
    /// nobody holds it, its time has passed, or `holder` already holds it (a renewal); `false`
    /// otherwise.
    fn try_lease(
        &self,
        id: &str,
        holder: &str,
        lasting: Duration,
    ) -> impl Future<Output = Result<bool, BackendError>> + Send;

    /// [`update`](Self::update), only while `holder` holds the row's lease and its time has
    /// not passed (by the database's clock), in the same statement: the write that follows a
    /// refresh, fenced, so that a holder whose lease was taken over can never overwrite what
    /// the new holder writes.
    fn update_leased(
        &self,
        row: &Row,
        expected_version: i64,
        holder: &str,
    ) -> impl Future<Output = Result<bool, BackendError>> + Send;

    /// Releases the row's lease if `holder` holds it (never another holder's).
    fn release_lease(
        &self,
        id: &str,
        holder: &str,
    ) -> impl Future<Output = Result<bool, BackendError>> + Send;

    /// The rows whose `refresh_at` is at or before `before` (Unix seconds), soonest first.
    ///
    /// The default lists every row and filters them; a database should answer it from an index.
    fn due(&self, before: i64) -> impl Future<Output = Result<Vec<Row>, BackendError>> + Send {
        async move {
            let mut rows: Vec<Row> = self
                .list(Filter::default())
                .await?
                .into_iter()
                .filter(|row| row.refresh_at.is_some_and(|at| at <= before))
                .collect();
            rows.sort_by_key(|row| row.refresh_at);
            Ok(rows)
        }
    }

    /// Records `key` as used for `lasting` from now (by the database's clock, in whole seconds,
    /// rounded up): `true` the first time, `false` while an earlier record of it stands.
    /// Records whose time has passed are removed.
    fn claim(
        &self,
        key: &str,
        lasting: Duration,
    ) -> impl Future<Output = Result<bool, BackendError>> + Send;

    /// The database's clock, in Unix milliseconds: the time base of the expiries the store keeps,
    /// shared by processes whose own clocks disagree. The default is this process's clock, for
    /// a backend that has no clock of its own.
    fn now_ms(&self) -> impl Future<Output = Result<i64, BackendError>> + Send {
        async { Ok(crate::clock::now_ms()) }
    }

    /// Up to `limit` rows whose `key_id` column is not `key_id` (sealed with another key, or
    /// in the first format), for key rotation.
    fn sealed_with_other_key(
        &self,
        key_id: &str,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Row>, BackendError>> + Send;
}
