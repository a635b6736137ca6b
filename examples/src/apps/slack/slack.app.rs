//! Slack.

#[path = "connections/slack.oauth2.rs"]
mod oauth2;

use connkit::{AppDefinition, app};

pub use oauth2::SlackOAuth2;

/// The Slack app.
pub const SLACK: AppDefinition = app! {
    id: "slack",
    name: "Slack",
    description: "Team chat",
    logo_url: "https://example.com/logos/slack.svg",
    connections: [SlackOAuth2],
};
