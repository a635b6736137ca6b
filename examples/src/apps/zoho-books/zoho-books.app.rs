//! Zoho Books.

#[path = "connections/zoho-books.oauth2.rs"]
mod oauth2;

use connkit::{App, app};

pub use oauth2::ZohoBooksOAuth2;

/// The Zoho Books app.
pub const ZOHO_BOOKS: App = app! {
    id: "zoho-books",
    name: "Zoho Books",
    description: "Accounting",
    logo_url: "https://example.com/logos/zoho-books.svg",
    connections: [ZohoBooksOAuth2],
};
