// Plain http with a whole host from the user, where hosts lists a host that is not loopback.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { host = { label = "GitLab server" } },
    hosts = ["gitlab.example.com"],
    authorize_url = "http://{host}/oauth/authorize",
    token_url = "https://{host}/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
