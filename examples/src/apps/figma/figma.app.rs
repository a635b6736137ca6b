//! Figma.

#[path = "connections/figma.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::FigmaOAuth2;

/// The Figma app.
pub const FIGMA: AppDefinition = app! {
    id: "figma",
    name: "Figma",
    description: "Collaborative interface design",
    logo_url: "https://example.com/logos/figma.svg",
    connections: [FigmaOAuth2],
};
