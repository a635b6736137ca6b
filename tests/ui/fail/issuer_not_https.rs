// Hardening (RFC 9207): an issuer identifier follows the endpoint URL rules.
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = [],
    issuer = "http://auth.acme.example",
)]
pub struct AcmeOAuth2;

fn main() {}
