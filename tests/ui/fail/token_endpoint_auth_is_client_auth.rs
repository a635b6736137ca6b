// The RFC 7591 key name points at connkit's.
#[connkit::oauth2_connection(
    id = "okta_connection_oauth2",
    name = "OAuth2",
    description = "Connect with Okta",
    authorize_url = "https://acme.okta.com/oauth2/v1/authorize",
    token_url = "https://acme.okta.com/oauth2/v1/token",
    scopes = ["openid"],
    token_endpoint_auth = "private_key_jwt",
)]
pub struct Okta;

fn main() {}
