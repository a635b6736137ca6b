// Rule 3: a character RFC 6749 does not allow in a scope.
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["read\\all"],
)]
pub struct GmailOAuth2;

fn main() {}
