// A parameter value names an input that is not declared.
#[connkit::oauth2_connection(
    id = "azure-ad_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://login.microsoftonline.com/common/oauth2/authorize",
    token_url = "https://login.microsoftonline.com/common/oauth2/token",
    scopes = ["read"],
    token_params = { resource = "https://{resource}.example.com" },
)]
pub struct AzureAdOAuth2;

fn main() {}
