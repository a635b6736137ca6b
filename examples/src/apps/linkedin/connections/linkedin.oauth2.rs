//! The OAuth2 connection of LinkedIn.

use connkit::oauth2_connection;

/// The OAuth2 connection of LinkedIn.
#[oauth2_connection(
    id = "linkedin_connection_oauth2",
    name = "OAuth2",
    description = "Connect to LinkedIn using OAuth2",
    authorize_url = "https://www.linkedin.com/oauth/v2/authorization",
    token_url = "https://www.linkedin.com/oauth/v2/accessToken",
    scopes = [
        "r_basicprofile",
        "w_member_social",
        "w_organization_social",
        "rw_organization_admin",
        "openid",
        "email",
        "profile",
    ],
    scope_delimiter = ",",
)]
pub struct LinkedinOAuth2;
