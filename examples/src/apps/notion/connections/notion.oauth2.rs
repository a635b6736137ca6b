//! The OAuth2 connection of Notion.

// Notion takes no scopes (no scope parameter is sent) and HTTP Basic client authentication.
use connkit::oauth2_connection;

/// The OAuth2 connection of Notion.
#[oauth2_connection(
    id = "notion_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Notion using OAuth2",
    authorize_url = "https://api.notion.com/v1/oauth/authorize",
    token_url = "https://api.notion.com/v1/oauth/token",
    scopes = [],
    client_auth = "header",
    auth_params = { owner = "user" },
    redirect_to_localhost_in_development = true,
)]
pub struct NotionOAuth2;
