// `scope_in_claim` fills `scope` from `scopes`.
#[connkit::jwt_bearer_connection(
    id = "google-drive_connection_jwt-bearer",
    name = "Service account",
    description = "Google Drive as a service account",
    token_url = "https://oauth2.googleapis.com/token",
    inputs = { client_email = { label = "Service account" } },
    scopes = ["https://www.googleapis.com/auth/drive"],
    scope_in_claim = true,
    claims = { iss = "{client_email}", aud = "https://oauth2.googleapis.com/token", scope = "drive" },
)]
pub struct GoogleDrive;

fn main() {}
