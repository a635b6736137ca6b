// #[oauth2_connection] is the authorization-code grant; grant_type belongs to #[client_credentials_connection].
#[connkit::oauth2_connection(
    id = "zoom_connection_oauth2",
    name = "OAuth2",
    description = "Connect with Zoom",
    authorize_url = "https://zoom.us/oauth/authorize",
    token_url = "https://zoom.us/oauth/token",
    scopes = [],
    grant_type = "client_credentials",
)]
pub struct Zoom;

fn main() {}
