// The client secret goes to the token endpoint: https only, off loopback.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "http://zoom.us/oauth/token",
)]
pub struct Zoom;

fn main() {}
