//! Serves the connect flow for the browser on this machine: see
//! `connkit_examples::quickstart::web`, or `--help`.

use std::process::ExitCode;

use connkit_examples::quickstart::Command;
use connkit_examples::quickstart::web::{HELP, start};

#[tokio::main]
async fn main() -> ExitCode {
    let options = match Command::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("connect-web: {message}");
            return ExitCode::from(2);
        }
    };
    let running = match start(&options).await {
        Ok(running) => running,
        Err(error) => {
            eprintln!("connect-web failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("Open {} in a browser (Ctrl-C stops it).", running.page);
    // Serves until the process is stopped.
    std::future::pending::<()>().await;
    ExitCode::SUCCESS
}
