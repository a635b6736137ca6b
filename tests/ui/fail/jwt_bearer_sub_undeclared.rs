// A claim's placeholder names a declared input.
#[connkit::jwt_bearer_connection(
    id = "google-drive_connection_jwt-bearer",
    name = "Service account",
    description = "Google Drive as a service account",
    token_url = "https://oauth2.googleapis.com/token",
    inputs = { client_email = { label = "Service account" } },
    claims = { iss = "{client_email}", sub = "{subject}", aud = "https://oauth2.googleapis.com/token" },
)]
pub struct GoogleDrive;

fn main() {}
