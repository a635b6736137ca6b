//! What the command line prints: text for people (in colour only on a terminal, and never with
//! `NO_COLOR` set), JSON for scripts, and never a secret.

use std::io::IsTerminal;
use std::time::SystemTime;

use serde_json::{Value, json};

use crate::clock::unix_seconds;
use crate::definition::{ConnectionDefinition, Registry};
use crate::oauth2::TokenSet;
use crate::store::{ConnectionStatus, StoredConnection};

/// Prints to stdout (results) and stderr (notes, warnings, errors).
pub(super) struct Printer {
    stdout_colour: bool,
    stderr_colour: bool,
}

const RED: &str = "31";
const GREEN: &str = "32";
const YELLOW: &str = "33";
const BOLD: &str = "1";

impl Printer {
    pub(super) fn new() -> Self {
        let allowed = std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
        Self {
            stdout_colour: allowed && std::io::stdout().is_terminal(),
            stderr_colour: allowed && std::io::stderr().is_terminal(),
        }
    }

    fn paint(enabled: bool, code: &str, text: &str) -> String {
        if enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    /// The link with the device code in it: as text, and as a QR code a phone can scan when
    /// standard error is a terminal.
    pub(super) fn device_link(&self, link: &str) {
        if std::io::stderr().is_terminal()
            && let Some(code) = qr_code(link)
        {
            eprintln!("or scan:\n{code}");
        }
        eprintln!("or open {link}\n");
    }

    pub(super) fn line(&self, text: &str) {
        println!("{text}");
    }

    pub(super) fn note(&self, text: &str) {
        eprintln!("{text}");
    }

    pub(super) fn warning(&self, text: &str) {
        eprintln!(
            "{} {text}",
            Self::paint(self.stderr_colour, YELLOW, "warning:")
        );
    }

    pub(super) fn error(&self, text: &str) {
        eprintln!("{} {text}", Self::paint(self.stderr_colour, RED, "error:"));
    }

    /// A token set with every secret redacted: what there is, and until when.
    pub(super) fn tokens(&self, definition_id: &str, tokens: &TokenSet) {
        let scopes = tokens.scopes().map_or_else(
            || "(not said; those requested)".to_owned(),
            |scopes| scopes.join(" "),
        );
        println!("connection:    {definition_id}");
        println!("access token:  [redacted]");
        println!(
            "token type:    {}",
            tokens.token_type().unwrap_or("(not said)")
        );
        println!("expires:       {}", when(tokens.expires_at()));
        println!(
            "refresh token: {}",
            if tokens.refresh_token().is_some() {
                "[redacted]"
            } else {
                "none"
            }
        );
        println!("scopes:        {scopes}");
        let keys: Vec<&str> = tokens.metadata().keys().map(String::as_str).collect();
        if !keys.is_empty() {
            println!("also sent:     {} (values redacted)", keys.join(", "));
        }
    }

    pub(super) fn connections(&self, all: &[StoredConnection], registry: Registry, json: bool) {
        if json {
            let list: Vec<Value> = all.iter().map(|c| describe(c, registry)).collect();
            println!("{}", Value::Array(list));
            return;
        }
        if all.is_empty() {
            println!("no stored connections");
            return;
        }
        let rows: Vec<[String; 6]> = all
            .iter()
            .map(|connection| {
                [
                    connection.id.clone(),
                    connection.owner.clone(),
                    connection.definition_id.clone(),
                    status_text(connection, registry).to_owned(),
                    short_when(connection.tokens.expires_at()),
                    missing(connection, registry).join(" "),
                ]
            })
            .collect();
        let header = [
            "ID",
            "OWNER",
            "CONNECTION",
            "STATUS",
            "EXPIRES",
            "MISSING SCOPES",
        ];
        let mut widths = header.map(str::len);
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let render = |cells: [&str; 6], paint_status: bool| {
            let mut line = String::new();
            for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
                let padded = format!("{cell:<width$}");
                let padded = if index == 3 && paint_status {
                    Self::paint(self.stdout_colour, status_colour(cell), &padded)
                } else {
                    padded
                };
                line.push_str(&padded);
                if index < 5 {
                    line.push_str("  ");
                }
            }
            line.trim_end().to_owned()
        };
        println!(
            "{}",
            Self::paint(self.stdout_colour, BOLD, &render(header, false))
        );
        for row in &rows {
            println!("{}", render(row.each_ref().map(String::as_str), true));
        }
    }

    pub(super) fn connection(&self, connection: &StoredConnection, registry: Registry, json: bool) {
        if json {
            println!("{}", describe(connection, registry));
            return;
        }
        let status = status_text(connection, registry);
        let optional = |value: Option<u64>| value.map_or_else(|| "never".to_owned(), stamp);
        println!("id:               {}", connection.id);
        println!("owner:            {}", connection.owner);
        println!("connection:       {}", connection.definition_id);
        println!(
            "status:           {}",
            Self::paint(self.stdout_colour, status_colour(status), status)
        );
        println!(
            "access token:     [redacted], expires {}",
            when(connection.tokens.expires_at())
        );
        println!(
            "refresh token:    {}",
            if connection.tokens.refresh_token().is_some() {
                "[redacted]"
            } else {
                "none"
            }
        );
        println!(
            "scopes requested: {}",
            connection.scopes_requested.join(" ")
        );
        println!("scopes granted:   {}", connection.scopes_granted.join(" "));
        let lacking = missing(connection, registry);
        if !lacking.is_empty() {
            println!(
                "missing scopes:   {} (authorize --reconnect {})",
                lacking.join(" "),
                connection.id
            );
        }
        println!(
            "created:          {}",
            stamp(unix_seconds(connection.created_at))
        );
        println!(
            "refreshed:        {}",
            optional(connection.refreshed_at.map(unix_seconds))
        );
        println!("failures:         {}", connection.health.failures);
        if let Some(error) = &connection.health.last_error {
            println!("last error:       {error}");
        }
    }

    pub(super) fn missing_scopes(
        &self,
        lacking: &[(StoredConnection, Vec<&'static str>)],
        json: bool,
    ) {
        if json {
            let list: Vec<Value> = lacking
                .iter()
                .map(|(connection, scopes)| {
                    json!({
                        "id": connection.id,
                        "owner": connection.owner,
                        "connection": connection.definition_id,
                        "missing_scopes": scopes,
                    })
                })
                .collect();
            println!("{}", Value::Array(list));
            return;
        }
        if lacking.is_empty() {
            println!("every stored connection has the scopes its definition asks for");
            return;
        }
        for (connection, scopes) in lacking {
            println!(
                "{} ({}, owner {}) lacks {}; authorize --reconnect {} asks for it",
                connection.id,
                connection.definition_id,
                connection.owner,
                scopes.join(" "),
                connection.id
            );
        }
    }
}

fn status_colour(status: &str) -> &'static str {
    match status {
        "active" => GREEN,
        "missing_scopes" | "needs_reconnect" => YELLOW,
        _ => RED,
    }
}

fn missing(connection: &StoredConnection, registry: Registry) -> Vec<&'static str> {
    super::missing_of(registry, connection)
}

/// The status, with `missing_scopes` for an active connection that lacks some, and
/// `unknown_definition` for one whose definition left the registry.
fn status_text(connection: &StoredConnection, registry: Registry) -> &'static str {
    if registry.connection(&connection.definition_id).is_none() {
        return "unknown_definition";
    }
    match connection.status {
        ConnectionStatus::Active if !missing(connection, registry).is_empty() => "missing_scopes",
        status => status.as_str(),
    }
}

/// A stored connection as JSON: no token, only whether there is one and when it expires.
fn describe(connection: &StoredConnection, registry: Registry) -> Value {
    json!({
        "id": connection.id,
        "owner": connection.owner,
        "connection": connection.definition_id,
        "kind": registry.connection(&connection.definition_id).map(ConnectionDefinition::kind),
        "status": status_text(connection, registry),
        "expires_at": connection.tokens.expires_at().map(unix_seconds),
        "has_refresh_token": connection.tokens.refresh_token().is_some(),
        "scopes_requested": connection.scopes_requested,
        "scopes_granted": connection.scopes_granted,
        "missing_scopes": missing(connection, registry),
        "created_at": unix_seconds(connection.created_at),
        "refreshed_at": connection.refreshed_at.map(unix_seconds),
        "failures": connection.health.failures,
        "last_error": connection.health.last_error,
    })
}

/// "at 2026-11-30T01:02:03Z (in 59 min)", or "never" for a token without expiry.
pub(super) fn when(time: Option<SystemTime>) -> String {
    let Some(at) = time else {
        return "never (the provider gave no expiry)".to_owned();
    };
    format!("at {} ({})", stamp(unix_seconds(at)), short_when(time))
}

/// "in 59 min", "2 d ago", or "never".
fn short_when(time: Option<SystemTime>) -> String {
    let Some(time) = time else {
        return "never".to_owned();
    };
    let (at, now) = (unix_seconds(time), unix_seconds(crate::clock::now()));
    if at >= now {
        format!("in {}", span(at - now))
    } else {
        format!("{} ago", span(now - at))
    }
}

fn span(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min", seconds / 60),
        3600..86_400 => format!("{} h", seconds / 3600),
        _ => format!("{} d", seconds / 86_400),
    }
}

/// Unix seconds as an RFC 3339 UTC time.
fn stamp(unix: u64) -> String {
    let (year, month, day, rest) = crate::civil::utc(unix);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// `text` as a QR code in Unicode half blocks, light modules drawn so that it reads on a dark
/// terminal (as `qrencode -t UTF8` draws it); `None` for a text too long for a QR code.
pub(super) fn qr_code(text: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<Dense1x2>()
            .dark_color(Dense1x2::Light)
            .light_color(Dense1x2::Dark)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_dates() {
        assert_eq!(stamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(stamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(stamp(1_795_996_799), "2026-11-29T23:59:59Z");
    }

    #[test]
    fn spans_read_as_people_say_them() {
        assert_eq!(span(59), "59 s");
        assert_eq!(span(3599), "59 min");
        assert_eq!(span(7200), "2 h");
        assert_eq!(span(200_000), "2 d");
    }

    #[test]
    fn a_device_link_renders_as_a_qr_code_with_its_quiet_zone() {
        let link = "http://127.0.0.1:18081/device?user_code=ABCD-EFGH";
        let code = super::qr_code(link).unwrap();
        let modules = qrcode::QrCode::new(link.as_bytes()).unwrap().width();
        // The modules and a quiet zone of four on each side; two rows of modules a line.
        let side = modules + 8;
        let lines: Vec<&str> = code.lines().collect();
        assert!(
            lines.iter().all(|line| line.chars().count() == side),
            "{code}"
        );
        assert_eq!(lines.len(), side.div_ceil(2));
        // The quiet zone is light, drawn as full blocks for a dark terminal.
        assert!(lines[0].chars().all(|c| c == '█'));
        assert!(
            super::qr_code(&"x".repeat(8000)).is_none(),
            "too long for a QR code"
        );
    }
}
