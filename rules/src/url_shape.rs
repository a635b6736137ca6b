//! The shape of endpoint and logo URLs, checked without a URL parser: absolute, `https` (or
//! `http` for a loopback host only), a host, an optional port, no user info, no whitespace, no
//! fragment. Everything this accepts is also accepted by a WHATWG URL parser such as the `url`
//! crate (the runtime's tests cross-check that).

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Hosts for which plain `http` is allowed.
pub const LOOPBACK_HOSTS: &[&str] = &["localhost", "127.0.0.1", "[::1]"];

/// The parts of a URL that passed [`check_url`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct UrlParts<'a> {
    /// `https` or `http`.
    pub scheme: &'a str,
    /// The host as written (an IPv6 address keeps its brackets).
    pub host: &'a str,
    /// The explicit port, if any.
    pub port: Option<u16>,
    /// The path, possibly empty.
    pub path: &'a str,
    /// The query without `?`, if any.
    pub query: Option<&'a str>,
}

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The URL is empty.
    Empty,
    /// Whitespace at byte `index`.
    Whitespace {
        /// Byte index of the whitespace.
        index: usize,
    },
    /// A control or non-ASCII character.
    Character(char),
    /// No `scheme://` at the start.
    NotAbsolute,
    /// A scheme other than `https`/`http`, or `http` with a non-loopback host.
    Scheme {
        /// The scheme as written.
        found: String,
    },
    /// `http` for a host that is not loopback.
    InsecureHttp {
        /// The host as written.
        host: String,
    },
    /// `user:password@` in the authority.
    UserInfo,
    /// No host after `://`.
    MissingHost,
    /// The host is not a DNS name, IPv4 address or bracketed IPv6 address.
    Host {
        /// The host as written.
        host: String,
    },
    /// The port is not a number from 1 to 65535.
    Port {
        /// The port as written.
        port: String,
    },
    /// A `#fragment`.
    Fragment,
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the URL is empty"),
            Self::Whitespace { index } => write!(f, "the URL contains whitespace at byte {index}"),
            Self::Character(c) => write!(f, "the URL contains {c:?}"),
            Self::NotAbsolute => {
                f.write_str("the URL must be absolute, starting with \"https://\"")
            }
            Self::Scheme { found } => write!(
                f,
                "the URL scheme must be \"https\" (or \"http\" for localhost, 127.0.0.1 and [::1]), found {found:?}"
            ),
            Self::InsecureHttp { host } => write!(
                f,
                "\"http\" is allowed only for localhost, 127.0.0.1 and [::1], not for {host:?}"
            ),
            Self::UserInfo => f.write_str("the URL must not carry a user name or password"),
            Self::MissingHost => f.write_str("the URL has no host"),
            Self::Host { host } => write!(
                f,
                "{host:?} is not a host name, IPv4 address or bracketed IPv6 address"
            ),
            Self::Port { port } => write!(f, "the port {port:?} is not a number from 1 to 65535"),
            Self::Fragment => f.write_str("the URL must not have a #fragment"),
        }
    }
}

impl UrlError {
    /// The fix, when one is obvious.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::InsecureHttp { .. } => Some("use \"https\"".to_owned()),
            Self::Character(_) => {
                Some("write control and non-ASCII characters percent-encoded".to_owned())
            }
            _ => None,
        }
    }
}

impl std::error::Error for UrlError {}

/// Checks the shape of an endpoint or logo URL.
///
/// ```
/// use connkit_rules::url_shape::{check_url, UrlError};
/// let parts = check_url("https://accounts.zoho.com/oauth/v2/auth?x=1").unwrap();
/// assert_eq!((parts.host, parts.path, parts.query), ("accounts.zoho.com", "/oauth/v2/auth", Some("x=1")));
/// assert!(check_url("http://127.0.0.1:8080/token").is_ok());
/// assert!(matches!(check_url("http://example.com/token"), Err(UrlError::InsecureHttp { .. })));
/// assert_eq!(check_url("https://example.com/a#b"), Err(UrlError::Fragment));
/// ```
pub fn check_url(url: &str) -> Result<UrlParts<'_>, UrlError> {
    if url.is_empty() {
        return Err(UrlError::Empty);
    }
    if let Some(index) = url.find(char::is_whitespace) {
        return Err(UrlError::Whitespace { index });
    }
    if let Some(c) = url.chars().find(|c| !c.is_ascii() || c.is_ascii_control()) {
        return Err(UrlError::Character(c));
    }
    let (scheme, rest) = url.split_once("://").ok_or(UrlError::NotAbsolute)?;
    if scheme != "https" && scheme != "http" {
        return Err(UrlError::Scheme {
            found: scheme.to_owned(),
        });
    }
    if rest.contains('#') {
        return Err(UrlError::Fragment);
    }
    let authority_end = rest.find(['/', '?', '\\']).unwrap_or(rest.len());
    let (authority, after_authority) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err(UrlError::UserInfo);
    }
    let (host, port) = split_host_port(authority)?;
    check_host(host)?;
    if scheme == "http" && !LOOPBACK_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Err(UrlError::InsecureHttp {
            host: host.to_owned(),
        });
    }
    let (path, query) = match after_authority.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (after_authority, None),
    };
    Ok(UrlParts {
        scheme,
        host,
        port,
        path,
        query,
    })
}

fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), UrlError> {
    let (host, port) = if authority.starts_with('[') {
        match authority.find(']') {
            Some(close) => {
                let (host, after) = authority.split_at(close + 1);
                match after.strip_prefix(':') {
                    Some(port) => (host, Some(port)),
                    None if after.is_empty() => (host, None),
                    None => {
                        return Err(UrlError::Host {
                            host: authority.to_owned(),
                        });
                    }
                }
            }
            None => {
                return Err(UrlError::Host {
                    host: authority.to_owned(),
                });
            }
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(UrlError::MissingHost);
    }
    let port = match port {
        None => None,
        Some(text) => {
            let valid =
                !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit());
            match text.parse::<u16>() {
                Ok(port) if valid && port != 0 => Some(port),
                _ => {
                    return Err(UrlError::Port {
                        port: text.to_owned(),
                    });
                }
            }
        }
    };
    Ok((host, port))
}

fn check_host(host: &str) -> Result<(), UrlError> {
    let bad_host = || UrlError::Host {
        host: host.to_owned(),
    };
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']').ok_or_else(bad_host)?;
        return inner.parse::<Ipv6Addr>().map(drop).map_err(|_| bad_host());
    }
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    if host.len() > 253 || !labels.iter().all(label_ok) {
        return Err(bad_host());
    }
    // A WHATWG parser reads a host whose last label is numeric as an IPv4 address, so such a
    // host must be a valid dotted-quad address.
    let last_is_numeric = labels
        .last()
        .is_some_and(|label| label.bytes().all(|b| b.is_ascii_digit()) || is_hex_number(label));
    if last_is_numeric && host.parse::<Ipv4Addr>().is_err() {
        return Err(bad_host());
    }
    Ok(())
}

fn is_hex_number(label: &str) -> bool {
    let lower = label.to_ascii_lowercase();
    lower
        .strip_prefix("0x")
        .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Why a redirect URI is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectUriError {
    /// An `http` or `https` URI that breaks the URL rules of endpoints.
    Url(UrlError),
    /// A URI with another scheme that is not a private-use scheme (RFC 8252 §7.1: a reversed
    /// domain name such as `com.example.app`).
    Scheme {
        /// The scheme as written (empty when there is none).
        found: String,
    },
    /// A `#fragment` (RFC 6749 §3.1.2).
    Fragment,
    /// Whitespace, a control or a non-ASCII character.
    Character(char),
}

impl fmt::Display for RedirectUriError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(problem) => problem.fmt(f),
            Self::Scheme { found } if found.is_empty() => {
                f.write_str("a redirect URI must be absolute")
            }
            Self::Scheme { found } => write!(
                f,
                "the scheme {found:?} is neither https, http on a loopback host, nor a private-use scheme like \"com.example.app\" (RFC 8252)"
            ),
            Self::Fragment => f.write_str("a redirect URI must not have a #fragment"),
            Self::Character(c) => write!(f, "the redirect URI contains {c:?}"),
        }
    }
}

impl std::error::Error for RedirectUriError {}

/// Checks a redirect URI: `https` (or `http` on a loopback host) with the URL rules of
/// endpoints, or a native app's private-use scheme (`com.example.app:/callback`, RFC 8252
/// §7.1); never a fragment (RFC 6749 §3.1.2).
///
/// ```
/// use connkit_rules::url_shape::check_redirect_uri;
/// assert!(check_redirect_uri("https://app.example/oauth/callback?tenant=1").is_ok());
/// assert!(check_redirect_uri("http://127.0.0.1:8080/cb").is_ok());
/// assert!(check_redirect_uri("com.example.app:/oauth2redirect").is_ok());
/// assert!(check_redirect_uri("http://app.example/cb").is_err());
/// assert!(check_redirect_uri("https://app.example/cb#x").is_err());
/// assert!(check_redirect_uri("javascript:alert(1)").is_err());
/// ```
pub fn check_redirect_uri(uri: &str) -> Result<(), RedirectUriError> {
    if let Some(c) = uri
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || !c.is_ascii())
    {
        return Err(RedirectUriError::Character(c));
    }
    if uri.contains('#') {
        return Err(RedirectUriError::Fragment);
    }
    let scheme = uri.split_once(':').map_or("", |(scheme, _)| scheme);
    if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        return check_url(uri).map(|_| ()).map_err(RedirectUriError::Url);
    }
    let private_use = scheme.contains('.')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
        && uri.len() > scheme.len() + 1;
    if private_use {
        Ok(())
    } else {
        Err(RedirectUriError::Scheme {
            found: scheme.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted() {
        for url in [
            "https://accounts.google.com/o/oauth2/v2/auth",
            "https://slack.com/api/oauth.v2.access",
            "https://example.com",
            "https://example.com:8443/x?y=1&z",
            "http://localhost:3000/cb",
            "http://[::1]:9/cb",
            "http://127.0.0.1/cb",
            "https://[2001:db8::1]/x",
        ] {
            assert!(check_url(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn refused() {
        let cases: &[(&str, UrlError)] = &[
            ("", UrlError::Empty),
            (" https://a.com", UrlError::Whitespace { index: 0 }),
            ("https://a.com/ x", UrlError::Whitespace { index: 14 }),
            ("https://a.com/\u{e9}", UrlError::Character('\u{e9}')),
            ("/oauth/token", UrlError::NotAbsolute),
            ("accounts.google.com/auth", UrlError::NotAbsolute),
            (
                "ftp://a.com",
                UrlError::Scheme {
                    found: "ftp".into(),
                },
            ),
            (
                "HTTPS://a.com",
                UrlError::Scheme {
                    found: "HTTPS".into(),
                },
            ),
            (
                "http://a.com",
                UrlError::InsecureHttp {
                    host: "a.com".into(),
                },
            ),
            ("https://u:p@a.com", UrlError::UserInfo),
            ("https:///path", UrlError::MissingHost),
            ("https://:80/path", UrlError::MissingHost),
            (
                "https://a..com",
                UrlError::Host {
                    host: "a..com".into(),
                },
            ),
            (
                "https://a_b.com",
                UrlError::Host {
                    host: "a_b.com".into(),
                },
            ),
            (
                "https://1.2.3.256",
                UrlError::Host {
                    host: "1.2.3.256".into(),
                },
            ),
            (
                "https://[::g]/",
                UrlError::Host {
                    host: "[::g]".into(),
                },
            ),
            ("https://a.com:0/", UrlError::Port { port: "0".into() }),
            (
                "https://a.com:65536/",
                UrlError::Port {
                    port: "65536".into(),
                },
            ),
            ("https://a.com:/", UrlError::Port { port: "".into() }),
            ("https://a.com/x#y", UrlError::Fragment),
        ];
        for (url, problem) in cases {
            assert_eq!(check_url(url).as_ref().err(), Some(problem), "{url}");
        }
    }
}
