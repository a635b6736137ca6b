//! HubSpot.

#[path = "connections/hubspot.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::HubspotOAuth2;

/// The HubSpot app.
pub const HUBSPOT: AppDefinition = app! {
    id: "hubspot",
    name: "HubSpot",
    description: "CRM and marketing",
    logo_url: "https://example.com/logos/hubspot.svg",
    connections: [HubspotOAuth2],
};
