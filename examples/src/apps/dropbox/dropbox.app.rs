//! Dropbox.

#[path = "connections/dropbox.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::DropboxOAuth2;

/// The Dropbox app.
pub const DROPBOX: AppDefinition = app! {
    id: "dropbox",
    name: "Dropbox",
    description: "Store and share files",
    logo_url: "https://example.com/logos/dropbox.svg",
    connections: [DropboxOAuth2],
};
