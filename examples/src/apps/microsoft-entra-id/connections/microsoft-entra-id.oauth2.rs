//! The OAuth2 connection of Microsoft Entra ID.

// The tenant is a path segment (a domain like contoso.onmicrosoft.com, a GUID, or `common`):
// percent-encoded, never `.` or `..`. The v2.0 endpoint expects the scopes again on refresh.
use connkit::oauth2_connection;

/// The OAuth2 connection of Microsoft Entra ID.
#[oauth2_connection(
    id = "microsoft-entra-id_connection_oauth2",
    name = "OAuth2",
    description = "Connect to your organization's Microsoft Entra tenant",
    inputs = { tenant = { label = "Tenant (domain or ID)", default = "organizations" } },
    authorize_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
    token_url = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
    scopes = ["openid", "offline_access", "User.Read", "Group.Read.All"],
    refresh_scopes = true,
    redirect_to_localhost_in_development = true,
)]
pub struct MicrosoftEntraIdOAuth2;
