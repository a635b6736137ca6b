// refresh_token is not a grant the client obtains with.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    grant_type = "refresh_token",
)]
pub struct Zoom;

fn main() {}
