// A token_path with an empty name in it.
#[connkit::oauth2_connection(
    id = "slack_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://slack.com/oauth/v2/authorize",
    token_url = "https://slack.com/api/oauth.v2.access",
    scopes = ["read"],
    token_path = "authed_user.",
)]
pub struct SlackOAuth2;

fn main() {}
