// Only the refresh endpoint takes its whole host from the user, and nothing limits it.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { host = { label = "GitLab server" } },
    authorize_url = "https://gitlab.com/oauth/authorize",
    token_url = "https://gitlab.com/oauth/token",
    scopes = ["read"],
    refresh_url = "https://{host}/oauth/token",
)]
pub struct GitlabOAuth2;

fn main() {}
