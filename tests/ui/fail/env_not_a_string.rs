// Rule 5: a variable name is a string literal.
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
    client_id_env = INTEGRATION_GMAIL_CLIENT_ID,
)]
pub struct GmailOAuth2;

fn main() {}
