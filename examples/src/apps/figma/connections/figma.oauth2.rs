//! The OAuth2 connection of Figma.

use connkit::oauth2_connection;

/// The OAuth2 connection of Figma.
#[oauth2_connection(
    id = "figma_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Figma using OAuth2",
    authorize_url = "https://www.figma.com/oauth",
    token_url = "https://api.figma.com/v1/oauth/token",
    scopes = [
        "file_content:read",
        "file_comments:read",
        "file_dev_resources:read",
        "file_versions:read",
        "library_content:read",
        "library_assets:read",
        "projects:read",
        "team_library_content:read",
        "webhooks:read",
    ],
)]
pub struct FigmaOAuth2;
