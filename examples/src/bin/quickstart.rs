//! Runs the OAuth2 authorization-code flow end to end on this machine: see
//! `connkit_examples::quickstart`, or `--help`.

use std::process::ExitCode;

use connkit_examples::quickstart::{HELP, options_or_exit, run};

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options_or_exit("quickstart", HELP) {
        Ok(options) => options,
        Err(code) => return code,
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
