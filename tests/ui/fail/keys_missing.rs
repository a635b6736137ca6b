// Rule 5: all missing required keys in one error at the attribute.
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
)]
pub struct GmailOAuth2;

fn main() {}
