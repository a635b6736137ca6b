//! Serves the connect flow for the browser on this machine: see
//! `connkit_examples::quickstart::web`, or `--help`.

use std::process::ExitCode;

use connkit_examples::quickstart::options_or_exit;
use connkit_examples::quickstart::web::{HELP, start};

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options_or_exit("connect-web", HELP) {
        Ok(options) => options,
        Err(code) => return code,
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
