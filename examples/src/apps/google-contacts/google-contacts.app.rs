//! Google Contacts.

#[path = "connections/google-contacts.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GoogleContactsOAuth2;

/// The Google Contacts app.
pub const GOOGLE_CONTACTS: AppDefinition = app! {
    id: "google-contacts",
    name: "Google Contacts",
    description: "Manage contacts",
    logo_url: "https://example.com/logos/google-contacts.svg",
    connections: [GoogleContactsOAuth2],
};
