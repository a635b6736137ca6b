//! Client credentials read from the environment at call time.

use core::fmt;

/// A client credential could not be read from its environment variable. The message names the
/// variable, never its value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnvError {
    /// The variable is not set.
    #[error("environment variable {variable} is not set")]
    Missing {
        /// The variable's name.
        variable: &'static str,
    },
    /// The variable is set to the empty string (or only whitespace).
    #[error("environment variable {variable} is set but empty")]
    Empty {
        /// The variable's name.
        variable: &'static str,
    },
    /// The variable's value is not valid UTF-8.
    #[error("environment variable {variable} is not valid UTF-8")]
    NotUnicode {
        /// The variable's name.
        variable: &'static str,
    },
}

impl EnvError {
    /// The variable that could not be read.
    pub fn variable(&self) -> &'static str {
        match self {
            Self::Missing { variable }
            | Self::Empty { variable }
            | Self::NotUnicode { variable } => variable,
        }
    }
}

pub(crate) fn read_env(variable: &'static str) -> Result<String, EnvError> {
    match std::env::var(variable) {
        Ok(value) if value.trim().is_empty() => Err(EnvError::Empty { variable }),
        Ok(value) => Ok(value),
        Err(std::env::VarError::NotPresent) => Err(EnvError::Missing { variable }),
        Err(std::env::VarError::NotUnicode(_)) => Err(EnvError::NotUnicode { variable }),
    }
}

/// An OAuth2 client id. Not a secret: it appears in authorize URLs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    /// Wraps a client id.
    pub fn new(client_id: impl Into<String>) -> Self {
        Self(client_id.into())
    }

    /// The client id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An OAuth2 client secret. `Debug` and `Display` print `[redacted]`; the value is reachable
/// only through [`ClientSecret::expose_secret`].
///
/// ```
/// let secret = connkit::ClientSecret::new("hunter2");
/// assert_eq!(format!("{secret:?} {secret}"), "ClientSecret([redacted]) [redacted]");
/// assert_eq!(secret.expose_secret(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Wraps a client secret.
    pub fn new(client_secret: impl Into<String>) -> Self {
        Self(client_secret.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientSecret([redacted])")
    }
}

impl fmt::Display for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}
