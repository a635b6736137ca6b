//! Google Drive.

#[path = "connections/google-drive.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GoogleDriveOAuth2;

/// The Google Drive app.
pub const GOOGLE_DRIVE: AppDefinition = app! {
    id: "google-drive",
    name: "Google Drive",
    description: "Store and share files",
    logo_url: "https://example.com/logos/google-drive.svg",
    connections: [GoogleDriveOAuth2],
};
