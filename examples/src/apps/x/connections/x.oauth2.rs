//! The OAuth2 connection of X.

// X requires PKCE (S256) and HTTP Basic client authentication at the token endpoint.
use connkit::oauth2_connection;

/// The OAuth2 connection of X.
#[oauth2_connection(
    id = "x_connection_oauth2",
    name = "OAuth2",
    description = "Connect to X using OAuth2",
    authorize_url = "https://twitter.com/i/oauth2/authorize",
    token_url = "https://api.x.com/2/oauth2/token",
    scopes = [
        "tweet.read",
        "tweet.write",
        "users.read",
        "follows.read",
        "follows.write",
        "offline.access",
        "like.write",
        "like.read",
    ],
    client_auth = "header",
    pkce = true,
)]
pub struct XOAuth2;
