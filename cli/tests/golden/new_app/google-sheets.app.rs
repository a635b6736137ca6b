//! Google Sheets.

use connkit::{AppDefinition, app};

/// The Google Sheets app.
pub const GOOGLE_SHEETS: AppDefinition = app! {
    id: "google-sheets",
    name: "Google Sheets",
    description: "Google Sheets",
    logo_url: "https://example.com/logos/google-sheets.svg",
};
