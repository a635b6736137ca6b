// The token endpoint's domain comes from the user (the second-level label): anyone could
// register `evil.com` and receive the client secret, so `hosts` (or `any_host`) is required.
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { company = { label = "Company" } },
    authorize_url = "https://auth.acme.example/authorize",
    token_url = "https://api.{company}.com/oauth/token",
    scopes = ["read"],
)]
pub struct AcmeOAuth2;

fn main() {}
