// Hardening (RFC 9207): `require_iss = true` refuses callbacks without `iss`, which needs the
// issuer to compare `iss` with.
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://auth.acme.example/token",
    scopes = [],
    require_iss = true,
)]
pub struct AcmeOAuth2;

fn main() {}
