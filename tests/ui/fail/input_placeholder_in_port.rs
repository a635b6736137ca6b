// A port cannot come from an input.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { port = { label = "Port" } },
    authorize_url = "https://gitlab.com:{port}/oauth/authorize",
    token_url = "https://gitlab.com/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
