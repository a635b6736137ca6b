// A syntax error is one error at the token.
#[connkit::oauth2_connection(
    id "gmail_connection_oauth2",
)]
pub struct GmailOAuth2;

fn main() {}
