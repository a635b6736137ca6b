// One spelling of the crate override in all three macros: `crate = path;` before the keys of
// `app!` (as in `registry!`), not `crate: path` among them.
#[connkit::oauth2_connection(
    id = "notion_connection_oauth2",
    name = "OAuth2",
    description = "Connect using OAuth2",
    authorize_url = "https://api.notion.com/v1/oauth/authorize",
    token_url = "https://api.notion.com/v1/oauth/token",
    scopes = [],
)]
pub struct NotionOAuth2;

pub const NOTION: connkit::AppDefinition = connkit::app! {
    crate: connkit,
    id: "notion",
    name: "Notion",
    description: "Workspace",
    logo_url: "https://example.com/notion.svg",
    connections: [NotionOAuth2],
};

fn main() {}
