// Hardening: the client id comes from a credential source, never from the definition's URL
// (here percent-encoded, as a server would decode it).
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize?client%5Fid=abc",
    token_url = "https://auth.acme.example/token",
    scopes = [],
)]
pub struct AcmeOAuth2;

fn main() {}
