//! The OAuth2 connection of Calendly.

use connkit::oauth2_connection;

/// The OAuth2 connection of Calendly.
#[oauth2_connection(
    id = "calendly_connection_oauth2",
    name = "OAuth2",
    description = "Connect to Calendly using OAuth2",
    authorize_url = "https://auth.calendly.com/oauth/authorize",
    token_url = "https://auth.calendly.com/oauth/token",
    scopes = [],
)]
pub struct CalendlyOAuth2;
