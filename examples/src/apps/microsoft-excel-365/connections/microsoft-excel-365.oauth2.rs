//! The OAuth2 connection of Microsoft Excel 365.

// As shipped, Lecca read INTEGRATION_MICROSOFT_365_EXCEL_CLIENT_ID, which breaks the naming
// rule; connkit derives INTEGRATION_MICROSOFT_EXCEL_365_CLIENT_ID (see
// tests/ui/fail/env_excel_as_shipped.rs).
use connkit::oauth2_connection;

/// The OAuth2 connection of Microsoft Excel 365.
#[oauth2_connection(
    id = "microsoft-excel-365_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Microsoft Excel 365 using OAuth2",
    authorize_url = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    scopes = [
        "Files.ReadWrite",
        "User.Read",
        "offline_access",
    ],
    scope_delimiter = ",",
    redirect_to_localhost_in_development = true,
)]
pub struct MicrosoftExcel365OAuth2;
