//! Gmail.

#[path = "connections/gmail.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GmailOAuth2;

/// The Gmail app.
pub const GMAIL: AppDefinition = app! {
    id: "gmail",
    name: "Gmail",
    description: "Send and read email",
    logo_url: "https://example.com/logos/gmail.svg",
    connections: [GmailOAuth2],
};
