// The RFC 7591 name of the form-body method names connkit's.
#[connkit::oauth2_connection(
    id = "okta_connection_oauth2",
    name = "OAuth2",
    description = "Connect with Okta",
    authorize_url = "https://acme.okta.com/oauth2/v1/authorize",
    token_url = "https://acme.okta.com/oauth2/v1/token",
    scopes = ["openid"],
    client_auth = "client_secret_post",
)]
pub struct Okta;

fn main() {}
