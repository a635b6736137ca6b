// Rule 1: `_` is not allowed in an app id.
#[connkit::oauth2_connection(
    id = "google_sheets_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;

fn main() {}
