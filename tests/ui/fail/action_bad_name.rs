// Rule 9: an action name is lowercase kebab-case.
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://accounts.google.com/o/oauth2/v2/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;
pub struct SendEmail;
impl connkit::definition::Action for SendEmail {
    const ID: &'static str = "gmail_action_SendEmail";
    const NAME: &'static str = "Send Email";
    const DESCRIPTION: &'static str = "Sends an email";
}
pub const GMAIL: connkit::AppDefinition = connkit::app! {
    id: "gmail",
    name: "Gmail",
    description: "Send and read email",
    logo_url: "https://example.com/gmail.svg",
    actions: [SendEmail],
    connections: [GmailOAuth2],
};

fn main() {}
