// A near miss of a method name gets the method.
#[connkit::oauth2_connection(
    id = "okta_connection_oauth2",
    name = "OAuth2",
    description = "Connect with Okta",
    authorize_url = "https://acme.okta.com/oauth2/v1/authorize",
    token_url = "https://acme.okta.com/oauth2/v1/token",
    scopes = ["openid"],
    client_auth = "private_key_jw",
)]
pub struct Okta;

fn main() {}
