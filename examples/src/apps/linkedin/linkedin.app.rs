//! LinkedIn.

#[path = "connections/linkedin.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::LinkedinOAuth2;

/// The LinkedIn app.
pub const LINKEDIN: AppDefinition = app! {
    id: "linkedin",
    name: "LinkedIn",
    description: "Professional network",
    logo_url: "https://example.com/logos/linkedin.svg",
    connections: [LinkedinOAuth2],
};
