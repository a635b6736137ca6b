//! Google Forms.

#[path = "connections/google-forms.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GoogleFormsOAuth2;

/// The Google Forms app.
pub const GOOGLE_FORMS: AppDefinition = app! {
    id: "google-forms",
    name: "Google Forms",
    description: "Read form responses",
    logo_url: "https://example.com/logos/google-forms.svg",
    connections: [GoogleFormsOAuth2],
};
