//! Environment variable names of client credentials:
//! `INTEGRATION_<APP>_CLIENT_ID` / `INTEGRATION_<APP>_CLIENT_SECRET`, where `<APP>` is the app
//! id upper-cased with `-` turned into `_`. A connection variant may instead use
//! `INTEGRATION_<APP>_<VARIANT>_CLIENT_ID` (variant upper-cased the same way).

use core::fmt;

/// Which client credential a variable holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialKind {
    /// The OAuth2 client id.
    ClientId,
    /// The OAuth2 client secret.
    ClientSecret,
    /// The client's private key (PEM), for `private_key_jwt` client authentication.
    ClientKey,
}

impl CredentialKind {
    /// The suffix of the variable name: `CLIENT_ID`, `CLIENT_SECRET` or `CLIENT_KEY`.
    pub const fn suffix(self) -> &'static str {
        match self {
            Self::ClientId => "CLIENT_ID",
            Self::ClientSecret => "CLIENT_SECRET",
            Self::ClientKey => "CLIENT_KEY",
        }
    }

    /// A lowercase description for messages: `client id`, `client secret` or `client key`.
    pub const fn describe(self) -> &'static str {
        match self {
            Self::ClientId => "client id",
            Self::ClientSecret => "client secret",
            Self::ClientKey => "client key",
        }
    }

    const ALL: [Self; 3] = [Self::ClientId, Self::ClientSecret, Self::ClientKey];
}

/// Upper-cases `part` and turns `-` into `_`: `google-sheets` → `GOOGLE_SHEETS`.
pub fn env_segment(part: &str) -> String {
    part.chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect()
}

/// The variable name for a credential: `INTEGRATION_<APP>[_<VARIANT>]_<CLIENT_ID|CLIENT_SECRET>`.
///
/// ```
/// use connkit_rules::env::{env_var_name, CredentialKind};
/// assert_eq!(env_var_name("microsoft-excel-365", None, CredentialKind::ClientId),
///            "INTEGRATION_MICROSOFT_EXCEL_365_CLIENT_ID");
/// assert_eq!(env_var_name("zoho-books", Some("US"), CredentialKind::ClientSecret),
///            "INTEGRATION_ZOHO_BOOKS_US_CLIENT_SECRET");
/// ```
pub fn env_var_name(app_id: &str, variant: Option<&str>, kind: CredentialKind) -> String {
    let mut name = format!("INTEGRATION_{}_", env_segment(app_id));
    if let Some(variant) = variant {
        name.push_str(&env_segment(variant));
        name.push('_');
    }
    name.push_str(kind.suffix());
    name
}

/// Every name accepted for a credential of a connection: the app's name, and for a variant also
/// the variant's name.
pub fn accepted_env_var_names(
    app_id: &str,
    variant: Option<&str>,
    kind: CredentialKind,
) -> Vec<String> {
    let mut names = vec![env_var_name(app_id, None, kind)];
    if variant.is_some() {
        names.push(env_var_name(app_id, variant, kind));
    }
    names
}

/// A written environment variable name that breaks the naming rule.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct EnvVarNameError {
    /// The name as written.
    pub found: String,
    /// Which credential the variable is for.
    pub kind: CredentialKind,
    /// The accepted names, the default first; empty when the app id is unknown (an invalid
    /// connection id), in which case only the shape was checked.
    pub expected: Vec<String>,
}

impl EnvVarNameError {
    /// The fix: the accepted names, or the shape of one when the app id is unknown.
    pub fn help(&self) -> Option<String> {
        if self.expected.is_empty() {
            return Some(format!(
                "a {} variable is named \"INTEGRATION_<APP>_{}\", where <APP> is the app id upper-cased with '-' as '_'",
                self.kind.describe(),
                self.kind.suffix()
            ));
        }
        let quoted: Vec<String> = self.expected.iter().map(|n| format!("{n:?}")).collect();
        Some(format!("use {}", quoted.join(" or ")))
    }

    /// The other credential whose variable the written name is named for, if any.
    fn other_kind(&self) -> Option<CredentialKind> {
        CredentialKind::ALL.into_iter().find(|other| {
            *other != self.kind && self.found.ends_with(&format!("_{}", other.suffix()))
        })
    }
}

impl fmt::Display for EnvVarNameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(other) = self.other_kind() {
            write!(
                f,
                "the {} would be read from {:?}, a variable named for the {}",
                self.kind.describe(),
                self.found,
                other.describe()
            )
        } else {
            write!(
                f,
                "{:?} does not follow the naming rule for the {}",
                self.found,
                self.kind.describe()
            )
        }
    }
}

impl std::error::Error for EnvVarNameError {}

/// Checks a written variable name against the accepted names of the connection's app (and
/// variant).
///
/// ```
/// use connkit_rules::env::{check_env_var_name, CredentialKind};
/// // Lecca's Slack definition read its secret from the client id variable:
/// let error = check_env_var_name("INTEGRATION_SLACK_CLIENT_ID", "slack", None,
///                                CredentialKind::ClientSecret).unwrap_err();
/// assert_eq!(error.expected, ["INTEGRATION_SLACK_CLIENT_SECRET"]);
/// assert_eq!(error.help().as_deref(), Some("use \"INTEGRATION_SLACK_CLIENT_SECRET\""));
/// ```
pub fn check_env_var_name(
    written: &str,
    app_id: &str,
    variant: Option<&str>,
    kind: CredentialKind,
) -> Result<(), EnvVarNameError> {
    let expected = accepted_env_var_names(app_id, variant, kind);
    if expected.iter().any(|name| name == written) {
        Ok(())
    } else {
        Err(EnvVarNameError {
            found: written.to_owned(),
            kind,
            expected,
        })
    }
}

/// Checks only the shape of a variable name, for when the app id is not known (the connection
/// id is invalid): `INTEGRATION_`, then upper-case words of `[A-Z0-9]` joined by single `_`,
/// then `_CLIENT_ID` or `_CLIENT_SECRET` as `kind` says.
///
/// ```
/// use connkit_rules::env::{check_env_var_shape, CredentialKind};
/// assert!(check_env_var_shape("INTEGRATION_ACME_CLIENT_ID", CredentialKind::ClientId).is_ok());
/// assert!(check_env_var_shape("ACME_CLIENT_ID", CredentialKind::ClientId).is_err());
/// assert!(check_env_var_shape("INTEGRATION_ACME_CLIENT_ID", CredentialKind::ClientSecret).is_err());
/// ```
pub fn check_env_var_shape(written: &str, kind: CredentialKind) -> Result<(), EnvVarNameError> {
    let middle = written
        .strip_prefix("INTEGRATION_")
        .and_then(|rest| rest.strip_suffix(kind.suffix()))
        .and_then(|rest| rest.strip_suffix('_'));
    let well_formed = middle.is_some_and(|middle| {
        !middle.is_empty()
            && middle.split('_').all(|word| {
                !word.is_empty()
                    && word
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            })
    });
    if well_formed {
        Ok(())
    } else {
        Err(EnvVarNameError {
            found: written.to_owned(),
            kind,
            expected: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(env_segment("google-sheets"), "GOOGLE_SHEETS");
        assert_eq!(
            env_var_name("x", None, CredentialKind::ClientSecret),
            "INTEGRATION_X_CLIENT_SECRET"
        );
        assert_eq!(
            env_var_name("zoho-crm", Some("eu-west"), CredentialKind::ClientId),
            "INTEGRATION_ZOHO_CRM_EU_WEST_CLIENT_ID"
        );
    }

    #[test]
    fn excel_as_shipped_is_rejected() {
        let error = check_env_var_name(
            "INTEGRATION_MICROSOFT_365_EXCEL_CLIENT_ID",
            "microsoft-excel-365",
            None,
            CredentialKind::ClientId,
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "\"INTEGRATION_MICROSOFT_365_EXCEL_CLIENT_ID\" does not follow the naming rule for \
             the client id"
        );
        assert_eq!(
            error.help().as_deref(),
            Some("use \"INTEGRATION_MICROSOFT_EXCEL_365_CLIENT_ID\"")
        );
    }

    #[test]
    fn secret_from_client_id_is_named() {
        let error = check_env_var_name(
            "INTEGRATION_SLACK_CLIENT_ID",
            "slack",
            None,
            CredentialKind::ClientSecret,
        )
        .unwrap_err();
        assert!(
            error.to_string().starts_with(
                "the client secret would be read from \"INTEGRATION_SLACK_CLIENT_ID\""
            ),
            "{error}"
        );
    }

    #[test]
    fn shapes() {
        use CredentialKind::*;
        for (name, kind) in [
            ("INTEGRATION_A_CLIENT_ID", ClientId),
            ("INTEGRATION_ZOHO_BOOKS_US_CLIENT_SECRET", ClientSecret),
            ("INTEGRATION_365_CLIENT_ID", ClientId),
        ] {
            assert!(check_env_var_shape(name, kind).is_ok(), "{name}");
        }
        for (name, kind) in [
            ("INTEGRATION__CLIENT_ID", ClientId),
            ("INTEGRATION_CLIENT_ID", ClientId),
            ("INTEGRATION_A__B_CLIENT_ID", ClientId),
            ("INTEGRATION_a_CLIENT_ID", ClientId),
            ("INTEGRATION_A_CLIENT_ID", ClientSecret),
            ("integration_a_client_id", ClientId),
            ("INTEGRATION_A_CLIENTID", ClientId),
            ("", ClientId),
        ] {
            let error = check_env_var_shape(name, kind).unwrap_err();
            assert!(error.expected.is_empty());
            assert!(
                error
                    .help()
                    .is_some_and(|help| help.contains("INTEGRATION_<APP>_"))
            );
        }
    }

    #[test]
    fn variants_accept_both_names() {
        for name in [
            "INTEGRATION_ZOHO_BOOKS_CLIENT_ID",
            "INTEGRATION_ZOHO_BOOKS_US_CLIENT_ID",
        ] {
            assert!(
                check_env_var_name(name, "zoho-books", Some("US"), CredentialKind::ClientId)
                    .is_ok()
            );
        }
        assert!(
            check_env_var_name(
                "INTEGRATION_ZOHO_BOOKS_EU_CLIENT_ID",
                "zoho-books",
                Some("US"),
                CredentialKind::ClientId
            )
            .is_err()
        );
    }
}
