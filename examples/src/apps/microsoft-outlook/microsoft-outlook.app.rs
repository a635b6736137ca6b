//! Microsoft Outlook.

#[path = "connections/microsoft-outlook.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::MicrosoftOutlookOAuth2;

/// The Microsoft Outlook app.
pub const MICROSOFT_OUTLOOK: AppDefinition = app! {
    id: "microsoft-outlook",
    name: "Microsoft Outlook",
    description: "Email, calendar and contacts",
    logo_url: "https://example.com/logos/microsoft-outlook.svg",
    connections: [MicrosoftOutlookOAuth2],
};
