// A default with a dot, for a host label.
#[connkit::oauth2_connection(
    id = "zoho_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { region = { label = "Region", default = "com.au" } },
    hosts = ["accounts.zoho.com", "accounts.zoho.eu"],
    authorize_url = "https://accounts.zoho.{region}/oauth/v2/auth",
    token_url = "https://accounts.zoho.{region}/oauth/v2/token",
    scopes = ["read"],
)]
pub struct ZohoOAuth2;

fn main() {}
