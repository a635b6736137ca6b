//! The HTTP seam: a small trait over `http::Request<Vec<u8>>`, in an async and a blocking
//! flavour, with adapters for reqwest (feature `reqwest`, on by default) and ureq (feature
//! `ureq`). Protocol code is tested through any implementation, such as a recording client.

use std::future::Future;
use std::time::Duration;

#[cfg(feature = "store")]
mod blocking;
#[cfg(feature = "reqwest")]
mod reqwest_client;
#[cfg(feature = "ureq")]
mod ureq_client;

#[cfg(feature = "store")]
pub use blocking::OnBlockingThreads;
#[cfg(feature = "reqwest")]
pub use reqwest_client::ReqwestClient;
#[cfg(feature = "ureq")]
pub use ureq_client::UreqClient;

/// The timeout the adapters use unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest response body the adapters read; a larger one is [`HttpError::TooLarge`].
pub const DEFAULT_MAX_BODY_BYTES: usize = 256 * 1024;

/// An HTTP request could not be completed. The message never carries a request body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum HttpError {
    /// No complete answer within the timeout.
    #[error("the HTTP request timed out")]
    Timeout,
    /// The answer came from another URL than the request's: the HTTP client followed a redirect.
    /// connkit refuses that answer, whatever client was passed in; the request (with its code,
    /// verifier or client secret) may have been re-sent to the redirect target, so configure
    /// clients not to follow redirects.
    #[error("the HTTP client followed a redirect; the answer is refused")]
    Redirected,
    /// The answer's body exceeded the limit.
    #[error("the HTTP response body is larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Connecting, sending or receiving failed.
    #[error("the HTTP request failed: {0}")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The HTTP client could not be built.
    #[error("the HTTP client could not be built: {0}")]
    Setup(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Sends one request and returns the whole answer. Implementations must not follow redirects
/// and should cap the body at [`DEFAULT_MAX_BODY_BYTES`] or more.
pub trait HttpClient {
    /// Sends `request`.
    fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> impl Future<Output = Result<http::Response<Vec<u8>>, HttpError>> + Send;
}

/// The blocking flavour of [`HttpClient`].
pub trait BlockingHttpClient {
    /// Sends `request`.
    ///
    /// # Errors
    /// [`HttpError`] when no answer arrives.
    fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, HttpError>;
}
