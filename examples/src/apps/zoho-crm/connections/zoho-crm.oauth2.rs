//! The OAuth2 connection of Zoho CRM.

// Lecca shipped the regional variant id `zoho-crm_connection_oauth2-US` ("zoho.com"); rule 1
// allows a `-<variant>` suffix, so the id is kept as shipped.
use connkit::oauth2_connection;

/// The OAuth2 connection of Zoho CRM.
#[oauth2_connection(
    id = "zoho-crm_connection_oauth2-US",
    name = "zoho.com",
    description = "Connect to Zoho CRM using OAuth2",
    authorize_url = "https://accounts.zoho.com/oauth/v2/auth",
    token_url = "https://accounts.zoho.com/oauth/v2/token",
    scopes = [
        "ZohoCRM.users.ALL",
        "ZohoCRM.org.ALL",
        "ZohoCRM.settings.ALL",
        "ZohoCRM.modules.ALL",
        "ZohoCRM.bulk.ALL",
        "ZohoCRM.bulk.backup.ALL",
        "ZohoFiles.files.ALL",
    ],
    auth_params = { prompt = "consent", access_type = "offline" },
)]
pub struct ZohoCrmOAuth2;
