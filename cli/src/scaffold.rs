//! `connkit new app`: what the app's files say, where its module and registry line go in
//! `src/lib.rs`, and writing them without overwriting anything.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use connkit_rules::env::env_segment;
use connkit_rules::id::{check_app_id, suggest_app_id};

/// Why a scaffolding command refused or failed. Nothing is written once one of these is found
/// before writing starts; an I/O error part way leaves what was written, and says where.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ScaffoldError {
    /// No app id can be made from the name.
    #[error("no app id can be made from {input:?}: {reason}")]
    InvalidName { input: String, reason: String },
    /// The app is already in the catalogue.
    #[error("app \"{id}\" already exists ({})", path.display())]
    AppExists { id: String, path: PathBuf },
    /// A file or folder the command would create is already there.
    #[error("{} already exists; connkit never overwrites a file", path.display())]
    FileExists { path: PathBuf },
    /// The crate has no registry to add the app to.
    #[error("{} holds no `registry![...]` to add the app to", path.display())]
    NoRegistry { path: PathBuf },
    /// The variant is not `[A-Za-z0-9]+` words joined by `-`.
    #[error("invalid variant {variant:?}: a variant is letters and digits, in words joined by '-'")]
    InvalidVariant { variant: String },
    /// A URL fails connkit's URL rules.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },
    /// A scope is empty or holds whitespace.
    #[error("invalid scope {scope:?}: a scope is one word, without whitespace")]
    InvalidScope { scope: String },
    /// A scope is given twice.
    #[error("scope {scope:?} is given twice")]
    DuplicateScope { scope: String },
    /// A flag that only OAuth2 connections take.
    #[error("{flag} is for OAuth2 connections only")]
    OnlyOAuth2 { flag: &'static str },
    /// The app is not in the catalogue.
    #[error("no app \"{id}\" ({} does not exist)", path.display())]
    UnknownApp { id: String, path: PathBuf },
    /// The app's file holds no `app! { ... }` to add the connection to.
    #[error("{} holds no `app! {{ ... }}` to add the connection to", path.display())]
    NotAnApp { path: PathBuf },
    /// The connection is already in the app.
    #[error("connection \"{id}\" already exists in {}", path.display())]
    ConnectionExists { id: String, path: PathBuf },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ScaffoldError {
    /// A line saying what to do instead.
    pub(crate) fn help(&self) -> Option<&'static str> {
        match self {
            Self::InvalidName { .. } => Some(
                "give the app's name (\"Google Sheets\") or an id of lowercase words joined by \
                 '-' (google-sheets)",
            ),
            Self::AppExists { .. } => Some("pick another name, or edit the existing app"),
            Self::FileExists { .. } => Some("move the file away, or pick another name"),
            Self::NoRegistry { .. } => Some(
                "run in a catalogue crate whose src/lib.rs holds the registry![...], or pass \
                 --crate-dir",
            ),
            Self::InvalidVariant { .. } => Some("for example US, or eu-west"),
            Self::InvalidUrl { .. } => {
                Some("give an absolute https URL (http only for a loopback host)")
            }
            Self::InvalidScope { .. } => Some("give each scope its own --scope"),
            Self::DuplicateScope { .. } => Some("give each scope once"),
            Self::OnlyOAuth2 { .. } => Some("leave it out, or use --kind oauth2"),
            Self::UnknownApp { .. } => Some("create the app first: connkit new app <name>"),
            Self::NotAnApp { .. } => Some("add the connection to the app's file by hand"),
            Self::ConnectionExists { .. } => {
                Some("pick a --variant for a second connection of this kind")
            }
            Self::Io { .. } => None,
        }
    }
}

/// An app to create: its id, display name, module and constant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AppPlan {
    pub(crate) id: String,
    pub(crate) name: String,
    /// The module in `src/lib.rs` (`google_sheets`).
    pub(crate) module: String,
    /// The app's constant (`GOOGLE_SHEETS`).
    pub(crate) constant: String,
}

/// The plan for `input`, an app's name ("Google Sheets") or id (`google-sheets`).
pub(crate) fn plan_app(input: &str) -> Result<AppPlan, ScaffoldError> {
    let input = input.trim();
    let (id, name) = match check_app_id(input) {
        Ok(()) => (input.to_owned(), title_from_id(input)),
        Err(error) => match suggest_app_id(input) {
            Some(id) => (id, input.to_owned()),
            None => {
                return Err(ScaffoldError::InvalidName {
                    input: input.to_owned(),
                    reason: error.to_string(),
                });
            }
        },
    };
    let module = rust_name(&id.replace('-', "_"), "app_");
    let constant = rust_name(&env_segment(&id), "APP_");
    Ok(AppPlan {
        id,
        name,
        module,
        constant,
    })
}

/// `google-sheets` → `Google Sheets`.
fn title_from_id(id: &str) -> String {
    capitalized_words(id).collect::<Vec<_>>().join(" ")
}

/// The words of a kebab-case id (or variant), each with its first letter upper-cased.
pub(crate) fn capitalized_words(id: &str) -> impl Iterator<Item = String> + '_ {
    id.split('-').map(|word| {
        let mut chars = word.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_ascii_uppercase().to_string() + chars.as_str()
        })
    })
}

/// `name` as a Rust identifier: `prefix` before a leading digit, `_` after a keyword.
fn rust_name(name: &str, prefix: &str) -> String {
    const KEYWORDS: &[&str] = &[
        "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else",
        "enum", "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match",
        "mod", "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait",
        "true", "try", "type", "unsafe", "use", "where", "while", "yield",
    ];
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{prefix}{name}")
    } else if KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// The app file, `src/apps/<id>/<id>.app.rs`.
pub(crate) fn app_file(plan: &AppPlan) -> String {
    let AppPlan {
        id, name, constant, ..
    } = plan;
    format!(
        "//! {name}.\n\
         \n\
         use connkit::{{AppDefinition, app}};\n\
         \n\
         /// The {name} app.\n\
         pub const {constant}: AppDefinition = app! {{\n\
         \x20   id: {id:?},\n\
         \x20   name: {name:?},\n\
         \x20   description: {name:?},\n\
         \x20   logo_url: \"https://example.com/logos/{id}.svg\",\n\
         }};\n"
    )
}

/// `lib_rs` with the app's module and its registry line added, each in alphabetical order
/// among its neighbours.
pub(crate) fn add_to_registry(
    lib_rs: &str,
    plan: &AppPlan,
    lib_path: &Path,
) -> Result<String, ScaffoldError> {
    let path_attribute = format!("#[path = \"apps/{0}/{0}.app.rs\"]", plan.id);
    if lib_rs.contains(&path_attribute) {
        return Err(ScaffoldError::AppExists {
            id: plan.id.clone(),
            path: lib_path.to_owned(),
        });
    }
    let no_registry = || ScaffoldError::NoRegistry {
        path: lib_path.to_owned(),
    };
    let registry = lib_rs.find("registry![").ok_or_else(no_registry)?;
    let list_start = registry + "registry![".len();
    let list_end = list_start + lib_rs[list_start..].find(']').ok_or_else(no_registry)?;
    let entry = format!("{}::{}", plan.module, plan.constant);

    // The registry line: a line of its own in a list written one per line, else after the last.
    let list = &lib_rs[list_start..list_end];
    let new_list = if list.contains('\n') {
        let indent = list
            .lines()
            .find(|line| !line.trim().is_empty())
            .map_or("    ", |line| &line[..line.len() - line.trim_start().len()]);
        // Split on every newline: the last piece is what stands before `]` on its line (an item
        // there gets its comma and `]` a line of its own).
        let mut lines: Vec<String> = list.split('\n').map(str::to_owned).collect();
        if let Some(last) = lines.pop() {
            if last.trim().is_empty() {
                lines.push(last);
            } else {
                let last = last.trim_end().trim_end_matches(',').to_owned() + ",";
                lines.extend([last, String::new()]);
            }
        }
        let at = lines
            .iter()
            .position(|line| {
                let item = line.trim().trim_end_matches(',');
                !item.is_empty() && item > entry.as_str()
            })
            .unwrap_or(lines.len() - 1);
        lines.insert(at, format!("{indent}{entry},"));
        lines.join("\n")
    } else {
        let trimmed = list.trim_end();
        if trimmed.is_empty() || trimmed.ends_with(';') {
            format!("{trimmed}{entry}")
        } else if trimmed.ends_with(',') {
            format!("{trimmed} {entry}")
        } else {
            format!("{trimmed}, {entry}")
        }
    };

    // The module: before the first app module whose id sorts after this one, else after the
    // last; with no app module yet, above the registry's item (and its doc comment).
    let module_block = format!("{path_attribute}\npub mod {};\n", plan.module);
    let mut module_at = None;
    let mut after_last = None;
    let mut offset = 0;
    for line in lib_rs.split_inclusive('\n') {
        if offset >= registry {
            break;
        }
        if let Some(rest) = line.trim().strip_prefix("#[path = \"apps/") {
            let other = rest.split('/').next().unwrap_or_default();
            if module_at.is_none() && other > plan.id.as_str() {
                module_at = Some(offset);
            }
            // The module line after the attribute ends the block.
            let next = offset + line.len();
            let module_line = lib_rs[next..].split_inclusive('\n').next().unwrap_or("");
            after_last = Some(next + module_line.len());
        }
        offset += line.len();
    }
    let (module_at, module_block) = match (module_at, after_last) {
        (Some(at), _) | (None, Some(at)) => (at, module_block),
        (None, None) => (item_start(lib_rs, registry), format!("{module_block}\n")),
    };
    if module_at > list_start {
        return Err(no_registry());
    }
    let mut out = String::with_capacity(lib_rs.len() + module_block.len() + entry.len() + 8);
    out.push_str(&lib_rs[..module_at]);
    out.push_str(&module_block);
    out.push_str(&lib_rs[module_at..list_start]);
    out.push_str(&new_list);
    out.push_str(&lib_rs[list_end..]);
    Ok(out)
}

/// Where the item holding `at` starts: its line, and the doc comments and attributes above it.
fn item_start(source: &str, at: usize) -> usize {
    let mut start = source[..at].rfind('\n').map_or(0, |newline| newline + 1);
    while start > 0 {
        let previous_start = source[..start - 1]
            .rfind('\n')
            .map_or(0, |newline| newline + 1);
        let previous = source[previous_start..start].trim();
        if previous.starts_with("///") || previous.starts_with("#[") {
            start = previous_start;
        } else {
            break;
        }
    }
    start
}

/// Creates the app in the catalogue crate at `crate_dir`; returns what was done, for the user.
pub(crate) fn new_app(crate_dir: &Path, input: &str) -> Result<String, ScaffoldError> {
    let plan = plan_app(input)?;
    let lib_path = crate_dir.join("src").join("lib.rs");
    let lib_rs = read_existing(&lib_path, || ScaffoldError::NoRegistry {
        path: lib_path.clone(),
    })?;
    let app_dir = crate_dir.join("src").join("apps").join(&plan.id);
    if app_dir.exists() {
        return Err(ScaffoldError::AppExists {
            id: plan.id.clone(),
            path: app_dir,
        });
    }
    let new_lib = add_to_registry(&lib_rs, &plan, &lib_path)?;

    // Everything was checked: now write, never over an existing file.
    let app_file_path = app_dir.join(format!("{}.app.rs", plan.id));
    edit_with_new_files(&lib_path, &new_lib, || {
        write_app(&app_dir, &app_file_path, &plan)
    })?;

    let shown = |path: &Path| relative(crate_dir, path);
    let mut report = String::new();
    let _ = writeln!(report, "created app \"{}\" ({})", plan.id, plan.name);
    let _ = writeln!(report, "  {}", shown(&app_file_path));
    for folder in ["connections", "actions", "triggers"] {
        let _ = writeln!(report, "  {}/", shown(&app_dir.join(folder)));
    }
    let _ = writeln!(
        report,
        "added `{}::{}` to the registry in {}",
        plan.module,
        plan.constant,
        shown(&lib_path)
    );
    let _ = writeln!(
        report,
        "next: declare its connections in {}/ and list them in `connections: [...]`",
        shown(&app_dir.join("connections"))
    );
    Ok(report)
}

/// The app's folder, its three sub-folders and its file.
fn write_app(app_dir: &Path, app_file_path: &Path, plan: &AppPlan) -> Result<(), ScaffoldError> {
    for folder in ["connections", "actions", "triggers"] {
        let folder = app_dir.join(folder);
        fs::create_dir_all(&folder).map_err(io_error(&folder))?;
        // Git keeps no empty folder.
        write_new(&folder.join(".gitkeep"), "")?;
    }
    write_new(app_file_path, &app_file(plan))
}

/// Replaces the existing file at `path` with `contents`, and writes the new files of the same
/// command with `write_new_files`. The replacement is written beside the file first
/// (`<file>.rs.connkit-new`), so that a leftover one stops the command before it writes
/// anything, and renamed over the file last, so that the file is never half written; it is
/// removed if the new files fail.
pub(crate) fn edit_with_new_files(
    path: &Path,
    contents: &str,
    write_new_files: impl FnOnce() -> Result<(), ScaffoldError>,
) -> Result<(), ScaffoldError> {
    let temporary = path.with_extension("rs.connkit-new");
    write_new(&temporary, contents)?;
    let written =
        write_new_files().and_then(|()| fs::rename(&temporary, path).map_err(io_error(path)));
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// The contents of a file that should exist; `missing()` when it does not.
pub(crate) fn read_existing(
    path: &Path,
    missing: impl FnOnce() -> ScaffoldError,
) -> Result<String, ScaffoldError> {
    fs::read_to_string(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => missing(),
        _ => io_error(path)(source),
    })
}

/// Writes a file that must not exist yet.
pub(crate) fn write_new(path: &Path, contents: &str) -> Result<(), ScaffoldError> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::AlreadyExists => ScaffoldError::FileExists {
                path: path.to_owned(),
            },
            _ => io_error(path)(source),
        })?;
    file.write_all(contents.as_bytes()).map_err(io_error(path))
}

/// An I/O error at `path`.
pub(crate) fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |source| ScaffoldError::Io {
        path: path.to_owned(),
        source,
    }
}

/// `path` as the user sees it: relative to the crate folder they named.
pub(crate) fn relative(crate_dir: &Path, path: &Path) -> String {
    path.strip_prefix(crate_dir)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_or_an_id_makes_the_plan() {
        let plan = plan_app("Google Sheets").unwrap();
        assert_eq!(
            (plan.id.as_str(), plan.name.as_str(), plan.module.as_str()),
            ("google-sheets", "Google Sheets", "google_sheets")
        );
        assert_eq!(plan.constant, "GOOGLE_SHEETS");
        let plan = plan_app("microsoft-excel-365").unwrap();
        assert_eq!(plan.name, "Microsoft Excel 365");
        assert_eq!(plan.module, "microsoft_excel_365");
        let plan = plan_app("365 Days").unwrap();
        assert_eq!(
            (plan.module.as_str(), plan.constant.as_str()),
            ("app_365_days", "APP_365_DAYS")
        );
        assert_eq!(plan_app("Box").unwrap().module, "box_");
        for bad in ["", "  ", "!!!", "---"] {
            assert!(
                matches!(plan_app(bad), Err(ScaffoldError::InvalidName { .. })),
                "{bad:?}"
            );
        }
    }

    fn plan(id: &str) -> AppPlan {
        plan_app(id).unwrap()
    }

    #[test]
    fn the_module_and_the_registry_line_go_in_alphabetical_order() {
        let lib = "#[path = \"apps/alpha/alpha.app.rs\"]\npub mod alpha;\n#[path = \"apps/gamma/gamma.app.rs\"]\npub mod gamma;\n\n/// All.\npub const ALL: Registry = registry![\n    alpha::ALPHA,\n    gamma::GAMMA,\n];\n";
        let out = add_to_registry(lib, &plan("beta"), Path::new("lib.rs")).unwrap();
        assert_eq!(
            out,
            "#[path = \"apps/alpha/alpha.app.rs\"]\npub mod alpha;\n#[path = \"apps/beta/beta.app.rs\"]\npub mod beta;\n#[path = \"apps/gamma/gamma.app.rs\"]\npub mod gamma;\n\n/// All.\npub const ALL: Registry = registry![\n    alpha::ALPHA,\n    beta::BETA,\n    gamma::GAMMA,\n];\n"
        );
        let out = add_to_registry(lib, &plan("zeta"), Path::new("lib.rs")).unwrap();
        assert!(
            out.contains(
                "pub mod gamma;\n#[path = \"apps/zeta/zeta.app.rs\"]\npub mod zeta;\n\n/// All."
            ),
            "{out}"
        );
        assert!(
            out.contains("    gamma::GAMMA,\n    zeta::ZETA,\n];"),
            "{out}"
        );
    }

    #[test]
    fn a_first_app_goes_above_the_registry_and_a_one_line_list_grows_on_its_line() {
        let lib = "use connkit::{Registry, registry};\n\n/// All.\n#[allow(dead_code)]\npub const ALL: Registry = registry![];\n";
        let out = add_to_registry(lib, &plan("notes"), Path::new("lib.rs")).unwrap();
        assert_eq!(
            out,
            "use connkit::{Registry, registry};\n\n#[path = \"apps/notes/notes.app.rs\"]\npub mod notes;\n\n/// All.\n#[allow(dead_code)]\npub const ALL: Registry = registry![notes::NOTES];\n"
        );
        let lib = "pub const ALL: Registry = registry![crate = ::connkit; a::A];\n";
        let out = add_to_registry(lib, &plan("b"), Path::new("lib.rs")).unwrap();
        assert!(
            out.ends_with("registry![crate = ::connkit; a::A, b::B];\n"),
            "{out}"
        );
        let lib = "const A: Registry = registry![\n    a::A,\n    c::C];\n";
        let out = add_to_registry(lib, &plan("d"), Path::new("lib.rs")).unwrap();
        assert!(
            out.ends_with("registry![\n    a::A,\n    c::C,\n    d::D,\n];\n"),
            "{out}"
        );
    }

    #[test]
    fn an_existing_app_or_a_missing_registry_is_refused() {
        let lib = "#[path = \"apps/notes/notes.app.rs\"]\npub mod notes;\nconst A: Registry = registry![notes::NOTES];\n";
        assert!(matches!(
            add_to_registry(lib, &plan("notes"), Path::new("lib.rs")),
            Err(ScaffoldError::AppExists { .. })
        ));
        assert!(matches!(
            add_to_registry("pub mod x;\n", &plan("notes"), Path::new("lib.rs")),
            Err(ScaffoldError::NoRegistry { .. })
        ));
    }
}
