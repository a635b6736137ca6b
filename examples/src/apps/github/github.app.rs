//! GitHub.

#[path = "connections/github.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GithubOAuth2;

/// The GitHub app.
pub const GITHUB: AppDefinition = app! {
    id: "github",
    name: "GitHub",
    description: "Code hosting and collaboration",
    logo_url: "https://example.com/logos/github.svg",
    connections: [GithubOAuth2],
};
