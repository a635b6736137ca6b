//! Runs the OAuth2 authorization-code flow end to end on this machine: see
//! `connkit_examples::quickstart`.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut out = std::io::stdout();
    match connkit_examples::quickstart::run(&mut out).await {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("quickstart failed: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
