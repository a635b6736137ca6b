//! Scope lists: no duplicates, no empty scopes, only RFC 6749 §3.3 scope-token characters, and
//! no scope that contains the delimiter it is joined with.

use core::fmt;

/// The delimiter of RFC 6749 §3.3 and connkit's default.
pub const DEFAULT_DELIMITER: &str = " ";

/// What is wrong with one scope of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ScopeProblem {
    /// The scope is the empty string.
    Empty,
    /// The scope contains whitespace.
    Whitespace,
    /// A character outside RFC 6749's scope-token set (`%x21 / %x23-5B / %x5D-7E`).
    Character(char),
    /// The scope contains the delimiter, so joining would split it.
    ContainsDelimiter,
    /// The same scope appeared earlier, at index `first`.
    Duplicate {
        /// Index of the first occurrence.
        first: usize,
    },
}

/// One problem at one index of a scope list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScopeIssue {
    /// Index of the offending scope.
    pub index: usize,
    /// What is wrong with it.
    pub problem: ScopeProblem,
}

impl fmt::Display for ScopeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("a scope must not be empty"),
            Self::Whitespace => f.write_str("a scope must not contain whitespace"),
            Self::Character(c) => write!(
                f,
                "character {c:?} is not allowed in a scope (RFC 6749 section 3.3 allows visible ASCII except '\"' and '\\')"
            ),
            Self::ContainsDelimiter => f.write_str(
                "the scope contains the scope delimiter, so the joined list would split it",
            ),
            Self::Duplicate { .. } => f.write_str("duplicate scope"),
        }
    }
}

impl ScopeIssue {
    /// The message for this issue in `scopes`, joined with `delimiter`.
    ///
    /// ```
    /// use connkit_rules::scope::check_scopes;
    /// let scopes = ["repo", "workflow", "repo"];
    /// let issue = &check_scopes(&scopes, " ")[0];
    /// assert_eq!(issue.message(&scopes, " "), "duplicate scope \"repo\"");
    /// assert_eq!(issue.help(&scopes).as_deref(), Some("remove it: \"repo\" is already scope 1 of the list"));
    /// ```
    pub fn message(&self, scopes: &[&str], delimiter: &str) -> String {
        let scope = scopes.get(self.index).copied().unwrap_or_default();
        match &self.problem {
            ScopeProblem::Duplicate { .. } => format!("duplicate scope {scope:?}"),
            ScopeProblem::ContainsDelimiter => format!(
                "invalid scope {scope:?}: {}; the delimiter is {delimiter:?}",
                self.problem
            ),
            problem => format!("invalid scope {scope:?}: {problem}"),
        }
    }

    /// The fix, when one is obvious.
    pub fn help(&self, scopes: &[&str]) -> Option<String> {
        let scope = scopes.get(self.index).copied().unwrap_or_default();
        match &self.problem {
            ScopeProblem::Duplicate { first } => Some(format!(
                "remove it: {scope:?} is already scope {} of the list",
                first + 1
            )),
            ScopeProblem::Whitespace => {
                let parts: Vec<String> = scope
                    .split_whitespace()
                    .map(|part| format!("{part:?}"))
                    .collect();
                (parts.len() > 1)
                    .then(|| format!("write each scope as its own string: {}", parts.join(", ")))
            }
            _ => None,
        }
    }
}

/// Checks every scope of a list; returns one issue per offending scope, in order.
///
/// ```
/// use connkit_rules::scope::{check_scopes, ScopeProblem};
/// let issues = check_scopes(&["repo", "workflow", "repo"], " ");
/// assert_eq!(issues.len(), 1);
/// assert_eq!(issues[0].index, 2);
/// assert_eq!(issues[0].problem, ScopeProblem::Duplicate { first: 0 });
/// ```
pub fn check_scopes(scopes: &[&str], delimiter: &str) -> Vec<ScopeIssue> {
    let mut issues = Vec::new();
    for (index, scope) in scopes.iter().enumerate() {
        let problem = if scope.is_empty() {
            Some(ScopeProblem::Empty)
        } else if scope.chars().any(char::is_whitespace) {
            Some(ScopeProblem::Whitespace)
        } else if let Some(c) = scope.chars().find(|c| !is_scope_char(*c)) {
            Some(ScopeProblem::Character(c))
        } else if !delimiter.is_empty() && scope.contains(delimiter) {
            Some(ScopeProblem::ContainsDelimiter)
        } else {
            scopes[..index]
                .iter()
                .position(|earlier| earlier == scope)
                .map(|first| ScopeProblem::Duplicate { first })
        };
        if let Some(problem) = problem {
            issues.push(ScopeIssue { index, problem });
        }
    }
    issues
}

const fn is_scope_char(c: char) -> bool {
    matches!(c, '\x21' | '\x23'..='\x5b' | '\x5d'..='\x7e')
}

/// A scope delimiter that is empty or contains a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DelimiterError {
    /// The delimiter is empty.
    Empty,
    /// The delimiter contains a letter or digit, which would merge into scopes.
    Alphanumeric(char),
}

impl fmt::Display for DelimiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("the scope delimiter must not be empty"),
            Self::Alphanumeric(c) => write!(
                f,
                "the scope delimiter must not contain letters or digits, found {c:?}"
            ),
        }
    }
}

impl std::error::Error for DelimiterError {}

/// Checks a scope delimiter: any non-empty string without letters or digits.
pub fn check_delimiter(delimiter: &str) -> Result<(), DelimiterError> {
    if delimiter.is_empty() {
        return Err(DelimiterError::Empty);
    }
    match delimiter.chars().find(|c| c.is_alphanumeric()) {
        Some(c) => Err(DelimiterError::Alphanumeric(c)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_problem() {
        let issues = check_scopes(&["a", "", "b c", "a", "x,y", "é", "q\"", "a"], ",");
        let problems: Vec<_> = issues
            .iter()
            .map(|i| (i.index, i.problem.clone()))
            .collect();
        assert_eq!(
            problems,
            [
                (1, ScopeProblem::Empty),
                (2, ScopeProblem::Whitespace),
                (3, ScopeProblem::Duplicate { first: 0 }),
                (4, ScopeProblem::ContainsDelimiter),
                (5, ScopeProblem::Character('é')),
                (6, ScopeProblem::Character('"')),
                (7, ScopeProblem::Duplicate { first: 0 }),
            ]
        );
    }

    #[test]
    fn real_scopes_pass() {
        let google = ["https://www.googleapis.com/auth/gmail.readonly", "openid"];
        assert!(check_scopes(&google, " ").is_empty());
        assert!(check_scopes(&["users:read.email", "chat:write"], ",").is_empty());
    }

    #[test]
    fn delimiters() {
        assert!(check_delimiter(" ").is_ok());
        assert!(check_delimiter(",").is_ok());
        assert!(check_delimiter("+").is_ok());
        assert_eq!(check_delimiter(""), Err(DelimiterError::Empty));
        assert_eq!(check_delimiter("a"), Err(DelimiterError::Alphanumeric('a')));
    }
}
