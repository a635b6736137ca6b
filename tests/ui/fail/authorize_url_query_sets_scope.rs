// Hardening: scopes are declared with `scopes`, not in the authorize URL's query.
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize?scope=read+write",
    token_url = "https://auth.acme.example/token",
    scopes = [],
)]
pub struct AcmeOAuth2;

fn main() {}
