// Rule 1: a stray character before the kind; the fix is suggested.
#[connkit::oauth2_connection(
    id = "gmail_connection_-oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;

fn main() {}
