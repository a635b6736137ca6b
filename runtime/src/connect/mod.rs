//! The connect flow for the browser (feature `axum`): a router that lists the registry's
//! connections on a page, starts an authorization bound to the browser that asked, completes it
//! on the callback, stores the connection, and disconnects.
//!
//! ```no_run
//! # async fn demo(connections: connkit::store::Connections<connkit::store::SqliteBackend,
//! #     connkit::http::ReqwestClient, connkit::credentials::Env>, keyring: connkit::store::Keyring)
//! # -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use connkit::connect::{ConnectConfig, router};
//!
//! // `connections` were made with the redirect URI https://app.example/integrations/callback.
//! let config = ConnectConfig::new("https://app.example/integrations/", keyring)?
//!     .allow_return_path("/settings/integrations")?;
//! let connect = router(Arc::new(connections), config, |request: &axum::http::request::Parts| {
//!     // Your session: who is connecting. `None` answers 401.
//!     request.headers.get("x-user").and_then(|v| v.to_str().ok()).map(str::to_owned)
//! })?;
//! let app = axum::Router::new().nest("/integrations", connect);
//! # let _ = app; Ok(()) }
//! ```
//!
//! Routes, under the base URL:
//! - `GET connect`: the page; `POST connect/{connection-id}`: start (OAuth2: redirect to the
//!   provider; the other kinds: store the secret given in the form);
//! - `GET callback`: complete, store (or update in place on re-consent), redirect to an allowed
//!   return path;
//! - `POST connections/{id}/disconnect`: revoke at the provider where the definition can, then
//!   delete.
//!
//! **How the pending authorization is bound.** It is sealed (AES-256-GCM, with the keyring
//! given) into an `HttpOnly`, `SameSite=Lax` cookie (`Secure` unless the base URL is
//! loopback `http`) whose name comes from a hash of the `state`, so that two tabs can connect
//! at once. The seal's associated data holds the owner and the cookie's name, so it opens only
//! for the same owner and the same state; it also holds the browser's own CSRF nonce, which must
//! still be this browser's. A callback from another browser finds no cookie; a replayed one
//! finds it cleared; an expired one is refused; a tampered one does not open. Each
//! authorization also completes once: [`Connections::complete`](crate::store::Connections::complete)
//! claims its `state`, hashed, in the store ([`Store::claim_once`](crate::store::Store::claim_once))
//! before the code is exchanged, so a callback replayed with copied cookies is refused before
//! the provider is asked.
//!
//! **Cross-site requests.** Every `POST` carries a CSRF token: the browser's random nonce (in a
//! `SameSite=Lax`, `HttpOnly` cookie, which a cross-site `POST` does not carry but the provider's
//! redirect back does) sealed with the owner, which must open to that same nonce. And when the
//! browser sends `Origin`, it must be the base URL's.
//!
//! Return paths come only from the configured list; a `return_to` that is not on it (an
//! absolute URL, `//host`, anything else) is refused. Pages never show a token, a code, a state
//! or a secret, and every answer is `no-store`, with `Referrer-Policy: no-referrer`.

mod cookies;
mod page;
mod routes;

use std::sync::Arc;
use std::time::Duration;

use url::Url;

use crate::credentials::ClientCredentialSource;
use crate::http::HttpClient;
use crate::oauth2::DEFAULT_AUTHORIZATION_TTL;
use crate::store::{Backend, Connections, Keyring};

/// Why a router could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The base URL is not an absolute `http(s)` URL.
    #[error("invalid base URL {0:?}: it must be an absolute http or https URL")]
    InvalidBase(String),
    /// Cookies would travel in clear: `http` is allowed on loopback only.
    #[error("base URL {0:?} is http on a host that is not loopback; use https")]
    InsecureBase(String),
    /// A return path is not a plain absolute path on this site.
    #[error(
        "return path {0:?} must be a path starting with a single '/', without a query, a fragment or a backslash"
    )]
    InvalidReturnPath(String),
    /// The connections' redirect URI is not this router's callback.
    #[error("the connections' redirect URI is {found:?}; the router's callback is {expected:?}")]
    RedirectUri {
        /// The connections' redirect URI.
        found: String,
        /// `<base>callback`.
        expected: String,
    },
}

/// What the router needs besides the connections: where it is mounted, the key that seals the
/// pending state, and where a finished flow may return.
#[non_exhaustive]
pub struct ConnectConfig {
    base: Url,
    keyring: Keyring,
    return_paths: Vec<String>,
    ttl: Duration,
    title: String,
}

impl std::fmt::Debug for ConnectConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectConfig")
            .field("base", &self.base.as_str())
            .field("keyring", &self.keyring)
            .field("return_paths", &self.return_paths)
            .field("ttl", &self.ttl)
            .finish()
    }
}

impl ConnectConfig {
    /// The router is mounted at `base` (the public URL, as the browser sees it; a trailing `/`
    /// is added), and seals with `keyring`.
    ///
    /// # Errors
    /// [`ConnectError::InvalidBase`], or [`ConnectError::InsecureBase`] for `http` off loopback.
    pub fn new(base: &str, keyring: Keyring) -> Result<Self, ConnectError> {
        let mut url = Url::parse(base).map_err(|_| ConnectError::InvalidBase(base.to_owned()))?;
        if !matches!(url.scheme(), "http" | "https")
            || url.host().is_none()
            || url.query().is_some()
            || url.fragment().is_some()
        {
            return Err(ConnectError::InvalidBase(base.to_owned()));
        }
        if url.scheme() == "http" && !is_loopback(&url) {
            return Err(ConnectError::InsecureBase(base.to_owned()));
        }
        if !url.path().ends_with('/') {
            let path = format!("{}/", url.path());
            url.set_path(&path);
        }
        let page = url.path().to_owned() + "connect";
        Ok(Self {
            base: url,
            keyring,
            return_paths: vec![page],
            ttl: DEFAULT_AUTHORIZATION_TTL,
            title: "Connections".to_owned(),
        })
    }

    /// Allows a finished flow to return to `path` (a path on this site, such as
    /// `/settings/integrations`). The connect page itself is always allowed, and is the default.
    ///
    /// # Errors
    /// [`ConnectError::InvalidReturnPath`].
    pub fn allow_return_path(mut self, path: &str) -> Result<Self, ConnectError> {
        if !is_plain_path(path) {
            return Err(ConnectError::InvalidReturnPath(path.to_owned()));
        }
        if !self.return_paths.iter().any(|allowed| allowed == path) {
            self.return_paths.push(path.to_owned());
        }
        Ok(self)
    }

    /// How long an authorization may take, from the click to the callback (10 minutes by
    /// default).
    #[must_use]
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The page's heading (default "Connections").
    #[must_use]
    pub fn with_title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The callback URL: `<base>callback`, the redirect URI the connections must use.
    pub fn callback_url(&self) -> String {
        format!("{}callback", self.base)
    }

    fn secure_cookies(&self) -> bool {
        self.base.scheme() == "https"
    }

    fn path(&self, relative: &str) -> String {
        format!("{}{relative}", self.base.path())
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// `/a/b`: one leading slash, no `//`, no backslash, query, fragment or control character.
fn is_plain_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(['\\', '?', '#'])
        && !path.chars().any(char::is_control)
}

/// Who is connecting, from the embedding app's own session or authentication; `None` when
/// nobody is signed in.
pub trait OwnerOf: Send + Sync + 'static {
    /// The owner (tenant, workspace, user) the request acts for.
    fn owner(&self, request: &http::request::Parts) -> Option<String>;
}

impl<F> OwnerOf for F
where
    F: Fn(&http::request::Parts) -> Option<String> + Send + Sync + 'static,
{
    fn owner(&self, request: &http::request::Parts) -> Option<String> {
        self(request)
    }
}

/// The router of the connect flow over `connections`, mounted where `config` says, acting for
/// the owner `owner` finds in each request.
///
/// # Errors
/// [`ConnectError::RedirectUri`] when the connections' redirect URI is not
/// [`ConnectConfig::callback_url`].
pub fn router<B, H, C>(
    connections: Arc<Connections<B, H, C>>,
    config: ConnectConfig,
    owner: impl OwnerOf,
) -> Result<axum::Router, ConnectError>
where
    B: Backend + 'static,
    H: HttpClient + Send + Sync + 'static,
    C: ClientCredentialSource + Send + Sync + 'static,
{
    let expected = config.callback_url();
    if connections.redirect_uri() != expected {
        return Err(ConnectError::RedirectUri {
            found: connections.redirect_uri().to_owned(),
            expected,
        });
    }
    Ok(routes::router(Arc::new(routes::Shared {
        connections,
        config,
        owner: Box::new(owner),
    })))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.
    use super::*;
    use crate::store::SealingKey;

    fn keyring() -> Keyring {
        Keyring::new(SealingKey::from_bytes("k", &[1; 32]).unwrap())
    }

    #[test]
    fn the_base_must_be_safe_for_cookies() {
        let config = ConnectConfig::new("http://127.0.0.1:8080/integrations", keyring()).unwrap();
        assert_eq!(
            config.callback_url(),
            "http://127.0.0.1:8080/integrations/callback"
        );
        assert!(!config.secure_cookies());
        assert!(
            ConnectConfig::new("https://app.example/", keyring())
                .unwrap()
                .secure_cookies()
        );
        assert!(matches!(
            ConnectConfig::new("http://app.example/", keyring()),
            Err(ConnectError::InsecureBase(_))
        ));
        for bad in [
            "/relative",
            "ftp://x/",
            "https://app.example/?q=1",
            "not a url",
        ] {
            assert!(
                matches!(
                    ConnectConfig::new(bad, keyring()),
                    Err(ConnectError::InvalidBase(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn return_paths_are_plain_paths() {
        let config = ConnectConfig::new("https://app.example/", keyring()).unwrap();
        let config = config.allow_return_path("/settings").unwrap();
        assert_eq!(config.return_paths, ["/connect", "/settings"]);
        for bad in [
            "settings",
            "//evil.example",
            "/\\evil.example",
            "/a?b",
            "/a#b",
            "https://evil.example/",
        ] {
            let config = ConnectConfig::new("https://app.example/", keyring()).unwrap();
            assert!(config.allow_return_path(bad).is_err(), "{bad}");
        }
    }
}
