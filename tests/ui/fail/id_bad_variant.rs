// Rule 1: a variant is [A-Za-z0-9] words joined by `-`.
#[connkit::oauth2_connection(
    id = "zoho-books_connection_oauth2-U_S",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;

fn main() {}
