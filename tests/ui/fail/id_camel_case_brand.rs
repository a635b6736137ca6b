// Rule 1: a CamelCase app id without separators is suggested lowercased, as users write it
// (`github`, not `git-hub`).
#[connkit::oauth2_connection(
    id = "GitHub_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://github.com/login/oauth/authorize",
    token_url = "https://github.com/login/oauth/access_token",
    scopes = ["repo"],
)]
pub struct GithubOAuth2;

fn main() {}
