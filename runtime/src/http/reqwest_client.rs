//! The async adapter on reqwest (rustls).

use std::time::Duration;

use super::{DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT, HttpClient, HttpError};

/// An [`HttpClient`] on reqwest: no redirects followed, no proxy from the environment, a
/// timeout, and a capped body. For a proxy, configure a `reqwest::Client` and use
/// [`from_client`](Self::from_client).
#[derive(Debug, Clone)]
pub struct ReqwestClient {
    client: reqwest::Client,
    max_body_bytes: usize,
}

impl ReqwestClient {
    /// A client with [`DEFAULT_TIMEOUT`].
    ///
    /// # Errors
    /// [`HttpError::Setup`] when the TLS backend cannot be initialised.
    pub fn new() -> Result<Self, HttpError> {
        Self::with_timeout(DEFAULT_TIMEOUT)
    }

    /// A client with the given timeout for the whole request.
    ///
    /// # Errors
    /// [`HttpError::Setup`] when the TLS backend cannot be initialised.
    pub fn with_timeout(timeout: Duration) -> Result<Self, HttpError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .build()
            .map_err(|error| HttpError::Setup(Box::new(error)))?;
        Ok(Self {
            client,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        })
    }
}

impl ReqwestClient {
    /// Wraps a client configured elsewhere (a proxy, custom roots). Build it with
    /// `.redirect(reqwest::redirect::Policy::none())` and a timeout: the token endpoint's
    /// redirects must not be followed.
    pub fn from_client(client: reqwest::Client) -> Self {
        Self {
            client,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

fn transport(error: reqwest::Error) -> HttpError {
    if error.is_timeout() {
        HttpError::Timeout
    } else {
        // Drop the URL: a caller may have put something sensitive in a query.
        HttpError::Transport(Box::new(error.without_url()))
    }
}

impl HttpClient for ReqwestClient {
    async fn send(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<http::Response<Vec<u8>>, HttpError> {
        let request = reqwest::Request::try_from(request.map(reqwest::Body::from))
            .map_err(|error| HttpError::Transport(Box::new(error.without_url())))?;
        let sent_to = request.url().clone();
        let mut response = self.client.execute(request).await.map_err(transport)?;
        // A client from `from_client` may follow redirects; its answer is then another URL's.
        if response.url() != &sent_to {
            return Err(HttpError::Redirected);
        }
        let mut builder = http::Response::builder().status(response.status());
        for (name, value) in response.headers() {
            builder = builder.header(name, value);
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > self.max_body_bytes {
                return Err(HttpError::TooLarge {
                    limit: self.max_body_bytes,
                });
            }
            body.extend_from_slice(&chunk);
        }
        builder
            .body(body)
            .map_err(|error| HttpError::Transport(Box::new(error)))
    }
}
