//! Google Docs.

#[path = "connections/google-docs.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GoogleDocsOAuth2;

/// The Google Docs app.
pub const GOOGLE_DOCS: AppDefinition = app! {
    id: "google-docs",
    name: "Google Docs",
    description: "Create and edit documents",
    logo_url: "https://example.com/logos/google-docs.svg",
    connections: [GoogleDocsOAuth2],
};
