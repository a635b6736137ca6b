//! `connkit check`: `cargo check --message-format=json` on the crate, with connkit's diagnostics
//! summarised as file, rule and fix, then the client credentials the catalogue's OAuth2
//! connections cannot find in this environment.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::catalogue::{CatalogueError, Invocation, invocations, oauth2_connections};

/// Why `check` could not do its work (problems it finds are its report, not errors).
#[derive(Debug, thiserror::Error)]
pub(crate) enum CheckError {
    /// cargo could not be started.
    #[error("cannot run {program}: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    /// cargo failed before the compiler said anything (a manifest error, say).
    #[error("cargo check failed:\n{stderr}")]
    Cargo { stderr: String },
    #[error(transparent)]
    Catalogue(#[from] CatalogueError),
}

impl CheckError {
    pub(crate) fn help(&self) -> Option<&'static str> {
        match self {
            Self::Spawn { .. } => {
                Some("connkit check runs cargo; set $CARGO to its path if it is not on PATH")
            }
            Self::Cargo { .. } => None,
            Self::Catalogue(error) => error.help(),
        }
    }
}

/// One diagnostic of the compiler.
#[derive(Debug)]
struct Diagnostic {
    level: String,
    file: String,
    line: usize,
    column: usize,
    /// `oauth2_connection.id`, `app.connections`, ...; `None` for the compiler's own.
    rule: Option<String>,
    problem: String,
    fix: Option<String>,
}

/// What `check` was asked.
pub(crate) struct Request<'a> {
    pub(crate) crate_dir: &'a Path,
    pub(crate) json: bool,
    pub(crate) skip_credentials: bool,
}

/// Runs the check: the report, and whether all is well.
pub(crate) fn check(request: &Request<'_>) -> Result<(String, bool), CheckError> {
    let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(&program)
        .args(["check", "--message-format=json"])
        .current_dir(request.crate_dir)
        .output()
        .map_err(|source| CheckError::Spawn { program, source })?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut files = Files::new(request.crate_dir);
    let diagnostics: Vec<Diagnostic> = stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-message")
        .filter_map(|message| diagnostic(&message["message"], &mut files))
        .collect();
    if !output.status.success() && !diagnostics.iter().any(|d| d.level == "error") {
        return Err(CheckError::Cargo {
            stderr: String::from_utf8_lossy(&output.stderr)
                .trim_end()
                .to_owned(),
        });
    }
    let missing = if request.skip_credentials {
        None
    } else {
        Some(missing_client_credentials(request.crate_dir)?)
    };
    let ours: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.rule.is_some()).collect();
    let others = |level: &str| {
        diagnostics
            .iter()
            .filter(|d| d.rule.is_none() && d.level == level)
            .count()
    };
    let ok = output.status.success()
        && missing
            .as_ref()
            .is_none_or(|(missing, _)| missing.is_empty());
    if request.json {
        let report = json!({
            "ok": ok,
            "diagnostics": ours.iter().map(|d| json!({
                "file": d.file, "line": d.line, "column": d.column, "level": d.level,
                "rule": d.rule, "message": d.problem, "fix": d.fix,
            })).collect::<Vec<_>>(),
            "other_errors": others("error"),
            "other_warnings": others("warning"),
            "missing_client_credentials": missing.as_ref().map(|(missing, _)| missing.iter().map(|m| json!({
                "connection": m.connection, "file": m.file, "line": m.line, "variables": m.variables,
            })).collect::<Vec<_>>()),
        });
        return Ok((format!("{report}\n"), ok));
    }
    let mut text = String::new();
    if ours.is_empty() {
        text.push_str("connkit's definitions: no problem found\n");
    } else {
        let _ = writeln!(
            text,
            "connkit's definitions: {} problem{}\n",
            ours.len(),
            plural(ours.len())
        );
        for d in &ours {
            let _ = writeln!(
                text,
                "{}:{}:{}  {}{}",
                d.file,
                d.line,
                d.column,
                d.rule.as_deref().unwrap_or_default(),
                if d.level == "error" { "" } else { " (warning)" }
            );
            let _ = writeln!(text, "  {}", d.problem);
            if let Some(fix) = &d.fix {
                let _ = writeln!(text, "  fix: {fix}");
            }
            text.push('\n');
        }
    }
    for (level, count) in [("error", others("error")), ("warning", others("warning"))] {
        if count > 0 {
            let _ = writeln!(
                text,
                "and {count} other compiler {level}{} (`cargo check` shows {})",
                plural(count),
                if count == 1 { "it" } else { "them" }
            );
        }
    }
    match &missing {
        None => text.push_str("client credentials: not checked (--skip-credentials)\n"),
        Some((missing, total)) if missing.is_empty() => {
            let _ = writeln!(
                text,
                "client credentials: all {total} OAuth2 connection{} find theirs in this environment",
                plural(*total)
            );
        }
        Some((missing, total)) => {
            let _ = writeln!(
                text,
                "client credentials: {} of {total} OAuth2 connection{} cannot find theirs in this environment:",
                missing.len(),
                plural(*total)
            );
            for m in missing {
                let _ = writeln!(
                    text,
                    "  {} ({}:{}): set {}",
                    m.connection,
                    m.file.display(),
                    m.line,
                    m.variables.join(" and ")
                );
            }
        }
    }
    Ok((text, ok))
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// The connkit invocations of the files diagnostics point into, read once each.
struct Files<'a> {
    crate_dir: &'a Path,
    read: HashMap<String, Vec<Invocation>>,
}

impl<'a> Files<'a> {
    fn new(crate_dir: &'a Path) -> Self {
        Self {
            crate_dir,
            read: HashMap::new(),
        }
    }

    /// The file a diagnostic names: cargo gives paths relative to the workspace's root, which
    /// may be the crate's folder or one above it.
    fn locate(&self, file: &str) -> Option<PathBuf> {
        let path = Path::new(file);
        if path.is_absolute() {
            return path.is_file().then(|| path.to_path_buf());
        }
        self.crate_dir
            .ancestors()
            .map(|dir| dir.join(path))
            .find(|candidate| candidate.is_file())
    }

    /// The invocations of `file` (none for a file that cannot be found or read).
    fn invocations(&mut self, file: &str) -> &[Invocation] {
        if !self.read.contains_key(file) {
            let found = self
                .locate(file)
                .and_then(|path| {
                    let source = std::fs::read_to_string(&path).ok()?;
                    invocations(&path, &source).ok()
                })
                .unwrap_or_default();
            self.read.insert(file.to_owned(), found);
        }
        self.read.get(file).map_or(&[], Vec::as_slice)
    }
}

/// A compiler message as a diagnostic, with its connkit rule when its primary span lies in a
/// connkit macro's arguments.
fn diagnostic(message: &Value, files: &mut Files<'_>) -> Option<Diagnostic> {
    let level = message["level"].as_str()?;
    if level != "error" && level != "warning" {
        return None;
    }
    let span = message["spans"]
        .as_array()?
        .iter()
        .find(|span| span["is_primary"] == true)?;
    let file = span["file_name"].as_str()?.to_owned();
    let line = usize::try_from(span["line_start"].as_u64()?).ok()?;
    let column = usize::try_from(span["column_start"].as_u64()?).ok()?;
    let rule = files
        .invocations(&file)
        .iter()
        .find(|invocation| invocation.contains(line, column))
        .map(|invocation| {
            match invocation
                .pairs
                .iter()
                .find(|pair| pair.contains(line, column))
            {
                Some(pair) => format!("{}.{}", invocation.name, pair.key),
                None => invocation.name.to_owned(),
            }
        });
    let text = message["message"].as_str()?;
    // connkit's macros put the fix after a blank line, as `help: ...`; the compiler's own
    // diagnostics carry it as a child.
    let (problem, fix) = match text.split_once("\n\nhelp: ") {
        Some((problem, fix)) => (problem.to_owned(), Some(fix.trim().to_owned())),
        None => {
            let child_help = message["children"].as_array().and_then(|children| {
                children
                    .iter()
                    .find(|child| child["level"] == "help")
                    .and_then(|child| child["message"].as_str())
                    .map(str::to_owned)
            });
            (text.to_owned(), child_help)
        }
    };
    Some(Diagnostic {
        level: level.to_owned(),
        file,
        line,
        column,
        rule,
        problem,
        fix,
    })
}

/// A connection whose client credentials are not in the environment.
struct Missing {
    connection: String,
    file: PathBuf,
    line: usize,
    variables: Vec<String>,
}

/// The connections of `src/apps/` whose client id or secret variable is unset or empty, and how
/// many OAuth2 connections there are.
fn missing_client_credentials(crate_dir: &Path) -> Result<(Vec<Missing>, usize), CheckError> {
    let connections = oauth2_connections(crate_dir)?;
    let total = connections.len();
    let missing = connections
        .into_values()
        .filter_map(|connection| {
            let variables: Vec<String> = [connection.client_id_env, connection.client_secret_env]
                .into_iter()
                .filter(|variable| std::env::var_os(variable).is_none_or(|value| value.is_empty()))
                .collect();
            (!variables.is_empty()).then_some(Missing {
                connection: connection.id,
                file: connection.file,
                line: connection.line,
                variables,
            })
        })
        .collect();
    Ok((missing, total))
}
