// incremental_auth sends include_granted_scopes itself, on a re-consent only.
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
    auth_params = { access_type = "offline", include_granted_scopes = "true" },
    incremental_auth = true,
)]
pub struct GmailOAuth2;

fn main() {}
