//! The OAuth2 connection of Microsoft Outlook.

use connkit::oauth2_connection;

/// The OAuth2 connection of Microsoft Outlook.
#[oauth2_connection(
    id = "microsoft-outlook_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Microsoft Outlook using OAuth2",
    authorize_url = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url = "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    scopes = [
        "Mail.Send",
        "Mail.ReadWrite",
        "Calendars.ReadWrite",
        "Contacts.ReadWrite",
        "offline_access",
        "User.Read",
    ],
    scope_delimiter = ",",
    redirect_to_localhost_in_development = true,
)]
pub struct MicrosoftOutlookOAuth2;
