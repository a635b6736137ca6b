//! A blocking client used where an async one is expected (feature `store`, which brings Tokio):
//! each request runs on Tokio's blocking threads.

use std::sync::Arc;

use super::{BlockingHttpClient, HttpClient, HttpError};

/// A [`BlockingHttpClient`] (such as `UreqClient`) as an async [`HttpClient`]: each request
/// runs on Tokio's blocking threads, so the async runtime's threads never wait on the network.
///
/// ```no_run
/// # #[cfg(feature = "ureq")] {
/// use connkit::http::{OnBlockingThreads, UreqClient};
///
/// // For `Connections`, which asks for an async client.
/// let http = OnBlockingThreads::new(UreqClient::new());
/// # }
/// ```
#[derive(Debug)]
pub struct OnBlockingThreads<C>(Arc<C>);

impl<C> Clone for OnBlockingThreads<C> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<C> OnBlockingThreads<C> {
    /// Wraps a blocking client.
    pub fn new(client: C) -> Self {
        Self(Arc::new(client))
    }
}

impl<C: BlockingHttpClient + Send + Sync + 'static> HttpClient for OnBlockingThreads<C> {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, HttpError> {
        let client = Arc::clone(&self.0);
        tokio::task::spawn_blocking(move || client.send(request))
            .await
            .map_err(|error| HttpError::Transport(Box::new(error)))?
    }
}
