// A query parameter name cannot come from an input.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { name = { label = "Name" } },
    authorize_url = "https://gitlab.com/oauth/authorize?{name}=1",
    token_url = "https://gitlab.com/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
