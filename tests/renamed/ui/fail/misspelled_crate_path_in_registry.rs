//! `registry!`'s `crate = path;` header that does not resolve is one error, at the path, with
//! the compiler's suggestion of the crate's name.

const NOTION: toolkit::AppDefinition = toolkit::app! {
    crate = ::toolkit;
    id: "notion",
    name: "Notion",
    description: "Workspace",
    logo_url: "https://example.com/notion.svg",
    connections: [],
};

const APPS: toolkit::Registry = toolkit::registry![crate = toolkti; NOTION];

fn main() {
    let _ = APPS;
}
