//! With the dependency renamed and no `crate = ::toolkit`, generated code looks for `::connkit`:
//! one error, at the macro.

#[toolkit::oauth2_connection(
    id = "notion_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://api.notion.com/v1/oauth/authorize",
    token_url = "https://api.notion.com/v1/oauth/token",
    scopes = [],
)]
pub struct NotionOAuth2;

fn main() {}
