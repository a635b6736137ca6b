//! Zoho Books.

#[path = "connections/zoho-books.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::ZohoBooksOAuth2;

/// The Zoho Books app.
pub const ZOHO_BOOKS: AppDefinition = app! {
    id: "zoho-books",
    name: "Zoho Books",
    description: "Accounting",
    logo_url: "https://example.com/logos/zoho-books.svg",
    connections: [ZohoBooksOAuth2],
};
