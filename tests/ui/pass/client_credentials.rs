// Client-credentials connections: Zoom server-to-server (an owner's client, a provider grant,
// an input in the token request) and a platform client read from the environment.
use connkit::definition::{ClientHolder, ConnectionType, InputValues};

#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials",
    name = "Server-to-server",
    description = "Connect a Zoom server-to-server app",
    token_url = "https://zoom.us/oauth/token",
    grant_type = "account_credentials",
    client_auth = "header",
    token_params = { account_id = "{account_id}" },
    inputs = { account_id = { label = "Account ID", pattern = "[A-Za-z0-9_-]+" } },
)]
pub struct ZoomServerToServer;

#[connkit::client_credentials_connection(
    id = "zoom_connection_client-credentials-platform",
    name = "Our Zoom app",
    description = "Zoom, with the platform's own client",
    token_url = "https://zoom.us/oauth/token",
    scopes = ["meeting:read:admin", "user:read:admin"],
    client = "platform",
    client_id_env = "INTEGRATION_ZOOM_PLATFORM_CLIENT_ID",
)]
pub struct ZoomPlatform;

pub const ZOOM: connkit::AppDefinition = connkit::app! {
    id: "zoom",
    name: "Zoom",
    description: "Video meetings",
    logo_url: "https://example.com/zoom.svg",
    connections: [ZoomServerToServer, ZoomPlatform],
};

pub const APPS: connkit::Registry = connkit::registry![ZOOM];

fn main() {
    let owner = ZoomServerToServer::DEFINITION;
    assert_eq!(owner.client(), ClientHolder::Owner);
    assert_eq!(owner.grant_type(), "account_credentials");
    let endpoint = owner
        .endpoints(&InputValues::new().with("account_id", "AbC_1"))
        .unwrap();
    assert_eq!(endpoint.token_params(), [("account_id", "AbC_1".to_owned())]);
    assert!(owner.endpoints(&InputValues::new().with("account_id", "a/b")).is_err());
    let platform = ZoomPlatform::CONNECTION_DEFINITION;
    assert_eq!(platform.kind(), "client-credentials");
    assert!(platform.holds_tokens() && platform.uses_platform_client());
    assert_eq!(APPS.connection("zoom_connection_client-credentials").map(|c| c.kind()), Some("client-credentials"));
    let platform = ZoomPlatform::DEFINITION;
    assert_eq!(platform.client_id_env(), "INTEGRATION_ZOOM_PLATFORM_CLIENT_ID");
    assert_eq!(platform.client_secret_env(), "INTEGRATION_ZOOM_CLIENT_SECRET");
    assert_eq!(platform.scope_param().as_deref(), Some("meeting:read:admin user:read:admin"));
}
