//! The README's example: its connection and app as written there, and two more apps in the registry.
use connkit::{app, oauth2_connection, registry, AppDefinition, Registry};

#[oauth2_connection(
    id = "google-sheets_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = [
        "https://www.googleapis.com/auth/spreadsheets",
        "https://www.googleapis.com/auth/drive.readonly",
    ],
    auth_params = { access_type = "offline", prompt = "consent" },
)]
pub struct GoogleSheetsOAuth2;

pub const GOOGLE_SHEETS: AppDefinition = app! {
    id: "google-sheets",
    name: "Google Sheets",
    description: "Read and write spreadsheets",
    logo_url: "https://example.com/google-sheets.svg",
    actions: [],
    triggers: [],
    connections: [GoogleSheetsOAuth2],
};

#[oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;

pub const GMAIL: AppDefinition = app! {
    id: "gmail",
    name: "Gmail",
    description: "Send and read email",
    logo_url: "https://example.com/gmail.svg",
    connections: [GmailOAuth2],
};

#[oauth2_connection(
    id = "slack_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://slack.com/oauth/v2/authorize",
    token_url = "https://slack.com/api/oauth.v2.access",
    scopes = ["chat:write", "users:read"],
    scope_delimiter = ",",
)]
pub struct SlackOAuth2;

pub const SLACK: AppDefinition = app! {
    id: "slack",
    name: "Slack",
    description: "Team chat",
    logo_url: "https://example.com/slack.svg",
    connections: [SlackOAuth2],
};

pub const APPS: Registry = registry![GOOGLE_SHEETS, GMAIL, SLACK];

fn main() {
    assert_eq!(APPS.apps().len(), 3);
    assert_eq!(APPS.app("slack").map(AppDefinition::name), Some("Slack"));
    let sheets = APPS.connection("google-sheets_connection_oauth2").unwrap();
    assert_eq!(sheets.as_oauth2(), Some(GoogleSheetsOAuth2::DEFINITION));
    assert_eq!(GoogleSheetsOAuth2::DEFINITION.client_secret_env(), "INTEGRATION_GOOGLE_SHEETS_CLIENT_SECRET");
}
