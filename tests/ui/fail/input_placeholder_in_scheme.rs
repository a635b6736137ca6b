// A scheme cannot come from an input.
#[connkit::oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { scheme = { label = "Scheme" } },
    authorize_url = "{scheme}://gitlab.com/oauth/authorize",
    token_url = "https://gitlab.com/oauth/token",
    scopes = ["read"],
)]
pub struct GitlabOAuth2;

fn main() {}
