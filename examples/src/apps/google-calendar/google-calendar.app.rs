//! Google Calendar.

#[path = "connections/google-calendar.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GoogleCalendarOAuth2;

/// The Google Calendar app.
pub const GOOGLE_CALENDAR: AppDefinition = app! {
    id: "google-calendar",
    name: "Google Calendar",
    description: "Manage calendar events",
    logo_url: "https://example.com/logos/google-calendar.svg",
    connections: [GoogleCalendarOAuth2],
};
