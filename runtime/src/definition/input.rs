//! Connection inputs: the values an end user supplies when connecting (a shop name, a tenant, a
//! self-hosted server), declared with the key `inputs` and placed into URLs, parameters and
//! headers as `{name}`.
//!
//! Before a value is placed it is checked against the input's `pattern` and against the
//! position of each placeholder it fills (see [`connkit_rules::template`]): a host label takes
//! letters, digits and `-` only; a whole host takes a DNS name the definition's `hosts` allows;
//! a path segment or query value is percent-encoded. Errors name the input, never its value.

use std::collections::BTreeMap;
use std::fmt;

use connkit_rules::template::{
    Pattern, Piece, Position, ValueError, check_value, classify_url, encode_component,
    host_matches, parse_template,
};
use serde::{Deserialize, Serialize};
use url::Url;

/// One declared input's fields. Generated code fills it through `connkit::__private`; it is not
/// public API.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct InputFields {
    pub name: &'static str,
    pub label: &'static str,
    pub pattern: Option<&'static str>,
    pub default: Option<&'static str>,
    pub secret: bool,
    pub allow_port: bool,
}

/// A value the end user supplies when connecting, as declared in a definition's `inputs`.
///
/// ```
/// #[connkit::oauth2_connection(
///     id = "shopify_connection_oauth2", name = "OAuth2", description = "Shopify",
///     inputs = { shop = { label = "Shop name", pattern = "[a-z0-9][a-z0-9-]*" } },
///     authorize_url = "https://{shop}.myshopify.com/admin/oauth/authorize",
///     token_url = "https://{shop}.myshopify.com/admin/oauth/access_token",
///     scopes = ["read_products"],
/// )]
/// struct ShopifyOAuth2;
///
/// let shop = &ShopifyOAuth2::DEFINITION.inputs()[0];
/// assert_eq!((shop.name(), shop.label()), ("shop", "Shop name"));
/// assert_eq!(shop.pattern(), Some("[a-z0-9][a-z0-9-]*"));
/// assert!(!shop.secret());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Input(InputFields);

impl Input {
    /// Wraps checked fields; called by generated code through `connkit::__private`.
    pub(crate) const fn from_fields(fields: InputFields) -> Self {
        Self(fields)
    }

    /// The name, as written in placeholders (`{shop}`).
    pub const fn name(&self) -> &'static str {
        self.0.name
    }

    /// The label to show the end user.
    pub const fn label(&self) -> &'static str {
        self.0.label
    }

    /// The regular expression (regex-lite syntax) the whole value must match, if any.
    pub const fn pattern(&self) -> Option<&'static str> {
        self.0.pattern
    }

    /// The value used when none is given, if any.
    pub const fn default(&self) -> Option<&'static str> {
        self.0.default
    }

    /// Whether the value is a secret: never shown, sealed when stored.
    pub const fn secret(&self) -> bool {
        self.0.secret
    }

    /// Whether a whole-host value may carry a `:port`.
    pub const fn allow_port(&self) -> bool {
        self.0.allow_port
    }
}

/// The values given for a connection's inputs, by name. `Debug` shows the names only: a value
/// may be a secret.
///
/// ```
/// use connkit::definition::InputValues;
/// let values = InputValues::new().with("shop", "acme");
/// assert_eq!(values.get("shop"), Some("acme"));
/// assert_eq!(format!("{values:?}"), r#"InputValues(["shop"])"#);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InputValues(BTreeMap<String, String>);

impl InputValues {
    /// No values.
    pub fn new() -> Self {
        Self::default()
    }

    /// These values and `name = value` (replacing an earlier value of `name`).
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(name, value);
        self
    }

    /// Sets `name = value`, replacing an earlier value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), value.into());
    }

    /// The value of `name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Whether no value is given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names given, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl fmt::Debug for InputValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("InputValues")
            .field(&self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for InputValues {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        Self(
            iter.into_iter()
                .map(|(name, value)| (name.into(), value.into()))
                .collect(),
        )
    }
}

/// An input value is refused. No variant carries the value: it may be a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A declared input without a default has no value.
    #[error("the input `{input}` ({label}) needs a value")]
    Missing {
        /// The input's name.
        input: &'static str,
        /// Its label.
        label: &'static str,
    },
    /// A value was given for a name the definition does not declare.
    #[error("`{input}` is not an input of {connection}")]
    Unknown {
        /// The name given.
        input: String,
        /// The connection's id.
        connection: &'static str,
    },
    /// The value does not match the input's pattern.
    #[error("the value of `{input}` ({label}) does not match its pattern {pattern:?}")]
    Pattern {
        /// The input's name.
        input: &'static str,
        /// Its label.
        label: &'static str,
        /// The pattern.
        pattern: &'static str,
    },
    /// The value cannot be placed where the input's placeholder is.
    #[error("the value of `{input}` cannot be {position}: {problem}")]
    Position {
        /// The input's name.
        input: &'static str,
        /// Where its placeholder is.
        position: Position,
        /// Why the value is refused there.
        problem: ValueError,
    },
    /// The URL made from the values does not parse (a bug: the guard should have refused the
    /// value first).
    #[error("the {key} made from the inputs is not a valid URL")]
    Url {
        /// The URL key.
        key: &'static str,
    },
}

/// Checks `values` against `inputs`: no unknown name, every input without a default given,
/// each value matching its pattern and free of control characters. Returns every input's value
/// (defaults filled in), by name.
pub(crate) fn checked_values(
    connection: &'static str,
    inputs: &'static [Input],
    values: &InputValues,
) -> Result<BTreeMap<&'static str, String>, InputError> {
    if let Some(unknown) = values
        .names()
        .find(|name| !inputs.iter().any(|input| input.name() == *name))
    {
        return Err(InputError::Unknown {
            input: unknown.to_owned(),
            connection,
        });
    }
    let mut checked = BTreeMap::new();
    for input in inputs {
        let value = match (values.get(input.name()), input.default()) {
            (Some(value), _) => value,
            (None, Some(default)) => default,
            (None, None) => {
                return Err(InputError::Missing {
                    input: input.name(),
                    label: input.label(),
                });
            }
        };
        check_value(Position::Text, value, false, &[]).map_err(|problem| InputError::Position {
            input: input.name(),
            position: Position::Text,
            problem,
        })?;
        if let Some(pattern) = input.pattern() {
            // The pattern compiled at compile time with the same regex-lite; a pattern that
            // did not compile here would refuse every value rather than accept any.
            let matches = Pattern::new(pattern).is_ok_and(|compiled| compiled.matches(value));
            if !matches {
                return Err(InputError::Pattern {
                    input: input.name(),
                    label: input.label(),
                    pattern,
                });
            }
        }
        checked.insert(input.name(), value.to_owned());
    }
    Ok(checked)
}

fn input_named(inputs: &'static [Input], name: &str) -> Option<&'static Input> {
    inputs.iter().find(|input| input.name() == name)
}

/// The URL template `template` (the key `key`) with every placeholder filled from `values`, each
/// checked for its position.
pub(crate) fn fill_url(
    key: &'static str,
    template: &'static str,
    inputs: &'static [Input],
    hosts: &'static [&'static str],
    values: &BTreeMap<&'static str, String>,
) -> Result<Url, InputError> {
    let broken = || InputError::Url { key };
    let placed = classify_url(template, hosts).map_err(|_| broken())?;
    let pieces = parse_template(template).map_err(|_| broken())?;
    let mut out = String::with_capacity(template.len());
    let mut next_placed = placed.iter();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(name) => {
                let spot = next_placed.next().ok_or_else(broken)?;
                let input = input_named(inputs, name).ok_or_else(broken)?;
                let value = values.get(name).ok_or_else(broken)?;
                check_value(spot.position, value, input.allow_port(), hosts).map_err(
                    |problem| InputError::Position {
                        input: input.name(),
                        position: spot.position,
                        problem,
                    },
                )?;
                match spot.position {
                    Position::Host | Position::HostLabel => {
                        out.push_str(&value.to_ascii_lowercase());
                    }
                    Position::PathSegment | Position::QueryValue | Position::Text => {
                        out.push_str(&encode_component(value));
                    }
                }
            }
        }
    }
    let url = Url::parse(&out).map_err(|_| broken())?;
    // A value that chose the domain (a whole host, or one of its last two labels) must give a
    // host `hosts` lists, when it lists any.
    if let Some(spot) = placed.iter().find(|spot| spot.chooses_domain)
        && !hosts.is_empty()
    {
        let host = url.host_str().unwrap_or_default();
        let with_port = url.port().map(|port| format!("{host}:{port}"));
        let allowed = hosts.iter().any(|entry| {
            host_matches(entry, host)
                || with_port
                    .as_deref()
                    .is_some_and(|hp| host_matches(entry, hp))
        });
        if !allowed {
            return Err(InputError::Position {
                input: input_named(inputs, spot.name).map_or("", |input| input.name()),
                position: spot.position,
                problem: ValueError::HostNotAllowed,
            });
        }
    }
    Ok(url)
}

/// The parameter or header value template `template` with every placeholder filled from
/// `values` (already checked: no control characters).
pub(crate) fn fill_text(template: &'static str, values: &BTreeMap<&'static str, String>) -> String {
    let Ok(pieces) = parse_template(template) else {
        return template.to_owned();
    };
    let mut out = String::with_capacity(template.len());
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(name) => out.push_str(values.get(name).map_or("", String::as_str)),
        }
    }
    out
}

/// `values` checked against the inputs of `definition` (any kind), defaults filled in: what a
/// stored credential keeps.
#[cfg(feature = "store")]
pub(crate) fn checked_input_values(
    definition: super::ConnectionDefinition,
    values: &InputValues,
) -> Result<InputValues, InputError> {
    let checked = checked_values(definition.id(), definition.inputs(), values)?;
    Ok(checked
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value))
        .collect())
}
