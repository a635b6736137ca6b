// Hardening: `Authorization` on token requests is the flow's (client authentication); a
// declared one would replace it or carry a credential in source code.
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = [],
    token_headers = { Authorization = "Bearer abc" },
)]
pub struct AcmeOAuth2;

fn main() {}
