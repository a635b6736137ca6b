// After an error in a definition, a stand-in keeps app! from adding follow-on errors:
// only the id is reported, not an ownership failure or "not a connection".
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = [],
)]
pub struct GmailOAuth2;

pub const GMAIL: connkit::AppDefinition = connkit::app! {
    id: "gmail",
    name: "Gmail",
    description: "Send and read email",
    logo_url: "https://example.com/gmail.svg",
    connections: [GmailOAuth2],
};

pub const APPS: connkit::Registry = connkit::registry![GMAIL];

fn main() {}
