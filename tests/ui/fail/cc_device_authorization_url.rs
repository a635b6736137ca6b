// Device authorization is a user's consent: it belongs on #[oauth2_connection].
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    device_authorization_url = "https://zoom.us/oauth/device",
)]
pub struct Zoom;

fn main() {}
