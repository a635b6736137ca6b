// Hardening: `Host` and `Content-Length` frame the request; the HTTP client sets them.
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = [],
    token_headers = { "X-Version" = "2", host = "internal.acme.example" },
)]
pub struct AcmeOAuth2;

fn main() {}
