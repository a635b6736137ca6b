//! `connkit new connection`: the connection's file, with its id and variable names filled in,
//! and its place in the app's file (module, re-export, `connections: [...]`).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use connkit_rules::env::{CredentialKind, env_var_name};
use connkit_rules::id::{check_app_id, connection_id_for, is_variant};
use connkit_rules::url_shape::check_url;

use crate::scaffold::{
    ScaffoldError, capitalized_words, edit_with_new_files, io_error, read_existing, relative,
    write_new,
};

/// A connection kind, as `--kind` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Kind {
    /// `#[oauth2_connection]`: the user consents at the provider.
    #[value(name = "oauth2")]
    OAuth2,
    /// `#[api_key_connection]`: the user enters a key.
    ApiKey,
    /// `#[basic_auth_connection]`: the user enters a user name and a password.
    BasicAuth,
    /// `#[key_pair_connection]`: the user enters a public and a private key.
    KeyPair,
}

impl Kind {
    /// The kind as connection ids and file names spell it.
    fn id(self) -> &'static str {
        match self {
            Self::OAuth2 => "oauth2",
            Self::ApiKey => "api-key",
            Self::BasicAuth => "basic-auth",
            Self::KeyPair => "key-pair",
        }
    }

    /// The kind in a struct name.
    fn type_name(self) -> &'static str {
        match self {
            Self::OAuth2 => "OAuth2",
            Self::ApiKey => "ApiKey",
            Self::BasicAuth => "BasicAuth",
            Self::KeyPair => "KeyPair",
        }
    }
}

/// What `connkit new connection` was asked for.
#[derive(clap::Args)]
pub(crate) struct ConnectionRequest {
    /// The app's id (`google-sheets`).
    pub(crate) app_id: String,
    /// The kind of connection.
    #[arg(long, value_enum)]
    pub(crate) kind: Kind,
    /// A variant, for a second connection of one kind (`US` makes `..._connection_oauth2-US`).
    #[arg(long)]
    pub(crate) variant: Option<String>,
    /// The authorization endpoint (OAuth2).
    #[arg(long, required_if_eq("kind", "oauth2"))]
    pub(crate) authorize_url: Option<String>,
    /// The token endpoint (OAuth2).
    #[arg(long, required_if_eq("kind", "oauth2"))]
    pub(crate) token_url: Option<String>,
    /// A scope to ask for (OAuth2); repeat it for each.
    #[arg(long = "scope")]
    pub(crate) scopes: Vec<String>,
}

/// A connection to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ConnectionPlan {
    pub(crate) id: String,
    /// `gmail.oauth2.rs`, `zoho-books.oauth2-US.rs`.
    pub(crate) file_name: String,
    /// The module in the app's file: `oauth2`, `oauth2_us`.
    pub(crate) module: String,
    /// `GmailOAuth2`.
    pub(crate) struct_name: String,
}

/// Checks the request and names what it creates.
pub(crate) fn plan_connection(
    request: &ConnectionRequest,
) -> Result<ConnectionPlan, ScaffoldError> {
    let app_id = request.app_id.as_str();
    if let Err(error) = check_app_id(app_id) {
        return Err(ScaffoldError::InvalidName {
            input: app_id.to_owned(),
            reason: error.to_string(),
        });
    }
    if request.kind != Kind::OAuth2 {
        for (flag, given) in [
            ("--authorize-url", request.authorize_url.is_some()),
            ("--token-url", request.token_url.is_some()),
            ("--scope", !request.scopes.is_empty()),
        ] {
            if given {
                return Err(ScaffoldError::OnlyOAuth2 { flag });
            }
        }
    }
    let kind = request.kind.id();
    let mut kind_part = kind.to_owned();
    let mut module = kind.replace('-', "_");
    let mut struct_name = pascal(app_id) + request.kind.type_name();
    if let Some(variant) = &request.variant {
        if !is_variant(variant) {
            return Err(ScaffoldError::InvalidVariant {
                variant: variant.clone(),
            });
        }
        kind_part = format!("{kind}-{variant}");
        module = format!(
            "{module}_{}",
            variant.to_ascii_lowercase().replace('-', "_")
        );
        struct_name.push_str(&pascal(variant));
    }
    for url in [&request.authorize_url, &request.token_url]
        .into_iter()
        .flatten()
    {
        if let Err(problem) = check_url(url) {
            return Err(ScaffoldError::InvalidUrl {
                url: url.clone(),
                reason: problem.to_string(),
            });
        }
    }
    for (index, scope) in request.scopes.iter().enumerate() {
        if scope.trim().is_empty() || scope.contains(char::is_whitespace) {
            return Err(ScaffoldError::InvalidScope {
                scope: scope.clone(),
            });
        }
        if request.scopes[..index].contains(scope) {
            return Err(ScaffoldError::DuplicateScope {
                scope: scope.clone(),
            });
        }
    }
    Ok(ConnectionPlan {
        id: connection_id_for(app_id, &kind_part),
        file_name: format!("{app_id}.{kind_part}.rs"),
        module,
        struct_name,
    })
}

/// `zoho-books` → `ZohoBooks`; `US` → `US`.
fn pascal(id: &str) -> String {
    capitalized_words(id).collect()
}

/// The connection's file.
pub(crate) fn connection_file(
    request: &ConnectionRequest,
    plan: &ConnectionPlan,
    app_name: &str,
) -> String {
    let ConnectionPlan {
        id, struct_name, ..
    } = plan;
    let (attribute, what, keys) = match request.kind {
        Kind::OAuth2 => {
            let mut keys = format!(
                "    authorize_url = {:?},\n    token_url = {:?},\n",
                request.authorize_url.as_deref().unwrap_or_default(),
                request.token_url.as_deref().unwrap_or_default()
            );
            let scopes: Vec<String> = request
                .scopes
                .iter()
                .map(|scope| format!("{scope:?}"))
                .collect();
            let _ = writeln!(keys, "    scopes = [{}],", scopes.join(", "));
            ("oauth2_connection", "OAuth2", keys)
        }
        Kind::ApiKey => (
            "api_key_connection",
            "an API key",
            "    header = \"Authorization\",\n    prefix = \"Bearer \",\n".to_owned(),
        ),
        Kind::BasicAuth => (
            "basic_auth_connection",
            "a user name and password",
            String::new(),
        ),
        Kind::KeyPair => ("key_pair_connection", "a key pair", String::new()),
    };
    // The connection's name, and the kind as the doc comments say it.
    let (name, doc) = match request.kind {
        Kind::OAuth2 => ("OAuth2", "OAuth2"),
        Kind::ApiKey => ("API key", "API-key"),
        Kind::BasicAuth => ("User name and password", "basic-auth"),
        Kind::KeyPair => ("Key pair", "key-pair"),
    };
    format!(
        "//! The {doc} connection of {app_name}.\n\
         \n\
         use connkit::{attribute};\n\
         \n\
         /// The {doc} connection of {app_name}.\n\
         #[{attribute}(\n\
         \x20   id = {id:?},\n\
         \x20   name = {name:?},\n\
         \x20   description = \"Connect to {app_name} with {what}\",\n\
         {keys}\
         )]\n\
         pub struct {struct_name};\n"
    )
}

/// `app_rs` (an app's file) with the connection's module, its re-export and its place in
/// `connections: [...]`.
pub(crate) fn add_to_app(
    app_rs: &str,
    plan: &ConnectionPlan,
    app_path: &Path,
) -> Result<String, ScaffoldError> {
    let not_an_app = || ScaffoldError::NotAnApp {
        path: app_path.to_owned(),
    };
    let path_attribute = format!("#[path = \"connections/{}\"]", plan.file_name);
    if app_rs.contains(&path_attribute) {
        return Err(ScaffoldError::ConnectionExists {
            id: plan.id.clone(),
            path: app_path.to_owned(),
        });
    }
    let app_start = app_rs.find("app! {").ok_or_else(not_an_app)?;
    let app_end = app_start + app_rs[app_start..].find("\n};").ok_or_else(not_an_app)?;
    let body = &app_rs[app_start..app_end];
    let new_body = match body.find("connections: [") {
        Some(at) => {
            let list_start = at + "connections: [".len();
            let list_end = list_start + body[list_start..].find(']').ok_or_else(not_an_app)?;
            let list = body[list_start..list_end].trim_end().trim_end_matches(',');
            let separator = if list.trim().is_empty() { "" } else { ", " };
            format!(
                "{}{list}{separator}{}{}",
                &body[..list_start],
                plan.struct_name,
                &body[list_end..]
            )
        }
        None => format!("{body}\n    connections: [{}],", plan.struct_name),
    };

    // The module goes after the last connection module, else above the first `use`; the
    // re-export after the last `pub use`, else after the `use` of connkit.
    let module_block = format!("{path_attribute}\nmod {};\n", plan.module);
    let re_export = format!("pub use {}::{};\n", plan.module, plan.struct_name);
    let head = &app_rs[..app_start];
    let mut module_at = None;
    let mut first_use = None;
    let mut export_at = None;
    let mut offset = 0;
    for line in head.split_inclusive('\n') {
        let trimmed = line.trim();
        let next = offset + line.len();
        if trimmed.starts_with("#[path = \"connections/") {
            let module_line = head[next..].split_inclusive('\n').next().unwrap_or("");
            module_at = Some(next + module_line.len());
        } else if trimmed.starts_with("use ") && first_use.is_none() {
            first_use = Some(offset);
            export_at.get_or_insert(next);
        } else if trimmed.starts_with("pub use ") {
            export_at = Some(next);
        }
        offset = next;
    }
    let (module_at, module_block) = match (module_at, first_use) {
        (Some(at), _) => (at, module_block),
        (None, Some(at)) => (at, format!("{module_block}\n")),
        (None, None) => return Err(not_an_app()),
    };
    let export_at = export_at.ok_or_else(not_an_app)?;
    // A first re-export gets a blank line above it, after the `use` lines.
    let re_export = if head.contains("pub use ") {
        re_export
    } else {
        format!("\n{re_export}")
    };
    let mut out = String::with_capacity(app_rs.len() + 128);
    out.push_str(&head[..module_at]);
    out.push_str(&module_block);
    out.push_str(&head[module_at..export_at]);
    out.push_str(&re_export);
    out.push_str(&head[export_at..]);
    out.push_str(&new_body);
    out.push_str(&app_rs[app_end..]);
    Ok(out)
}

/// Creates the connection in the app `request.app_id` of the catalogue crate at `crate_dir`;
/// returns what was done and the variables to set.
pub(crate) fn new_connection(
    crate_dir: &Path,
    request: &ConnectionRequest,
) -> Result<String, ScaffoldError> {
    let plan = plan_connection(request)?;
    let app_dir = crate_dir.join("src").join("apps").join(&request.app_id);
    let app_path = app_dir.join(format!("{}.app.rs", request.app_id));
    let app_rs = read_existing(&app_path, || ScaffoldError::UnknownApp {
        id: request.app_id.clone(),
        path: app_path.clone(),
    })?;
    let new_app = add_to_app(&app_rs, &plan, &app_path)?;
    let connection_path = app_dir.join("connections").join(&plan.file_name);
    if connection_path.exists() {
        return Err(ScaffoldError::FileExists {
            path: connection_path,
        });
    }
    let app_name = app_name(&app_rs).unwrap_or(&request.app_id).to_owned();

    // Everything was checked: now write, never over an existing file.
    let connections = app_dir.join("connections");
    edit_with_new_files(&app_path, &new_app, || {
        fs::create_dir_all(&connections).map_err(io_error(&connections))?;
        write_new(
            &connection_path,
            &connection_file(request, &plan, &app_name),
        )
    })?;

    let shown = |path: &Path| relative(crate_dir, path);
    let mut report = String::new();
    let _ = writeln!(report, "created connection \"{}\"", plan.id);
    let _ = writeln!(report, "  {}", shown(&connection_path));
    let _ = writeln!(
        report,
        "added `{}` to `connections` in {}",
        plan.struct_name,
        shown(&app_path)
    );
    if request.kind == Kind::OAuth2 {
        let variant = request.variant.as_deref();
        let _ = writeln!(report, "set the client's credentials where the app runs:");
        for credential in [CredentialKind::ClientId, CredentialKind::ClientSecret] {
            let _ = writeln!(
                report,
                "  {}",
                env_var_name(&request.app_id, variant, credential)
            );
        }
    } else {
        let _ = writeln!(
            report,
            "nothing to set: each user enters their credentials when they connect"
        );
    }
    Ok(report)
}

/// The `name: "..."` of an app's file.
fn app_name(app_rs: &str) -> Option<&str> {
    let start = app_rs.find("    name: \"")? + "    name: \"".len();
    let end = start + app_rs[start..].find('"')?;
    app_rs.get(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(kind: Kind, variant: Option<&str>) -> ConnectionRequest {
        let oauth2 = kind == Kind::OAuth2;
        ConnectionRequest {
            app_id: "zoho-books".into(),
            kind,
            variant: variant.map(str::to_owned),
            authorize_url: oauth2.then(|| "https://accounts.zoho.com/oauth/v2/auth".into()),
            token_url: oauth2.then(|| "https://accounts.zoho.com/oauth/v2/token".into()),
            scopes: if oauth2 {
                vec!["ZohoBooks.fullaccess.all".into()]
            } else {
                Vec::new()
            },
        }
    }

    #[test]
    fn each_kind_and_variant_is_named_by_the_conventions() {
        let plan = plan_connection(&request(Kind::OAuth2, None)).unwrap();
        assert_eq!(
            (
                plan.id.as_str(),
                plan.file_name.as_str(),
                plan.module.as_str(),
                plan.struct_name.as_str()
            ),
            (
                "zoho-books_connection_oauth2",
                "zoho-books.oauth2.rs",
                "oauth2",
                "ZohoBooksOAuth2"
            )
        );
        let plan = plan_connection(&request(Kind::OAuth2, Some("US"))).unwrap();
        assert_eq!(
            (
                plan.id.as_str(),
                plan.file_name.as_str(),
                plan.module.as_str(),
                plan.struct_name.as_str()
            ),
            (
                "zoho-books_connection_oauth2-US",
                "zoho-books.oauth2-US.rs",
                "oauth2_us",
                "ZohoBooksOAuth2US"
            )
        );
        let plan = plan_connection(&request(Kind::ApiKey, None)).unwrap();
        assert_eq!(
            (plan.id.as_str(), plan.module.as_str()),
            ("zoho-books_connection_api-key", "api_key")
        );
    }

    #[test]
    fn bad_requests_are_refused() {
        let mut bad = request(Kind::OAuth2, Some("-US"));
        assert!(matches!(
            plan_connection(&bad),
            Err(ScaffoldError::InvalidVariant { .. })
        ));
        bad.variant = None;
        bad.token_url = Some("http://accounts.zoho.com/token".into());
        assert!(matches!(
            plan_connection(&bad),
            Err(ScaffoldError::InvalidUrl { .. })
        ));
        bad.token_url = None;
        bad.scopes = vec!["a".into(), "a".into()];
        assert!(matches!(
            plan_connection(&bad),
            Err(ScaffoldError::DuplicateScope { .. })
        ));
        bad.scopes = vec!["a b".into()];
        assert!(matches!(
            plan_connection(&bad),
            Err(ScaffoldError::InvalidScope { .. })
        ));
        bad.app_id = "Zoho Books".into();
        assert!(matches!(
            plan_connection(&bad),
            Err(ScaffoldError::InvalidName { .. })
        ));
        let mut key = request(Kind::ApiKey, None);
        key.scopes = vec!["read".into()];
        assert!(matches!(
            plan_connection(&key),
            Err(ScaffoldError::OnlyOAuth2 { flag: "--scope" })
        ));
    }
}
