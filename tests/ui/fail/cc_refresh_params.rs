// A client-credentials token is obtained again, never refreshed.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    refresh_params = { account_id = "x" },
)]
pub struct Zoom;

fn main() {}
