//! YouTube.

#[path = "connections/youtube.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::YoutubeOAuth2;

/// The YouTube app.
pub const YOUTUBE: AppDefinition = app! {
    id: "youtube",
    name: "YouTube",
    description: "Upload and read videos",
    logo_url: "https://example.com/logos/youtube.svg",
    connections: [YoutubeOAuth2],
};
