//! A `crate = path` that does not resolve is one error, at the path.

#[toolkit::oauth2_connection(
    crate = ::toolkti,
    id = "notion_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://api.notion.com/v1/oauth/authorize",
    token_url = "https://api.notion.com/v1/oauth/token",
    scopes = [],
)]
pub struct NotionOAuth2;

fn main() {}
