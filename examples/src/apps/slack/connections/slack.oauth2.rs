//! The OAuth2 connection of Slack.

// Slack joins scopes with commas (Lecca's default, correct here). The user token (for the
// `user_scope` scopes) comes back nested under `authed_user`: `token_path` reads the tokens
// there, and `token_metadata` keeps the team and the bot user's id. The bot token at the top
// level is not kept; a bot connection would be a variant without `token_path`.
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
    token_path = "authed_user",
    token_metadata = ["team.id", "team.name", "bot_user_id"],
)]
pub struct SlackOAuth2;
