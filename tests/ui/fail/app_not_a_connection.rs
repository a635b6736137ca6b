// Rule 8: a listed type that is not a connection gives one error.
pub struct GmailOAuth2;
pub const GMAIL: connkit::AppDefinition = connkit::app! {
    id: "gmail",
    name: "Gmail",
    description: "Send and read email",
    logo_url: "https://example.com/gmail.svg",
    connections: [GmailOAuth2],
};

fn main() {}
