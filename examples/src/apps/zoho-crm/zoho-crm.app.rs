//! Zoho CRM.

#[path = "connections/zoho-crm.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::ZohoCrmOAuth2;

/// The Zoho CRM app.
pub const ZOHO_CRM: AppDefinition = app! {
    id: "zoho-crm",
    name: "Zoho CRM",
    description: "CRM",
    logo_url: "https://example.com/logos/zoho-crm.svg",
    connections: [ZohoCrmOAuth2],
};
