//! Server-sent text made safe to print: an OAuth error's code and description come from a
//! third party and end up in logs.

/// The longest server-sent text kept in a message, in characters.
const MAX_CHARS: usize = 300;

/// `text` with control characters (line breaks among them) escaped, so that it cannot forge a
/// log line, and cut to a few hundred characters.
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS));
    for (index, c) in text.chars().enumerate() {
        if index == MAX_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped_and_long_text_cut() {
        assert_eq!(
            printable("bad\r\nINFO forged line\u{1b}[31m"),
            "bad\\r\\nINFO forged line\\u{1b}[31m"
        );
        assert_eq!(printable("é ok"), "é ok");
        let long = "x".repeat(1000);
        assert_eq!(printable(&long).chars().count(), MAX_CHARS + 1);
    }
}
