//! `connkit::cli::run` over the command line's client of oidc-provider, as an app crate's own
//! binary would call it; with `CONNKIT_INTEROP_WIDER` set, over the later release that asks for
//! one more scope. The command line's tests run it.

use std::process::ExitCode;

use connkit_interop::{CLI_REGISTRY, CLI_REGISTRY_WIDER};

fn main() -> ExitCode {
    if std::env::var_os("CONNKIT_INTEROP_WIDER").is_some() {
        connkit::cli::run(&CLI_REGISTRY_WIDER)
    } else {
        connkit::cli::run(&CLI_REGISTRY)
    }
}
