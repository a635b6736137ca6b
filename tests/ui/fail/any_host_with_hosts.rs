// any_host = true and a hosts list contradict each other.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { host = { label = "GitLab server" } },
    hosts = ["*.example.com"],
    any_host = true,
    authorize_url = "https://{host}/oauth/authorize",
    token_url = "https://{host}/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
