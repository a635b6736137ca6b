//! The OAuth2 connection of Dropbox.

use connkit::oauth2_connection;

/// The OAuth2 connection of Dropbox.
#[oauth2_connection(
    id = "dropbox_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Dropbox using OAuth2",
    authorize_url = "https://www.dropbox.com/oauth2/authorize",
    token_url = "https://api.dropboxapi.com/oauth2/token",
    scopes = [
        "files.metadata.write",
        "files.metadata.read",
        "files.content.write",
        "files.content.read",
        "sharing.write",
        "sharing.read",
    ],
    auth_params = { token_access_type = "offline" },
)]
pub struct DropboxOAuth2;
