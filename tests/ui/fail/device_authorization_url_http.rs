// The client's authentication goes to the device authorization endpoint: https only, off loopback.
#[connkit::oauth2_connection(
    id = "github_connection_oauth2",
    name = "OAuth2",
    description = "Connect with GitHub",
    authorize_url = "https://github.com/login/oauth/authorize",
    token_url = "https://github.com/login/oauth/access_token",
    device_authorization_url = "http://github.com/login/device/code",
    scopes = ["repo"],
)]
pub struct GitHub;

fn main() {}
