//! The refresher: renews what expires soon, with bounded concurrency, through the same single
//! flight and lease as a caller.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use super::tokens::Need;
use super::{ConnectionError, Connections, RefreshReport};
use crate::credentials::ClientCredentialSource;
use crate::http::HttpClient;
use crate::store::backend::Backend;

impl<B, H, C> Connections<B, H, C>
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    /// Renews every active connection whose token expires within `window` (and can be
    /// refreshed), at most `concurrency` at a time, through the same single flight and lease as
    /// [`access_token`](Self::access_token): a connection another caller or process is renewing
    /// is not renewed twice.
    ///
    /// # Errors
    /// The database's error while selecting; each connection's own failure (a row that does not
    /// open among them) is in the report.
    pub async fn refresh_expiring(
        self: &Arc<Self>,
        window: Duration,
        concurrency: usize,
    ) -> Result<RefreshReport, ConnectionError> {
        let mut report = RefreshReport::default();
        let mut due = Vec::new();
        for selected in self
            .store
            .due_within(self.store.now().await, window)
            .await?
        {
            match selected {
                Ok(connection) => due.push(connection.id),
                Err(error) => {
                    let id = error.connection_id().unwrap_or_default().to_owned();
                    report.failed.push((id, error.into()));
                }
            }
        }
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency.max(1)));
        let mut tasks = tokio::task::JoinSet::new();
        let mut tasks_of = HashMap::new();
        for id in due {
            let (connections, permits) = (Arc::clone(self), Arc::clone(&permits));
            let task_id = id.clone();
            let task = tasks.spawn(async move {
                let _permit = permits.acquire_owned().await;
                let need = Need {
                    margin: window.max(connections.policy.margin),
                    rejected: None,
                };
                let result = connections.token(&id, need).await;
                (id, result)
            });
            tasks_of.insert(task.id(), task_id);
        }
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok((id, Ok(_))) => report.refreshed.push(id),
                Ok((id, Err(error))) => report.failed.push((id, error)),
                // A refresh that panicked (an event handler, say) is a failure of its
                // connection, reported like the others.
                Err(error) => {
                    let id = tasks_of.remove(&error.id()).unwrap_or_default();
                    tracing::error!(connection = %id, "a refresh task panicked or was cancelled");
                    report
                        .failed
                        .push((id.clone(), ConnectionError::Aborted { connection_id: id }));
                }
            }
        }
        Ok(report)
    }

    /// Runs [`refresh_expiring`](Self::refresh_expiring) every `every` until the returned task
    /// is aborted (or dropped with its runtime).
    pub fn spawn_refresher(
        self: &Arc<Self>,
        every: Duration,
        window: Duration,
        concurrency: usize,
    ) -> tokio::task::JoinHandle<()> {
        let connections = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                match connections.refresh_expiring(window, concurrency).await {
                    Ok(report) => tracing::debug!(
                        refreshed = report.refreshed.len(),
                        failed = report.failed.len(),
                        "background refresh"
                    ),
                    Err(error) => {
                        tracing::warn!(error = %error, "background refresh could not list connections")
                    }
                }
                tokio::time::sleep(every).await;
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.

    use std::sync::Arc;
    use std::time::Duration;

    use super::super::test_support::{FakeHttp, connections, seconds, stored, tokens_expiring};
    use crate::store::ManualClock;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_refresher_renews_what_the_store_clock_says_is_due_and_nothing_else() {
        let clock = ManualClock::now();
        let http = FakeHttp::new();
        let (connections, _) = connections(&clock, http.clone());
        let now = seconds(&clock);
        let soon = stored(&connections, tokens_expiring(now + 100)).await.id;
        let later = stored(&connections, tokens_expiring(now + 10_000)).await.id;
        let connections = Arc::new(connections);
        let window = Duration::from_secs(200);
        let report = connections.refresh_expiring(window, 4).await.unwrap();
        assert_eq!(report.refreshed, std::slice::from_ref(&soon));
        assert!(report.failed.is_empty(), "{:?}", report.failed);
        assert_eq!(http.count("/token"), 1);
        // 9,900 s later by the store's clock, the other one is due too (100 s left), and the
        // first, renewed for an hour, again.
        clock.advance(Duration::from_secs(9_900));
        let report = connections.refresh_expiring(window, 4).await.unwrap();
        let mut refreshed = report.refreshed.clone();
        refreshed.sort();
        let mut expected = vec![soon, later];
        expected.sort();
        assert_eq!(refreshed, expected);
        assert_eq!(http.count("/token"), 3);
    }
}
