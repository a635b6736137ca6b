//! "Did you mean" suggestions for misspelled keys.

/// Edit distance (insertions, deletions, substitutions) between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

/// The candidate closest to `word`, if any is close enough to be a likely typo (at most a third
/// of the word's length away, and at least one edit allowed). Case and `-`/`_` are ignored when
/// comparing, so `authorizeUrl` and `authorize-url` both find `authorize_url`.
///
/// ```
/// use connkit_rules::suggest::closest;
/// let keys = ["authorize_url", "token_url", "scopes"];
/// assert_eq!(closest("authorise_url", &keys), Some("authorize_url"));
/// assert_eq!(closest("authorizeUrl", &keys), Some("authorize_url"));
/// assert_eq!(closest("colour", &keys), None);
/// ```
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let folded = fold(word);
    let allowed = (folded.chars().count() / 3).max(1);
    candidates
        .iter()
        .map(|candidate| (edit_distance(&folded, &fold(candidate)), *candidate))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The "did you mean" line for a misspelled `word`, when a candidate is close enough.
///
/// ```
/// use connkit_rules::suggest::did_you_mean;
/// assert_eq!(did_you_mean("scope", &["scopes"]).as_deref(), Some("did you mean `scopes`?"));
/// ```
pub fn did_you_mean(word: &str, candidates: &[&str]) -> Option<String> {
    closest(word, candidates).map(|candidate| format!("did you mean `{candidate}`?"))
}

fn fold(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", ""), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("scope", "scopes"), 1);
    }

    #[test]
    fn suggestions() {
        let keys = ["scopes", "scope_delimiter", "client_auth"];
        assert_eq!(closest("scope", &keys), Some("scopes"));
        assert_eq!(closest("client_auht", &keys), Some("client_auth"));
        assert_eq!(closest("zzz", &keys), None);
    }
}
