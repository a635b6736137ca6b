//! The OAuth2 connection of HubSpot.

use connkit::oauth2_connection;

/// The OAuth2 connection of HubSpot.
#[oauth2_connection(
    id = "hubspot_connection_oauth2",
    name = "OAuth2",
    description = "Connect to HubSpot using OAuth2",
    authorize_url = "https://app.hubspot.com/oauth/authorize",
    token_url = "https://api.hubapi.com/oauth/v1/token",
    scopes = [
        "crm.lists.read",
        "crm.lists.write",
        "crm.objects.companies.read",
        "crm.objects.companies.write",
        "crm.objects.contacts.read",
        "crm.objects.contacts.write",
        "crm.objects.deals.read",
        "crm.objects.deals.write",
        "crm.objects.line_items.read",
        "crm.objects.line_items.write",
        "crm.objects.owners.read",
        "crm.schemas.companies.read",
        "crm.schemas.contacts.read",
        "crm.schemas.deals.read",
        "crm.schemas.line_items.read",
    ],
    auth_params = { optional_scope = "tickets" },
)]
pub struct HubspotOAuth2;
