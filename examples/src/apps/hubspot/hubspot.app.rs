//! HubSpot.

#[path = "connections/hubspot.oauth2.rs"]
mod oauth2;

use connkit::{App, app};

pub use oauth2::HubspotOAuth2;

/// The HubSpot app.
pub const HUBSPOT: App = app! {
    id: "hubspot",
    name: "HubSpot",
    description: "CRM and marketing",
    logo_url: "https://example.com/logos/hubspot.svg",
    connections: [HubspotOAuth2],
};
