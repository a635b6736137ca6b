// A hosts entry that is a URL, not a host.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { host = { label = "GitLab server" } },
    hosts = ["https://gitlab.example.com"],
    authorize_url = "https://{host}/oauth/authorize",
    token_url = "https://{host}/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
