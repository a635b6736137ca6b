// Rule 9: the same trigger twice.
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;
pub struct NewEmail;
impl connkit::definition::Trigger for NewEmail {
    const ID: &'static str = "gmail_trigger_new-email";
    const NAME: &'static str = "New Email";
    const DESCRIPTION: &'static str = "Fires on a new email";
}
pub const GMAIL: connkit::AppDefinition = connkit::app! {
    id: "gmail",
    name: "Gmail",
    description: "Send and read email",
    logo_url: "https://example.com/gmail.svg",
    triggers: [NewEmail, NewEmail],
    connections: [GmailOAuth2],
};

fn main() {}
