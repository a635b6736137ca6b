//! `connkit`: the command line of connkit.
//!
//! `connkit new app <name-or-id>` adds an app to a catalogue crate laid out like connkit's own
//! (`src/lib.rs` holds the `registry![...]`, each app lives in `src/apps/<app-id>/`).
//!
//! Exit codes: 0 on success, 1 when the command refused or failed (the message says why), 2 for
//! a command line clap could not read.

mod scaffold;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Scaffold and check connkit catalogues.
#[derive(Parser)]
#[command(name = "connkit", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create an app (more to come: connections).
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::New(New::App { name, crate_dir }) => scaffold::new_app(&crate_dir, &name),
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
