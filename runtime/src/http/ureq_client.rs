//! The blocking adapter on ureq (rustls).

use std::io::Read;
use std::time::Duration;

use super::{BlockingHttpClient, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT, HttpError};

/// A [`BlockingHttpClient`] on ureq: no redirects followed, any status returned as a response,
/// no proxy from the environment, a timeout, and a capped body. For a proxy, configure a
/// `ureq::Agent` and use [`from_agent`](Self::from_agent).
#[derive(Debug, Clone)]
pub struct UreqClient {
    agent: ureq::Agent,
    max_body_bytes: usize,
}

impl UreqClient {
    /// A client with [`DEFAULT_TIMEOUT`].
    pub fn new() -> Self {
        Self::with_timeout(DEFAULT_TIMEOUT)
    }

    /// A client with the given timeout for the whole request.
    pub fn with_timeout(timeout: Duration) -> Self {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .proxy(None)
            .timeout_global(Some(timeout))
            .build()
            .new_agent();
        Self {
            agent,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl UreqClient {
    /// Wraps an agent configured elsewhere (a proxy, custom roots). Configure it with
    /// `max_redirects(0)` and `http_status_as_error(false)`: the token endpoint's redirects must
    /// not be followed and error statuses carry OAuth2 errors.
    pub fn from_agent(agent: ureq::Agent) -> Self {
        Self {
            agent,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
        }
    }
}

impl Default for UreqClient {
    fn default() -> Self {
        Self::new()
    }
}

fn transport(error: ureq::Error) -> HttpError {
    match error {
        ureq::Error::Timeout(_) => HttpError::Timeout,
        other => HttpError::Transport(Box::new(other)),
    }
}

/// A failure while reading the body: ureq wraps its own errors (a timeout among them) in
/// `io::Error`.
fn body_error(error: std::io::Error) -> HttpError {
    if error.kind() == std::io::ErrorKind::TimedOut {
        return HttpError::Timeout;
    }
    match error.into_inner() {
        Some(inner) => match inner.downcast::<ureq::Error>() {
            Ok(ureq_error) => transport(*ureq_error),
            Err(other) => HttpError::Transport(other),
        },
        None => HttpError::Transport(Box::new(std::io::Error::other("reading the body failed"))),
    }
}

impl BlockingHttpClient for UreqClient {
    fn send(&self, request: http::Request<Vec<u8>>) -> Result<http::Response<Vec<u8>>, HttpError> {
        let sent_to = request.uri().clone();
        let response = self.agent.run(request).map_err(transport)?;
        // An agent from `from_agent` may follow redirects; its answer is then another URL's.
        if ureq::ResponseExt::get_uri(&response) != &sent_to {
            return Err(HttpError::Redirected);
        }
        let (parts, body) = response.into_parts();
        let mut bytes = Vec::new();
        let limit = self.max_body_bytes as u64;
        body.into_reader()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(body_error)?;
        if bytes.len() as u64 > limit {
            return Err(HttpError::TooLarge {
                limit: self.max_body_bytes,
            });
        }
        Ok(http::Response::from_parts(parts, bytes))
    }
}
