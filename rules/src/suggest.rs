//! "Did you mean" suggestions for misspelled keys.

/// Edit distance (insertions, deletions, substitutions, and transpositions of two neighbours,
/// the commonest typo: `lable`, `shpo`) between two strings, by characters.
///
/// ```
/// use connkit_rules::suggest::edit_distance;
/// assert_eq!(edit_distance("lable", "label"), 1);
/// assert_eq!(edit_distance("colour", "color"), 1);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // rows[i][j]: the distance between a[..i] and b[..j] (optimal string alignment).
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
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
