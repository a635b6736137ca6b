// Rule 5: scopes is required (write `scopes = []` for none).
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
)]
pub struct GmailOAuth2;

fn main() {}
