// Rule 2 with rule 1 broken: when the id is invalid the app id is unknown, but a written variable
// name is still checked for its shape (prefix, suffix, kind), so both mistakes show in one build.
#[connkit::oauth2_connection(
    id = "Gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = [],
    client_secret_env = "INTEGRATION_GMAIL_CLIENT_ID",
)]
pub struct GmailOAuth2;

fn main() {}
