// One build reports every mistake of a definition (three independent ones here), not only the first.
#[connkit::oauth2_connection(
    id = "Gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "http://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly", "https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;

fn main() {}
