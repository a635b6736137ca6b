//! Jira Cloud: an Atlassian account email and an API token, sent as HTTP Basic.

#[path = "connections/jira.basic-auth.rs"]
mod basic_auth;

use connkit::{AppDefinition, app};

pub use basic_auth::JiraBasicAuth;

/// The Jira app.
pub const JIRA: AppDefinition = app! {
    id: "jira",
    name: "Jira",
    description: "Issues and projects",
    logo_url: "https://example.com/logos/jira.svg",
    connections: [JiraBasicAuth],
};
