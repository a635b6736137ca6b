//! The OAuth2 connection of GitHub.

// GitHub answers form-encoded unless asked for JSON and reports errors with HTTP 200; the
// flow sends `Accept: application/json` and reads an `error` field in any 2xx body.
use connkit::oauth2_connection;

/// The OAuth2 connection of GitHub.
#[oauth2_connection(
    id = "github_connection_oauth2",
    name = "OAuth2",
    description = "Connect to GitHub using OAuth2",
    authorize_url = "https://github.com/login/oauth/authorize",
    token_url = "https://github.com/login/oauth/access_token",
    scopes = [
        "repo",
        "workflow",
    ],
)]
pub struct GithubOAuth2;
