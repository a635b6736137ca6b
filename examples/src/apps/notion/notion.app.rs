//! Notion.

#[path = "connections/notion.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::NotionOAuth2;

/// The Notion app.
pub const NOTION: AppDefinition = app! {
    id: "notion",
    name: "Notion",
    description: "Notes and docs",
    logo_url: "https://example.com/logos/notion.svg",
    connections: [NotionOAuth2],
};
