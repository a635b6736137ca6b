// A client-credentials connection has no redirect: no user comes back to it.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    redirect_to_localhost_in_development = true,
)]
pub struct Zoom;

fn main() {}
