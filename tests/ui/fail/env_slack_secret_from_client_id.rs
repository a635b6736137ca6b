// Rule 2 / corpus: a Lecca Slack definition read its client secret from ..._CLIENT_ID.
#[connkit::oauth2_connection(
    id = "slack_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
    client_secret_env = "INTEGRATION_SLACK_CLIENT_ID",
)]
pub struct SlackOAuth2;

fn main() {}
