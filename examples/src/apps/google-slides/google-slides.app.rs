//! Google Slides.

#[path = "connections/google-slides.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GoogleSlidesOAuth2;

/// The Google Slides app.
pub const GOOGLE_SLIDES: AppDefinition = app! {
    id: "google-slides",
    name: "Google Slides",
    description: "Create and edit presentations",
    logo_url: "https://example.com/logos/google-slides.svg",
    connections: [GoogleSlidesOAuth2],
};
