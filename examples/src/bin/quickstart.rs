//! Runs the OAuth2 authorization-code flow end to end on this machine: see
//! `connkit_examples::quickstart`, or `--help`.

use std::process::ExitCode;

use connkit_examples::quickstart::{Command, HELP, run};

#[tokio::main]
async fn main() -> ExitCode {
    let options = match Command::parse(std::env::args().skip(1), |name| std::env::var(name).ok()) {
        Ok(Command::Run(options)) => options,
        Ok(Command::Help) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("quickstart: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&options, &mut std::io::stdout()).await {
        Ok(_) => ExitCode::SUCCESS,
        // `quickstart | head` closes the pipe early: not a failure of the flow.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|error| error.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("quickstart failed: {error}");
            ExitCode::FAILURE
        }
    }
}
