//! The OAuth2 connection of Linear.

// After the token exchange Lecca ran a GraphQL query (`organization { id name }`) and stored
// the answer as metadata; post-exchange hooks are not part of a definition yet.
use connkit::oauth2_connection;

/// The OAuth2 connection of Linear.
#[oauth2_connection(
    id = "linear_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Linear using OAuth2",
    authorize_url = "https://linear.app/oauth/authorize",
    token_url = "https://api.linear.app/oauth/token",
    scopes = [
        "read",
        "write",
        "issues:create",
        "comments:create",
    ],
)]
pub struct LinearOAuth2;
