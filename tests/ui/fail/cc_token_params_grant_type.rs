// The flow sets grant_type; the key says which.
#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    token_params = { grant_type = "account_credentials" },
)]
pub struct Zoom;

fn main() {}
