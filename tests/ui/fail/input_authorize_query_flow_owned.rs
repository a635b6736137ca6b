// A templated authorize URL still leaves the flow its parameters.
#[connkit::oauth2_connection(
    id = "azure-ad_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    inputs = { tenant = { label = "Tenant" } },
    authorize_url = "https://login.microsoftonline.com/{tenant}/oauth2/authorize?state=x",
    token_url = "https://login.microsoftonline.com/{tenant}/oauth2/token",
    scopes = ["read"],
)]
pub struct AzureAdOAuth2;

fn main() {}
