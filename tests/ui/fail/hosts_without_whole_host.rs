// hosts limits nothing when no URL takes its whole host from an input.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    hosts = ["gitlab.example.com"],
    authorize_url = "https://gitlab.example.com/oauth/authorize",
    token_url = "https://gitlab.example.com/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
