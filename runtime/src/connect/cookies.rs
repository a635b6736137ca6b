//! The router's cookies: the browser's CSRF nonce, and each pending authorization sealed to the
//! owner, the state and that nonce.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ConnectConfig;
use crate::oauth2::{base64url, constant_time_eq};
use crate::store::{PendingConnection, SealContext, Sealed};

/// The browser's random nonce, which CSRF tokens and pending authorizations are bound to.
pub(super) const CSRF_COOKIE: &str = "connkit_csrf";
/// The prefix of a pending authorization's cookie; the rest comes from its state.
const PENDING_PREFIX: &str = "connkit_pending_";

/// What a pending authorization's cookie holds, sealed.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Pending {
    /// The authorization, with its state and PKCE verifier.
    pub(super) connection: PendingConnection,
    /// Where to go once it is done (one of the allowed paths).
    pub(super) return_to: String,
    /// The CSRF nonce of the browser that started it.
    pub(super) nonce: String,
    /// Unix milliseconds when it started.
    pub(super) started_ms: u64,
}

/// The value of cookie `name` in the request's `Cookie` headers.
pub(super) fn read<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(key, value)| (key == name).then_some(value))
}

/// A `Set-Cookie` value: `HttpOnly`, on the base path, `Secure` on https.
pub(super) fn set(
    config: &ConnectConfig,
    name: &str,
    value: &str,
    same_site: &str,
    max_age: Option<u64>,
) -> String {
    let mut cookie = format!(
        "{name}={value}; Path={}; HttpOnly; SameSite={same_site}",
        config.base.path()
    );
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if config.secure_cookies() {
        cookie.push_str("; Secure");
    }
    cookie
}

/// A `Set-Cookie` value that removes cookie `name`.
pub(super) fn clear(config: &ConnectConfig, name: &str) -> String {
    set(config, name, "", "Lax", Some(0))
}

/// A fresh CSRF nonce.
pub(super) fn new_nonce() -> Option<String> {
    crate::random::base64url_of::<32>().ok()
}

/// Whether `nonce` looks like one this router made (so that an attacker's cookie cannot smuggle
/// separators into a seal's context).
pub(super) fn is_nonce(nonce: &str) -> bool {
    nonce.len() == 43
        && nonce
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

fn csrf_context(owner: &str) -> SealContext<'_> {
    SealContext {
        connection_id: "connect-csrf",
        owner,
        field: CSRF_COOKIE,
        bound: &[],
    }
}

/// The CSRF token of forms shown to `owner` in the browser holding `nonce`.
pub(super) fn csrf_token(config: &ConnectConfig, owner: &str, nonce: &str) -> Option<String> {
    config
        .keyring
        .seal(nonce.as_bytes(), csrf_context(owner))
        .ok()
        .map(|sealed| sealed.to_text())
}

/// Whether `token` was made for `owner` and this browser's `nonce`.
pub(super) fn csrf_valid(config: &ConnectConfig, owner: &str, nonce: &str, token: &str) -> bool {
    Sealed::from_text(token)
        .ok()
        .and_then(|sealed| config.keyring.open(&sealed, csrf_context(owner)).ok())
        .is_some_and(|opened| constant_time_eq(&opened, nonce.as_bytes()))
}

/// Whether two nonces are equal, compared in constant time.
pub(super) fn csrf_nonce_eq(a: &str, b: &str) -> bool {
    constant_time_eq(a.as_bytes(), b.as_bytes())
}

/// The cookie name of the authorization with `state`.
pub(super) fn pending_name(state: &str) -> String {
    let digest = Sha256::digest(state.as_bytes());
    format!("{PENDING_PREFIX}{}", base64url(&digest[..12]))
}

fn pending_context<'a>(owner: &'a str, name: &'a str) -> SealContext<'a> {
    SealContext {
        connection_id: "connect-pending",
        owner,
        field: name,
        bound: &[],
    }
}

/// The cookie (name, sealed value) of `pending`, for `owner`.
pub(super) fn seal_pending(
    config: &ConnectConfig,
    owner: &str,
    pending: &Pending,
) -> Option<(String, String)> {
    let name = pending_name(pending.connection.pending.state().expose_secret());
    let json = serde_json::to_vec(pending).ok()?;
    let sealed = config
        .keyring
        .seal(&json, pending_context(owner, &name))
        .ok()?;
    Some((name, sealed.to_text()))
}

/// The pending authorization in cookie `name`, if it opens for `owner`.
pub(super) fn open_pending(
    config: &ConnectConfig,
    owner: &str,
    name: &str,
    value: &str,
) -> Option<Pending> {
    let sealed = Sealed::from_text(value).ok()?;
    let json = config
        .keyring
        .open(&sealed, pending_context(owner, name))
        .ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.
    use super::*;
    use crate::store::{Keyring, SealingKey};

    fn config() -> ConnectConfig {
        let keyring = Keyring::new(SealingKey::from_bytes("k", &[3; 32]).unwrap());
        ConnectConfig::new("http://127.0.0.1:1/app/", keyring).unwrap()
    }

    #[test]
    fn cookies_are_read_from_every_cookie_header() {
        let mut headers = http::HeaderMap::new();
        headers.append(http::header::COOKIE, "a=1; connkit_csrf=n".parse().unwrap());
        headers.append(http::header::COOKIE, "b=2".parse().unwrap());
        assert_eq!(read(&headers, CSRF_COOKIE), Some("n"));
        assert_eq!(read(&headers, "b"), Some("2"));
        assert_eq!(read(&headers, "c"), None);
    }

    #[test]
    fn a_csrf_token_is_good_for_its_owner_and_nonce_only() {
        let config = config();
        let nonce = new_nonce().unwrap();
        assert!(is_nonce(&nonce));
        let token = csrf_token(&config, "alice", &nonce).unwrap();
        assert!(csrf_valid(&config, "alice", &nonce, &token));
        assert!(!csrf_valid(&config, "bob", &nonce, &token));
        assert!(!csrf_valid(&config, "alice", &new_nonce().unwrap(), &token));
        assert!(!csrf_valid(&config, "alice", &nonce, "v1.k.AAAA.AAAA"));
        assert!(!csrf_valid(&config, "alice", &nonce, ""));
    }

    #[test]
    fn cookies_say_where_they_go() {
        let config = config();
        assert_eq!(
            set(&config, "n", "v", "Strict", None),
            "n=v; Path=/app/; HttpOnly; SameSite=Strict"
        );
        assert_eq!(
            clear(&config, "n"),
            "n=; Path=/app/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
    }
}
