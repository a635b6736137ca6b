// scope on refresh comes from the scopes, with refresh_scopes = true.
#[connkit::oauth2_connection(
    id = "microsoft-outlook_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    scopes = ["offline_access", "Mail.Read"],
    refresh_params = { scope = "offline_access Mail.Read" },
)]
pub struct OutlookOAuth2;

fn main() {}
