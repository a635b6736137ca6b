//! The connection settings, as libpq users write them: `key=value` pairs or a
//! `postgresql://` URL. `sslmode` and `sslrootcert` are read here (tokio-postgres knows neither
//! `verify-ca` nor `verify-full`); everything else is tokio-postgres's to read.

use std::path::PathBuf;

/// libpq's `sslmode`, less `allow`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SslMode {
    /// No TLS.
    Disable,
    /// TLS when the server offers it, unverified; plain otherwise (libpq's default).
    Prefer,
    /// TLS, unverified (verified as `verify-ca` when `sslrootcert` is given, as libpq does).
    Require,
    /// TLS, the server's certificate chain verified against the root certificates.
    VerifyCa,
    /// As `verify-ca`, and the certificate names the host connected to.
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<Self, PostgresConfigError> {
        match value {
            "disable" => Ok(Self::Disable),
            "prefer" => Ok(Self::Prefer),
            "require" => Ok(Self::Require),
            "verify-ca" => Ok(Self::VerifyCa),
            "verify-full" => Ok(Self::VerifyFull),
            "allow" => Err(PostgresConfigError::Allow),
            other => Err(PostgresConfigError::SslMode(shown(other))),
        }
    }

    pub(super) const fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }
}

/// Where the certificate authorities that verify the server come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum RootCertificates {
    /// A PEM file of one or more certificates.
    File(PathBuf),
    /// The operating system's store (`sslrootcert=system`).
    System,
}

/// What a configuration says.
#[derive(Debug)]
pub(super) struct Settings {
    /// Everything but TLS, for tokio-postgres (its `ssl_mode` set from `ssl_mode`).
    pub(super) config: tokio_postgres::Config,
    pub(super) ssl_mode: SslMode,
    /// `sslrootcert`, or for `verify-*` libpq's default `~/.postgresql/root.crt` where it exists.
    pub(super) root: Option<RootCertificates>,
}

/// Why a PostgreSQL configuration is refused. No variant quotes a value that could be a
/// password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PostgresConfigError {
    /// Neither libpq `key=value` pairs nor a `postgresql://` URL that can be read.
    #[error(
        "the PostgreSQL configuration cannot be read: write libpq key=value pairs (host=... port=... user=... dbname=...) or a postgresql:// URL"
    )]
    Syntax,
    /// An `sslmode` libpq does not know.
    #[error("sslmode={0} is not one of disable, prefer, require, verify-ca, verify-full")]
    SslMode(String),
    /// `sslmode=allow`, which tries a plain connection first.
    #[error(
        "sslmode=allow (a plain connection first, TLS only if the server insists) is not supported; use prefer, require, verify-ca or verify-full"
    )]
    Allow,
    /// A TLS option connkit does not support (client certificates, revocation lists).
    #[error(
        "the PostgreSQL option {0} is not supported (connkit authenticates no client certificate)"
    )]
    Unsupported(String),
    /// `verify-ca` or `verify-full` with no root certificate to verify with.
    #[error(
        "sslmode={0} verifies the server, but there is no root certificate: set sslrootcert to the certificate authority's PEM file, or sslrootcert=system"
    )]
    NoRootCertificate(&'static str),
    /// The root certificates could not be read.
    #[error("the root certificates {source_name} cannot be used: {reason}")]
    RootCertificate {
        /// The file, or `system`.
        source_name: String,
        /// Why.
        reason: String,
    },
    /// The TLS configuration could not be built.
    #[error("the TLS configuration for PostgreSQL cannot be built: {0}")]
    Tls(String),
}

/// A value shown in an error: a short word, or nothing of it.
fn shown(value: &str) -> String {
    let plain = value.len() <= 32
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain {
        value.to_owned()
    } else {
        "(a value)".to_owned()
    }
}

/// The TLS options connkit refuses rather than ignores.
const UNSUPPORTED: &[&str] = &[
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcrl",
    "sslcrldir",
    "sslcertmode",
];

/// Reads a configuration.
pub(super) fn parse(text: &str) -> Result<Settings, PostgresConfigError> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    parse_with_home(text, home.as_deref())
}

/// [`parse`], with libpq's default root certificate file looked for under `home`.
fn parse_with_home(
    text: &str,
    home: Option<&std::path::Path>,
) -> Result<Settings, PostgresConfigError> {
    let trimmed = text.trim();
    let url_form = trimmed.starts_with("postgresql://") || trimmed.starts_with("postgres://");
    let (rest, ssl_mode, root_cert) = if url_form {
        split_url(trimmed)?
    } else {
        split_pairs(trimmed)?
    };
    let ssl_mode = ssl_mode
        .as_deref()
        .map_or(Ok(SslMode::Prefer), SslMode::parse)?;
    let mut config: tokio_postgres::Config =
        rest.parse().map_err(|_| PostgresConfigError::Syntax)?;
    config.ssl_mode(match ssl_mode {
        SslMode::Disable => tokio_postgres::config::SslMode::Disable,
        SslMode::Prefer => tokio_postgres::config::SslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
            tokio_postgres::config::SslMode::Require
        }
    });
    let root = match root_cert.as_deref() {
        Some("system") => Some(RootCertificates::System),
        Some(path) => Some(RootCertificates::File(PathBuf::from(path))),
        None => default_root(ssl_mode, home),
    };
    if root.is_none() && matches!(ssl_mode, SslMode::VerifyCa | SslMode::VerifyFull) {
        return Err(PostgresConfigError::NoRootCertificate(ssl_mode.as_str()));
    }
    Ok(Settings {
        config,
        ssl_mode,
        root,
    })
}

/// libpq's default root certificate file, `~/.postgresql/root.crt`, where it exists and the
/// mode verifies.
fn default_root(mode: SslMode, home: Option<&std::path::Path>) -> Option<RootCertificates> {
    if !matches!(mode, SslMode::VerifyCa | SslMode::VerifyFull) {
        return None;
    }
    let file = home?.join(".postgresql/root.crt");
    file.is_file().then_some(RootCertificates::File(file))
}

type Split = (String, Option<String>, Option<String>);

/// A `postgresql://` URL without its `sslmode` and `sslrootcert` parameters, and their values.
fn split_url(text: &str) -> Result<Split, PostgresConfigError> {
    let mut url = url::Url::parse(text).map_err(|_| PostgresConfigError::Syntax)?;
    let (mut ssl_mode, mut root_cert, mut kept) = (None, None, Vec::new());
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "sslmode" => ssl_mode = Some(value.into_owned()),
            "sslrootcert" => root_cert = Some(value.into_owned()),
            key if UNSUPPORTED.contains(&key) => {
                return Err(PostgresConfigError::Unsupported(key.to_owned()));
            }
            _ => kept.push((key.into_owned(), value.into_owned())),
        }
    }
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok((url.into(), ssl_mode, root_cert))
}

/// libpq `key=value` pairs without `sslmode` and `sslrootcert`, and their values.
fn split_pairs(text: &str) -> Result<Split, PostgresConfigError> {
    let (mut ssl_mode, mut root_cert, mut kept) = (None, None, Vec::new());
    for (key, value) in pairs(text)? {
        match key.as_str() {
            "sslmode" => ssl_mode = Some(value),
            "sslrootcert" => root_cert = Some(value),
            key if UNSUPPORTED.contains(&key) => {
                return Err(PostgresConfigError::Unsupported(key.to_owned()));
            }
            _ => kept.push(format!(
                "{key}='{}'",
                value.replace('\\', "\\\\").replace('\'', "\\'")
            )),
        }
    }
    Ok((kept.join(" "), ssl_mode, root_cert))
}

/// libpq's `key = value` pairs: whitespace between pairs and around `=`, a value either bare
/// (up to whitespace) or single-quoted with `\'` and `\\` escapes.
fn pairs(text: &str) -> Result<Vec<(String, String)>, PostgresConfigError> {
    let mut pairs = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if key.is_empty() || chars.next() != Some('=') {
            return Err(PostgresConfigError::Syntax);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\'') => break,
                    Some('\\') => value.push(chars.next().ok_or(PostgresConfigError::Syntax)?),
                    Some(c) => value.push(c),
                    None => return Err(PostgresConfigError::Syntax),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.push(chars.next().ok_or(PostgresConfigError::Syntax)?);
                } else {
                    value.push(c);
                }
            }
        }
        pairs.push((key, value));
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic here is a failed test.
    use super::*;

    fn settings(text: &str) -> Settings {
        parse_with_home(text, None).unwrap()
    }

    #[test]
    fn pairs_read_as_libpq_reads_them() {
        assert_eq!(
            pairs(" host = 127.0.0.1  password='it''s' user=a\\ b dbname='x \\'y\\' \\\\'")
                .unwrap_err()
                .to_string(),
            PostgresConfigError::Syntax.to_string(),
            "'' is not an escape in libpq"
        );
        assert_eq!(
            pairs(" host = 127.0.0.1  user=a\\ b dbname='x \\'y\\' \\\\' port=5432").unwrap(),
            [
                ("host".to_owned(), "127.0.0.1".to_owned()),
                ("user".to_owned(), "a b".to_owned()),
                ("dbname".to_owned(), "x 'y' \\".to_owned()),
                ("port".to_owned(), "5432".to_owned()),
            ]
        );
        for bad in ["host", "=x", "host='open", "host=\\"] {
            assert!(
                matches!(pairs(bad), Err(PostgresConfigError::Syntax)),
                "{bad}"
            );
        }
        assert!(pairs("").unwrap().is_empty());
    }

    #[test]
    fn ssl_options_are_read_here_and_the_rest_by_tokio_postgres() {
        let read = settings(
            "host=db.example port=6543 user=app dbname=connkit password='p w' sslmode=verify-full sslrootcert=/etc/ca.pem",
        );
        assert_eq!(read.ssl_mode, SslMode::VerifyFull);
        assert_eq!(
            read.root,
            Some(RootCertificates::File(PathBuf::from("/etc/ca.pem")))
        );
        assert_eq!(read.config.get_user(), Some("app"));
        assert_eq!(read.config.get_dbname(), Some("connkit"));
        assert_eq!(read.config.get_ports(), [6543]);
        assert_eq!(read.config.get_password(), Some(&b"p w"[..]));
        assert_eq!(
            read.config.get_ssl_mode(),
            tokio_postgres::config::SslMode::Require
        );

        let url = settings(
            "postgresql://app:secret@db.example:6543/connkit?sslmode=verify-ca&sslrootcert=system&application_name=x",
        );
        assert_eq!(url.ssl_mode, SslMode::VerifyCa);
        assert_eq!(url.root, Some(RootCertificates::System));
        assert_eq!(url.config.get_application_name(), Some("x"));
        assert_eq!(url.config.get_password(), Some(&b"secret"[..]));

        let default = settings("host=127.0.0.1 user=connkit");
        assert_eq!(default.ssl_mode, SslMode::Prefer, "libpq's default");
        assert_eq!(
            default.config.get_ssl_mode(),
            tokio_postgres::config::SslMode::Prefer
        );
        assert_eq!(
            settings("host=127.0.0.1 sslmode=disable")
                .config
                .get_ssl_mode(),
            tokio_postgres::config::SslMode::Disable
        );
    }

    #[test]
    fn what_cannot_be_honoured_is_refused_by_name_without_quoting_secrets() {
        let error = |text: &str| parse_with_home(text, None).unwrap_err().to_string();
        assert_eq!(
            error("host=x sslmode=verify"),
            "sslmode=verify is not one of disable, prefer, require, verify-ca, verify-full"
        );
        assert!(error("host=x sslmode=allow").starts_with("sslmode=allow"));
        assert_eq!(
            error("host=x sslmode='hunter2 secret'"),
            "sslmode=(a value) is not one of disable, prefer, require, verify-ca, verify-full"
        );
        // libpq's default file, where it exists.
        let home = std::env::temp_dir().join(format!("connkit-pg-home-{}", std::process::id()));
        std::fs::create_dir_all(home.join(".postgresql")).unwrap();
        std::fs::write(home.join(".postgresql/root.crt"), "").unwrap();
        let defaulted = parse_with_home("host=x sslmode=verify-full", Some(&home)).unwrap();
        assert_eq!(
            defaulted.root,
            Some(RootCertificates::File(home.join(".postgresql/root.crt")))
        );
        std::fs::remove_dir_all(&home).unwrap();
        assert!(error("host=x sslcert=/c.pem").contains("option sslcert is not supported"));
        assert!(error("postgresql://x/db?sslkey=/k.pem").contains("option sslkey"));
        for unverifiable in ["host=x sslmode=verify-full", "host=x sslmode=verify-ca"] {
            // No sslrootcert, and no ~/.postgresql/root.crt.
            assert!(
                error(unverifiable)
                    .contains("verifies the server, but there is no root certificate"),
                "{unverifiable}"
            );
        }
        let garbled = error("host=x password='hunter2");
        assert!(!garbled.contains("hunter2"), "{garbled}");
        let unknown = error("host=x password=hunter2 frobnicate=1");
        assert!(!unknown.contains("hunter2"), "{unknown}");
    }
}
