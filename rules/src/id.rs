//! App ids, connection ids (`<app-id>_connection_<kind>[-<variant>]`) and action/trigger ids
//! (`<app-id>_action_<name>`, `<app-id>_trigger_<name>`).

use core::fmt;

use crate::bytes_match_at;

/// The marker between the app id and the connection kind in a connection id.
pub const CONNECTION_MARKER: &str = "_connection_";

/// The kind part of an OAuth2 connection id.
pub const OAUTH2_KIND: &str = "oauth2";
/// The kind part of an API-key connection id.
pub const API_KEY_KIND: &str = "api-key";
/// The kind part of a basic-auth (username and password) connection id.
pub const BASIC_AUTH_KIND: &str = "basic-auth";
/// The kind part of a key-pair (public and private key) connection id.
pub const KEY_PAIR_KIND: &str = "key-pair";
/// The kind part of a client-credentials connection id (RFC 6749 §4.4: a token for the
/// client itself, obtained again when it expires).
pub const CLIENT_CREDENTIALS_KIND: &str = "client-credentials";
/// The kind part of a JWT-bearer connection id (RFC 7523 §2.1: a token obtained with an
/// assertion signed by the owner's key, obtained again when it expires).
pub const JWT_BEARER_KIND: &str = "jwt-bearer";

/// The kinds whose stored connections hold a token set from a token endpoint (the others hold
/// a credential the end user typed in).
pub const TOKEN_KINDS: &[&str] = &[OAUTH2_KIND, CLIENT_CREDENTIALS_KIND, JWT_BEARER_KIND];

/// The token kinds whose token is obtained again when it expires, rather than refreshed.
pub const OBTAINED_AGAIN_KINDS: &[&str] = &[CLIENT_CREDENTIALS_KIND, JWT_BEARER_KIND];

/// The kind part of a connection id's `<kind>[-<variant>]` among `kinds`: the longest kind the
/// text starts with, followed by nothing or by `-`.
///
/// ```
/// use connkit_rules::id::{kind_among, TOKEN_KINDS};
/// assert_eq!(kind_among("client-credentials-eu", TOKEN_KINDS), Some("client-credentials"));
/// assert_eq!(kind_among("oauth2", TOKEN_KINDS), Some("oauth2"));
/// assert_eq!(kind_among("oauth2x", TOKEN_KINDS), None);
/// assert_eq!(kind_among("api-key", TOKEN_KINDS), None);
/// ```
pub fn kind_among(kind_and_variant: &str, kinds: &[&'static str]) -> Option<&'static str> {
    kinds
        .iter()
        .copied()
        .filter(|kind| {
            kind_and_variant
                .strip_prefix(kind)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('-'))
        })
        .max_by_key(|kind| kind.len())
}

/// Whether `s` is lowercase kebab-case, `[a-z0-9]+(-[a-z0-9]+)*` (the shape of app ids and
/// of action/trigger names).
///
/// ```
/// assert!(connkit_rules::id::is_lower_kebab("google-sheets"));
/// assert!(!connkit_rules::id::is_lower_kebab("GoogleSheets"));
/// ```
pub const fn is_lower_kebab(s: &str) -> bool {
    kebab_problem_at(s.as_bytes(), false).is_none()
}

/// Whether `s` is a valid connection variant, `[A-Za-z0-9]+(-[A-Za-z0-9]+)*` (Lecca shipped
/// regional variants such as `US`).
pub const fn is_variant(s: &str) -> bool {
    kebab_problem_at(s.as_bytes(), true).is_none()
}

/// What makes a string fail the kebab-case shape.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KebabProblem {
    /// The string is empty.
    Empty,
    /// A character outside the allowed set.
    Character(char),
    /// The string starts with `-`.
    LeadingHyphen,
    /// The string ends with `-`.
    TrailingHyphen,
    /// Two hyphens in a row.
    DoubleHyphen,
}

impl fmt::Display for KebabProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("it is empty"),
            Self::Character(c) if c.is_ascii_uppercase() => {
                write!(f, "uppercase letter '{c}' is not allowed")
            }
            Self::Character(c) => write!(f, "character {c:?} is not allowed"),
            Self::LeadingHyphen => f.write_str("it starts with '-'"),
            Self::TrailingHyphen => f.write_str("it ends with '-'"),
            Self::DoubleHyphen => f.write_str("it has two '-' in a row"),
        }
    }
}

/// Byte-level kebab check; `Some(problem)` names the first violation.
const fn kebab_problem_at(bytes: &[u8], uppercase_allowed: bool) -> Option<KebabProblemKind> {
    if bytes.is_empty() {
        return Some(KebabProblemKind::Empty);
    }
    let mut i = 0;
    let mut after_hyphen = false;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'-' {
            if i == 0 {
                return Some(KebabProblemKind::LeadingHyphen);
            }
            if after_hyphen {
                return Some(KebabProblemKind::DoubleHyphen);
            }
            after_hyphen = true;
        } else if byte.is_ascii_lowercase()
            || byte.is_ascii_digit()
            || (uppercase_allowed && byte.is_ascii_uppercase())
        {
            after_hyphen = false;
        } else {
            return Some(KebabProblemKind::Character(i));
        }
        i += 1;
    }
    if after_hyphen {
        return Some(KebabProblemKind::TrailingHyphen);
    }
    None
}

#[derive(Clone, Copy)]
enum KebabProblemKind {
    Empty,
    Character(usize),
    LeadingHyphen,
    TrailingHyphen,
    DoubleHyphen,
}

fn kebab_problem(s: &str, uppercase_allowed: bool) -> Option<KebabProblem> {
    Some(match kebab_problem_at(s.as_bytes(), uppercase_allowed)? {
        KebabProblemKind::Empty => KebabProblem::Empty,
        KebabProblemKind::Character(index) => {
            // The index is a byte index; report the whole (possibly multi-byte) character.
            let c = s[index..].chars().next().unwrap_or('\u{fffd}');
            KebabProblem::Character(c)
        }
        KebabProblemKind::LeadingHyphen => KebabProblem::LeadingHyphen,
        KebabProblemKind::TrailingHyphen => KebabProblem::TrailingHyphen,
        KebabProblemKind::DoubleHyphen => KebabProblem::DoubleHyphen,
    })
}

/// An app id that is not lowercase kebab-case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppIdError {
    /// The id as written.
    pub id: String,
    /// What is wrong with it.
    pub problem: KebabProblem,
}

impl AppIdError {
    /// The fix, when one is obvious: `did you mean "github"?`.
    pub fn help(&self) -> Option<String> {
        suggest_app_id(&self.id).map(|suggestion| format!("did you mean \"{suggestion}\"?"))
    }
}

impl fmt::Display for AppIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid app id {:?}: {}; an app id is lowercase kebab-case ([a-z0-9] words joined by single '-')",
            self.id, self.problem
        )
    }
}

impl std::error::Error for AppIdError {}

/// Checks an app id: lowercase kebab-case, `[a-z0-9]+(-[a-z0-9]+)*`.
///
/// ```
/// use connkit_rules::id::check_app_id;
/// assert!(check_app_id("microsoft-excel-365").is_ok());
/// let error = check_app_id("Gmail").unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     "invalid app id \"Gmail\": uppercase letter 'G' is not allowed; an app id is lowercase kebab-case ([a-z0-9] words joined by single '-')",
/// );
/// assert_eq!(error.help().as_deref(), Some("did you mean \"gmail\"?"));
/// ```
pub fn check_app_id(app_id: &str) -> Result<(), AppIdError> {
    match kebab_problem(app_id, false) {
        None => Ok(()),
        Some(problem) => Err(AppIdError {
            id: app_id.to_owned(),
            problem,
        }),
    }
}

/// Rewrites `input` into lowercase kebab-case: letters are lowercased and every run of other
/// characters becomes one `-`, so `google_sheets` and `Google Sheets` become `google-sheets`.
/// A CamelCase name without separators is only lowercased (`GitHub` becomes `github`, not
/// `git-hub`): where its words split is a guess, and brand names are usually one word. Returns
/// `None` when nothing valid is left or the input is already valid.
///
/// ```
/// use connkit_rules::id::suggest_app_id;
/// assert_eq!(suggest_app_id("GitHub").as_deref(), Some("github"));
/// assert_eq!(suggest_app_id("Google Sheets").as_deref(), Some("google-sheets"));
/// ```
pub fn suggest_app_id(input: &str) -> Option<String> {
    let suggestion = to_kebab(input, false);
    (is_lower_kebab(&suggestion) && suggestion != input).then_some(suggestion)
}

/// Lowercases (unless `keep_case`) and turns every run of other characters into a single `-`,
/// trimmed at both ends.
fn to_kebab(input: &str, keep_case: bool) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(if keep_case { c } else { c.to_ascii_lowercase() });
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

/// The parts of a valid connection id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionIdParts<'a> {
    /// The app the connection belongs to.
    pub app_id: &'a str,
    /// The connection kind, such as `oauth2`.
    pub kind: &'a str,
    /// The optional variant after `-`, such as `US` in `zoho-books_connection_oauth2-US`.
    pub variant: Option<&'a str>,
}

/// Why a connection id is invalid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConnectionIdError {
    /// The id has no `_connection_` part.
    MissingMarker {
        /// The kind this id must have.
        expected: &'static str,
    },
    /// The part before `_connection_` is not a valid app id.
    AppId {
        /// The app id part as written.
        app_id: String,
        /// What is wrong with it.
        problem: KebabProblem,
    },
    /// The part after `_connection_` is not the expected kind.
    Kind {
        /// The kind this id must have.
        expected: &'static str,
        /// What the id has instead.
        found: String,
    },
    /// The variant after the kind is not `[A-Za-z0-9]+(-[A-Za-z0-9]+)*`.
    Variant {
        /// The variant as written.
        variant: String,
        /// What is wrong with it.
        problem: KebabProblem,
    },
}

impl fmt::Display for ConnectionIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingMarker { expected } => write!(
                f,
                "expected the form \"<app-id>_connection_{expected}\" or \"<app-id>_connection_{expected}-<variant>\""
            ),
            Self::AppId { app_id, problem } => write!(
                f,
                "the app id {app_id:?} is not lowercase kebab-case: {problem}"
            ),
            Self::Kind { expected, found } => write!(
                f,
                "expected {expected:?} after \"_connection_\", found {found:?}"
            ),
            Self::Variant { variant, problem } => write!(
                f,
                "the variant {variant:?} is invalid: {problem} (a variant is [A-Za-z0-9] words joined by single '-')"
            ),
        }
    }
}

impl std::error::Error for ConnectionIdError {}

/// Parses a connection id of the form `<app-id>_connection_<kind>` or
/// `<app-id>_connection_<kind>-<variant>`.
///
/// ```
/// use connkit_rules::id::parse_connection_id;
/// let parts = parse_connection_id("gmail_connection_oauth2", "oauth2").unwrap();
/// assert_eq!((parts.app_id, parts.variant), ("gmail", None));
/// assert!(parse_connection_id("codesandbox_connection_-api-key", "oauth2").is_err());
/// let parts = parse_connection_id("codesandbox_connection_api-key-v2", "api-key").unwrap();
/// assert_eq!(parts.variant, Some("v2"));
/// ```
pub fn parse_connection_id<'a>(
    id: &'a str,
    kind: &'static str,
) -> Result<ConnectionIdParts<'a>, ConnectionIdError> {
    let marker = id
        .find(CONNECTION_MARKER)
        .ok_or(ConnectionIdError::MissingMarker { expected: kind })?;
    let app_id = &id[..marker];
    if let Some(problem) = kebab_problem(app_id, false) {
        return Err(ConnectionIdError::AppId {
            app_id: app_id.to_owned(),
            problem,
        });
    }
    let rest = &id[marker + CONNECTION_MARKER.len()..];
    let wrong_kind = || ConnectionIdError::Kind {
        expected: kind,
        found: rest.to_owned(),
    };
    let after_kind = rest.strip_prefix(kind).ok_or_else(wrong_kind)?;
    let variant = match after_kind {
        "" => None,
        _ => {
            let variant = after_kind.strip_prefix('-').ok_or_else(wrong_kind)?;
            if let Some(problem) = kebab_problem(variant, true) {
                return Err(ConnectionIdError::Variant {
                    variant: variant.to_owned(),
                    problem,
                });
            }
            Some(variant)
        }
    };
    Ok(ConnectionIdParts {
        app_id,
        kind,
        variant,
    })
}

/// An invalid connection id, with the obvious fix when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionIdCheckError {
    /// The id as written.
    pub id: String,
    /// What is wrong with it.
    pub error: ConnectionIdError,
    /// A corrected spelling (see [`suggest_connection_id`]).
    pub suggestion: Option<String>,
}

impl ConnectionIdCheckError {
    /// The fix, when one is obvious: `did you mean "github_connection_oauth2"?`.
    pub fn help(&self) -> Option<String> {
        self.suggestion
            .as_ref()
            .map(|suggestion| format!("did you mean \"{suggestion}\"?"))
    }
}

impl fmt::Display for ConnectionIdCheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid connection id {:?}: {}", self.id, self.error)
    }
}

impl std::error::Error for ConnectionIdCheckError {}

/// [`parse_connection_id`], with the message and the fix for an invalid id.
///
/// ```
/// use connkit_rules::id::check_connection_id;
/// let error = check_connection_id("GitHub_connection_oauth2", "oauth2").unwrap_err();
/// assert_eq!(error.help().as_deref(), Some("did you mean \"github_connection_oauth2\"?"));
/// ```
pub fn check_connection_id<'a>(
    id: &'a str,
    kind: &'static str,
) -> Result<ConnectionIdParts<'a>, ConnectionIdCheckError> {
    parse_connection_id(id, kind).map_err(|error| ConnectionIdCheckError {
        id: id.to_owned(),
        error,
        suggestion: suggest_connection_id(id, kind),
    })
}

/// The app id part of a connection id (everything before the first `_connection_`), without
/// validating the rest.
pub fn connection_app_id(connection_id: &str) -> Option<&str> {
    connection_id
        .find(CONNECTION_MARKER)
        .map(|marker| &connection_id[..marker])
}

/// The connection id this toolkit derives for an app: `<app-id>_connection_<kind>`.
pub fn connection_id_for(app_id: &str, kind: &str) -> String {
    format!("{app_id}{CONNECTION_MARKER}{kind}")
}

/// A corrected spelling of an invalid connection id, when one is obvious:
/// `GitHub_connection_oauth2` → `github_connection_oauth2`,
/// `calendly_connection_-oauth2` → `calendly_connection_oauth2`.
pub fn suggest_connection_id(id: &str, kind: &'static str) -> Option<String> {
    let lower = id.to_ascii_lowercase();
    let (app_part, rest) = match lower.find("connection") {
        // Byte offsets of an ASCII-lowercased copy match the original's.
        Some(at) => (&id[..at], &id[at + "connection".len()..]),
        // `gmail_oauth2`: the kind is there, the marker is not.
        None => match lower.rfind(kind) {
            Some(at) if at > 0 && !id.as_bytes()[at - 1].is_ascii_alphanumeric() => {
                (&id[..at], &id[at..])
            }
            _ => (id, ""),
        },
    };
    let app_id = to_kebab(app_part, false);
    let rest = rest.trim_start_matches(|c: char| !c.is_ascii_alphanumeric());
    // The kind as written runs up to a separator (or the end); a near miss such as
    // `oauth` or `OAuth2` is corrected, anything else (`-api-key`) has no obvious fix.
    // A kind with a hyphen (`api-key`) is matched whole; others run up to a separator.
    let (written_kind, after_kind) = if rest.to_ascii_lowercase().starts_with(kind) {
        rest.split_at(kind.len())
    } else {
        rest.split_at(
            rest.find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len()),
        )
    };
    let variant = if rest.is_empty() {
        None
    } else if crate::suggest::edit_distance(&written_kind.to_ascii_lowercase(), kind) <= 1 {
        Some(to_kebab(after_kind, true)).filter(|v| !v.is_empty())
    } else {
        return None;
    };
    let mut suggestion = connection_id_for(&app_id, kind);
    if let Some(variant) = variant {
        suggestion.push('-');
        suggestion.push_str(&variant);
    }
    (parse_connection_id(&suggestion, kind).is_ok() && suggestion != id).then_some(suggestion)
}

/// Whether `connection_id` starts with `<app_id>_connection_`, usable in `const` contexts
/// (the `app!` macro asserts it for every listed connection).
pub const fn connection_belongs_to(connection_id: &str, app_id: &str) -> bool {
    let id = connection_id.as_bytes();
    let app = app_id.as_bytes();
    bytes_match_at(id, 0, app) && bytes_match_at(id, app.len(), CONNECTION_MARKER.as_bytes())
}

/// A piece of an `app!` or `registry!` compile-time message: fixed text, or a value filled in
/// by the generated `const` code that reports the error (which cannot allocate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessagePart {
    /// Text as is.
    Text(&'static str),
    /// The item as written in the list (`GmailOAuth2`, `other::Send`).
    Shown,
    /// The earlier of two items that clash.
    First,
    /// The app id.
    AppId,
    /// `action` or `trigger`.
    Kind,
}

use MessagePart::{AppId, First, Kind, Shown, Text};

/// A connection listed in an app does not belong to it.
pub const FOREIGN_CONNECTION_MESSAGE: &[MessagePart] = &[
    Text("connection `"),
    Shown,
    Text("` does not belong to app \""),
    AppId,
    Text("\": its id must start with \""),
    AppId,
    Text(CONNECTION_MARKER),
    Text("\""),
];

/// An action or trigger listed in an app does not belong to it.
pub const FOREIGN_COMPONENT_MESSAGE: &[MessagePart] = &[
    Kind,
    Text(" `"),
    Shown,
    Text("` does not belong to app \""),
    AppId,
    Text("\": its ID must start with \""),
    AppId,
    Text("_"),
    Kind,
    Text("_\""),
];

/// The name part of an action or trigger id is not lowercase kebab-case.
pub const COMPONENT_NAME_MESSAGE: &[MessagePart] = &[
    Kind,
    Text(" `"),
    Shown,
    Text("` has an invalid ID: the name after \""),
    AppId,
    Text("_"),
    Kind,
    Text("_\" must be lowercase kebab-case ([a-z0-9] words joined by single '-')"),
];

/// Two connections listed in one app have the same id (`Shown` is the second).
pub const DUPLICATE_CONNECTION_MESSAGE: &[MessagePart] = &[
    Text("connections `"),
    First,
    Text("` and `"),
    Shown,
    Text("` have the same id"),
];

/// Two actions (or two triggers) listed in one app have the same id.
pub const DUPLICATE_COMPONENT_MESSAGE: &[MessagePart] = &[
    Kind,
    Text("s `"),
    First,
    Text("` and `"),
    Shown,
    Text("` have the same ID"),
];

/// The values a message's parts are filled in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Not `#[non_exhaustive]`: `__private` builds it in a `const fn`, the one place it is made.
pub struct MessageValues<'a> {
    /// The item as written.
    pub shown: &'a str,
    /// The earlier item, for a clash.
    pub first: &'a str,
    /// The app id.
    pub app_id: &'a str,
    /// `action` or `trigger`.
    pub kind: &'a str,
}

impl MessagePart {
    /// The text of this part for `values`.
    pub const fn text<'a>(self, values: &MessageValues<'a>) -> &'a str
    where
        'static: 'a,
    {
        match self {
            Text(text) => text,
            Shown => values.shown,
            First => values.first,
            AppId => values.app_id,
            Kind => values.kind,
        }
    }
}

/// Two apps of a registry have the same app id (`Shown` is the later).
pub const DUPLICATE_APP_MESSAGE: &[MessagePart] = &[
    Text("apps `"),
    First,
    Text("` and `"),
    Shown,
    Text("` have the same app id"),
];

/// Actions and triggers, the two kinds of app components with ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Not `#[non_exhaustive]`: the macros map each kind to its trait, so a new kind is a change there whatever the attribute says.
pub enum ComponentKind {
    /// `<app-id>_action_<name>`.
    Action,
    /// `<app-id>_trigger_<name>`.
    Trigger,
}

impl ComponentKind {
    /// `"action"` or `"trigger"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Action => "action",
            Self::Trigger => "trigger",
        }
    }

    /// The `app!` key that lists them: `"actions"` or `"triggers"`.
    pub const fn list_key(self) -> &'static str {
        match self {
            Self::Action => "actions",
            Self::Trigger => "triggers",
        }
    }
}

/// The outcome of [`check_component_id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Not `#[non_exhaustive]`: `__private` turns each outcome into its compile error, so a new outcome is a change there whatever the attribute says.
pub enum ComponentIdCheck {
    /// `<app-id>_<kind>_<name>` with a lowercase kebab name.
    Valid,
    /// The id does not start with `<app-id>_<kind>_`.
    WrongApp,
    /// The name after `<app-id>_<kind>_` is not lowercase kebab-case.
    BadName,
}

/// Checks that an action or trigger id is `<app-id>_<kind>_<name>` with `name` in lowercase
/// kebab-case; usable in `const` contexts.
///
/// ```
/// use connkit_rules::id::{check_component_id, ComponentIdCheck, ComponentKind};
/// assert_eq!(check_component_id("gmail_action_send-email", "gmail", ComponentKind::Action), ComponentIdCheck::Valid);
/// assert_eq!(check_component_id("slack_action_send", "gmail", ComponentKind::Action), ComponentIdCheck::WrongApp);
/// assert_eq!(check_component_id("gmail_action_Send", "gmail", ComponentKind::Action), ComponentIdCheck::BadName);
/// ```
pub const fn check_component_id(id: &str, app_id: &str, kind: ComponentKind) -> ComponentIdCheck {
    let id = id.as_bytes();
    let app = app_id.as_bytes();
    let kind = kind.as_str().as_bytes();
    let kind_at = app.len() + 1;
    let name_at = kind_at + kind.len() + 1;
    let prefix_matches = bytes_match_at(id, 0, app)
        && bytes_match_at(id, app.len(), b"_")
        && bytes_match_at(id, kind_at, kind)
        && bytes_match_at(id, kind_at + kind.len(), b"_");
    if !prefix_matches {
        return ComponentIdCheck::WrongApp;
    }
    let (_, name) = id.split_at(name_at);
    if kebab_problem_at(name, false).is_some() {
        return ComponentIdCheck::BadName;
    }
    ComponentIdCheck::Valid
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_ids() {
        for valid in ["gmail", "google-sheets", "microsoft-excel-365", "x", "365"] {
            assert!(check_app_id(valid).is_ok(), "{valid}");
        }
        let cases = [
            ("", KebabProblem::Empty),
            ("Gmail", KebabProblem::Character('G')),
            ("google_sheets", KebabProblem::Character('_')),
            ("-gmail", KebabProblem::LeadingHyphen),
            ("gmail-", KebabProblem::TrailingHyphen),
            ("google--sheets", KebabProblem::DoubleHyphen),
            ("gmaïl", KebabProblem::Character('ï')),
        ];
        for (input, problem) in cases {
            assert_eq!(
                check_app_id(input),
                Err(AppIdError {
                    id: input.to_owned(),
                    problem
                }),
                "{input}"
            );
        }
    }

    #[test]
    fn app_id_suggestions() {
        assert_eq!(
            suggest_app_id("GoogleSheets").as_deref(),
            Some("googlesheets")
        );
        assert_eq!(suggest_app_id("GitHub").as_deref(), Some("github"));
        assert_eq!(
            suggest_app_id("google_sheets").as_deref(),
            Some("google-sheets")
        );
        assert_eq!(
            suggest_app_id("Microsoft Excel 365").as_deref(),
            Some("microsoft-excel-365")
        );
        assert_eq!(suggest_app_id("gmail"), None);
        assert_eq!(suggest_app_id("___"), None);
    }

    #[test]
    fn connection_ids() {
        let parts = parse_connection_id("zoho-books_connection_oauth2-US", OAUTH2_KIND).unwrap();
        assert_eq!(parts.app_id, "zoho-books");
        assert_eq!(parts.variant, Some("US"));
        assert_eq!(
            parse_connection_id("gmail_oauth2", OAUTH2_KIND),
            Err(ConnectionIdError::MissingMarker { expected: "oauth2" })
        );
        assert_eq!(
            parse_connection_id("GoogleSheets_connection_oauth2", OAUTH2_KIND),
            Err(ConnectionIdError::AppId {
                app_id: "GoogleSheets".into(),
                problem: KebabProblem::Character('G')
            })
        );
        assert_eq!(
            parse_connection_id("codesandbox_connection_-api-key", OAUTH2_KIND),
            Err(ConnectionIdError::Kind {
                expected: "oauth2",
                found: "-api-key".into()
            })
        );
        assert!(matches!(
            parse_connection_id("gmail_connection_oauth2x", OAUTH2_KIND),
            Err(ConnectionIdError::Kind { .. })
        ));
        assert_eq!(
            parse_connection_id("gmail_connection_oauth2-", OAUTH2_KIND),
            Err(ConnectionIdError::Variant {
                variant: String::new(),
                problem: KebabProblem::Empty
            })
        );
        assert_eq!(
            parse_connection_id("gmail_connection_oauth2-e_u", OAUTH2_KIND),
            Err(ConnectionIdError::Variant {
                variant: "e_u".into(),
                problem: KebabProblem::Character('_')
            })
        );
    }

    #[test]
    fn connection_id_suggestions() {
        let suggest = |id| suggest_connection_id(id, OAUTH2_KIND);
        assert_eq!(
            suggest("GitHub_connection_oauth2").as_deref(),
            Some("github_connection_oauth2")
        );
        assert_eq!(
            suggest("Google_Sheets_connection_oauth2").as_deref(),
            Some("google-sheets_connection_oauth2")
        );
        assert_eq!(
            suggest("calendly_connection_-oauth2").as_deref(),
            Some("calendly_connection_oauth2")
        );
        assert_eq!(
            suggest("gmail-connection-oauth2").as_deref(),
            Some("gmail_connection_oauth2")
        );
        assert_eq!(
            suggest("zoho-books_connection_oauth2_US").as_deref(),
            Some("zoho-books_connection_oauth2-US")
        );
        assert_eq!(suggest("gmail").as_deref(), Some("gmail_connection_oauth2"));
        assert_eq!(
            suggest("gmail_oauth2").as_deref(),
            Some("gmail_connection_oauth2")
        );
        assert_eq!(
            suggest("zoho-books-oauth2-US").as_deref(),
            Some("zoho-books_connection_oauth2-US")
        );
        assert_eq!(suggest("codesandbox_connection_-api-key"), None);
        assert_eq!(
            suggest("gmail_connection_oauth").as_deref(),
            Some("gmail_connection_oauth2")
        );
        assert_eq!(
            suggest("gmail_connection_OAuth2-eu").as_deref(),
            Some("gmail_connection_oauth2-eu")
        );
        assert_eq!(suggest("gmail_connection_oauth2"), None);
    }

    #[test]
    fn ownership() {
        assert!(connection_belongs_to("gmail_connection_oauth2", "gmail"));
        assert!(!connection_belongs_to("gmail_connection_oauth2", "gmai"));
        assert!(!connection_belongs_to(
            "gmail_connection_oauth2",
            "google-sheets"
        ));
        assert!(!connection_belongs_to("gmail", "gmail"));
        assert_eq!(
            connection_app_id("zoho-crm_connection_oauth2-US"),
            Some("zoho-crm")
        );
        assert_eq!(connection_app_id("zoho-crm"), None);
    }

    #[test]
    fn component_ids() {
        use ComponentIdCheck::*;
        use ComponentKind::*;
        assert_eq!(
            check_component_id("gmail_trigger_new-email", "gmail", Trigger),
            Valid
        );
        assert_eq!(
            check_component_id("gmail_action_new-email", "gmail", Trigger),
            WrongApp
        );
        assert_eq!(
            check_component_id("gmail_trigger_", "gmail", Trigger),
            BadName
        );
        assert_eq!(
            check_component_id("gmail_trigger", "gmail", Trigger),
            WrongApp
        );
        assert_eq!(check_component_id("gmail", "gmail", Action), WrongApp);
        assert_eq!(
            check_component_id("gmailx_action_a", "gmail", Action),
            WrongApp
        );
    }
}
