// An owner's client is given with each connection: no variable is read for it.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    client_id_env = "INTEGRATION_ZOOM_CLIENT_ID",
)]
pub struct Zoom;

fn main() {}
