//! Connection inputs: values the end user supplies when connecting (a shop name, a tenant, a
//! self-hosted server), placed into a definition's URLs, parameters and headers as `{name}`.
//!
//! Where a placeholder sits decides what its value may contain, and this module decides it once
//! for the macros (at compile time) and the runtime (before substituting):
//!
//! | position | example | a value may contain |
//! |---|---|---|
//! | [`Position::HostLabel`] | `https://{shop}.myshopify.com/...`, `ca-{env}.adyen.com` | ASCII letters, digits and `-`, at most 63 bytes: never a dot, port, user info or path (in one of the host's last two labels the value chooses the domain: see [`Placed::chooses_domain`]) |
//! | [`Position::Host`] | `https://{host}/oauth/authorize` | a DNS name of two or more labels (ASCII letters, digits, `-`), or exactly a host the definition's `hosts` lists; a `:port` only where the input allows it; never user info, a path, an IP literal or `localhost` unless listed |
//! | [`Position::PathSegment`] | `https://login.example.com/{tenant}/oauth2` | any text but `.` and `..`, percent-encoded so it stays one segment (a `/` or `%` is encoded) |
//! | [`Position::QueryValue`] | `...?tenant={tenant}` | any text, percent-encoded as one query value |
//! | [`Position::Text`] | the value of a parameter or a header | any text without control characters |
//!
//! Every position refuses an empty value, control characters (CR, LF, NUL...) and values longer
//! than [`MAX_VALUE_LEN`].

use core::fmt;

use crate::url_shape::{LOOPBACK_HOSTS, UrlError, check_url};

/// The longest value accepted in any position, in bytes.
pub const MAX_VALUE_LEN: usize = 1024;
/// The longest DNS label.
pub const MAX_LABEL_LEN: usize = 63;
/// The longest DNS name.
pub const MAX_HOST_LEN: usize = 253;

/// A piece of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
// Not `#[non_exhaustive]`: the runtime fills each piece, so a new piece is a change there whatever the attribute says.
pub enum Piece<'a> {
    /// Text kept as written.
    Text(&'a str),
    /// `{name}`: the name.
    Placeholder(&'a str),
}

/// A template whose placeholder syntax is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TemplateError {
    /// A `{` without its `}`.
    Unclosed {
        /// Byte index of the `{`.
        at: usize,
    },
    /// A `}` without its `{`.
    Unopened {
        /// Byte index of the `}`.
        at: usize,
    },
    /// `{}`.
    Empty {
        /// Byte index of the `{`.
        at: usize,
    },
    /// A name that is not a snake_case identifier.
    Name {
        /// The name as written.
        name: String,
    },
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unclosed { at } => write!(f, "the `{{` at byte {at} has no closing `}}`"),
            Self::Unopened { at } => write!(f, "the `}}` at byte {at} closes no placeholder"),
            Self::Empty { at } => write!(f, "the placeholder at byte {at} has no name"),
            Self::Name { name } => write!(
                f,
                "`{{{name}}}` is not a placeholder name: use lowercase letters, digits and `_`, starting with a letter"
            ),
        }
    }
}

impl std::error::Error for TemplateError {}

impl TemplateError {
    /// The fix, when there is one to suggest.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::Unclosed { .. } | Self::Unopened { .. } | Self::Empty { .. } => Some(
                "a placeholder is an input's name in braces, like `{shop}`; braces mean nothing else in a template".to_owned(),
            ),
            Self::Name { name } => {
                let fixed = snake_case(name);
                (!fixed.is_empty() && is_input_name(&fixed)).then(|| format!("use `{{{fixed}}}`"))
            }
        }
    }
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// Whether `name` is an input name: lowercase ASCII letters, digits and `_`, starting with a
/// letter, at most 64 bytes.
pub fn is_input_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name.len() <= 64
}

/// Splits `template` into text and placeholders.
///
/// ```
/// use connkit_rules::template::{Piece, parse_template};
/// assert_eq!(
///     parse_template("https://{shop}.myshopify.com").unwrap(),
///     [Piece::Text("https://"), Piece::Placeholder("shop"), Piece::Text(".myshopify.com")]
/// );
/// assert!(parse_template("https://{shop.example").is_err());
/// ```
///
/// # Errors
/// [`TemplateError`] for an unbalanced brace, an empty placeholder or a name that is not
/// snake_case.
pub fn parse_template(template: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut pieces = Vec::new();
    let mut rest = template;
    let mut offset = 0;
    while !rest.is_empty() {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => {
                pieces.push(Piece::Text(rest));
                break;
            }
            (None, Some(close)) => return Err(TemplateError::Unopened { at: offset + close }),
            (Some(open), Some(close)) if close < open => {
                return Err(TemplateError::Unopened { at: offset + close });
            }
            (Some(open), close) => {
                if open > 0 {
                    pieces.push(Piece::Text(&rest[..open]));
                }
                let Some(close) = close else {
                    return Err(TemplateError::Unclosed { at: offset + open });
                };
                let name = &rest[open + 1..close];
                if name.contains('{') {
                    return Err(TemplateError::Unclosed { at: offset + open });
                }
                if name.is_empty() {
                    return Err(TemplateError::Empty { at: offset + open });
                }
                if !is_input_name(name) {
                    return Err(TemplateError::Name {
                        name: name.to_owned(),
                    });
                }
                pieces.push(Piece::Placeholder(name));
                offset += close + 1;
                rest = &rest[close + 1..];
            }
        }
    }
    Ok(pieces)
}

/// Where a placeholder sits, which decides what its value may contain (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
// Not `#[non_exhaustive]`: the runtime checks and encodes a value by its position, so a new position is a change there whatever the attribute says.
pub enum Position {
    /// The whole host of a URL.
    Host,
    /// A DNS label of a URL's host, or part of one.
    HostLabel,
    /// A path segment of a URL, or part of one.
    PathSegment,
    /// A query value of a URL, or part of one.
    QueryValue,
    /// A parameter or header value (not a URL).
    Text,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Host => "the whole host",
            Self::HostLabel => "a host label",
            Self::PathSegment => "a path segment",
            Self::QueryValue => "a query value",
            Self::Text => "a parameter or header value",
        })
    }
}

/// A placeholder where no value can be placed safely.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlTemplateError {
    /// The placeholder syntax is wrong.
    Syntax(TemplateError),
    /// `{name}` in the scheme, the user info, the port, a query name or the fragment.
    Position {
        /// The placeholder's name.
        name: String,
        /// Where it is, in words.
        place: &'static str,
    },
    /// The URL with every placeholder filled in breaks the URL rules.
    Url(UrlError),
    /// `http` with a host the user supplies, which `hosts` does not pin to loopback.
    InsecureHttp,
}

impl fmt::Display for UrlTemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax(problem) => problem.fmt(f),
            Self::Position { name, place } => {
                write!(f, "the placeholder `{{{name}}}` is in {place}")
            }
            Self::Url(problem) => problem.fmt(f),
            Self::InsecureHttp => f.write_str(
                "plain `http` with a host from the user is allowed only when `hosts` lists nothing but loopback hosts",
            ),
        }
    }
}

impl std::error::Error for UrlTemplateError {}

impl UrlTemplateError {
    /// The fix, when there is one to suggest.
    pub fn help(&self) -> Option<String> {
        match self {
            Self::Syntax(problem) => problem.help(),
            Self::Position { .. } => Some(
                "a placeholder can be the whole host, part of a host label, part of a path segment, or part of a query value".to_owned(),
            ),
            Self::Url(problem) => problem.help(),
            Self::InsecureHttp => Some(
                "use `https`, or list only 127.0.0.1, [::1] or localhost in `hosts`".to_owned(),
            ),
        }
    }
}

/// One placeholder of a URL template and where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Placed<'a> {
    /// The input's name.
    pub name: &'a str,
    /// Its position.
    pub position: Position,
    /// Whether its value chooses the registrable domain: the whole host, or a host label among
    /// the last two (`api.{company}.com`, `accounts.zoho.{tld}`), where a user could name a
    /// domain they registered themselves.
    pub chooses_domain: bool,
}

/// Classifies every placeholder of the URL template `template`, and checks that its fixed parts
/// obey the URL rules of [`check_url`] with every placeholder filled in: a host label or path
/// segment with `a`, a whole host with each of `hosts` (or `example.com` when `hosts` is
/// empty). `http` with a whole host from the user needs `hosts` listing loopback hosts only.
///
/// ```
/// use connkit_rules::template::{Position, classify_url};
/// let placed = classify_url("https://{shop}.myshopify.com/admin/{version}/x?t={t}", &[]).unwrap();
/// let positions: Vec<Position> = placed.iter().map(|p| p.position).collect();
/// assert_eq!(positions, [Position::HostLabel, Position::PathSegment, Position::QueryValue]);
/// assert_eq!(classify_url("https://{host}/oauth", &[]).unwrap()[0].position, Position::Host);
/// assert!(classify_url("https://example.com:{port}/", &[]).is_err());
/// ```
///
/// # Errors
/// [`UrlTemplateError`] for bad syntax, a placeholder where no value is safe, or fixed parts
/// that break the URL rules.
pub fn classify_url<'a>(
    template: &'a str,
    hosts: &[&str],
) -> Result<Vec<Placed<'a>>, UrlTemplateError> {
    let pieces = parse_template(template).map_err(UrlTemplateError::Syntax)?;
    // User info is refused whatever fills it (and a placeholder there would look like a port).
    if let Some((_, after)) = template.split_once("://")
        && after[..after.find(['/', '?', '#']).unwrap_or(after.len())].contains('@')
    {
        return Err(UrlTemplateError::Url(UrlError::UserInfo));
    }
    let mut placed = Vec::new();
    let mut part = Part::Scheme;
    // Whether the host holds only the one placeholder (then it is `Host`, not `HostLabel`).
    let mut host_pieces: Vec<Piece<'_>> = Vec::new();
    for piece in &pieces {
        match *piece {
            Piece::Text(text) => {
                let mut rest = text;
                while !rest.is_empty() {
                    let (advance, next) = part.advance(rest);
                    if matches!(part, Part::Host) && advance > 0 {
                        host_pieces.push(Piece::Text(&rest[..advance]));
                    }
                    rest = &rest[advance..];
                    if let Some(next) = next {
                        part = next;
                        // The delimiter itself.
                        let width = rest.chars().next().map_or(0, char::len_utf8);
                        rest = rest.get(width..).unwrap_or("");
                        if matches!(next, Part::Host) {
                            // `://` has two more slashes.
                            rest = rest.strip_prefix("//").unwrap_or(rest);
                        }
                    }
                }
            }
            Piece::Placeholder(name) => {
                let position = match part {
                    Part::Host => {
                        host_pieces.push(*piece);
                        Position::HostLabel
                    }
                    Part::Path => Position::PathSegment,
                    Part::QueryValue => Position::QueryValue,
                    Part::Scheme => return Err(misplaced(name, "the scheme")),
                    Part::Port => return Err(misplaced(name, "the port")),
                    Part::QueryName => return Err(misplaced(name, "a query parameter's name")),
                    Part::Fragment => return Err(misplaced(name, "the fragment")),
                };
                placed.push(Placed {
                    name,
                    position,
                    chooses_domain: false,
                });
            }
        }
    }
    if let [Piece::Placeholder(name)] = host_pieces.as_slice() {
        for entry in &mut placed {
            if entry.name == *name && entry.position == Position::HostLabel {
                entry.position = Position::Host;
            }
        }
    }
    // The label each host placeholder sits in, counted from the left; the host's placeholders
    // are the first entries of `placed`.
    let labels = host_pieces
        .iter()
        .map(|piece| match piece {
            Piece::Text(text) => text.matches('.').count(),
            Piece::Placeholder(_) => 0,
        })
        .sum::<usize>()
        + 1;
    let mut label = 0;
    let mut host_entries = placed.iter_mut();
    for piece in &host_pieces {
        match piece {
            Piece::Text(text) => label += text.matches('.').count(),
            Piece::Placeholder(_) => {
                if let Some(entry) = host_entries.next() {
                    entry.chooses_domain = entry.position == Position::Host || label + 2 >= labels;
                }
            }
        }
    }
    let whole_host = placed.iter().any(|p| p.position == Position::Host);
    let samples: Vec<String> = if whole_host && !hosts.is_empty() {
        // `*.example.com` stands for a name under it.
        hosts
            .iter()
            .map(|entry| match entry.strip_prefix("*.") {
                Some(suffix) => format!("a.{suffix}"),
                None => (*entry).to_owned(),
            })
            .collect()
    } else {
        vec!["example.com".to_owned()]
    };
    for sample in samples {
        let filled = fill(&pieces, &placed, &sample);
        match check_url(&filled) {
            Ok(_) => {}
            Err(UrlError::InsecureHttp { .. }) if whole_host => {
                return Err(UrlTemplateError::InsecureHttp);
            }
            // Say it of the host as written, not of the sample that filled it.
            Err(UrlError::InsecureHttp { .. }) => {
                return Err(UrlTemplateError::Url(UrlError::InsecureHttp {
                    host: written_host(template).to_owned(),
                }));
            }
            Err(UrlError::Host { .. }) => {
                return Err(UrlTemplateError::Url(UrlError::Host {
                    host: written_host(template).to_owned(),
                }));
            }
            Err(problem) => return Err(UrlTemplateError::Url(problem)),
        }
    }
    if whole_host && hosts.is_empty() && template.starts_with("http://") {
        return Err(UrlTemplateError::InsecureHttp);
    }
    Ok(placed)
}

/// The host of a URL template as written (placeholders included).
fn written_host(template: &str) -> &str {
    let after = template
        .split_once("://")
        .map_or(template, |(_, after)| after);
    let authority = &after[..after.find(['/', '?', '#']).unwrap_or(after.len())];
    match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => host,
        _ => authority,
    }
}

fn misplaced(name: &str, place: &'static str) -> UrlTemplateError {
    UrlTemplateError::Position {
        name: name.to_owned(),
        place,
    }
}

/// `pieces` with each placeholder replaced by a sample value for its position.
fn fill(pieces: &[Piece<'_>], placed: &[Placed<'_>], host: &str) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Placeholder(name) => {
                let host_position = placed
                    .iter()
                    .any(|p| p.name == *name && p.position == Position::Host);
                out.push_str(if host_position { host } else { "a" });
            }
        }
    }
    out
}

/// The part of a URL a scan is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Scheme,
    Host,
    Port,
    Path,
    QueryName,
    QueryValue,
    Fragment,
}

impl Part {
    /// How many bytes of `text` stay in this part, and the part after the delimiter found there
    /// (the delimiter is one character, plus `//` after the scheme's `:`).
    fn advance(self, text: &str) -> (usize, Option<Part>) {
        let find = |delims: &[char]| text.find(delims);
        let to = |at: Option<usize>, next: &dyn Fn(char) -> Part| match at {
            Some(at) => {
                let c = text[at..].chars().next().unwrap_or('/');
                (at, Some(next(c)))
            }
            None => (text.len(), None),
        };
        match self {
            Self::Scheme => to(find(&[':']), &|_| Part::Host),
            Self::Host | Self::Port => {
                let stops: &[char] = if self == Self::Host {
                    &[':', '/', '?', '#']
                } else {
                    &['/', '?', '#']
                };
                to(find(stops), &|c| match c {
                    ':' => Part::Port,
                    '/' => Part::Path,
                    '?' => Part::QueryName,
                    _ => Part::Fragment,
                })
            }
            Self::Path => to(find(&['?', '#']), &|c| match c {
                '?' => Part::QueryName,
                _ => Part::Fragment,
            }),
            Self::QueryName => to(find(&['=', '&', '#']), &|c| match c {
                '=' => Part::QueryValue,
                '&' => Part::QueryName,
                _ => Part::Fragment,
            }),
            Self::QueryValue => to(find(&['&', '#']), &|c| match c {
                '&' => Part::QueryName,
                _ => Part::Fragment,
            }),
            Self::Fragment => (text.len(), None),
        }
    }
}

/// A value refused for its position.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueError {
    /// The value is empty.
    Empty,
    /// Longer than the position allows.
    TooLong {
        /// The most bytes allowed.
        max: usize,
    },
    /// A control character (CR, LF, NUL...).
    Control,
    /// A character a host label cannot hold (a dot, `:`, `@`, `/`, non-ASCII...).
    HostLabelCharacter(char),
    /// `.` or `..` as a path segment.
    DotSegment,
    /// Not a DNS name of two or more labels.
    NotHostName,
    /// A `:port` where the input does not allow one.
    Port,
    /// An IP address or `localhost` that `hosts` does not list.
    IpOrLocalhost,
    /// A host that `hosts` does not allow.
    HostNotAllowed,
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("it is empty"),
            Self::TooLong { max } => write!(f, "it is longer than {max} bytes"),
            Self::Control => f.write_str("it contains a control character"),
            Self::HostLabelCharacter(c) => write!(
                f,
                "it contains {c:?}, and a host label holds only ASCII letters, digits and `-`"
            ),
            Self::DotSegment => f.write_str("`.` and `..` are not path segments"),
            Self::NotHostName => f.write_str(
                "it is not a host name (two or more labels of ASCII letters, digits and `-`, separated by dots)",
            ),
            Self::Port => f.write_str("it has a port, and this input takes none"),
            Self::IpOrLocalhost => {
                f.write_str("IP addresses and `localhost` are refused unless `hosts` lists them")
            }
            Self::HostNotAllowed => f.write_str("the host is not one the definition's `hosts` allows"),
        }
    }
}

impl std::error::Error for ValueError {}

/// Checks `value` for `position`. For [`Position::Host`], `allow_port` says whether a `:port`
/// may follow, and `hosts` (when not empty) lists the hosts allowed: exact names, or
/// `*.example.com` for any name under `example.com`. An IP literal or `localhost` is refused
/// unless `hosts` lists it exactly.
///
/// ```
/// use connkit_rules::template::{Position, check_value};
/// assert!(check_value(Position::HostLabel, "acme-shop", false, &[]).is_ok());
/// assert!(check_value(Position::HostLabel, "evil.com/x", false, &[]).is_err());
/// assert!(check_value(Position::Host, "gitlab.acme.example", false, &["*.acme.example"]).is_ok());
/// assert!(check_value(Position::Host, "127.0.0.1", false, &[]).is_err());
/// assert!(check_value(Position::PathSegment, "..", false, &[]).is_err());
/// ```
///
/// # Errors
/// [`ValueError`] saying why the value is refused (never repeating the value, which may be
/// secret).
pub fn check_value(
    position: Position,
    value: &str,
    allow_port: bool,
    hosts: &[&str],
) -> Result<(), ValueError> {
    if value.is_empty() {
        return Err(ValueError::Empty);
    }
    if value.len() > MAX_VALUE_LEN {
        return Err(ValueError::TooLong { max: MAX_VALUE_LEN });
    }
    if value.chars().any(char::is_control) {
        return Err(ValueError::Control);
    }
    match position {
        Position::HostLabel => {
            if let Some(c) = value
                .chars()
                .find(|c| !c.is_ascii_alphanumeric() && *c != '-')
            {
                return Err(ValueError::HostLabelCharacter(c));
            }
            if value.len() > MAX_LABEL_LEN {
                return Err(ValueError::TooLong { max: MAX_LABEL_LEN });
            }
            Ok(())
        }
        Position::Host => check_host_value(value, allow_port, hosts),
        Position::PathSegment => {
            if matches!(value, "." | "..") {
                return Err(ValueError::DotSegment);
            }
            Ok(())
        }
        Position::QueryValue | Position::Text => Ok(()),
    }
}

fn check_host_value(value: &str, allow_port: bool, hosts: &[&str]) -> Result<(), ValueError> {
    let lower = value.to_ascii_lowercase();
    let listed = |host: &str| hosts.iter().any(|entry| entry.eq_ignore_ascii_case(host));
    if listed(&lower) {
        return Ok(());
    }
    let (host, port) = split_port(&lower);
    if let Some(port) = port {
        if !allow_port {
            return Err(ValueError::Port);
        }
        if port.is_empty()
            || !port.bytes().all(|b| b.is_ascii_digit())
            || port.parse::<u16>().map_or(true, |port| port == 0)
        {
            return Err(ValueError::NotHostName);
        }
    }
    if host.starts_with('[') || LOOPBACK_HOSTS.contains(&host) || host == "localhost" {
        return if listed(host) {
            Ok(())
        } else {
            Err(ValueError::IpOrLocalhost)
        };
    }
    if host.len() > MAX_HOST_LEN {
        return Err(ValueError::TooLong { max: MAX_HOST_LEN });
    }
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |label: &&str| {
        !label.is_empty()
            && label.len() <= MAX_LABEL_LEN
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return Err(ValueError::NotHostName);
    }
    // A last label of digits only is an IPv4 address (or a decimal, octal or hex form of one,
    // which WHATWG parsers accept).
    let last = labels.last().copied().unwrap_or_default();
    if last.bytes().all(|b| b.is_ascii_digit()) || last.starts_with("0x") {
        return if listed(host) {
            Ok(())
        } else {
            Err(ValueError::IpOrLocalhost)
        };
    }
    if hosts.is_empty() || hosts.iter().any(|entry| host_matches(entry, host)) {
        Ok(())
    } else {
        Err(ValueError::HostNotAllowed)
    }
}

/// `host:port` split at the port's colon (an IPv6 literal keeps its brackets).
fn split_port(value: &str) -> (&str, Option<&str>) {
    if let Some(end) = value.find(']') {
        let (host, rest) = value.split_at(end + 1);
        return (host, rest.strip_prefix(':'));
    }
    match value.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (value, None),
    }
}

/// Whether `host` is allowed by the `hosts` entry `entry`: equal (ignoring ASCII case), or, for
/// `*.example.com`, a name ending in `.example.com`.
pub fn host_matches(entry: &str, host: &str) -> bool {
    let (entry, host) = (entry.to_ascii_lowercase(), host.to_ascii_lowercase());
    match entry.strip_prefix("*.") {
        Some(suffix) => host.len() > suffix.len() + 1 && host.ends_with(&format!(".{suffix}")),
        None => entry == host,
    }
}

/// Why a `hosts` entry is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostsEntryError;

impl fmt::Display for HostsEntryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a `hosts` entry is a host name, `*.` and a host name, an IP address, or a loopback host, optionally with a `:port`")
    }
}

impl std::error::Error for HostsEntryError {}

/// Checks one entry of `hosts`: `example.com`, `*.example.com`, `127.0.0.1`, `[::1]:8080`...
///
/// # Errors
/// [`HostsEntryError`] for anything else.
pub fn check_hosts_entry(entry: &str) -> Result<(), HostsEntryError> {
    let name = entry.strip_prefix("*.").unwrap_or(entry);
    if entry.starts_with("*.") && name.split('.').count() < 2 {
        return Err(HostsEntryError);
    }
    match check_url(&format!("https://{name}/")) {
        Ok(parts) if parts.path == "/" => Ok(()),
        _ => Err(HostsEntryError),
    }
}

/// Whether every `hosts` entry is a loopback host (then plain `http` is allowed for a
/// user-supplied host).
pub fn all_loopback(hosts: &[&str]) -> bool {
    !hosts.is_empty()
        && hosts.iter().all(|entry| {
            let (host, _) = split_port(entry);
            LOOPBACK_HOSTS.contains(&host)
        })
}

/// Percent-encodes `value` as one path segment or query value: everything but ASCII letters,
/// digits and `-._~` is encoded, so a `/`, `%`, `?`, `#`, `&` or `=` stays inside it.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// A regular expression of an input's `pattern` that does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatternError {}

/// A compiled `pattern`: it must match the whole value.
#[derive(Debug, Clone)]
pub struct Pattern(regex_lite::Regex);

impl Pattern {
    /// Compiles `pattern` with the `regex-lite` crate (the syntax of the `regex` crate without
    /// Unicode classes), anchored at both ends.
    ///
    /// ```
    /// use connkit_rules::template::Pattern;
    /// let shop = Pattern::new("[a-z0-9][a-z0-9-]*").unwrap();
    /// assert!(shop.matches("acme-1"));
    /// assert!(!shop.matches("Acme"));
    /// assert!(!shop.matches("acme.evil"), "the whole value must match");
    /// assert!(Pattern::new("[a-z").is_err());
    /// ```
    ///
    /// # Errors
    /// [`PatternError`] with the regex parser's explanation.
    pub fn new(pattern: &str) -> Result<Self, PatternError> {
        regex_lite::Regex::new(&format!("^(?:{pattern})$"))
            .map(Self)
            .map_err(|error| {
                let text = error.to_string();
                // regex-lite reports the anchored form; say it of the pattern as written.
                let first = text.lines().next().unwrap_or("invalid regular expression");
                PatternError(first.trim_start_matches("regex parse error: ").to_owned())
            })
    }

    /// Whether the whole of `value` matches.
    pub fn matches(&self, value: &str) -> bool {
        self.0.is_match(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_syntax() {
        assert_eq!(
            parse_template("a{b}c{d_2}").unwrap(),
            [
                Piece::Text("a"),
                Piece::Placeholder("b"),
                Piece::Text("c"),
                Piece::Placeholder("d_2")
            ]
        );
        assert_eq!(
            parse_template("{x").unwrap_err(),
            TemplateError::Unclosed { at: 0 }
        );
        assert_eq!(
            parse_template("x}").unwrap_err(),
            TemplateError::Unopened { at: 1 }
        );
        assert_eq!(
            parse_template("a{}").unwrap_err(),
            TemplateError::Empty { at: 1 }
        );
        assert_eq!(
            parse_template("{a{b}").unwrap_err(),
            TemplateError::Unclosed { at: 0 }
        );
        let problem = parse_template("{Shop Name}").unwrap_err();
        assert_eq!(problem.help().as_deref(), Some("use `{shop_name}`"));
        assert_eq!(parse_template("").unwrap(), []);
    }

    fn positions(template: &str, hosts: &[&str]) -> Vec<(&'static str, Position)> {
        classify_url(template, hosts)
            .unwrap()
            .into_iter()
            .map(|p| (&*p.name.to_owned().leak(), p.position))
            .collect()
    }

    #[test]
    fn positions_by_place() {
        use Position::*;
        assert_eq!(
            positions("https://{shop}.myshopify.com/admin/oauth/authorize", &[]),
            [("shop", HostLabel)]
        );
        assert_eq!(
            positions("https://ca-{env}.adyen.com/x", &[]),
            [("env", HostLabel)]
        );
        assert_eq!(
            positions("https://accounts.zoho.{tld}/oauth", &[]),
            [("tld", HostLabel)]
        );
        assert_eq!(
            positions("https://{host}/oauth/authorize", &[]),
            [("host", Host)]
        );
        assert_eq!(
            positions("https://{host}:8443/oauth", &[]),
            [("host", Host)]
        );
        assert_eq!(
            positions(
                "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
                &[]
            ),
            [("tenant", PathSegment)]
        );
        assert_eq!(
            positions("https://a.example/x?t={t}&u=1", &[]),
            [("t", QueryValue)]
        );
        assert_eq!(
            positions("https://a.example/v{major}.0", &[]),
            [("major", PathSegment)]
        );
        assert_eq!(
            positions("http://{host}:18081/token", &["127.0.0.1"]),
            [("host", Host)]
        );
    }

    #[test]
    fn misplaced_placeholders() {
        for (template, place) in [
            ("{scheme}://a.example/", "the scheme"),
            ("https://a.example:{port}/", "the port"),
            ("https://a.example/?{name}=1", "a query parameter's name"),
            ("https://a.example/#{frag}", "the fragment"),
        ] {
            match classify_url(template, &[]) {
                Err(UrlTemplateError::Position { place: found, .. }) => {
                    assert_eq!(found, place, "{template}")
                }
                other => panic!("{template}: {other:?}"),
            }
        }
        assert!(matches!(
            classify_url("https://user:{p}@a.example/", &[]),
            Err(UrlTemplateError::Url(UrlError::UserInfo))
        ));
    }

    #[test]
    fn fixed_parts_obey_the_url_rules() {
        assert!(matches!(
            classify_url("http://{shop}.example.com/", &[]),
            Err(UrlTemplateError::Url(UrlError::InsecureHttp { .. }))
        ));
        assert_eq!(
            classify_url("http://{host}/", &[]).unwrap_err(),
            UrlTemplateError::InsecureHttp
        );
        assert_eq!(
            classify_url("http://{host}/", &["gitlab.example.com"]).unwrap_err(),
            UrlTemplateError::InsecureHttp
        );
        assert!(classify_url("http://{host}/", &["127.0.0.1", "localhost"]).is_ok());
        assert!(matches!(
            classify_url("https://{shop}.example.com/#x", &[]),
            Err(UrlTemplateError::Url(UrlError::Fragment))
        ));
    }

    #[test]
    fn the_guard_by_position() {
        use Position::*;
        for value in [
            ".",
            "/",
            "@",
            ":",
            "a.b",
            "a:1",
            "x@y",
            "é",
            "a\u{3002}b",
            "a%2eb",
        ] {
            assert!(
                check_value(HostLabel, value, false, &[]).is_err(),
                "{value:?}"
            );
        }
        assert!(check_value(HostLabel, &"a".repeat(64), false, &[]).is_err());
        for value in ["", "a\r\nb", "\0", &"a".repeat(MAX_VALUE_LEN + 1)] {
            for position in [Host, HostLabel, PathSegment, QueryValue, Text] {
                assert!(
                    check_value(position, value, false, &[]).is_err(),
                    "{value:?}"
                );
            }
        }
        for value in [".", ".."] {
            assert_eq!(
                check_value(PathSegment, value, false, &[]),
                Err(ValueError::DotSegment)
            );
        }
        assert!(
            check_value(PathSegment, "%2e%2e", false, &[]).is_ok(),
            "encoded, so harmless"
        );
        assert_eq!(encode_component("%2e%2e/x"), "%252e%252e%2Fx");
        assert_eq!(encode_component("a b&c=d?#"), "a%20b%26c%3Dd%3F%23");
    }

    #[test]
    fn whole_hosts() {
        use Position::Host;
        let ok = |v: &str, port: bool, hosts: &[&str]| check_value(Host, v, port, hosts);
        assert!(ok("gitlab.acme.example", false, &[]).is_ok());
        assert!(ok("GitLab.Acme.Example", false, &["*.acme.example"]).is_ok());
        assert_eq!(ok("gitlab", false, &[]), Err(ValueError::NotHostName));
        assert_eq!(
            ok("evil.example", false, &["*.acme.example"]),
            Err(ValueError::HostNotAllowed)
        );
        assert_eq!(
            ok("acme.example", false, &["*.acme.example"]),
            Err(ValueError::HostNotAllowed)
        );
        assert_eq!(ok("a.example:8443", false, &[]), Err(ValueError::Port));
        assert!(ok("a.example:8443", true, &[]).is_ok());
        assert_eq!(ok("a.example:0", true, &[]), Err(ValueError::NotHostName));
        assert_eq!(
            ok("user@a.example", false, &[]),
            Err(ValueError::NotHostName)
        );
        assert_eq!(ok("a.example/x", false, &[]), Err(ValueError::NotHostName));
        assert_eq!(ok("127.0.0.1", false, &[]), Err(ValueError::IpOrLocalhost));
        assert_eq!(ok("localhost", false, &[]), Err(ValueError::IpOrLocalhost));
        assert_eq!(ok("[::1]", false, &[]), Err(ValueError::IpOrLocalhost));
        assert_eq!(ok("10.0.0.010", false, &[]), Err(ValueError::IpOrLocalhost));
        assert_eq!(ok("0x7f.1", false, &[]), Err(ValueError::IpOrLocalhost));
        assert!(ok("127.0.0.1", false, &["127.0.0.1"]).is_ok());
        assert_eq!(
            ok("127.0.0.1", false, &["*.0.0.1"]),
            Err(ValueError::IpOrLocalhost)
        );
        // Unicode dots and look-alikes are not ASCII labels.
        assert_eq!(
            ok("gitlab\u{3002}acme.example", false, &[]),
            Err(ValueError::NotHostName)
        );
        assert_eq!(
            ok("gіtlab.acme.example", false, &[]),
            Err(ValueError::NotHostName)
        );
        assert_eq!(ok("-a.example", false, &[]), Err(ValueError::NotHostName));
        assert_eq!(ok("a..example", false, &[]), Err(ValueError::NotHostName));
    }

    #[test]
    fn hosts_entries() {
        for entry in [
            "example.com",
            "*.example.com",
            "127.0.0.1",
            "[::1]:8080",
            "localhost",
        ] {
            assert!(check_hosts_entry(entry).is_ok(), "{entry}");
        }
        for entry in ["", "*", "*.com", "https://x.example", "x.example/a", "a b"] {
            assert!(check_hosts_entry(entry).is_err(), "{entry}");
        }
        assert!(host_matches("*.example.com", "a.b.example.com"));
        assert!(!host_matches("*.example.com", "example.com"));
        assert!(!host_matches("*.example.com", "evilexample.com"));
        assert!(all_loopback(&["127.0.0.1", "[::1]:9", "localhost"]));
        assert!(!all_loopback(&["127.0.0.1", "a.example"]));
        assert!(!all_loopback(&[]));
    }

    #[test]
    fn patterns() {
        assert!(Pattern::new("^[a-z]+$").unwrap().matches("abc"));
        assert!(Pattern::new("com|eu").unwrap().matches("eu"));
        assert!(!Pattern::new("com|eu").unwrap().matches("com.evil"));
        let problem = Pattern::new("(a").unwrap_err();
        assert!(!problem.to_string().is_empty());
    }
}
