// A default that its own pattern refuses.
#[connkit::oauth2_connection(
    id = "zoho_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { region = { label = "Region", pattern = "com|eu|in", default = "us" } },
    hosts = ["accounts.zoho.com", "accounts.zoho.eu"],
    authorize_url = "https://accounts.zoho.{region}/oauth/v2/auth",
    token_url = "https://accounts.zoho.{region}/oauth/v2/token",
    scopes = ["read"],
)]
pub struct ZohoOAuth2;

fn main() {}
