//! The OAuth2 connection of Google Sheets.

use connkit::oauth2_connection;

/// The OAuth2 connection of Google Sheets.
#[oauth2_connection(
    id = "google-sheets_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Google Sheets using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = [
        "https://www.googleapis.com/auth/spreadsheets",
        "https://www.googleapis.com/auth/drive.readonly",
    ],
    auth_params = { access_type = "offline", prompt = "consent" },
)]
pub struct GoogleSheetsOAuth2;
