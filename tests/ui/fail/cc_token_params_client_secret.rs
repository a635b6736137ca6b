// The client secret is sent by the flow, as client_auth says.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    token_params = { client_secret = "{secret}" },
    inputs = { secret = { label = "Secret", secret = true } },
)]
pub struct Zoom;

fn main() {}
