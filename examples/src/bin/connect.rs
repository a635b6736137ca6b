//! The catalogue's own command line, `connkit::cli::run` over its registry: authorize a
//! connection of any of its apps from the terminal, then list, show, refresh or delete the
//! stored ones.
//!
//! ```sh
//! export INTEGRATION_GITHUB_CLIENT_ID=... INTEGRATION_GITHUB_CLIENT_SECRET=...
//! cargo run -p connkit-examples --bin connect -- authorize github_connection_oauth2
//! cargo run -p connkit-examples --bin connect -- connections list
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    connkit::cli::run(&connkit_examples::CATALOGUE)
}
