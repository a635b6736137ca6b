//! Microsoft Entra ID (Azure AD), for one organization's tenant.

#[path = "connections/microsoft-entra-id.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::MicrosoftEntraIdOAuth2;

/// The Microsoft Entra ID app.
pub const MICROSOFT_ENTRA_ID: AppDefinition = app! {
    id: "microsoft-entra-id",
    name: "Microsoft Entra ID",
    description: "Users and groups of an organization",
    logo_url: "https://example.com/logos/microsoft-entra-id.svg",
    connections: [MicrosoftEntraIdOAuth2],
};
