//! The connection kinds whose credential the end user types in: an API key, a username and
//! password, or a key pair. Their definitions are `'static` data like OAuth2's; the credentials
//! are redacted secrets, and a stored connection keeps them sealed.

use core::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use super::input::Input;
use crate::secret::{ApiKey, Password, PrivateKey};

/// Fields shared by the kinds below. Generated code fills them through `connkit::__private`;
/// they are not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct ApiKeyFields {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub inputs: &'static [Input],
    pub header: Option<&'static str>,
    pub prefix: &'static str,
    pub query: Option<&'static str>,
}

/// The fields of `#[basic_auth_connection]` (not public API).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct BasicAuthFields {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub inputs: &'static [Input],
}

/// The fields of `#[key_pair_connection]` (not public API).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct KeyPairFields {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub inputs: &'static [Input],
}

/// Where an API key goes in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyPlacement {
    /// In the header `name`, after `prefix` (`Authorization: Bearer <key>`, `X-Api-Key: <key>`).
    Header {
        /// The header name.
        name: &'static str,
        /// The text before the key, possibly empty.
        prefix: &'static str,
    },
    /// In the query parameter `name`.
    Query {
        /// The parameter name.
        name: &'static str,
    },
}

/// A credential could not be put on a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlacementError {
    /// The credential holds characters a header value cannot (a line break, say). The value is
    /// not repeated.
    #[error(
        "the credential cannot be sent in the {header} header: it holds characters a header value cannot"
    )]
    HeaderValue {
        /// The header.
        header: &'static str,
    },
    /// A basic-auth username with a colon, which RFC 7617 cannot carry.
    #[error("a basic-auth username cannot contain ':'")]
    UsernameColon,
    /// The request's URI could not take the query parameter.
    #[error("the request's URI cannot take the {name} query parameter")]
    Uri {
        /// The parameter.
        name: &'static str,
    },
}

/// An API-key connection, as declared with `#[api_key_connection(...)]`.
///
/// ```
/// #[connkit::api_key_connection(
///     id = "openai_connection_api-key",
///     name = "API key",
///     description = "Connect with an OpenAI API key",
///     header = "Authorization",
///     prefix = "Bearer ",
/// )]
/// struct OpenAiApiKey;
///
/// let mut request = http::Request::get("https://api.openai.com/v1/models").body(())?;
/// OpenAiApiKey::DEFINITION.authorize(&mut request, &connkit::secret::ApiKey::new("sk-123"))?;
/// assert_eq!(request.headers()["authorization"], "Bearer sk-123");
/// assert!(request.headers()["authorization"].is_sensitive());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiKeyDefinition(ApiKeyFields);

/// A username-and-password connection (HTTP Basic), as declared with
/// `#[basic_auth_connection(...)]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasicAuthDefinition(BasicAuthFields);

/// A public-and-private-key connection, as declared with `#[key_pair_connection(...)]`. The app
/// signs its requests with the key pair itself (each provider has its own scheme).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPairDefinition(KeyPairFields);

/// The accessors every connection kind's definition has (`from_fields`, `id`, `name`,
/// `description`, `inputs`, `app_id`), `$inputs` saying what its inputs are for.
macro_rules! common_accessors {
    ($definition:ident, $fields:ident, $kind:literal) => {
        common_accessors!(
            $definition,
            $fields,
            $kind,
            "Values the end user supplies when connecting, besides the credential (read by the app, such as a subdomain)."
        );
    };
    ($definition:ident, $fields:ident, $kind:literal, $inputs:literal) => {
        impl $definition {
            /// Wraps checked fields; called by generated code through `connkit::__private`.
            pub(crate) const fn from_fields(fields: $fields) -> Self {
                Self(fields)
            }

            #[doc = concat!("The connection id, `<app-id>_connection_", $kind, "[-<variant>]`.")]
            pub const fn id(&self) -> &'static str {
                self.0.id
            }

            /// The display name.
            pub const fn name(&self) -> &'static str {
                self.0.name
            }

            /// The description.
            pub const fn description(&self) -> &'static str {
                self.0.description
            }

            #[doc = $inputs]
            pub const fn inputs(&self) -> &'static [Input] {
                self.0.inputs
            }

            /// The id of the app this connection belongs to (the part before `_connection_`).
            pub fn app_id(&self) -> &'static str {
                connkit_rules::id::connection_app_id(self.0.id).unwrap_or(self.0.id)
            }
        }
    };
}

pub(crate) use common_accessors;

common_accessors!(ApiKeyDefinition, ApiKeyFields, "api-key");
common_accessors!(BasicAuthDefinition, BasicAuthFields, "basic-auth");
common_accessors!(KeyPairDefinition, KeyPairFields, "key-pair");

impl ApiKeyDefinition {
    /// Where the key goes.
    pub const fn placement(&self) -> KeyPlacement {
        match (self.0.header, self.0.query) {
            (_, Some(name)) => KeyPlacement::Query { name },
            (Some(name), None) => KeyPlacement::Header {
                name,
                prefix: self.0.prefix,
            },
            // The macro requires one of the two; a stand-in has neither.
            (None, None) => KeyPlacement::Header {
                name: "Authorization",
                prefix: "",
            },
        }
    }

    /// Puts `key` on `request` where the definition says (a header marked sensitive, or a
    /// query parameter appended to the URI).
    ///
    /// # Errors
    /// [`PlacementError`] when the key cannot be a header value or the URI cannot take it.
    pub fn authorize<B>(
        &self,
        request: &mut http::Request<B>,
        key: &ApiKey,
    ) -> Result<(), PlacementError> {
        match self.placement() {
            KeyPlacement::Header { name, prefix } => {
                let value = format!("{prefix}{}", key.expose_secret());
                set_sensitive_header(request, name, &value)
            }
            KeyPlacement::Query { name } => {
                let uri = request.uri().to_string();
                let mut url = url::Url::parse(&uri).map_err(|_| PlacementError::Uri { name })?;
                url.query_pairs_mut().append_pair(name, key.expose_secret());
                *request.uri_mut() = url
                    .as_str()
                    .parse()
                    .map_err(|_| PlacementError::Uri { name })?;
                Ok(())
            }
        }
    }
}

impl BasicAuthDefinition {
    /// Puts `credentials` on `request` as `Authorization: Basic ...` (RFC 7617: the UTF-8
    /// username, a colon and the password, base64), marked sensitive.
    ///
    /// ```
    /// #[connkit::basic_auth_connection(
    ///     id = "jira_connection_basic-auth",
    ///     name = "Email and API token",
    ///     description = "Connect with your email and an API token",
    ///     inputs = { site = { label = "Site (the part before .atlassian.net)", pattern = "[a-z0-9-]+" } },
    /// )]
    /// struct JiraBasic;
    ///
    /// let credentials = connkit::definition::BasicCredentials::new(
    ///     "me@example.com",
    ///     connkit::secret::Password::new("token"),
    /// );
    /// let mut request = http::Request::get("https://acme.atlassian.net/rest/api/3/myself").body(())?;
    /// JiraBasic::DEFINITION.authorize(&mut request, &credentials)?;
    /// assert_eq!(request.headers()["authorization"], "Basic bWVAZXhhbXBsZS5jb206dG9rZW4=");
    /// assert_eq!(format!("{credentials:?}"), r#"BasicCredentials { username: "me@example.com", password: Password([redacted]) }"#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`PlacementError::UsernameColon`] for a username with a colon.
    pub fn authorize<B>(
        &self,
        request: &mut http::Request<B>,
        credentials: &BasicCredentials,
    ) -> Result<(), PlacementError> {
        if credentials.username.contains(':') {
            return Err(PlacementError::UsernameColon);
        }
        let pair = format!(
            "{}:{}",
            credentials.username,
            credentials.password.expose_secret()
        );
        let value = format!("Basic {}", STANDARD.encode(pair));
        set_sensitive_header(request, "Authorization", &value)
    }
}

fn set_sensitive_header<B>(
    request: &mut http::Request<B>,
    name: &'static str,
    value: &str,
) -> Result<(), PlacementError> {
    let error = || PlacementError::HeaderValue { header: name };
    let name = http::HeaderName::from_bytes(name.as_bytes()).map_err(|_| error())?;
    let mut value = http::HeaderValue::from_str(value).map_err(|_| error())?;
    value.set_sensitive(true);
    request.headers_mut().insert(name, value);
    Ok(())
}

/// The username and password of a basic-auth connection. `Debug` shows the username only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BasicCredentials {
    /// The username (RFC 7617: no colon).
    pub username: String,
    /// The password.
    pub password: Password,
}

impl BasicCredentials {
    /// A username and its password.
    ///
    /// ```
    /// let credentials = connkit::definition::BasicCredentials::new("me@example.com", connkit::secret::Password::new("pw"));
    /// assert_eq!(credentials.username, "me@example.com");
    /// ```
    #[must_use]
    pub fn new(username: impl Into<String>, password: Password) -> Self {
        Self {
            username: username.into(),
            password,
        }
    }
}

impl fmt::Debug for BasicCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicCredentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

/// The public and private key of a key-pair connection. `Debug` shows the public key only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KeyPair {
    /// The public key (or key id), as the provider issued it.
    pub public_key: String,
    /// The private key.
    pub private_key: PrivateKey,
}

impl KeyPair {
    /// A public key (or key id) and its private key.
    #[must_use]
    pub fn new(public_key: impl Into<String>, private_key: PrivateKey) -> Self {
        Self {
            public_key: public_key.into(),
            private_key,
        }
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("public_key", &self.public_key)
            .field("private_key", &self.private_key)
            .finish()
    }
}
