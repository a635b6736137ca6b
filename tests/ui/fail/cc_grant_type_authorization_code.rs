// The authorization-code grant is a user's consent, declared with #[oauth2_connection].
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    grant_type = "authorization_code",
)]
pub struct Zoom;

fn main() {}
