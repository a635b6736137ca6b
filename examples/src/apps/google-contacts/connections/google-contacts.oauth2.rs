//! The OAuth2 connection of Google Contacts.

use connkit::oauth2_connection;

/// The OAuth2 connection of Google Contacts.
#[oauth2_connection(
    id = "google-contacts_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Google Contacts using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = [
        "https://www.googleapis.com/auth/contacts",
    ],
    auth_params = { access_type = "offline", prompt = "consent" },
)]
pub struct GoogleContactsOAuth2;
