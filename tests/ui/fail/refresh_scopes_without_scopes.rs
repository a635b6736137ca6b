// refresh_scopes sends the scopes on refresh: with none declared it would send nothing.
#[connkit::oauth2_connection(
    id = "microsoft-outlook_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    scopes = [],
    refresh_scopes = true,
)]
pub struct OutlookOAuth2;

fn main() {}
