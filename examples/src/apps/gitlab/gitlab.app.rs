//! GitLab, on gitlab.com or on a GitLab Dedicated instance the user names.

#[path = "connections/gitlab.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::GitlabOAuth2;

/// The GitLab app.
pub const GITLAB: AppDefinition = app! {
    id: "gitlab",
    name: "GitLab",
    description: "Code, issues and pipelines",
    logo_url: "https://example.com/logos/gitlab.svg",
    connections: [GitlabOAuth2],
};
