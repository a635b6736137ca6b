//! The dependency is renamed in Cargo.toml (`toolkit = { package = "connkit", .. }`): each
//! macro reaches it through `crate = ::toolkit`, and generated code names nothing else.

#[toolkit::oauth2_connection(
    crate = ::toolkit,
    id = "notion_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://api.notion.com/v1/oauth/authorize",
    token_url = "https://api.notion.com/v1/oauth/token",
    scopes = [],
    client_auth = "header",
)]
pub struct NotionOAuth2;

#[toolkit::api_key_connection(
    crate = ::toolkit,
    id = "notion_connection_api-key",
    name = "Integration token",
    description = "Connect with an internal integration token",
    header = "Authorization",
    prefix = "Bearer ",
)]
pub struct NotionToken;

const NOTION: toolkit::AppDefinition = toolkit::app! {
    crate = ::toolkit;
    id: "notion",
    name: "Notion",
    description: "Workspace",
    logo_url: "https://example.com/notion.svg",
    connections: [NotionOAuth2, NotionToken],
};

const APPS: toolkit::Registry = toolkit::registry![crate = ::toolkit; NOTION];

fn main() {
    assert_eq!(APPS.app("notion"), Some(&NOTION));
    let ids: Vec<&str> = NOTION.connections().iter().map(|c| c.id()).collect();
    assert_eq!(ids, ["notion_connection_oauth2", "notion_connection_api-key"]);
    assert!(matches!(
        NotionToken::DEFINITION.placement(),
        toolkit::definition::KeyPlacement::Header { name: "Authorization", prefix: "Bearer " }
    ));
}
