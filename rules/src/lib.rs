//! The conventions of connkit definitions, as plain functions.
//!
//! This crate is the single source of truth for what a valid app id, connection id,
//! environment variable name, scope list, endpoint URL or connection input looks like. Its one
//! dependency is `regex-lite` (no dependencies of its own, no Unicode tables), which compiles an
//! input's `pattern` the same way at compile time and at run time. The `connkit-macros`
//! crate calls it at compile time to reject bad definitions; the `connkit` runtime calls
//! the same functions (several are `const fn`, so generated `const` assertions can too).
//!
//! ```
//! use connkit_rules::{env, id};
//!
//! let parts = id::parse_connection_id("zoho-books_connection_oauth2-US", "oauth2").unwrap();
//! assert_eq!(parts.app_id, "zoho-books");
//! assert_eq!(parts.variant, Some("US"));
//! assert_eq!(
//!     env::env_var_name("zoho-books", None, env::CredentialKind::ClientSecret),
//!     "INTEGRATION_ZOHO_BOOKS_CLIENT_SECRET",
//! );
//! ```

pub mod env;
pub mod id;
pub mod params;
pub mod scope;
pub mod suggest;
pub mod template;
pub mod url_shape;

/// `a == b`, usable in `const` contexts. The bytes are compared from the end: the ids compared
/// at compile time share long prefixes (`<app-id>_connection_...`) and differ near the end, and
/// `const` evaluation pays for every byte it reads. (Plain byte loops: reading 8 bytes at a time
/// through `split_last_chunk` measured slower, as each call costs `const` evaluation more than
/// several bytes of a loop.)
pub const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = a.len();
    while i > 0 {
        i -= 1;
        if a[i] != b[i] {
            return false;
        }
    }
    true
}

/// Whether `needle` occurs in `haystack` at `at`.
pub(crate) const fn bytes_match_at(haystack: &[u8], at: usize, needle: &[u8]) -> bool {
    if at > haystack.len() || haystack.len() - at < needle.len() {
        return false;
    }
    let mut i = 0;
    while i < needle.len() {
        if haystack[at + i] != needle[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn const_string_helpers_agree_with_std() {
        for (a, b) in [
            ("", ""),
            ("a", ""),
            ("a", "b"),
            ("ab", "a"),
            ("gmail", "github"),
            ("app-10-x", "app-1-x"),
            ("app-1-x", "app-1-x"),
            ("abcdefgh", "abcdefgi"),
            ("abcdefghij", "abcdefgh"),
            ("abcdefghij", "abcdefghik"),
            ("xbcdefghij", "abcdefghij"),
            ("gmail_connection_oauth2-v0", "gmail_connection_oauth2-v1"),
            ("gmail_connection_oauth2", "gmail_connection_oauth2"),
            ("é", "e"),
        ] {
            for (a, b) in [(a, b), (b, a)] {
                assert_eq!(str_eq(a, b), a == b, "{a:?} == {b:?}");
            }
        }
        assert!(bytes_match_at(b"abc", 1, b"bc"));
        assert!(!bytes_match_at(b"abc", 2, b"bc"));
        assert!(!bytes_match_at(b"abc", 4, b""));
        assert!(bytes_match_at(
            b"gmail_connection_oauth2",
            5,
            b"_connection_"
        ));
        assert!(!bytes_match_at(
            b"gmail_connection_oauth2",
            5,
            b"_connection_oauth2x"
        ));
    }

    proptest::proptest! {
        // Short alphabets, so that equal strings and long common prefixes are frequent.
        #[test]
        fn const_comparisons_agree_with_std(a in "[ab_é]{0,40}", b in "[ab_é]{0,40}") {
            proptest::prop_assert_eq!(str_eq(&a, &b), a == b);
            let joined = format!("{a}{b}");
            proptest::prop_assert!(bytes_match_at(joined.as_bytes(), a.len(), b.as_bytes()));
        }
    }
}
