// Rule 1 / corpus: Lecca shipped `codesandbox_connection_-api-key`; an OAuth2 connection id ends in `_connection_oauth2`.
#[connkit::oauth2_connection(
    id = "codesandbox_connection_-api-key",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;

fn main() {}
