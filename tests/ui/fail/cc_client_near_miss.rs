// `client` is "owner" or "platform".
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    client = "platfrom",
)]
pub struct Zoom;

fn main() {}
