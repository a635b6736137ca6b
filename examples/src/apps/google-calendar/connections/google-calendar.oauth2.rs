//! The OAuth2 connection of Google Calendar.

use connkit::oauth2_connection;

/// The OAuth2 connection of Google Calendar.
#[oauth2_connection(
    id = "google-calendar_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Google Calendar using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = [
        "https://www.googleapis.com/auth/calendar.events",
        "https://www.googleapis.com/auth/calendar.readonly",
    ],
    auth_params = { access_type = "offline", prompt = "consent" },
)]
pub struct GoogleCalendarOAuth2;
