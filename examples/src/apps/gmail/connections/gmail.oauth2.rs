//! The OAuth2 connection of Gmail.

use connkit::oauth2_connection;

/// The OAuth2 connection of Gmail.
#[oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Gmail using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = [
        "https://www.googleapis.com/auth/gmail.readonly",
        "https://www.googleapis.com/auth/gmail.modify",
        "https://www.googleapis.com/auth/gmail.compose",
        "https://www.googleapis.com/auth/gmail.send",
    ],
    auth_params = { access_type = "offline", prompt = "consent" },
)]
pub struct GmailOAuth2;
