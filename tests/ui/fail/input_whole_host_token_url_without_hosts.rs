// The token endpoint takes its whole host from the user, and nothing limits it: the client secret could go anywhere.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { host = { label = "GitLab server" } },
    authorize_url = "https://{host}/oauth/authorize",
    token_url = "https://{host}/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
