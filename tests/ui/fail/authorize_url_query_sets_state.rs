// Hardening: a query on the authorize URL is kept, so it may not set what the flow sets; the
// request would carry `state` twice and a server may read either.
#[connkit::oauth2_connection(
    id = "acme_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Acme",
    authorize_url = "https://auth.acme.example/authorize?tenant=common&state=fixed",
    token_url = "https://auth.acme.example/token",
    scopes = [],
)]
pub struct AcmeOAuth2;

fn main() {}
