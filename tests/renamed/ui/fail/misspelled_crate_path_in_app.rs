//! `app!`'s `crate = path;` header that does not resolve is one error, at the path.

const NOTION: toolkit::AppDefinition = toolkit::app! {
    crate = ::toolkti;
    id: "notion",
    name: "Notion",
    description: "Workspace",
    logo_url: "https://example.com/notion.svg",
    connections: [],
};

fn main() {
    let _ = NOTION;
}
