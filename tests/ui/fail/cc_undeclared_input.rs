// A placeholder names a declared input.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    token_params = { account_id = "{account}" },
)]
pub struct Zoom;

fn main() {}
