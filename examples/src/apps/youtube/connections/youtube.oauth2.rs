//! The OAuth2 connection of YouTube.

use connkit::oauth2_connection;

/// The OAuth2 connection of YouTube.
#[oauth2_connection(
    id = "youtube_connection_oauth2",
    name = "OAuth2",
    description = "Connect to YouTube using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = [
        "https://www.googleapis.com/auth/youtube.upload",
        "https://www.googleapis.com/auth/youtube.readonly",
    ],
    auth_params = { access_type = "offline", prompt = "consent" },
)]
pub struct YoutubeOAuth2;
