//! A backend in memory, for tests and examples: one process, nothing kept. Its leases, claims
//! and clock follow a [`ManualClock`] a test moves, or the system's.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::backend::{Backend, BackendError, Filter, Row};
use crate::clock::{milliseconds, whole_seconds};

/// A clock a test sets and moves, in Unix milliseconds; clones share it.
///
/// ```
/// use std::time::Duration;
/// use connkit::store::ManualClock;
///
/// let clock = ManualClock::at_unix_ms(1_000);
/// clock.advance(Duration::from_secs(2));
/// assert_eq!(clock.unix_ms(), 3_000);
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock reading `unix_ms` until it is moved.
    pub fn at_unix_ms(unix_ms: i64) -> Self {
        Self(Arc::new(AtomicI64::new(unix_ms)))
    }

    /// A clock reading the system's time now, until it is moved.
    pub fn now() -> Self {
        Self::at_unix_ms(crate::clock::now_ms())
    }

    /// What it reads, in Unix milliseconds.
    pub fn unix_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Moves it forward by `by`.
    pub fn advance(&self, by: Duration) {
        let by = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.0
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |now| {
                Some(now.saturating_add(by))
            })
            .ok();
    }

    /// Sets it to `unix_ms`.
    pub fn set_unix_ms(&self, unix_ms: i64) {
        self.0.store(unix_ms, Ordering::SeqCst);
    }
}

/// One row and its lease.
#[derive(Debug, Clone)]
struct Kept {
    row: Row,
    /// The holder and until when, in Unix milliseconds.
    lease: Option<(String, i64)>,
}

#[derive(Debug, Default)]
struct Memory {
    /// In the order inserted.
    rows: Vec<Kept>,
    /// Claimed keys and until when, in Unix seconds.
    claims: HashMap<String, i64>,
}

/// Rows in memory: what the store keeps, for tests and examples (one process; nothing
/// survives it). It passes the backend conformance suite, and times leases and claims by its
/// clock: the system's ([`new`](Self::new)) or a [`ManualClock`] a test moves
/// ([`with_clock`](Self::with_clock)). Clones share the rows.
///
/// ```
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// use connkit::store::{Keyring, MemoryBackend, SealingKey, Store};
///
/// let store = Store::new(MemoryBackend::new(), Keyring::new(SealingKey::from_bytes("k1", &[7; 32])?));
/// assert!(store.list_all().await?.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryBackend {
    memory: Arc<Mutex<Memory>>,
    clock: Option<ManualClock>,
}

impl MemoryBackend {
    /// An empty backend on the system's clock.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty backend on `clock`.
    pub fn with_clock(clock: ManualClock) -> Self {
        Self {
            memory: Arc::default(),
            clock: Some(clock),
        }
    }

    fn now_ms(&self) -> i64 {
        self.clock
            .as_ref()
            .map_or_else(crate::clock::now_ms, ManualClock::unix_ms)
    }

    fn memory(&self) -> std::sync::MutexGuard<'_, Memory> {
        self.memory
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Backend for MemoryBackend {
    async fn insert(&self, row: Row) -> Result<(), BackendError> {
        let mut memory = self.memory();
        if memory.rows.iter().any(|kept| kept.row.id == row.id) {
            return Err(BackendError("a row with this id is stored already".into()));
        }
        memory.rows.push(Kept { row, lease: None });
        Ok(())
    }

    async fn get(&self, id: &str) -> Result<Option<Row>, BackendError> {
        Ok(self
            .memory()
            .rows
            .iter()
            .find(|kept| kept.row.id == id)
            .map(|kept| kept.row.clone()))
    }

    async fn list(&self, filter: Filter<'_>) -> Result<Vec<Row>, BackendError> {
        Ok(self
            .memory()
            .rows
            .iter()
            .filter(|kept| filter.owner.is_none_or(|owner| kept.row.owner == owner))
            .filter(|kept| {
                filter
                    .definition_id
                    .is_none_or(|definition| kept.row.definition_id == definition)
            })
            .map(|kept| kept.row.clone())
            .collect())
    }

    async fn update(&self, row: &Row, expected_version: i64) -> Result<bool, BackendError> {
        let mut memory = self.memory();
        let Some(kept) = memory
            .rows
            .iter_mut()
            .find(|kept| kept.row.id == row.id && kept.row.version == expected_version)
        else {
            return Ok(false);
        };
        kept.row = row.clone();
        Ok(true)
    }

    async fn update_leased(
        &self,
        row: &Row,
        expected_version: i64,
        holder: &str,
    ) -> Result<bool, BackendError> {
        let now = self.now_ms();
        let mut memory = self.memory();
        let Some(kept) = memory.rows.iter_mut().find(|kept| {
            kept.row.id == row.id
                && kept.row.version == expected_version
                && kept
                    .lease
                    .as_ref()
                    .is_some_and(|(held_by, until)| held_by == holder && *until >= now)
        }) else {
            return Ok(false);
        };
        kept.row = row.clone();
        Ok(true)
    }

    async fn delete(&self, id: &str) -> Result<bool, BackendError> {
        let mut memory = self.memory();
        let before = memory.rows.len();
        memory.rows.retain(|kept| kept.row.id != id);
        Ok(memory.rows.len() < before)
    }

    async fn try_lease(
        &self,
        id: &str,
        holder: &str,
        lasting: Duration,
    ) -> Result<bool, BackendError> {
        let now = self.now_ms();
        let mut memory = self.memory();
        let Some(kept) = memory.rows.iter_mut().find(|kept| kept.row.id == id) else {
            return Ok(false);
        };
        let free = kept
            .lease
            .as_ref()
            .is_none_or(|(held_by, until)| *until < now || held_by == holder);
        if free {
            kept.lease = Some((holder.to_owned(), now.saturating_add(milliseconds(lasting))));
        }
        Ok(free)
    }

    async fn release_lease(&self, id: &str, holder: &str) -> Result<bool, BackendError> {
        let mut memory = self.memory();
        let Some(kept) = memory.rows.iter_mut().find(|kept| {
            kept.row.id == id
                && kept
                    .lease
                    .as_ref()
                    .is_some_and(|(held_by, _)| held_by == holder)
        }) else {
            return Ok(false);
        };
        kept.lease = None;
        Ok(true)
    }

    async fn due(&self, before: i64) -> Result<Vec<Row>, BackendError> {
        let memory = self.memory();
        let mut due: Vec<&Row> = memory
            .rows
            .iter()
            .map(|kept| &kept.row)
            .filter(|row| row.refresh_at.is_some_and(|at| at <= before))
            .collect();
        // Stable: rows due at the same time stay in the order inserted.
        due.sort_by_key(|row| row.refresh_at);
        Ok(due.into_iter().cloned().collect())
    }

    async fn claim(&self, key: &str, lasting: Duration) -> Result<bool, BackendError> {
        let now = self.now_ms().div_euclid(1000);
        let lasting = whole_seconds(lasting);
        let mut memory = self.memory();
        memory.claims.retain(|_, until| *until >= now);
        if memory.claims.contains_key(key) {
            return Ok(false);
        }
        memory
            .claims
            .insert(key.to_owned(), now.saturating_add(lasting));
        Ok(true)
    }

    async fn now_ms(&self) -> Result<i64, BackendError> {
        Ok(MemoryBackend::now_ms(self))
    }

    async fn sealed_with_other_key(
        &self,
        key_id: &str,
        limit: usize,
    ) -> Result<Vec<Row>, BackendError> {
        let memory = self.memory();
        let mut rows: Vec<&Row> = memory
            .rows
            .iter()
            .map(|kept| &kept.row)
            .filter(|row| row.key_id != key_id)
            .collect();
        rows.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(rows.into_iter().take(limit).cloned().collect())
    }
}
