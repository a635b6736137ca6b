//! `crate = path` lets generated code reach connkit under another path; one spelling in all
//! three macros (a key of the attribute, a `crate = path;` header of `app!` and `registry!`).
mod vendored {
    pub use ::connkit as toolkit;
}

#[connkit::oauth2_connection(
    crate = vendored::toolkit,
    id = "notion_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://api.notion.com/v1/oauth/authorize",
    token_url = "https://api.notion.com/v1/oauth/token",
    scopes = [],
    client_auth = "header",
    auth_params = { owner = "user" },
)]
pub struct NotionOAuth2;

const NOTION: vendored::toolkit::AppDefinition = connkit::app! {
    crate = vendored::toolkit;
    id: "notion",
    name: "Notion",
    description: "Workspace",
    logo_url: "https://example.com/notion.svg",
    connections: [NotionOAuth2],
};

const APPS: vendored::toolkit::Registry = connkit::registry![crate = vendored::toolkit; NOTION];

fn main() {
    assert_eq!(APPS.app("notion"), Some(&NOTION));
    assert_eq!(NOTION.connections()[0].id(), "notion_connection_oauth2");
    // No scopes: no scope parameter at all.
    let params = vendored::toolkit::definition::AuthorizationParams::new("c", "https://a.example/cb", "s");
    let url = NotionOAuth2::DEFINITION.authorization_request_url(&params).unwrap();
    assert!(!url.query().unwrap_or_default().contains("scope"), "{url}");
}
