//! The JWT-bearer connection kind (RFC 7523 §2.1): the `'static` data `#[jwt_bearer_connection]`
//! expands into.

use core::fmt;

use super::client_credentials::TokenEndpoint;
use super::input::{Input, InputError, InputValues, checked_values, fill_url};
use super::oauth2::TokenRequestFormat;

/// The keys of `#[jwt_bearer_connection]`, one field each, named as the keys. Generated code
/// fills it through `connkit::__private`; it is not public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct JwtBearerFields {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub token_url: &'static str,
    pub scopes: &'static [&'static str],
    pub scope_delimiter: &'static str,
    pub claims: &'static [(&'static str, &'static str)],
    pub scope_in_claim: bool,
    pub token_params: &'static [(&'static str, &'static str)],
    pub token_headers: &'static [(&'static str, &'static str)],
    pub token_request_format: TokenRequestFormat,
    pub token_path: Option<&'static str>,
    pub token_metadata: &'static [&'static str],
    pub inputs: &'static [Input],
    pub hosts: &'static [&'static str],
    pub any_host: bool,
}

/// A JWT-bearer connection (RFC 7523 §2.1), as declared with `#[jwt_bearer_connection(...)]`:
/// each token is obtained with an assertion signed by the owner's private key, whose claims the
/// definition declares, and obtained again when it expires. Needs connkit's `jwt` feature.
///
/// ```
/// # #[cfg(feature = "jwt")] {
/// use connkit::definition::InputValues;
///
/// #[connkit::jwt_bearer_connection(
///     id = "google-drive_connection_jwt-bearer",
///     name = "Service account",
///     description = "Google Drive as a service account, for a user of the domain",
///     token_url = "https://oauth2.googleapis.com/token",
///     scopes = ["https://www.googleapis.com/auth/drive.readonly"],
///     scope_in_claim = true,
///     claims = { iss = "{client_email}", sub = "{subject}", aud = "https://oauth2.googleapis.com/token" },
///     inputs = {
///         client_email = { label = "Service account email" },
///         subject = { label = "User to act as" },
///     },
/// )]
/// pub struct GoogleDriveServiceAccount;
///
/// let drive = GoogleDriveServiceAccount::DEFINITION;
/// let values = InputValues::new()
///     .with("client_email", "robot@acme.iam.gserviceaccount.com")
///     .with("subject", "alice@acme.example");
/// let endpoint = drive.endpoints(&values)?;
/// assert_eq!(endpoint.claims()[1], ("sub", "alice@acme.example".to_owned()));
/// # }
/// # Ok::<(), connkit::definition::InputError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct JwtBearerDefinition(JwtBearerFields);

impl fmt::Debug for JwtBearerDefinition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

super::credential::common_accessors!(
    JwtBearerDefinition,
    JwtBearerFields,
    "jwt-bearer",
    "The values the owner supplies when connecting (`{name}` in the token URL, the claims, parameters and headers)."
);

impl JwtBearerDefinition {
    /// The token endpoint as declared.
    pub const fn token_url(&self) -> &'static str {
        self.0.token_url
    }

    /// The declared scopes, in order, without duplicates.
    pub const fn scopes(&self) -> &'static [&'static str] {
        self.0.scopes
    }

    /// The string the scopes are joined with.
    pub const fn scope_delimiter(&self) -> &'static str {
        self.0.scope_delimiter
    }

    /// The scopes joined with the delimiter; `None` when no scope is declared.
    pub fn scope_param(&self) -> Option<String> {
        (!self.0.scopes.is_empty()).then(|| self.0.scopes.join(self.0.scope_delimiter))
    }

    /// The assertion's claims as declared (`iss`, `aud`, often `sub`), with `{input}`
    /// placeholders.
    pub const fn claims(&self) -> &'static [(&'static str, &'static str)] {
        self.0.claims
    }

    /// Whether the scopes go in the assertion's `scope` claim instead of a form field.
    pub const fn scope_in_claim(&self) -> bool {
        self.0.scope_in_claim
    }

    /// Extra fields of the token request, as declared.
    pub const fn token_params(&self) -> &'static [(&'static str, &'static str)] {
        self.0.token_params
    }

    /// Extra headers of the token request, as declared.
    pub const fn token_headers(&self) -> &'static [(&'static str, &'static str)] {
        self.0.token_headers
    }

    /// How the token request carries its fields.
    pub const fn token_request_format(&self) -> TokenRequestFormat {
        self.0.token_request_format
    }

    /// The dot-path of the object in the token response that holds the token, if not the top
    /// level.
    pub const fn token_path(&self) -> Option<&'static str> {
        self.0.token_path
    }

    /// Dot-paths of token response fields copied into the token set's metadata.
    pub const fn token_metadata(&self) -> &'static [&'static str] {
        self.0.token_metadata
    }

    /// The hosts a whole-host input may name.
    pub const fn hosts(&self) -> &'static [&'static str] {
        self.0.hosts
    }

    /// Whether the definition opted out of `hosts` for a whole-host input (`any_host = true`).
    pub const fn any_host(&self) -> bool {
        self.0.any_host
    }

    /// The token endpoint, the claims, and the extra fields and headers, with every `{input}`
    /// filled in from `values` (and the inputs' defaults), each value checked against its
    /// pattern and the position of each placeholder it fills.
    ///
    /// # Errors
    /// [`InputError`] naming the input whose value is missing, unknown or refused.
    pub fn endpoints(&self, values: &InputValues) -> Result<TokenEndpoint, InputError> {
        let fields = &self.0;
        let values = checked_values(fields.id, fields.inputs, values)?;
        let token = fill_url(
            "token_url",
            fields.token_url,
            fields.inputs,
            fields.hosts,
            &values,
        )?;
        Ok(TokenEndpoint::filled(
            token,
            fields.claims,
            fields.token_params,
            fields.token_headers,
            fields.inputs,
            values,
        ))
    }
}
