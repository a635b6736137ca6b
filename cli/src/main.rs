//! `connkit`: the command line of connkit.
//!
//! `connkit new app <name-or-id>` adds an app to a catalogue crate laid out like connkit's own
//! (`src/lib.rs` holds the `registry![...]`, each app lives in `src/apps/<app-id>/`), and
//! `connkit new connection <app-id> --kind ...` adds a connection to one of its apps.
//!
//! Exit codes: 0 on success, 1 when the command refused or failed (the message says why), 2 for
//! a command line clap could not read.

mod connection;
mod scaffold;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Scaffold the apps and connections of a connkit catalogue.
#[derive(Parser)]
#[command(name = "connkit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an app or a connection.
    #[command(subcommand)]
    New(New),
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::New(New::App { name, crate_dir }) => scaffold::new_app(&crate_dir, &name),
        Command::New(New::Connection { request, crate_dir }) => {
            connection::new_connection(&crate_dir, &request)
        }
    };
    match result {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            if let Some(help) = error.help() {
                eprintln!("help: {help}");
            }
            ExitCode::FAILURE
        }
    }
}
