// A client-credentials connection has no user to send to an authorization page.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    authorize_url = "https://zoom.us/oauth/authorize",
)]
pub struct Zoom;

fn main() {}
