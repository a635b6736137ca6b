//! The OAuth2 connection of GitLab.

// The whole host comes from the user, and the token and revocation endpoints receive the client
// secret: `hosts` limits it to gitlab.com and GitLab Dedicated instances (a platform serving
// self-managed servers lists its customers' domains here, or opts out with `any_host = true`).
use connkit::oauth2_connection;

/// The OAuth2 connection of GitLab.
#[oauth2_connection(
    id = "gitlab_connection_oauth2",
    name = "OAuth2",
    description = "Connect to GitLab using OAuth2",
    inputs = { host = { label = "GitLab server", default = "gitlab.com" } },
    hosts = ["gitlab.com", "*.gitlab-dedicated.com"],
    authorize_url = "https://{host}/oauth/authorize",
    token_url = "https://{host}/oauth/token",
    revoke_url = "https://{host}/oauth/revoke",
    scopes = ["read_api", "read_user"],
)]
pub struct GitlabOAuth2;
