// Rule 5: an unknown key names the closest known key.
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
    authorise_url = "https://accounts.google.com/o/oauth2/v2/auth",
)]
pub struct GmailOAuth2;

fn main() {}
