//! The OAuth2 connection of Slack.

// Slack joins scopes with commas (Lecca's default, correct here). The user token comes back
// nested under `authed_user`; the flow keeps it in the token set's metadata.
use connkit::oauth2_connection;

/// The OAuth2 connection of Slack.
#[oauth2_connection(
    id = "slack_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Slack using OAuth2",
    authorize_url = "https://slack.com/oauth/v2/authorize",
    token_url = "https://slack.com/api/oauth.v2.access",
    scopes = [
        "users:read.email",
        "reactions:write",
        "chat:write",
        "groups:read",
        "groups:write",
        "mpim:read",
        "mpim:write",
        "im:write",
        "users:read",
        "files:write",
        "files:read",
        "channels:read",
        "channels:manage",
        "channels:history",
        "reactions:read",
    ],
    scope_delimiter = ",",
    auth_params = { user_scope = "search:read,users.profile:write" },
)]
pub struct SlackOAuth2;
