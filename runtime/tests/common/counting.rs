//! A backend that counts the rows it hands out, by the method that read them: what a caller
//! opened. It can also make lease calls fail, as a database that stops answering one process
//! (or a process that stalls) would.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use connkit::store::{Backend, BackendError, Filter, Row};

/// Wraps a backend; clones share the counts.
#[derive(Clone)]
pub struct Counting<B> {
    inner: B,
    listed: Arc<AtomicUsize>,
    due: Arc<AtomicUsize>,
    leases_fail: Arc<AtomicBool>,
}

impl<B> Counting<B> {
    pub fn new(inner: B) -> Self {
        Self {
            inner,
            listed: Arc::default(),
            due: Arc::default(),
            leases_fail: Arc::default(),
        }
    }

    /// From now on every `try_lease` fails with an error (the lease in the database is left to
    /// run out by its clock).
    pub fn fail_leases(&self) {
        self.leases_fail.store(true, Ordering::SeqCst);
    }

    /// Rows handed out by `list`, and by `due`, since the last call; both reset to 0.
    pub fn take(&self) -> (usize, usize) {
        (
            self.listed.swap(0, Ordering::SeqCst),
            self.due.swap(0, Ordering::SeqCst),
        )
    }
}

impl<B: Backend> Backend for Counting<B> {
    async fn insert(&self, row: Row) -> Result<(), BackendError> {
        self.inner.insert(row).await
    }

    async fn get(&self, id: &str) -> Result<Option<Row>, BackendError> {
        self.inner.get(id).await
    }

    async fn list(&self, filter: Filter<'_>) -> Result<Vec<Row>, BackendError> {
        let rows = self.inner.list(filter).await?;
        self.listed.fetch_add(rows.len(), Ordering::SeqCst);
        Ok(rows)
    }

    async fn update(&self, row: &Row, expected_version: i64) -> Result<bool, BackendError> {
        self.inner.update(row, expected_version).await
    }

    async fn delete(&self, id: &str) -> Result<bool, BackendError> {
        self.inner.delete(id).await
    }

    async fn try_lease(
        &self,
        id: &str,
        holder: &str,
        lasting: Duration,
    ) -> Result<bool, BackendError> {
        if self.leases_fail.load(Ordering::SeqCst) {
            return Err(BackendError("the database did not answer".into()));
        }
        self.inner.try_lease(id, holder, lasting).await
    }

    async fn release_lease(&self, id: &str, holder: &str) -> Result<bool, BackendError> {
        self.inner.release_lease(id, holder).await
    }

    async fn due(&self, before: i64) -> Result<Vec<Row>, BackendError> {
        let rows = self.inner.due(before).await?;
        self.due.fetch_add(rows.len(), Ordering::SeqCst);
        Ok(rows)
    }

    async fn update_leased(
        &self,
        row: &Row,
        expected_version: i64,
        holder: &str,
    ) -> Result<bool, BackendError> {
        self.inner
            .update_leased(row, expected_version, holder)
            .await
    }

    async fn claim(&self, key: &str, lasting: Duration) -> Result<bool, BackendError> {
        self.inner.claim(key, lasting).await
    }

    async fn sealed_with_other_key(
        &self,
        key_id: &str,
        limit: usize,
    ) -> Result<Vec<Row>, BackendError> {
        self.inner.sealed_with_other_key(key_id, limit).await
    }
}
