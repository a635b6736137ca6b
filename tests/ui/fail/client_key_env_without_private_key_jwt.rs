// Only private_key_jwt reads a key.
#[connkit::oauth2_connection(
    id = "okta_connection_oauth2",
    name = "OAuth2",
    description = "Connect with Okta",
    authorize_url = "https://acme.okta.com/oauth2/v1/authorize",
    token_url = "https://acme.okta.com/oauth2/v1/token",
    scopes = ["openid"],
    client_key_env = "INTEGRATION_OKTA_CLIENT_KEY",
)]
pub struct Okta;

fn main() {}
