// Rule 2: a variant may use its own name, but not another variant's.
#[connkit::oauth2_connection(
    id = "zoho-books_connection_oauth2-US",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
    client_id_env = "INTEGRATION_ZOHO_BOOKS_EU_CLIENT_ID",
)]
pub struct ZohoBooksOAuth2;

fn main() {}
