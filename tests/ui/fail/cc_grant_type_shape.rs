// A grant type is a name or an absolute URI.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    grant_type = "account credentials",
)]
pub struct Zoom;

fn main() {}
