//! Calendly.

#[path = "connections/calendly.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::CalendlyOAuth2;

/// The Calendly app.
pub const CALENDLY: AppDefinition = app! {
    id: "calendly",
    name: "Calendly",
    description: "Schedule meetings",
    logo_url: "https://example.com/logos/calendly.svg",
    connections: [CalendlyOAuth2],
};
