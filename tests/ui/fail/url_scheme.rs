// Rule 4: only https (and http for loopback).
#[connkit::oauth2_connection(
    id = "gmail_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "ftp://accounts.google.com/auth",
    token_url = "https://oauth2.googleapis.com/token",
    scopes = ["https://www.googleapis.com/auth/gmail.readonly"],
)]
pub struct GmailOAuth2;

fn main() {}
