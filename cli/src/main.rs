//! `connkit`: the command line of connkit.
//!
//! `connkit new app <name-or-id>` adds an app to a catalogue crate laid out like connkit's own
//! (`src/lib.rs` holds the `registry![...]`, each app lives in `src/apps/<app-id>/`), and
//! `connkit new connection <app-id> --kind ...` adds a connection to one of its apps.
//! `connkit check` runs `cargo check` and summarises connkit's diagnostics and the missing client
//! credentials; `connkit scopes check | update` keeps `connkit-scopes.lock`.
//!
//! Exit codes: 0 on success, 1 when the command refused or failed, or found a problem (the
//! message says why), 2 for a command line clap could not read.

mod catalogue;
mod check;
mod connection;
mod scaffold;
mod scopes;
mod store;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Scaffold, check and lock the apps and connections of a connkit catalogue.
#[derive(Parser)]
#[command(
    name = "connkit",
    version,
    about,
    long_about = None,
    after_help = "Exit codes: 0 success, 1 the command refused, failed or found a problem (the message says why), 2 bad command line.\n\nAuthorizing a connection from the terminal is your crate's own binary: connkit::cli::run(&REGISTRY)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an app or a connection.
    #[command(subcommand)]
    New(New),
    /// Run `cargo check` on the crate and summarise connkit's diagnostics as file, rule and fix;
    /// then list the OAuth2 connections of `src/apps/` whose client credential variables are not
    /// set here.
    ///
    /// Exits 1 when the crate does not compile or a credential is missing.
    #[command(
        after_help = "Examples:\n  connkit check\n  connkit check --crate-dir catalogue --json\n  connkit check --skip-credentials      # in CI, where the secrets are not set"
    )]
    Check {
        /// The crate: the folder holding its `Cargo.toml` and `src/apps/`.
        #[arg(long, default_value = ".")]
        crate_dir: PathBuf,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Do not look for client credentials in the environment.
        #[arg(long)]
        skip_credentials: bool,
    },
    /// Keep `connkit-scopes.lock`: every OAuth2 connection's scopes, so that a scope change is a
    /// reviewed change.
    #[command(subcommand)]
    Scopes(Scopes),
}

#[derive(Subcommand)]
enum Scopes {
    /// Fail when the code's scopes differ from the lock, and print what was added or removed
    /// per connection. CI runs it.
    ///
    /// With --store, says how many stored connections each change affects.
    #[command(
        after_help = "Examples:\n  connkit scopes check\n  connkit scopes check --store connkit.sqlite\n  connkit scopes check --store \"host=db user=connkit\" --json"
    )]
    Check {
        #[command(flatten)]
        options: ScopesOptions,
        /// One JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write the lock from the code, and print what changed.
    #[command(
        after_help = "Examples:\n  connkit scopes update\n  connkit scopes update --store connkit.sqlite"
    )]
    Update {
        #[command(flatten)]
        options: ScopesOptions,
    },
}

#[derive(clap::Args)]
struct ScopesOptions {
    /// The crate: the folder holding `src/apps/`.
    #[arg(long, default_value = ".")]
    crate_dir: PathBuf,
    /// The lock file (default: `connkit-scopes.lock` in the crate's folder).
    #[arg(long)]
    lock: Option<PathBuf>,
    /// A connection store, to count the stored connections each change affects: an SQLite file,
    /// or a PostgreSQL connection string (`host=... user=...` or `postgres://...`).
    #[arg(long)]
    store: Option<String>,
}

impl ScopesOptions {
    fn request(&self, json: bool) -> scopes::Request<'_> {
        scopes::Request {
            crate_dir: &self.crate_dir,
            lock: self.lock.as_deref(),
            store: self.store.as_deref(),
            json,
        }
    }
}

#[derive(Subcommand)]
enum New {
    /// Create an app: its module in `src/apps/<app-id>/` (the app file and the `connections/`,
    /// `actions/` and `triggers/` folders) and its line in the registry in `src/lib.rs`.
    ///
    /// The app id is derived from a human name ("Google Sheets" becomes `google-sheets`); an
    /// existing id is refused, and no file is ever overwritten.
    #[command(
        after_help = "Examples:\n  connkit new app \"Google Sheets\"\n  connkit new app google-sheets --crate-dir catalogue"
    )]
    App {
        /// The app's name ("Google Sheets") or id (`google-sheets`).
        name: String,
        /// The catalogue crate: the folder holding `src/lib.rs`.
        #[arg(long, default_value = ".")]
        crate_dir: PathBuf,
    },
    /// Create a connection of an app: its file in `src/apps/<app-id>/connections/`, with its id
    /// and variable names filled in, listed in the app's `connections: [...]`.
    ///
    /// Prints the environment variables to set (an OAuth2 client's id and secret).
    #[command(
        after_help = "Examples:\n  connkit new connection google-sheets --kind oauth2 \\\n    --authorize-url https://accounts.google.com/o/oauth2/v2/auth \\\n    --token-url https://oauth2.googleapis.com/token \\\n    --scope https://www.googleapis.com/auth/spreadsheets\n  connkit new connection zoho-books --kind oauth2 --variant US ...\n  connkit new connection openai --kind api-key"
    )]
    Connection {
        #[command(flatten)]
        request: connection::ConnectionRequest,
        /// The catalogue crate: the folder holding `src/lib.rs`.
        #[arg(long, default_value = ".")]
        crate_dir: PathBuf,
    },
}

/// Why a command failed, with its fix where there is one.
struct Failure {
    message: String,
    help: Option<&'static str>,
}

macro_rules! failure_from {
    ($($error:ty),*) => {$(
        impl From<$error> for Failure {
            fn from(error: $error) -> Self {
                Self { help: error.help(), message: error.to_string() }
            }
        }
    )*};
}
failure_from!(
    scaffold::ScaffoldError,
    check::CheckError,
    scopes::ScopesError
);

/// A command's report, and whether it found all well.
type Outcome = Result<(String, bool), Failure>;

fn run(command: Command) -> Outcome {
    Ok(match command {
        Command::New(New::App { name, crate_dir }) => (scaffold::new_app(&crate_dir, &name)?, true),
        Command::New(New::Connection { request, crate_dir }) => {
            (connection::new_connection(&crate_dir, &request)?, true)
        }
        Command::Check {
            crate_dir,
            json,
            skip_credentials,
        } => check::check(&check::Request {
            crate_dir: &crate_dir,
            json,
            skip_credentials,
        })?,
        Command::Scopes(Scopes::Check { options, json }) => scopes::check(&options.request(json))?,
        Command::Scopes(Scopes::Update { options }) => {
            (scopes::update(&options.request(false))?, true)
        }
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok((report, ok)) => {
            print!("{report}");
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(failure) => {
            let colour = std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
            let label = if colour {
                "\x1b[31merror:\x1b[0m"
            } else {
                "error:"
            };
            eprintln!("{label} {}", failure.message);
            if let Some(help) = failure.help {
                eprintln!("help: {help}");
            }
            ExitCode::FAILURE
        }
    }
}
