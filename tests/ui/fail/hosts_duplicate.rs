// A hosts entry given twice.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { host = { label = "GitLab server" } },
    hosts = ["*.example.com", "*.example.com"],
    authorize_url = "https://{host}/oauth/authorize",
    token_url = "https://{host}/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
