//! Google Sheets.

#[path = "connections/google-sheets.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GoogleSheetsOAuth2;

/// The Google Sheets app.
pub const GOOGLE_SHEETS: AppDefinition = app! {
    id: "google-sheets",
    name: "Google Sheets",
    description: "Read and write spreadsheets",
    logo_url: "https://example.com/logos/google-sheets.svg",
    connections: [GoogleSheetsOAuth2],
};
